package astra.core.db;

import static astra.core.db.Plans.plan;
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

    /** Columns added to the task table since must not stop the claim from reading the partial index. */
    @Test
    void theClaimFindsReadyTasksThroughTheReadyIndex() {
        store.writePlan(run, plan().task("A", 0).build());
        List<String> statements = new ArrayList<>();
        TaskStore recorded = new JooqTaskStore(
                () -> database.dsl().configuration().deriveAppending(new ExecuteListener() {
                    @Override
                    public void executeStart(ExecuteContext ctx) {
                        statements.add(ctx.query().getSQL(ParamType.INLINED));
                    }
                }).dsl(),
                StoreDialect.of(database.dialect()), clock);
        recorded.claim(run, "w").orElseThrow();
        String claim = statements.stream().filter(s -> s.startsWith("update")).findFirst().orElseThrow();

        String queryPlan = database.dsl().transactionResult(c -> {
            c.dsl().execute("set local enable_seqscan = off");
            return c.dsl().fetch("explain " + claim).stream()
                    .map(r -> r.get(0, String.class)).collect(Collectors.joining("\n"));
        });

        assertThat(queryPlan).contains("astra_task_ready");
    }

    private static void awaitBlockedOrDone(Connection observer, int blocker, Future<?> work) throws Exception {
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

    private static int backendPid(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select pg_backend_pid()")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
