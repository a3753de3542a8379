package astra.bench;

import astra.core.db.Database;
import astra.core.db.DatabaseSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The data of the web UI's scale benchmark (issue 17), written straight into Astra's tables with
 * set-based SQL ({@code insert … select … from generate_series}) in a PostgreSQL schema of its own,
 * dropped and created anew (Astra's own migration creates the tables):
 * <ul>
 * <li>a finished run of {@code astra run UiScale --n 1000000 --layers 10 --width 1000 --workers 8}
 * ({@link astra.bench.synthetic.UiScale}): the million-run case's {@code FanOut} of a million
 * {@code Trivial} leaves beside a {@code Layered} graph of 10 × 1,000 {@code LayerTask}s, five
 * families and 1,010,004 tasks. The rows are the ones a real run of that graph writes (the same
 * task ids, parameters, wide wrappers, events "planned", "claimed (attempt 1[, ahead])", "done")
 * except that 1% of the leaves and one bottom {@code LayerTask} failed, with five distinct errors,
 * so the tasks above the failed ones stay pending, blocked, and the run's outcome is FAILED;
 * <li>a live run of {@code astra run Sleepers --n 100000 --millis 50 --workers 8}: no finished_at,
 * 35% done (a few failed), 8 tasks running and 8 claimed ahead, the rest pending and ready, and 8
 * live workers whose heartbeats {@link Heartbeats} keeps fresh while the benchmark lasts.
 * </ul>
 * Task and edge indexes are dropped while the rows go in and built again after, then everything is
 * analyzed. {@code main} runs it by hand:
 * {@code java -cp 'astra-cli/target/lib/*:astra-bench/target/astra-bench.jar' astra.bench.UiScaleData
 * --db 'jdbc:postgresql://127.0.0.1/test?user=postgres' --schema astra_ui_bench}.
 */
final class UiScaleData {

    /** How big: the finished run's leaves and layered part, and the live run's tasks. */
    record Sizes(int leaves, int layers, int width, int live) {
        static final Sizes FULL = new Sizes(1_000_000, 10, 1_000, 100_000);
        static final Sizes SMOKE = new Sizes(200, 3, 40, 100);

        Sizes {
            if (leaves < 100 || layers < 2 || width < 2 || live < 40) {
                throw new IllegalArgumentException("too small a graph to have failures and blocked tasks: " + this);
            }
        }

        int finishedTasks() {
            return leaves + layers * width + 3;
        }

        int liveTasks() {
            return live + 1;
        }
    }

    /** What was written: the two runs, sample tasks for the per-task calls, and how long it took. */
    record Generated(String schema, long finishedRunId, long liveRunId, String failedTaskId, String doneTaskId,
            String blockedTaskId, String liveRunningTaskId, String wrapperTaskId, Map<String, Long> rows, Duration took) {
        String summary() {
            StringBuilder b = new StringBuilder();
            rows.forEach((t, n) -> b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %,d", t, n)));
            return String.format(Locale.ROOT, "generated in %.1f s: %s", took.toMillis() / 1000.0, b);
        }
    }

    /** The errors of the failed tasks: a handful, so a failures page has groups to show. */
    static final List<String> ERRORS = List.of(
            "IllegalStateException: spectrum has no valid pixels",
            "IOException: FITS header truncated: END card not found",
            "ArithmeticException: / by zero",
            "TimeoutException: continuum fit did not converge after 200 iterations",
            "IllegalArgumentException: layer 0 has no calibration frames for this position");

    static final int WORKERS = 8;
    /** The finished run's execution rate (the million-run case's: about 4,500 tasks/s). */
    static final double FINISHED_RATE = 4_500;
    /** The live run's: 8 workers sleeping 50 ms a task. */
    static final double LIVE_RATE = 160;
    static final int LIVE_MILLIS = 50;
    /** The share of the live run's leaves already done or failed. */
    static final double LIVE_DONE_SHARE = 0.35;
    /** Tasks a worker claims at once in the finished run (the claim's largest batch). */
    static final int CLAIM_BATCH = 64;

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final List<String> BULK_TABLES = List.of("astra_task", "astra_edge", "astra_event");

    private UiScaleData() {}

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        String schema = "astra_ui_bench";
        Sizes sizes = Sizes.FULL;
        Path logDir = Path.of(".astra/logs");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db" -> url = args[++i];
                case "--schema" -> schema = args[++i];
                case "--smoke" -> sizes = Sizes.SMOKE;
                case "--log-dir" -> logDir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--db URL, --schema NAME, --smoke, --log-dir DIR)");
            }
        }
        Generated g = generate(url, schema, sizes, logDir, System.err);
        System.out.println(g.summary());
        System.out.println("finished run " + g.finishedRunId() + ", live run " + g.liveRunId() + "; failed task "
                + g.failedTaskId() + ", done task " + g.doneTaskId());
    }

    /** Drops and recreates {@code schema} on the database of {@code url}, and fills it. */
    static Generated generate(String url, String schema, Sizes s, Path logDir, PrintStream log) throws SQLException, IOException {
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("not a plain schema name: " + schema);
        }
        long start = System.nanoTime();
        try (Connection c = Postgres.connectTo(url, null); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade");
        }
        try (Database db = Database.open(DatabaseSettings.of(url, null).withSchema(schema))) {
            log.printf(Locale.ROOT, "  ui-scale: schema %s created by Astra at version %s%n", schema,
                    db.schemaVersion().orElse("?"));
        }
        String host = hostName();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long finishedRunId;
        long liveRunId;
        try (Connection c = Postgres.connectTo(url, schema); Statement st = c.createStatement()) {
            st.execute("set synchronous_commit = off");
            st.execute("set maintenance_work_mem = '512MB'");
            st.execute("set work_mem = '256MB'");
            st.execute(ID_FUNCTION);
            List<String> rebuild = dropIndexes(st, schema);
            long t = System.nanoTime();
            finishedRunId = finishedRun(st, s, host, now);
            log.printf(Locale.ROOT, "  ui-scale: finished run %d written in %.1f s%n", finishedRunId, seconds(t));
            t = System.nanoTime();
            liveRunId = liveRun(st, s, host, now);
            log.printf(Locale.ROOT, "  ui-scale: live run %d written in %.1f s%n", liveRunId, seconds(t));
            t = System.nanoTime();
            for (String ddl : rebuild) {
                st.execute(ddl);
            }
            log.printf(Locale.ROOT, "  ui-scale: %d indexes built in %.1f s%n", rebuild.size(), seconds(t));
            t = System.nanoTime();
            blockedCounts(st, finishedRunId, liveRunId);
            st.execute("analyze");
            log.printf(Locale.ROOT, "  ui-scale: blocked counts and analyze in %.1f s%n", seconds(t));
            Map<String, Long> rows = new LinkedHashMap<>();
            for (String table : List.of("astra_run", "astra_task", "astra_edge", "astra_event", "astra_worker")) {
                rows.put(table, Postgres.one(st, "select count(*) from " + table));
            }
            Generated g = new Generated(schema, finishedRunId, liveRunId,
                    Postgres.text(st, "select min(task_id) from astra_task where run_id = " + finishedRunId
                            + " and state = 'FAILED' and family = 'Trivial'"),
                    Postgres.text(st, "select min(task_id) from astra_task where run_id = " + finishedRunId
                            + " and state = 'DONE' and family = 'Trivial'"),
                    Postgres.text(st, "select min(task_id) from astra_task where run_id = " + finishedRunId
                            + " and state = 'PENDING' and family = 'LayerTask'"),
                    Postgres.text(st, "select min(task_id) from astra_task where run_id = " + liveRunId
                            + " and state = 'RUNNING' and started_at is not null"),
                    Postgres.text(st, "select task_id from astra_task where run_id = " + finishedRunId + " and family = 'FanOut'"),
                    rows, Duration.ofNanos(System.nanoTime() - start));
            writeLogs(logDir, g);
            return g;
        }
    }

    /**
     * A task's id as Astra makes it (TaskSchema.id): the family, the first three public parameters'
     * values, and the first 10 hex digits of the SHA-256 of {@code {"family":F,"params":P}}, P the
     * canonical JSON of the parameters (keys sorted).
     */
    private static final String ID_FUNCTION = """
            create or replace function pg_temp.astra_id(family text, summary text, params text) returns text
            language sql immutable as $$
              select family || '_' || summary || '_'
                || substr(encode(sha256(convert_to('{"family":"' || family || '","params":' || params || '}', 'UTF8')), 'hex'), 1, 10)
            $$""";

    /** The finished run; returns its id. */
    private static long finishedRun(Statement st, Sizes s, String host, Instant now) throws SQLException {
        int n = s.leaves();
        int layers = s.layers();
        int width = s.width();
        int failedColumn = width / 2;
        int layerTasks = layers * width;
        int executed = layerTasks + n;
        Instant started = now.minus(Duration.ofHours(3));
        Instant planned = started.plusSeconds(58);
        Instant executing = planned.plusSeconds(2);
        Instant finished = executing.plusMillis((long) (executed / FINISHED_RATE * 1000) + 1500);
        long pid = 41_000;
        String root = "UiScale_" + n + "_" + layers + "_" + width;
        long runId = Postgres.one(st, String.format(Locale.ROOT, """
                insert into astra_run (started_at, finished_at, root_task_ids, host, pid, command, outcome, keep_going)
                values (%s, %s, pg_temp.astra_id('UiScale', '%d_%d_%d', '{"layers":%d,"n":%d,"width":%d}'), %s, %d,
                        'astra run UiScale --n %d --layers %d --width %d --workers 8', 'FAILED', true)
                returning run_id""", ts(started), ts(finished), n, layers, width, layers, n, width, Postgres.quote(host), pid,
                n, layers, width));
        String worker = Postgres.quote(host + ":" + pid + ":1-1.") + " || ((%s / " + CLAIM_BATCH + ") %% " + WORKERS + " + 1)";
        // k: the order of execution (bottom layer first, each layer as soon as the one below it is
        // done, since "LayerTask" sorts before "Trivial" among ready tasks of one priority); claims
        // take 64 tasks at once: the first is "claimed", the others "claimed ahead".
        String claimAt = "(%1$s + ((%2$s / " + CLAIM_BATCH + ") * " + CLAIM_BATCH + ") / " + FINISHED_RATE
                + " * interval '1 second')";
        String startAt = "(%1$s + %2$s / " + FINISHED_RATE + " * interval '1 second' + interval '50 microseconds')";
        String doneAt = "(%1$s + %2$s / " + FINISHED_RATE + " * interval '1 second' + interval '200 microseconds')";
        String te = ts(executing);
        // The leaves: every 100th failed (one of four errors, unevenly), the rest done.
        st.execute(String.format(Locale.ROOT, """
                insert into astra_task (task_id, family, class_name, params, state, attempts, unfinished_deps, priority,
                    run_id, worker, created_at, updated_at, started_at, finished_at, error, error_detail, heartbeat_at,
                    retries, retry_delay_ms, batch_size, wide)
                select pg_temp.astra_id('Trivial', i::text, '{"i":' || i || '}'), 'Trivial', 'astra.bench.synthetic.Trivial',
                    '{"i":' || i || '}', case when f then 'FAILED' else 'DONE' end, 1, 0, 0, %d, %s, %s, %s, %s, %s,
                    case when f then e end, case when f then %s end, %s, 0, 0, 1, false
                from (select i, %d + i as k, i %% 100 = 37 as f, %s as e from generate_series(0, %d) i) x""",
                runId, String.format(worker, "k"), ts(planned), String.format(doneAt, te, "k"), String.format(startAt, te, "k"),
                String.format(doneAt, te, "k"), detail("e"), String.format(claimAt, te, "k"), layerTasks, leafError("i"), n - 1));
        // The layered part: one bottom task failed; the tasks above it that need it, directly or
        // not, are pending (a cone widening by one a layer), never claimed.
        String cone = "(((" + failedColumn + " - i) % " + width + " + " + width + ") % " + width + ")";
        st.execute(String.format(Locale.ROOT, """
                insert into astra_task (task_id, family, class_name, params, state, attempts, unfinished_deps, priority,
                    run_id, worker, created_at, updated_at, started_at, finished_at, error, error_detail, heartbeat_at,
                    retries, retry_delay_ms, batch_size, wide)
                select pg_temp.astra_id('LayerTask', l || '_' || i || '_%d', '{"i":' || i || ',"layer":' || l || ',"width":%d}'),
                    'LayerTask', 'astra.bench.synthetic.LayerTask', '{"i":' || i || ',"layer":' || l || ',"width":%d}',
                    st, case when st = 'PENDING' then 0 else 1 end, 0, 0, %d,
                    case when st <> 'PENDING' then %s end, %s,
                    case when st = 'PENDING' then %s else %s end,
                    case when st <> 'PENDING' then %s end, case when st <> 'PENDING' then %s end,
                    case when st = 'FAILED' then %s end, case when st = 'FAILED' then %s end,
                    case when st <> 'PENDING' then %s end, 0, 0, 1, false
                from (select l, i, l * %d + i as k,
                        case when l = 0 and i = %d then 'FAILED' when l > 0 and %s <= l then 'PENDING' else 'DONE' end as st
                      from generate_series(0, %d) l, generate_series(0, %d) i) x""",
                width, width, width, runId, String.format(worker, "k"), ts(planned), ts(planned), String.format(doneAt, te, "k"),
                String.format(startAt, te, "k"), String.format(doneAt, te, "k"), Postgres.quote(ERRORS.get(4)),
                detail(Postgres.quote(ERRORS.get(4))), String.format(claimAt, te, "k"), width, failedColumn, cone, layers - 1,
                width - 1));
        // The wrappers: never run, blocked by the failures below them. A wide one (more than 32
        // requirements) keeps its planned count and done_through, the first requirement not done.
        st.execute(String.format(Locale.ROOT, """
                insert into astra_task (task_id, family, class_name, params, state, attempts, unfinished_deps, priority,
                    run_id, created_at, updated_at, retries, retry_delay_ms, batch_size, wide)
                values
                  (pg_temp.astra_id('UiScale', '%1$d_%2$d_%3$d', '{"layers":%2$d,"n":%1$d,"width":%3$d}'), 'UiScale',
                   'astra.bench.synthetic.UiScale', '{"layers":%2$d,"n":%1$d,"width":%3$d}', 'PENDING', 0, 2, 0, %4$d, %5$s, %5$s, 0, 0, 1, false),
                  (pg_temp.astra_id('FanOut', '%1$d', '{"n":%1$d}'), 'FanOut', 'astra.bench.synthetic.FanOut', '{"n":%1$d}',
                   'PENDING', 0, %1$d, 0, %4$d, %5$s, %5$s, 0, 0, 1, %6$s),
                  (pg_temp.astra_id('Layered', '%2$d_%3$d', '{"layers":%2$d,"width":%3$d}'), 'Layered',
                   'astra.bench.synthetic.Layered', '{"layers":%2$d,"width":%3$d}', 'PENDING', 0, %3$d, 0, %4$d, %5$s, %5$s, 0, 0, 1, %7$s)""",
                n, layers, width, runId, ts(planned), n > 32, width > 32));
        // Edges: UiScale → FanOut, Layered; FanOut → every leaf; Layered → the top layer; each
        // LayerTask above the bottom → two of the layer below.
        st.execute(String.format(Locale.ROOT, """
                insert into astra_edge (task_id, requires_id)
                select pg_temp.astra_id('UiScale', '%1$d_%2$d_%3$d', '{"layers":%2$d,"n":%1$d,"width":%3$d}'), r
                from (values (pg_temp.astra_id('FanOut', '%1$d', '{"n":%1$d}')),
                             (pg_temp.astra_id('Layered', '%2$d_%3$d', '{"layers":%2$d,"width":%3$d}'))) v(r)
                union all
                select pg_temp.astra_id('FanOut', '%1$d', '{"n":%1$d}'), pg_temp.astra_id('Trivial', i::text, '{"i":' || i || '}')
                from generate_series(0, %1$d - 1) i
                union all
                select pg_temp.astra_id('Layered', '%2$d_%3$d', '{"layers":%2$d,"width":%3$d}'),
                       pg_temp.astra_id('LayerTask', (%2$d - 1) || '_' || i || '_%3$d', '{"i":' || i || ',"layer":' || (%2$d - 1) || ',"width":%3$d}')
                from generate_series(0, %3$d - 1) i
                union all
                select pg_temp.astra_id('LayerTask', l || '_' || i || '_%3$d', '{"i":' || i || ',"layer":' || l || ',"width":%3$d}'),
                       pg_temp.astra_id('LayerTask', (l - 1) || '_' || j || '_%3$d', '{"i":' || j || ',"layer":' || (l - 1) || ',"width":%3$d}')
                from generate_series(1, %2$d - 1) l, generate_series(0, %3$d - 1) i,
                     lateral (values (i), ((i + 1) %% %3$d)) d(j)""", n, layers, width));
        doneThrough(st, runId);
        events(st, runId);
        workers(st, runId, host, pid, planned.plusMillis(400), finished.minusMillis(1200), finished.minusMillis(1000), "'no work left'");
        return runId;
    }

    /** Sets done_through of the run's wide wrappers: their first requirement (in id order) not done. */
    private static void doneThrough(Statement st, long runId) throws SQLException {
        st.execute("""
                update astra_task w set done_through = (
                    select min(e.requires_id) from astra_edge e join astra_task r on r.task_id = e.requires_id
                    where e.task_id = w.task_id and r.state <> 'DONE')
                where w.run_id = %d and w.wide""".formatted(runId));
    }

    /** The live run; returns its id. */
    private static long liveRun(Statement st, Sizes s, String host, Instant now) throws SQLException {
        int n = s.live();
        int done = (int) (n * LIVE_DONE_SHARE);
        Instant executing = now.minusMillis((long) (done / LIVE_RATE * 1000) + 500);
        Instant started = executing.minusSeconds(5);
        Instant planned = started.plusSeconds(4);
        long pid = 52_000;
        long runId = Postgres.one(st, String.format(Locale.ROOT, """
                insert into astra_run (started_at, root_task_ids, host, pid, command, keep_going)
                values (%s, pg_temp.astra_id('Sleepers', '%d_%d', '{"millis":%d,"n":%d}'), %s, %d,
                        'astra run Sleepers --n %d --millis %d --workers 8', true)
                returning run_id""", ts(started), n, LIVE_MILLIS, LIVE_MILLIS, n, Postgres.quote(host), pid, n, LIVE_MILLIS));
        String te = ts(executing);
        String worker = Postgres.quote(host + ":" + pid + ":1-1.") + " || (i %% " + WORKERS + " + 1)";
        String startAt = "(" + te + " + i / " + LIVE_RATE + " * interval '1 second')";
        String doneAt = "(" + te + " + i / " + LIVE_RATE + " * interval '1 second' + interval '" + LIVE_MILLIS + " milliseconds')";
        // 0 .. done-1: done (every 500th failed); then 8 running, 8 claimed ahead; the rest pending and ready.
        st.execute(String.format(Locale.ROOT, """
                insert into astra_task (task_id, family, class_name, params, state, attempts, unfinished_deps, priority,
                    run_id, worker, created_at, updated_at, started_at, finished_at, error, error_detail, heartbeat_at,
                    retries, retry_delay_ms, batch_size, wide)
                select pg_temp.astra_id('Sleeper', i || '_%2$d', '{"i":' || i || ',"millis":%2$d}'), 'Sleeper',
                    'astra.bench.synthetic.Sleeper', '{"i":' || i || ',"millis":%2$d}', st,
                    case when st = 'PENDING' then 0 else 1 end, 0, 0, %3$d,
                    case when st <> 'PENDING' then %4$s end, %5$s,
                    case when st in ('DONE', 'FAILED') then %6$s when st = 'RUNNING' then %9$s else %5$s end,
                    case when st in ('DONE', 'FAILED') or i < %1$d + 8 then %7$s end,
                    case when st in ('DONE', 'FAILED') then %6$s end,
                    case when st = 'FAILED' then %10$s end, case when st = 'FAILED' then %11$s end,
                    case when st in ('DONE', 'FAILED') then %7$s when st = 'RUNNING' then %9$s end, 0, 0, 1, false
                from (select i, case when i < %1$d and i %% 500 = 123 then 'FAILED' when i < %1$d then 'DONE'
                                     when i < %1$d + 16 then 'RUNNING' else 'PENDING' end as st
                      from generate_series(0, %8$d - 1) i) x""",
                done, LIVE_MILLIS, runId, String.format(worker), ts(planned), doneAt, startAt, n, ts(now),
                Postgres.quote(ERRORS.get(3)), detail(Postgres.quote(ERRORS.get(3)))));
        st.execute(String.format(Locale.ROOT, """
                insert into astra_task (task_id, family, class_name, params, state, attempts, unfinished_deps, priority,
                    run_id, created_at, updated_at, retries, retry_delay_ms, batch_size, wide)
                values (pg_temp.astra_id('Sleepers', '%1$d_%2$d', '{"millis":%2$d,"n":%1$d}'), 'Sleepers',
                        'astra.bench.synthetic.Sleepers', '{"millis":%2$d,"n":%1$d}', 'PENDING', 0, %1$d, 0, %3$d, %4$s, %4$s,
                        0, 0, 1, %5$s)""", n, LIVE_MILLIS, runId, ts(planned), n > 32));
        st.execute(String.format(Locale.ROOT, """
                insert into astra_edge (task_id, requires_id)
                select pg_temp.astra_id('Sleepers', '%1$d_%2$d', '{"millis":%2$d,"n":%1$d}'),
                       pg_temp.astra_id('Sleeper', i || '_%2$d', '{"i":' || i || ',"millis":%2$d}')
                from generate_series(0, %1$d - 1) i""", n, LIVE_MILLIS));
        doneThrough(st, runId);
        events(st, runId);
        workers(st, runId, host, pid, started.plusSeconds(4).plusMillis(400), now, null, null);
        return runId;
    }

    /**
     * The run's events, in time order as a run writes them: "planned" for every task when the plan
     * is written, then for each task a worker claimed "claimed (attempt 1)" (or "…, ahead" for the
     * others of a claim of several: those whose start came well after their claim) and, once it
     * ended, "done" or its error.
     */
    private static void events(Statement st, long runId) throws SQLException {
        st.execute("""
                insert into astra_event (task_id, run_id, at, state, worker, message)
                select task_id, run_id, created_at, 'PENDING', null, 'planned' from astra_task
                where run_id = %d order by task_id""".formatted(runId));
        st.execute("""
                insert into astra_event (task_id, run_id, at, state, worker, message)
                select task_id, run_id, at, state, worker, message from (
                    select task_id, run_id, heartbeat_at as at, 'RUNNING' as state, worker,
                        case when started_at is null or started_at - heartbeat_at > interval '100 microseconds'
                             then 'claimed (attempt 1, ahead)' else 'claimed (attempt 1)' end as message, 0 as o
                    from astra_task where run_id = %1$d and state <> 'PENDING'
                    union all
                    select task_id, run_id, finished_at, state, worker, case when state = 'DONE' then 'done' else error end, 1
                    from astra_task where run_id = %1$d and state in ('DONE', 'FAILED')) e
                order by at, o, task_id""".formatted(runId));
    }

    /** One JVM of 8 slots: stopped at {@code stopped} (with its reason), or alive. */
    private static void workers(Statement st, long runId, String host, long pid, Instant started, Instant heartbeat,
            Instant stopped, String reason) throws SQLException {
        st.execute(String.format(Locale.ROOT, """
                insert into astra_worker (worker_id, run_id, host, pid, started_at, init_millis, connects, last_heartbeat,
                    tasks_run, stopped_at, stop_reason, ready_millis)
                select %s || s, %d, %s, %d, %s, 510, 1, %s,
                    (select count(*) from astra_task t where t.worker = %s || s and t.state in ('DONE', 'FAILED')),
                    %s, %s, 870
                from generate_series(1, %d) s""", Postgres.quote(host + ":" + pid + ":1-1."), runId, Postgres.quote(host), pid + 39,
                ts(started.truncatedTo(ChronoUnit.SECONDS)), ts(heartbeat), Postgres.quote(host + ":" + pid + ":1-1."),
                stopped == null ? "null" : ts(stopped), reason == null ? "null" : reason, WORKERS));
    }

    /** The pending non-wide tasks of both runs count their requirements not done (once indexes exist). */
    private static void blockedCounts(Statement st, long finishedRunId, long liveRunId) throws SQLException {
        st.execute("""
                update astra_task w set unfinished_deps = (
                    select count(*) from astra_edge e join astra_task r on r.task_id = e.requires_id
                    where e.task_id = w.task_id and r.state <> 'DONE')
                where w.run_id in (%d, %d) and w.state = 'PENDING' and not w.wide""".formatted(finishedRunId, liveRunId));
    }

    /** A leaf's error, or null: every 100th leaf fails, with one of four errors (50%, 30%, 10%, 10%). */
    private static String leafError(String i) {
        return "case when " + i + " % 100 = 37 then (array[" + Postgres.quote(ERRORS.get(0)) + ", " + Postgres.quote(ERRORS.get(0)) + ", "
                + Postgres.quote(ERRORS.get(0)) + ", " + Postgres.quote(ERRORS.get(0)) + ", " + Postgres.quote(ERRORS.get(0)) + ", "
                + Postgres.quote(ERRORS.get(1)) + ", " + Postgres.quote(ERRORS.get(1)) + ", " + Postgres.quote(ERRORS.get(1)) + ", "
                + Postgres.quote(ERRORS.get(2)) + ", " + Postgres.quote(ERRORS.get(3)) + "])[(" + i + " / 100) % 10 + 1] end";
    }

    /** A stack trace below the error, as a worker records it (Exceptions.stackTrace). */
    private static String detail(String error) {
        return "'java.lang.' || " + error + " || E'\\n"
                + "\\tat astra.bench.synthetic.Trivial.run(Trivial.java:12)\\n"
                + "\\tat astra.worker.ClaimRunRecord.runOne(ClaimRunRecord.java:431)\\n"
                + "\\tat astra.worker.ClaimRunRecord.step(ClaimRunRecord.java:212)\\n"
                + "\\tat astra.worker.WorkerLoop.run(WorkerLoop.java:88)\\n"
                + "\\tat java.base/java.lang.Thread.run(Thread.java:840)\\n'";
    }

    /**
     * Drops the primary keys and indexes of the bulk tables (a million rows go in faster without
     * them, and are indexed once after); returns the statements that build them again.
     */
    private static List<String> dropIndexes(Statement st, String schema) throws SQLException {
        List<String> rebuild = new ArrayList<>();
        List<String> drops = new ArrayList<>();
        String tables = String.join(", ", BULK_TABLES.stream().map(Postgres::quote).toList());
        try (ResultSet r = st.executeQuery("select c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)"
                + " from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace"
                + " where n.nspname = " + Postgres.quote(schema) + " and c.contype = 'p' and t.relname in (" + tables + ")")) {
            while (r.next()) {
                drops.add("alter table " + r.getString(1) + " drop constraint " + r.getString(2));
                rebuild.add("alter table " + r.getString(1) + " add constraint " + r.getString(2) + " " + r.getString(3));
            }
        }
        try (ResultSet r = st.executeQuery("select indexname, indexdef from pg_indexes i where schemaname = " + Postgres.quote(schema)
                + " and tablename in (" + tables + ") and not exists (select 1 from pg_constraint c where c.conname = i.indexname"
                + " and c.connamespace = (select oid from pg_namespace where nspname = " + Postgres.quote(schema) + "))")) {
            while (r.next()) {
                drops.add(0, "drop index " + schema + "." + r.getString(1));
                rebuild.add(r.getString(2));
            }
        }
        for (String d : drops) {
            st.execute(d);
        }
        return rebuild;
    }

    /** Attempt logs, where {@code astra logs} looks: the sample tasks' only (a million files would be the test of a disk). */
    private static void writeLogs(Path logDir, Generated g) throws IOException {
        write(logDir, g.failedTaskId(), g.finishedRunId(), "running " + g.failedTaskId() + " (attempt 1)\n"
                + "java.lang." + ERRORS.get(0) + "\n\tat astra.bench.synthetic.Trivial.run(Trivial.java:12)\n");
        write(logDir, g.doneTaskId(), g.finishedRunId(), "running " + g.doneTaskId() + " (attempt 1)\ndone in 0 ms\n");
        write(logDir, g.liveRunningTaskId(), g.liveRunId(), "running " + g.liveRunningTaskId() + " (attempt 1)\n");
    }

    private static void write(Path logDir, String taskId, long runId, String text) throws IOException {
        if (taskId == null) {
            return;
        }
        Path dir = logDir.resolve(taskId);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("run-" + runId + "-attempt-1.log"), text, StandardCharsets.UTF_8);
    }

    private static String ts(Instant t) {
        return "timestamptz '" + t + "'";
    }


    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
