package astra.bench;

import astra.bench.Row.Db;
import astra.bench.Row.Key;
import astra.bench.Runner.CaseDir;
import astra.bench.Runner.Unit;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The web UI at scale (issue 17), PostgreSQL only: {@link UiScaleData} writes a finished run of a
 * million tasks and a live run of 100,000 into the schema {@value #SCHEMA} of the benchmark
 * database; the built {@code astra ui} serves it, and
 * <ol>
 * <li>{@code ui-scale-data}: how long writing the data took;
 * <li>{@code ui-api [PATH]}: each API call and the page over HTTP, a few warm-up calls then the
 * median and max of {@value #TIMED_CALLS}, against the finished and the live run (target ≤ 300 ms);
 * <li>{@code ui-graph-page}: the graph page of the finished run in headless Chromium (Selenium):
 * from {@code driver.get} until its family nodes are in the DOM (target ≤ 2 s), {@link UiBrowser};
 * <li>{@code ui-throughput [alone|page open|page's calls over HTTP]}: {@code InsertRows --n 30000 --workers 8} on the same
 * schema, alone, then with its run page open in headless Chromium (refreshing itself); the
 * execution rate of each and the loss (target ≤ 5%).
 * </ol>
 */
final class UiCases {

    static final String SCHEMA = "astra_ui_bench";
    static final int WARM_UP_CALLS = 3;
    static final int TIMED_CALLS = 10;
    static final double TARGET_MS = 300;
    static final double GRAPH_TARGET_S = 2;
    static final double LOSS_TARGET = 0.05;
    /** Long enough (about 11 s of execution here) for the run page to refresh five times or more. */
    static final int THROUGHPUT_N = 30_000;
    static final int THROUGHPUT_WORKERS = 8;
    /** The server's start line: {@code astra ui: open http://127.0.0.1:8082/ (...)}. */
    private static final Pattern STARTED = Pattern.compile("astra ui: open (http://\\S+?)/? ");

    private UiCases() {}

    static Unit unit(boolean smoke) {
        UiScaleData.Sizes sizes = smoke ? UiScaleData.Sizes.SMOKE : UiScaleData.Sizes.FULL;
        int n = sizes.finishedTasks();
        int tn = smoke ? Cases.SMOKE_N : THROUGHPUT_N;
        int tw = smoke ? 2 : THROUGHPUT_WORKERS;
        List<Key> keys = new ArrayList<>();
        keys.add(new Key("ui-scale-data", null, n + sizes.liveTasks(), 1, Db.POSTGRES));
        for (Call c : calls(0, 0, "", "", "")) {
            keys.add(new Key("ui-api", c.label(), c.live() ? sizes.liveTasks() : n, 1, Db.POSTGRES));
        }
        keys.add(new Key("ui-graph-page", null, n, 1, Db.POSTGRES));
        keys.add(new Key("ui-throughput", "alone", tn, tw, Db.POSTGRES));
        keys.add(new Key("ui-throughput", "run page open", tn, tw, Db.POSTGRES));
        keys.add(new Key("ui-throughput", "run page's calls over HTTP", tn, tw, Db.POSTGRES));
        return new Unit(keys, (r, selected) -> run(r, keys, selected, sizes, tn, tw));
    }

    /** One API call or page: its row's label (the path with placeholders) and the path to get. */
    record Call(String label, String path, boolean live) {}

    static List<Call> calls(long finished, long live, String failedTask, String doneTask, String wrapper) {
        List<Call> calls = new ArrayList<>();
        calls.add(new Call("GET /", "/", false));
        calls.add(new Call("GET /api/runs", "/api/runs", false));
        for (boolean isLive : List.of(false, true)) {
            long run = isLive ? live : finished;
            String which = isLive ? " (live)" : "";
            String leaf = isLive ? "Sleeper" : "Trivial";
            calls.add(new Call("GET /api/runs/{id}" + which, "/api/runs/" + run, isLive));
            calls.add(new Call("GET /api/runs/{id}/graph" + which, "/api/runs/" + run + "/graph", isLive));
            calls.add(new Call("GET /api/runs/{id}/tasks?family=" + leaf + "&state=" + (isLive ? "pending" : "done")
                    + "&limit=100" + which, "/api/runs/" + run + "/tasks?family=" + leaf + "&state=" + (isLive ? "pending" : "done")
                    + "&limit=100", isLive));
            calls.add(new Call("GET /api/runs/{id}/failures" + which, "/api/runs/" + run + "/failures", isLive));
        }
        String after = isBlank(doneTask) ? "" : "&after=" + enc(doneTask);
        calls.add(new Call("GET /api/runs/{id}/tasks?family=Trivial&state=done&limit=100&after=ID",
                "/api/runs/" + finished + "/tasks?family=Trivial&state=done&limit=100" + after, false));
        calls.add(new Call("GET /api/runs/{id}/tasks?state=failed&limit=100", "/api/runs/" + finished
                + "/tasks?state=failed&limit=100", false));
        calls.add(new Call("GET /api/runs/{id}/tasks?family=Trivial&param=i=500000&limit=100",
                "/api/runs/" + finished + "/tasks?family=Trivial&param=" + enc("i=500000") + "&limit=100", false));
        calls.add(new Call("GET /api/runs/{id}/tasks?family=LayerTask&param=layer=9&limit=100",
                "/api/runs/" + finished + "/tasks?family=LayerTask&param=" + enc("layer=9") + "&limit=100", false));
        calls.add(new Call("GET /api/tasks/{id} (a failed leaf)", "/api/tasks/" + enc(failedTask), false));
        calls.add(new Call("GET /api/tasks/{id} (the FanOut wrapper)", "/api/tasks/" + enc(wrapper), false));
        calls.add(new Call("GET /api/tasks/{id}/neighbours?depth=2 (a leaf)", "/api/tasks/" + enc(failedTask)
                + "/neighbours?depth=2", false));
        calls.add(new Call("GET /api/tasks/{id}/neighbours?depth=2 (the FanOut wrapper)", "/api/tasks/" + enc(wrapper)
                + "/neighbours?depth=2", false));
        calls.add(new Call("GET /api/tasks/{id}/log", "/api/tasks/" + enc(failedTask) + "/log", false));
        return calls;
    }

    private static List<Row> run(Runner r, List<Key> keys, List<Key> selected, UiScaleData.Sizes sizes, int tn, int tw)
            throws Exception {
        CaseDir d = r.caseDir("ui-scale");
        r.postgres.recreate();
        String url = r.postgres.benchUrl();
        Path logDir = d.cwd().resolve(".astra/logs");
        UiScaleData.Generated g = UiScaleData.generate(url, SCHEMA, sizes, logDir, r.err);
        r.log("  %s", g.summary());
        List<Row> rows = new ArrayList<>();
        Row data = new Row(keys.get(0));
        data.wallSeconds = g.took().toMillis() / 1000.0;
        data.note(g.summary().replaceFirst("^generated in [0-9.]+ s: ", "rows: "));
        data.note("schema " + SCHEMA + ", finished run " + g.finishedRunId() + " (UiScale --n " + sizes.leaves() + " --layers "
                + sizes.layers() + " --width " + sizes.width() + "), live run " + g.liveRunId() + " (Sleepers --n "
                + sizes.live() + ")");
        rows.add(data);
        Path cfg = d.dir().resolve("utah.cfg");
        Files.writeString(cfg, "# written by the Astra benchmarks: the UI scale case\n[database]\nschema = " + SCHEMA
                + "\n\n[core]\nlog_dir = " + logDir + "\n", StandardCharsets.UTF_8);
        List<Key> rest = keys.subList(1, keys.size()).stream().filter(selected::contains).toList();
        Optional<String> noUi = uiMissing(r.build);
        if (noUi.isPresent()) {
            rest.forEach(k -> rows.add(new Row(k).skip(noUi.get())));
            return Cases.done(r, d, rows);
        }
        try (UiHeartbeats beats = new UiHeartbeats(url, SCHEMA, g.liveRunId());
                Server server = Server.start(r, d, cfg, url)) {
            List<Call> calls = calls(g.finishedRunId(), g.liveRunId(), g.failedTaskId(), g.doneTaskId(), g.wrapperTaskId());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < calls.size(); i++) {
                Key key = keys.get(1 + i);
                if (selected.contains(key)) {
                    rows.add(time(http, server.url, calls.get(i), key));
                }
            }
            Key graphKey = keys.get(keys.size() - 4);
            Key alone = keys.get(keys.size() - 3);
            Key open = keys.get(keys.size() - 2);
            Key polled = keys.get(keys.size() - 1);
            Optional<String> noBrowser = browserMissing();
            if (noBrowser.isPresent()) {
                Stream.of(graphKey, alone, open, polled).filter(selected::contains).forEach(k -> rows.add(new Row(k).skip(noBrowser.get())));
            } else if (selected.contains(graphKey)) {
                rows.add(UiBrowser.graphPage(r, graphKey, server.url, g.finishedRunId(), 5));
            }
            if (noBrowser.isEmpty() && (selected.contains(alone) || selected.contains(open) || selected.contains(polled))) {
                rows.addAll(throughput(r, d, cfg, url, server.url, List.of(alone, open, polled), tn, tw));
            }
        }
        return Cases.done(r, d, rows);
    }

    /**
     * Why the browser rows cannot run, if they cannot: Selenium is astra-bench's optional
     * dependency, on the class path only as bench.sh puts it there (target/ui-lib), and Chromium
     * must be installed.
     */
    private static Optional<String> browserMissing() {
        try {
            Class.forName("org.openqa.selenium.WebDriver", false, UiCases.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Optional.of("Selenium is not on the class path (bench.sh adds astra-bench/target/ui-lib)");
        }
        return Optional.ofNullable(UiBrowser.missing());
    }

    /** Why {@code astra ui} cannot be measured in this build, if it cannot. */
    private static Optional<String> uiMissing(Build build) {
        try (var jars = Files.list(build.cliJar().getParent())) {
            if (jars.noneMatch(p -> p.getFileName().toString().startsWith("astra-ui"))) {
                return Optional.of("this build has no astra ui (no astra-ui jar in " + build.cliJar().getParent() + ")");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot list " + build.cliJar().getParent() + ": " + e.getMessage());
        }
    }

    /** A call's row: warm-up calls, then the median and max of the timed ones. */
    private static Row time(HttpClient http, String base, Call call, Key key) throws Exception {
        Row row = new Row(key);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + call.path())).timeout(Duration.ofSeconds(60)).build();
        List<Double> ms = new ArrayList<>();
        long bytes = 0;
        for (int k = 0; k < WARM_UP_CALLS + TIMED_CALLS; k++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            double took = (System.nanoTime() - t) / 1e6;
            if (response.statusCode() != 200) {
                return row.fail("HTTP " + response.statusCode() + " for " + call.path() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8).strip().replace('\n', ' '));
            }
            bytes = response.body().length;
            if (k >= WARM_UP_CALLS) {
                ms.add(took);
            }
        }
        double median = Stats.median(ms);
        double max = Stats.max(ms);
        row.wallSeconds = median / 1000;
        row.note(String.format(Locale.ROOT, "median %s, max %s over %d calls (after %d warm-up); %,d bytes; ≤ %.0f ms: %s",
                Stats.ms(median), Stats.ms(max), TIMED_CALLS, WARM_UP_CALLS, bytes, TARGET_MS,
                max <= TARGET_MS ? "yes" : median <= TARGET_MS ? "median yes, max NO" : "NO"));
        return row;
    }

    /**
     * {@code InsertRows --n N --workers W} on the big schema, alone and then with its run page open
     * in headless Chromium; between the two the first run's rows are deleted, so the second plans
     * the same tasks anew.
     */
    private static List<Row> throughput(Runner r, CaseDir d, Path cfg, String url, String base, List<Key> both, int n,
            int workers) throws Exception {
        Key open = both.get(1);
        Key polled = both.get(2);
        List<String> args = List.of("InsertRows", "--n", Integer.toString(n), "--workers", Integer.toString(workers),
                "--config", cfg.toString(), "--db", url);
        java.util.Map<Key, List<Double>> rates = new java.util.HashMap<>();
        java.util.Map<Key, List<Double>> walls = new java.util.HashMap<>();
        java.util.Map<Key, String> pageNotes = new java.util.HashMap<>();
        // Alternating, so that neither variant has the warmer (or the more bloated) tables throughout.
        for (int k = 1; k <= r.options.runs(); k++) {
            for (Key key : both) {
                UiBrowser.RunPage page = key == open ? UiBrowser.runPage(r, url, SCHEMA, base, true)
                        : key == polled ? UiBrowser.runPage(r, url, SCHEMA, base, false) : null;
                String label = (key == open ? "with-page-" : key == polled ? "polled-" : "alone-") + k;
                if (page != null) {
                    page.openBrowser();
                }
                try {
                    r.log("  %s: astra run %s", label, String.join(" ", args));
                    AstraRun.Result run = AstraRun.run(r.build, d.cwd(), d.logs().resolve(label), args, r.options.timeout(),
                            false, page != null ? page : AstraRun.Watcher.NONE, r.cdsCache);
                    if (!run.ok()) {
                        throw new Runner.CaseFailed(label + " run " + run.failure(r.options.timeout()));
                    }
                    walls.computeIfAbsent(key, x -> new ArrayList<>()).add(run.wallSeconds());
                } finally {
                    if (page != null) {
                        page.close();
                        pageNotes.put(key, page.describe());
                    }
                }
                try (Connection c = Postgres.connectTo(url, SCHEMA); Statement st = c.createStatement()) {
                    long runId = lastRun(st);
                    Optional<RunDatabase.Execution> e = execution(st, runId);
                    double rate = e.map(RunDatabase.Execution::rate).orElse(Double.NaN);
                    rates.computeIfAbsent(key, x -> new ArrayList<>()).add(rate);
                    r.log("  %s: run %d, execution %s tasks/s", label, runId, Stats.num(rate));
                    forget(st, runId);
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Key key : both) {
            Row row = new Row(key);
            row.wallSeconds = Stats.median(walls.get(key));
            row.tasksPerSecond = n / row.wallSeconds;
            row.executionRate = Stats.median(rates.get(key));
            row.note(String.format(Locale.ROOT, "execution %s tasks/s (first claim to last done; median of %d: %s)",
                    Stats.num(row.executionRate), rates.get(key).size(),
                    String.join(", ", rates.get(key).stream().map(Stats::num).toList())));
            if (pageNotes.containsKey(key)) {
                row.note(pageNotes.get(key));
            }
            rows.add(row);
        }
        for (Row row : rows.subList(1, rows.size())) {
            double loss = 1 - row.executionRate / rows.get(0).executionRate;
            if (!Double.isNaN(loss)) {
                row.note(String.format(Locale.ROOT, "loss against alone: %.1f%% (target ≤ %.0f%%: %s)", loss * 100,
                        LOSS_TARGET * 100, loss <= LOSS_TARGET ? "yes" : "NO"));
            }
        }
        return rows;
    }

    private static long lastRun(Statement st) throws SQLException {
        try (ResultSet r = st.executeQuery("select max(run_id) from astra_run")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** As {@link RunDatabase#execution}, for one run of many. */
    private static Optional<RunDatabase.Execution> execution(Statement st, long runId) throws SQLException {
        java.time.Instant first = null;
        java.time.Instant last = null;
        int done = 0;
        try (ResultSet r = st.executeQuery("select state, count(*), min(at), max(at) from astra_event where run_id = " + runId
                + " and state in ('RUNNING', 'DONE') group by state")) {
            while (r.next()) {
                if ("RUNNING".equals(r.getString(1))) {
                    first = RunDatabase.instant(r.getObject(3));
                } else {
                    done = r.getInt(2);
                    last = RunDatabase.instant(r.getObject(4));
                }
            }
        }
        return first == null || last == null || done == 0 ? Optional.empty()
                : Optional.of(new RunDatabase.Execution(done, first, last));
    }

    /** Removes a run's tasks, edges and events and the rows its tasks inserted, so the next run plans them anew. */
    private static void forget(Statement st, long runId) throws SQLException {
        st.execute("delete from astra_event where run_id = " + runId);
        st.execute("delete from astra_edge e using astra_task t where t.task_id = e.task_id and t.run_id = " + runId);
        st.execute("delete from astra_task where run_id = " + runId);
        st.execute("delete from public.example_bench_rows");
        st.execute("vacuum analyze astra_task, astra_edge, astra_event");
    }

    /** The {@code astra ui} process: started, its URL read from its start line, stopped on close. */
    static final class Server implements AutoCloseable {
        final Process process;
        final String url;

        private Server(Process process, String url) {
            this.process = process;
            this.url = url;
        }

        static Server start(Runner r, CaseDir d, Path cfg, String dbUrl) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path out = d.logs().resolve("ui.out");
            Path err = d.logs().resolve("ui.err");
            ProcessBuilder b = new ProcessBuilder("bash", r.build.launcher().toString(), "ui", "--port",
                    Integer.toString(port), "--db", dbUrl, "--config", cfg.toString())
                    .directory(d.cwd().toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            b.environment().remove("ASTRA_CONFIG");
            b.environment().put("JAVA", r.build.java().toString());
            r.log("  astra ui --port %d --db %s --config %s", port, DbUrl.mask(dbUrl), cfg);
            Process p = b.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                for (Path f : List.of(out, err)) {
                    Matcher m = STARTED.matcher(Files.readString(f, StandardCharsets.UTF_8));
                    if (m.find()) {
                        return new Server(p, m.group(1));
                    }
                }
                if (!p.isAlive()) {
                    throw new Runner.CaseFailed("astra ui exited " + p.exitValue() + ": " + lastLine(err));
                }
                Thread.sleep(100);
            }
            p.destroyForcibly();
            throw new Runner.CaseFailed("astra ui printed no start line within 60 s; see " + err);
        }

        private static String lastLine(Path f) throws IOException {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(nothing)" : lines.get(lines.size() - 1);
        }

        @Override
        public void close() throws InterruptedException {
            List<ProcessHandle> tree = process.descendants().toList();
            tree.forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    /** Masks a password in a URL for the log. */
    private static final class DbUrl {
        static String mask(String url) {
            return astra.core.db.DatabaseSettings.maskPassword(url);
        }
    }

    private static String enc(String s) {
        return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
