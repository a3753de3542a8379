package astra.core.store;

import static astra.core.store.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import astra.core.testing.DatabaseExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.Query;
import org.jooq.conf.ParamType;
import org.junit.jupiter.api.Test;

class PostgresTaskStoreTest extends TaskStoreContract {

    @Override
    protected DatabaseExtension database() {
        return DatabaseExtension.postgres();
    }

    /**
     * A requirement's markDone has marked it done and released its dependents, but not
     * committed, and so cannot have seen the edge the suspension is adding. The suspension must wait for that commit and count the
     * requirement as done; counting the last committed state (RUNNING) would leave the task
     * waiting for a release that never comes.
     */
    @Test
    void suspendWaitsForARequirementThatIsFinishingConcurrently() throws Exception {
        store.writePlan(run, plan().task("R", 0, 9).task("T", 0).build());
        store.claim(run, "other").orElseThrow();
        store.claim(run, "w").orElseThrow();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (Connection markDone = DriverManager.getConnection(db.settings().url());
                Connection observer = DriverManager.getConnection(db.settings().url())) {
            markDone.setAutoCommit(false);
            execute(markDone, "update astra_task set state = 'DONE' where task_id = 'R'");
            execute(markDone, "update astra_task set unfinished_deps = unfinished_deps - 1 where state = 'PENDING'"
                    + " and task_id in (select task_id from astra_edge where requires_id = 'R')");

            Future<Boolean> suspend = thread.submit(() -> store.suspend("T", "w", run, plan().edge("T", "R").build()));
            awaitBlockedOrDone(observer, backendPid(markDone), suspend);
            markDone.commit();

            assertThat(suspend.get(1, TimeUnit.MINUTES)).isTrue();
        } finally {
            thread.shutdownNow();
        }
        assertThat(store.task("T").orElseThrow().unfinishedDeps()).isZero();
        assertThat(store.claim(run, "w").map(ClaimedTask::taskId)).contains("T");
    }

    /**
     * The claim finds ready tasks through the partial index even under a generic plan, which
     * PostgreSQL uses for a statement the driver has prepared on the server (from its fifth run):
     * the index's predicate must be in the SQL as literals, not as bind values.
     */
    @Test
    void theClaimFindsReadyTasksThroughTheReadyIndex() throws Exception {
        store.writePlan(run, plan().task("A", 0).build());
        List<Query> statements = new ArrayList<>();
        TaskStore recorded = new JooqTaskStore(
                () -> database.dsl().configuration().deriveAppending(new ExecuteListener() {
                    @Override
                    public void executeStart(ExecuteContext ctx) {
                        statements.add(ctx.query());
                    }
                }).dsl(),
                StoreDialect.of(database.dialect()), clock, database.outage());
        recorded.claim(run, "w").orElseThrow();
        Query claim = statements.stream().filter(q -> q.getSQL().startsWith("update")).findFirst().orElseThrow();

        // A connection of its own: the prepared statement and the settings end with it.
        StringBuilder queryPlan = new StringBuilder();
        try (Connection c = DriverManager.getConnection(db.settings().url())) {
            execute(c, "set plan_cache_mode = force_generic_plan");
            execute(c, "set enable_seqscan = off");
            execute(c, "prepare astra_claim as " + numberedParameters(claim.getSQL(ParamType.INDEXED)));
            String explain = "explain execute astra_claim(" + claim.getBindValues().stream()
                    .map(v -> v == null ? "null" : "'" + v.toString().replace("'", "''") + "'")
                    .collect(Collectors.joining(", ")) + ")";
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(explain)) {
                while (r.next()) {
                    queryPlan.append(r.getString(1)).append('\n');
                }
            }
        }

        assertThat(queryPlan).contains("astra_task_ready");
    }

    /** JDBC's {@code ?} placeholders as PostgreSQL's {@code $1, $2, ...} (the claim has no {@code ?} in literals). */
    private static String numberedParameters(String sql) {
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        for (char ch : sql.toCharArray()) {
            if (ch == '?') {
                numbered.append('$').append(++n);
            } else {
                numbered.append(ch);
            }
        }
        return numbered.toString();
    }

    static void awaitBlockedOrDone(Connection observer, int blocker, Future<?> work) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String blocked = "select count(*) from pg_stat_activity where " + blocker + " = any(pg_blocking_pids(pid))";
        while (!work.isDone()) {
            try (Statement s = observer.createStatement(); ResultSet r = s.executeQuery(blocked)) {
                if (r.next() && r.getInt(1) > 0) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("suspend neither blocked nor finished within 30 s");
            }
        }
    }

    /**
     * A plan of thousands of rows brings the planner's statistics up to date in its own
     * transaction: without them PostgreSQL guesses that each requirement has a large share of
     * the edges, and the generic plan of a release's lookup (what the driver's prepared statement
     * gets after five executions) scanned every edge, 0.2-0.4 s a step at a million tasks.
     */
    @Test
    void aLargePlanLeavesStatisticsThatKeepTheReleaseOnItsIndex() throws Exception {
        int leaves = PostgresStoreDialect.ANALYZE_FROM_ROWS / 2;
        Plans graph = plan().task("Wrapper", leaves);
        for (int i = 0; i < leaves; i++) {
            String leaf = String.format("Leaf%05d", i);
            graph.task(leaf, 0).edge("Wrapper", leaf);
        }
        store.writePlan(run, graph.build());

        try (Connection c = DriverManager.getConnection(db.settings().url()); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("select count(*) from pg_stats where tablename = 'astra_edge'"
                    + " and schemaname = current_schema()")) {
                r.next();
                assertThat(r.getInt(1)).as("statistics of astra_edge's columns").isGreaterThanOrEqualTo(2);
            }
            s.execute("prepare release(text[]) as select task_id from astra_edge"
                    + " where requires_id in (select unnest($1))");
            s.execute("set plan_cache_mode = force_generic_plan");
            StringBuilder explained = new StringBuilder();
            try (ResultSet r = s.executeQuery("explain execute release('{Leaf00001}')")) {
                while (r.next()) {
                    explained.append(r.getString(1)).append('\n');
                }
            }
            assertThat(explained.toString()).contains("astra_edge_requires").doesNotContain("Seq Scan on astra_edge");
        }
    }

    static int backendPid(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select pg_backend_pid()")) {
            r.next();
            return r.getInt(1);
        }
    }

    static void execute(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
