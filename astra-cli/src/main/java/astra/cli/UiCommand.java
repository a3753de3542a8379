package astra.cli;

import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.db.Database;
import astra.core.db.DatabaseChoice;
import astra.core.db.DatabaseSettings;
import astra.ui.UiServer;
import astra.worker.WorkerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "ui",
        mixinStandardHelpOptions = true,
        headerHeading = "",
        header = "Serves a web page of the runs, their graphs, tasks, failures and logs.",
        description = {"Serves a web page (and its JSON API under /api) that reads the same database as the other "
                + "commands: every run with its progress by family, its workers per host, the graph of its task "
                + "families down to one task's neighbourhood, each task's attempts, events and log (tailing while it "
                + "runs), and the failures grouped by error. It holds at most " + UiCommand.CONNECTIONS
                + " database connections and asks bounded, indexed questions, so it can stay open beside a running "
                + "pipeline. Read-only unless started with --allow-actions; actions (reset a task or its downstream, "
                + "disable or enable a family) then need the token printed at start, which the printed address carries."},
        footer = {"", "Examples:",
                "  astra ui                                   http://127.0.0.1:8082/ on this host",
                "  astra ui --allow-actions                   resets, disables and enables, with the printed token",
                "  astra ui --bind 0.0.0.0 --port 9000        reachable from other hosts: every page needs the token",
                "  ssh -L 8082:127.0.0.1:8082 login-node      (on your laptop) then open http://127.0.0.1:8082/",
                "", "Exit codes: it serves until stopped (Ctrl-C: 130; SIGTERM: 143); 2 the port is taken or the",
                "address is not this host's; 6 the database cannot be reached."})
final class UiCommand implements Callable<Integer> {

    /** The most database connections the server holds. */
    static final int CONNECTIONS = 2;
    /** How long a page waits out an outage of the database before it says so. */
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8082",
            description = "The TCP port to listen on (default: ${DEFAULT-VALUE}; 0 for any free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}, this host only). Any other "
                    + "address makes every page need the printed token.")
    String bind;

    @Option(names = "--allow-actions", description = "Serve the actions: reset a task (and its downstream), "
            + "disable and enable a family; each asks for confirmation and needs the printed token.")
    boolean allowActions;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new AstraException.BadInput("--port " + port + " is not a TCP port: give 1-65535, or 0 for any free one");
        }
        checkAddress();
        PrintWriter out = spec.commandLine().getOut();
        Config cfg = database.loadConfig(spec.commandLine().getErr());
        Path logDir = WorkerOptions.logDir(cfg, Path.of(""));
        DatabaseChoice choice = database.choice(cfg);
        DatabaseSettings settings = choice.settings().withPoolSize(CONNECTIONS).withOutageTimeout(OUTAGE);
        try (Database db = Database.open(choice.withSettings(settings))) {
            UiServer.Options options = new UiServer.Options(bind, port, allowActions, UiServer.newToken(),
                    (taskId, runId, attempt) -> WorkerOptions.attemptLog(logDir, taskId, runId, attempt));
            UiServer server;
            try {
                server = UiServer.start(options, db.store(), System.getProperty("user.name", "unknown"));
            } catch (IOException e) {
                throw new AstraException.BadInput(bindFailure(e));
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "astra-ui-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("astra ui: open " + server.url() + " (" + settings.describe() + ", at most " + CONNECTIONS
                    + " connections; " + (allowActions ? "actions allowed with the token in this address"
                    : "read-only") + "). Ctrl-C stops it.");
            out.flush();
            server.join();
            stopped.await();
            return ExitCodes.OK;
        }
    }

    private void checkAddress() {
        try {
            InetAddress address = InetAddress.getByName(bind);
            if (!address.isAnyLocalAddress() && NetworkInterface.getByInetAddress(address) == null) {
                throw new AstraException.BadInput("--bind " + bind + " is not an address of this host; use 127.0.0.1 "
                        + "(this host only), 0.0.0.0 (every address) or one that 'hostname -I' lists");
            }
        } catch (UnknownHostException e) {
            throw new AstraException.BadInput("--bind " + bind + " is not an address this host knows");
        } catch (SocketException e) {
            throw new AstraException.BadInput("--bind " + bind + ": " + e.getMessage());
        }
    }

    private String bindFailure(IOException e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof BindException)) {
            cause = cause.getCause();
        }
        if (cause instanceof BindException) {
            return "cannot listen on " + bind + ":" + port + ": " + cause.getMessage()
                    + " (another astra ui?); choose another port with --port N, or --port 0 for any free one";
        }
        return "cannot listen on " + bind + ":" + port + ": " + e.getMessage();
    }
}
