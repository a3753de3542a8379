package astra.bench;

import astra.bench.Row.Key;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI's pages in a real browser: Debian's headless Chromium driven by Selenium through
 * {@code /usr/bin/chromedriver} (the jars are astra-bench's optional dependency, copied to
 * {@code astra-bench/target/ui-lib}, which bench.sh puts on the class path).
 */
final class UiBrowser {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The graph page of a run, and its run page, as the page's own links write them. */
    static final String GRAPH_ROUTE = "/#/runs/%d/graph";
    static final String RUN_ROUTE = "/#/runs/%d";
    /** A family's node in the graph page (astra-ui's app.js: {@code test: 'family-node'}). */
    static final String FAMILY_NODE = "[data-test=family-node]";
    static final int GRAPH_LOADS = 5;

    private UiBrowser() {}

    static WebDriver driver() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        return new ChromeDriver(service, options);
    }

    static String missing() {
        return !Files.isExecutable(CHROMIUM) ? CHROMIUM + " is not installed"
                : !Files.isExecutable(CHROMEDRIVER) ? CHROMEDRIVER + " is not installed" : null;
    }

    /** The graph page of the run: from driver.get until at least {@code families} family nodes are in the DOM. */
    static Row graphPage(Runner r, Key key, String base, long runId, int families) {
        Row row = new Row(key);
        String why = missing();
        if (why != null) {
            return row.skip(why);
        }
        WebDriver driver = null;
        try {
            driver = driver();
            String url = base + String.format(Locale.ROOT, GRAPH_ROUTE, runId);
            List<Double> seconds = new ArrayList<>();
            for (int k = 0; k <= GRAPH_LOADS; k++) {
                driver.get("about:blank");
                long t = System.nanoTime();
                driver.get(url);
                WebDriver d = driver;
                new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(10))
                        .until(x -> d.findElements(By.cssSelector(FAMILY_NODE)).size() >= families);
                double took = (System.nanoTime() - t) / 1e9;
                if (k > 0) {
                    seconds.add(took);
                }
            }
            double median = Stats.median(seconds);
            double max = Stats.max(seconds);
            row.wallSeconds = median;
            row.note(String.format(Locale.ROOT, "%s until %d %s in the DOM: median %.2f s, max %.2f s over %d loads (after 1); "
                    + "≤ %.0f s: %s", url.substring(base.length()), families, FAMILY_NODE, median, max, seconds.size(),
                    UiCases.GRAPH_TARGET_S, max <= UiCases.GRAPH_TARGET_S ? "yes" : "NO"));
            return row;
        } catch (RuntimeException e) {
            return row.fail("browser: " + Postgres.oneLine(e));
        } finally {
            if (driver != null) {
                driver.quit();
            }
        }
    }

    /**
     * The run page of the next run: in headless Chromium on this host ({@code inBrowser}), or its
     * calls only ({@code GET /api/runs/{id}} every 2 s, as the page makes them) over plain HTTP, as
     * a browser on another machine (an operator's laptop) costs this host.
     */
    static RunPage runPage(Runner r, String dbUrl, String schema, String base, boolean inBrowser) {
        return new RunPage(r, dbUrl, schema, base, inBrowser);
    }

    /**
     * A browser already open on the runs page (as an operator's is) before a run starts; while
     * the run lasts, waits for its row (the newest run, unfinished) and goes to its run page, which
     * refreshes itself every 2 s, until the run ends. Chromium's own start-up is thus not in the
     * measured run.
     */
    static final class RunPage implements AstraRun.Watcher, AutoCloseable {
        private final Runner runner;
        private final String dbUrl;
        private final String schema;
        private final String base;
        private volatile boolean stopped;
        private volatile String problem;
        private volatile double openedAfter = -1;
        private volatile long runId;
        private final boolean inBrowser;
        private volatile int calls;
        private Thread thread;
        private WebDriver driver;

        RunPage(Runner runner, String dbUrl, String schema, String base, boolean inBrowser) {
            this.inBrowser = inBrowser;
            this.runner = runner;
            this.dbUrl = dbUrl;
            this.schema = schema;
            this.base = base;
        }

        /** Starts Chromium on the runs page, before the run. */
        void openBrowser() throws InterruptedException {
            if (!inBrowser) {
                return;
            }
            driver = driver();
            driver.get(base + "/#/");
            // settled: the runs table (or its empty message) is drawn
            new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(50))
                    .until(d -> !d.findElements(By.cssSelector("[data-test=runs], main p.muted")).isEmpty());
        }

        @Override
        public void start() {
            stopped = false;
            thread = new Thread(this::watch, "bench-ui-run-page");
            thread.setDaemon(true);
            thread.start();
        }

        private void watch() {
            long started = System.nanoTime();
            try (Connection c = Postgres.connectTo(dbUrl, schema); Statement st = c.createStatement()) {
                long before = newest(st);
                while (!stopped && runId == 0) {
                    try (ResultSet rs = st.executeQuery("select coalesce(max(run_id), 0) from astra_run where finished_at is null"
                            + " and command like 'astra run InsertRows%' and run_id > " + before)) {
                        rs.next();
                        runId = rs.getLong(1);
                    }
                    if (runId == 0) {
                        Thread.sleep(20);
                    }
                }
                if (stopped) {
                    return;
                }
                openedAfter = (System.nanoTime() - started) / 1e9;
                if (inBrowser) {
                    driver.get(base + String.format(Locale.ROOT, RUN_ROUTE, runId));
                } else {
                    poll(java.net.URI.create(base + "/api/runs/" + runId));
                }
            } catch (InterruptedException e) {
                // stopped
            } catch (Exception e) {
                problem = Postgres.oneLine(e);
            }
        }

        /** What the run page asks, as often as it asks it, until the run ends. */
        private void poll(java.net.URI run) throws java.io.IOException, InterruptedException {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpRequest get = java.net.http.HttpRequest.newBuilder(run).build();
            while (!stopped) {
                java.net.http.HttpResponse<String> answer = http.send(get, java.net.http.HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new java.io.IOException("GET " + run + ": " + answer.statusCode() + " " + answer.body());
                }
                calls++;
                long until = System.nanoTime() + 2_000_000_000L;
                while (!stopped && System.nanoTime() < until) {
                    Thread.sleep(50);
                }
            }
        }

        @Override
        public void close() {
            if (driver != null) {
                driver.quit();
                driver = null;
            }
        }

        private static long newest(Statement st) throws java.sql.SQLException {
            try (ResultSet rs = st.executeQuery("select coalesce(max(run_id), 0) from astra_run")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        @Override
        public void stop() {
            stopped = true;
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String describe() {
            if (problem != null) {
                return "run page: " + problem;
            }
            if (!inBrowser) {
                return openedAfter < 0 ? "run page NOT polled (no run row seen)"
                        : String.format(Locale.ROOT, "GET /api/runs/%d every 2 s over HTTP (%d calls) from %.1f s after the run started:"
                                + " the run page's own calls, from a browser on another machine", runId, calls, openedAfter);
            }
            return openedAfter < 0 ? "run page NOT opened (no run row seen)"
                    : String.format(Locale.ROOT, "run page %s open in headless Chromium (started before the run) from %.1f s after the run started",
                            String.format(Locale.ROOT, RUN_ROUTE, runId), openedAfter);
        }
    }
}
