package astra.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.db.Database;
import astra.core.testing.DatabaseExtension;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many claimers on one run, and plans of realistic size, on every database; one subclass per
 * database. Two {@link Database} objects stand in for two processes: each has its own pool.
 */
public abstract class ConcurrencyContract {

    private static final int TASKS = 2_000;
    private static final int THREADS = 8;

    @RegisterExtension
    final DatabaseExtension db = database();

    protected abstract DatabaseExtension database();

    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void eightClaimersTakeEveryTaskExactlyOnce() throws Exception {
        Database one = db.open();
        Database two = db.open(db.settings().withPoolSize(THREADS / 2), Clock.systemUTC());
        long run = one.store().startRun(new RunInfo("Root", "h", 1, "c"));
        Plans plan = Plans.plan();
        for (int i = 0; i < TASKS; i++) {
            plan.task(String.format("T%05d", i), 0, i % 7);
        }
        one.store().writePlan(run, plan.build());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> claimers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            TaskStore store = (t % 2 == 0 ? one : two).store();
            String worker = "w" + t;
            claimers.add(threads.submit(() -> claimUntilEmpty(store, run, worker, start)));
        }

        start.countDown();
        List<String> claimed = new ArrayList<>();
        for (Future<List<String>> claimer : claimers) {
            claimed.addAll(claimer.get(5, TimeUnit.MINUTES));
        }

        assertThat(claimed).hasSize(TASKS);
        assertThat(new HashSet<>(claimed)).hasSize(TASKS);
        assertThat(one.store().tasksOfRun(run)).hasSize(TASKS)
                .allSatisfy(t -> {
                    assertThat(t.state()).isEqualTo(TaskState.DONE);
                    assertThat(t.attempts()).isEqualTo(1);
                });
        assertThat(one.store().hasWorkLeft(run)).isFalse();
        assertThat(one.store().events("T00042")).extracting(TaskEvent::state)
                .containsExactly(TaskState.PENDING, TaskState.RUNNING, TaskState.DONE);
    }

    @Test
    void plannersAndClaimersWorkSideBySide() throws Exception {
        Database one = db.open();
        Database two = db.open(db.settings(), Clock.systemUTC());
        long run = one.store().startRun(new RunInfo("Root", "h", 1, "c"));
        int plans = 40;
        int perPlan = 10;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> planners = new ArrayList<>();
        for (int t = 0; t < THREADS / 2; t++) {
            TaskStore store = (t % 2 == 0 ? one : two).store();
            int planner = t;
            planners.add(threads.submit(() -> {
                start.await();
                for (int p = 0; p < plans; p++) {
                    Plans plan = Plans.plan();
                    // Each plan also re-plans a task every planner shares, so their writes collide.
                    plan.task("Shared", 0);
                    for (int i = 0; i < perPlan; i++) {
                        plan.task("P" + planner + "_" + p + "_" + i, 1).edge("P" + planner + "_" + p + "_" + i, "Shared");
                    }
                    store.writePlan(run, plan.build());
                }
                return List.<String>of();
            }));
        }
        List<Future<Integer>> claimers = new ArrayList<>();
        for (int t = 0; t < THREADS / 2; t++) {
            TaskStore store = (t % 2 == 0 ? one : two).store();
            String worker = "w" + t;
            claimers.add(threads.submit(() -> {
                start.await();
                int claimed = 0;
                for (int i = 0; i < plans * 2; i++) {
                    Optional<ClaimedTask> c = store.claim(run, worker);
                    if (c.isPresent()) {
                        claimed++;
                        store.markDone(c.get().taskId(), worker);
                    }
                }
                return claimed;
            }));
        }

        start.countDown();
        for (Future<List<String>> planner : planners) {
            planner.get(5, TimeUnit.MINUTES);
        }
        for (Future<Integer> claimer : claimers) {
            claimer.get(5, TimeUnit.MINUTES);
        }

        assertThat(one.store().tasksOfRun(run)).hasSize(1 + (THREADS / 2) * plans * perPlan);
    }

    @Test
    void twentyThousandTasksArePlannedInOneGo() {
        Database database = db.open();
        TaskStore store = database.store();
        long run = store.startRun(new RunInfo("Root", "h", 1, "c"));
        int n = 20_000;
        Plans plan = Plans.plan();
        // A binary tree: task i requires its children 2i+1 and 2i+2.
        for (int i = 0; i < n; i++) {
            int children = (2 * i + 1 < n ? 1 : 0) + (2 * i + 2 < n ? 1 : 0);
            plan.task("T" + i, children);
            for (int c = 2 * i + 1; c <= 2 * i + 2 && c < n; c++) {
                plan.edge("T" + i, "T" + c);
            }
        }
        Plan big = plan.build();

        long started = System.nanoTime();
        store.writePlan(run, big);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("writePlan of %,d tasks and %,d edges on %s: %,d ms%n",
                n, big.edges().size(), database.dialect(), millis);
        long replanStarted = System.nanoTime();
        store.writePlan(run, big);
        System.out.printf("writePlan again (all rows exist) on %s: %,d ms%n",
                database.dialect(), (System.nanoTime() - replanStarted) / 1_000_000);

        List<TaskRecord> rows = store.tasksOfRun(run);
        assertThat(rows).hasSize(n);
        assertThat(rows.stream().filter(r -> r.unfinishedDeps() == 0).count()).isEqualTo(n - n / 2);
        assertThat(store.events("T0")).hasSize(2);
    }

    private static List<String> claimUntilEmpty(TaskStore store, long run, String worker, CountDownLatch start)
            throws InterruptedException {
        start.await();
        List<String> mine = new ArrayList<>();
        for (Optional<ClaimedTask> c = store.claim(run, worker); c.isPresent(); c = store.claim(run, worker)) {
            mine.add(c.get().taskId());
            if (!store.markDone(c.get().taskId(), worker)) {
                throw new AssertionError(worker + " lost its claim on " + c.get().taskId());
            }
        }
        // Finding nothing is right only when every ready task left is being claimed by another
        // thread right now (locked, not yet committed): fewer than THREADS of them.
        long stillReady = store.tasksOfRun(run).stream()
                .filter(t -> t.state() == TaskState.PENDING && t.unfinishedDeps() == 0).count();
        if (stillReady >= THREADS) {
            throw new AssertionError(worker + " found nothing to claim while " + stillReady + " tasks were ready");
        }
        return mine;
    }
}
