package astra.ui;

import astra.core.AstraException;
import astra.core.store.TaskStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpCookie;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code astra ui}'s HTTP server (Jetty's core server, no servlets): the page ({@code /}, one HTML
 * file that routes by the URL's fragment), its assets ({@code /assets/...}, served from this jar
 * and the dagre WebJar, so nothing is fetched from the internet) and the JSON API ({@code /api/...},
 * {@link UiApi}).
 *
 * <p>Who may do what: every server has a random token, printed at start. Bound to a loopback
 * address, anyone on this host may read (as they may run {@code astra status}) and a request must
 * name this host ({@code Host: localhost} or a loopback address, which a page of another site that
 * rebinds its DNS name cannot); bound to any other address, every request needs the token (the
 * printed URL carries it once, and the page keeps it in a cookie). Actions (reset, disable,
 * enable) are POSTs, served only with {@code --allow-actions}, and need the token in the header
 * {@code X-Astra-Token}, which a page of another site cannot send (a cross-origin request with such
 * a header needs this server's consent, which it never gives): that is the guard against CSRF.
 */
public final class UiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UiServer.class);

    /** The header that carries the token of an action. */
    public static final String TOKEN_HEADER = "X-Astra-Token";
    /** The cookie that carries the token of a page, when the server is not bound to loopback. */
    static final String TOKEN_COOKIE = "astra_token";
    /** The most threads serving requests; each holds a database connection only while it queries. */
    private static final int THREADS = 12;
    /** The largest body an action may have ({@code {"downstream": true}} is what they send). */
    private static final int MAX_BODY = 4096;

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");
    private static final String DAGRE = "META-INF/resources/webjars/dagre/0.8.4/dist/dagre.min.js";

    private final Options options;
    private final Server server;
    private final ServerConnector connector;
    private final UiApi api;
    private final boolean loopback;

    /** Where a worker wrote an attempt's log when its history names no file (it died before saying). */
    @FunctionalInterface
    public interface AttemptLogFiles {
        java.nio.file.Path of(String taskId, long runId, int attempt);
    }

    /**
     * What a server serves and how.
     *
     * @param bind the address to listen on (a loopback address unless others should reach it)
     * @param port the port; 0 for any free one
     * @param allowActions whether actions (reset, disable, enable) are served at all
     * @param token the token that actions (and, off loopback, every request) must carry
     * @param logs where an attempt's log is, for the log pages
     */
    public record Options(String bind, int port, boolean allowActions, String token, AttemptLogFiles logs) {
        public Options {
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(logs, "logs");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not a TCP port (0-65535)");
            }
        }
    }

    private UiServer(Options options, TaskStore store, String user) throws UnknownHostException {
        this.options = options;
        this.loopback = InetAddress.getByName(options.bind()).isLoopbackAddress();
        this.api = new UiApi(store, options.logs(), user);
        QueuedThreadPool threads = new QueuedThreadPool(THREADS, 2);
        threads.setName("astra-ui");
        threads.setDaemon(true);
        this.server = new Server(threads);
        this.connector = new ServerConnector(server, 1, 1);
        connector.setHost(options.bind());
        connector.setPort(options.port());
        server.addConnector(connector);
        server.setHandler(new Routes());
        server.setStopTimeout(2000);
    }

    /**
     * Starts a server on the store; {@code user} is who the actions are recorded as having been
     * done by. Fails with {@link IOException} when the address cannot be bound (the port is taken).
     */
    public static UiServer start(Options options, TaskStore store, String user) throws IOException {
        UiServer ui = new UiServer(options, store, user);
        try {
            ui.server.start();
        } catch (IOException e) {
            ui.close();
            throw e;
        } catch (Exception e) {
            ui.close();
            throw new IOException(e.getMessage(), e);
        }
        return ui;
    }

    /** A new random token: 128 bits, URL-safe. */
    public static String newToken() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The port the server listens on (the chosen one when asked for 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * The address to point a browser at: with the token when it is needed to open the page (off
     * loopback) or to act (with actions allowed).
     */
    public URI url() {
        String host = options.bind().contains(":") ? "[" + options.bind() + "]" : options.bind();
        if (host.equals("0.0.0.0") || host.equals("[::]")) {
            host = hostName();
        }
        String query = !loopback || options.allowActions() ? "?token=" + options.token() : "";
        return URI.create("http://" + host + ":" + port() + "/" + query);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping: nothing more to do
        }
    }

    private final class Routes extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws IOException {
            try {
                route(request, response, callback);
            } catch (UiApi.Problem p) {
                sendJson(response, callback, p.status(), UiApi.error(p.getMessage()));
            } catch (AstraException.DatabaseUnavailable e) {
                sendJson(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, UiApi.error(e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("astra ui: {} {} failed", request.getMethod(), Request.getPathInContext(request), e);
                sendJson(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500,
                        UiApi.error("astra ui could not answer: " + e + " (its log has the details)"));
            }
            return true;
        }

        private void route(Request request, Response response, Callback callback) throws IOException {
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.getHeaders().put("X-Frame-Options", "DENY");
            response.getHeaders().put("Referrer-Policy", "no-referrer");
            response.getHeaders().put("Cache-Control", "no-store");
            String path = Request.getPathInContext(request);
            Fields query = Request.extractQueryParameters(request);
            if (loopback && !fromThisHost(request)) {
                throw new UiApi.Problem(HttpStatus.MISDIRECTED_REQUEST_421,
                        "astra ui answers requests for this host only (localhost, 127.0.0.1)");
            }
            String queryToken = query.getValue("token");
            boolean tokenInQuery = queryToken != null && same(queryToken, options.token());
            if (!loopback && !tokenInQuery && !same(cookie(request), options.token())
                    && !same(request.getHeaders().get(TOKEN_HEADER), options.token())) {
                throw new UiApi.Problem(HttpStatus.UNAUTHORIZED_401,
                        "astra ui on " + options.bind() + " needs its token: open the address it printed at start");
            }
            if (tokenInQuery && !loopback) {
                response.getHeaders().add(HttpHeader.SET_COOKIE,
                        TOKEN_COOKIE + "=" + options.token() + "; Path=/; HttpOnly; SameSite=Strict");
            }
            String method = request.getMethod();
            if (path.startsWith("/api/")) {
                if ("POST".equals(method)) {
                    // read before any answer: a refusal that left the body unread would end the
                    // connection under the next request the client sends on it
                    String body = body(request);
                    checkAction(request);
                    sendJson(response, callback, HttpStatus.OK_200, api.act(path.substring(4), query, body));
                } else if ("GET".equals(method) || "HEAD".equals(method)) {
                    sendJson(response, callback, HttpStatus.OK_200, api.read(path.substring(4), query,
                            options.allowActions()));
                } else {
                    throw new UiApi.Problem(HttpStatus.METHOD_NOT_ALLOWED_405, method + " is not served here");
                }
            } else if (!"GET".equals(method) && !"HEAD".equals(method)) {
                throw new UiApi.Problem(HttpStatus.METHOD_NOT_ALLOWED_405, method + " is not served here");
            } else if (path.equals("/") || path.equals("/index.html")) {
                sendResource(response, callback, "astra/ui/index.html");
            } else if (path.equals("/assets/dagre.min.js")) {
                sendResource(response, callback, DAGRE);
            } else if (path.matches("/assets/[a-z]+\\.(js|css)")) {
                sendResource(response, callback, "astra/ui/" + path.substring("/assets/".length()));
            } else {
                throw new UiApi.Problem(HttpStatus.NOT_FOUND_404, "no page " + path + " here; the pages start at /");
            }
        }

        /** An action's body: a small JSON object, read whole, and never more than {@link #MAX_BODY} bytes of it. */
        private String body(Request request) throws IOException {
            byte[] bytes;
            try (InputStream in = Content.Source.asInputStream(request)) {
                bytes = in.readNBytes(MAX_BODY + 1);
            }
            if (bytes.length > MAX_BODY) {
                throw new UiApi.Problem(HttpStatus.PAYLOAD_TOO_LARGE_413,
                        "an action's body is a small JSON object such as {\"downstream\": true}, not over " + MAX_BODY + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** An action needs actions allowed, the token in its header, and no foreign origin. */
        private void checkAction(Request request) {
            if (!options.allowActions()) {
                throw new UiApi.Problem(HttpStatus.FORBIDDEN_403,
                        "this astra ui is read-only: start it with --allow-actions to reset, disable or enable");
            }
            if (!same(request.getHeaders().get(TOKEN_HEADER), options.token())) {
                throw new UiApi.Problem(HttpStatus.FORBIDDEN_403,
                        "an action needs the token astra ui printed at start (header " + TOKEN_HEADER + ")");
            }
            String origin = request.getHeaders().get(HttpHeader.ORIGIN);
            String host = request.getHeaders().get(HttpHeader.HOST);
            if (origin != null && host != null && !origin.equalsIgnoreCase("http://" + host)) {
                throw new UiApi.Problem(HttpStatus.FORBIDDEN_403, "an action from another site (" + origin
                        + ") is refused");
            }
        }

        private boolean fromThisHost(Request request) {
            String host = request.getHeaders().get(HttpHeader.HOST);
            if (host == null) {
                return true;
            }
            String name = host.toLowerCase(Locale.ROOT);
            if (name.startsWith("[")) {
                name = name.substring(0, name.indexOf(']') + 1);
            } else if (name.indexOf(':') >= 0) {
                name = name.substring(0, name.indexOf(':'));
            }
            return name.equals("localhost") || name.equals("[::1]") || name.startsWith("127.");
        }

        private String cookie(Request request) {
            for (HttpCookie c : Request.getCookies(request)) {
                if (TOKEN_COOKIE.equals(c.getName())) {
                    return c.getValue();
                }
            }
            return null;
        }
    }

    /** Compares in constant time, so that timing tells nothing of the token. */
    private static boolean same(String given, String token) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private void sendResource(Response response, Callback callback, String name) {
        byte[] bytes;
        try (InputStream in = UiServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new UiApi.Problem(HttpStatus.NOT_FOUND_404, "no asset " + name);
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UiApi.Problem(HttpStatus.INTERNAL_SERVER_ERROR_500, "cannot read " + name + ": " + e.getMessage());
        }
        String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
        response.getHeaders().put("Cache-Control", "max-age=300");
        response.getHeaders().put("Content-Security-Policy",
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
        sendBytes(response, callback, HttpStatus.OK_200, type, bytes);
    }

    private static void sendJson(Response response, Callback callback, int status, byte[] json) {
        sendBytes(response, callback, status, "application/json; charset=utf-8", json);
    }

    private static void sendBytes(Response response, Callback callback, int status, String type, byte[] bytes) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
