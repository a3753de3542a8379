package astra.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.testing.DatabaseExtension;
import astra.core.testing.PgActivity;
import astra.worker.WorkerOptions;
import astra.worker.local.ProcessFixtures.AllWork;
import astra.worker.local.ProcessFixtures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresProcessPoolTest extends ProcessPoolContract {

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.postgres();

    @Override
    DatabaseExtension db() {
        return db;
    }

    @Test
    void eightWorkersNeverHoldMoreConnectionsThanTheBudget() throws Exception {
        WorkerOptions options = options(8, List.of(ProcessFixtures.CountingInitializer.class.getName()),
                Duration.ZERO, 0);
        Scheduler scheduler = new Scheduler(database, SchedulerOptions.SERIAL,
                astra.worker.local.ProcessWorkerPool.factory(options));
        int budget = scheduler.budget().total();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger samples = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                peak.accumulateAndGet(PgActivity.count(db.settings().url(), "astra"), Math::max);
                samples.incrementAndGet();
            }
        });
        sampler.start();

        ExecutionSummary summary = scheduler.run(List.of(new AllWork(dir, 400)), "test");

        running.set(false);
        sampler.join();
        assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(database.store().workers(summary.runId())).hasSize(8);
        assertThat(budget).isEqualTo(4 + 8 * 2);
        assertThat(samples.get()).isGreaterThan(10);
        // More than the scheduler's own: the children's connections were seen.
        assertThat(peak.get()).isGreaterThan(4).isLessThanOrEqualTo(budget);
        System.out.printf("8 workers x pool 2: peak %d astra connections in %d samples, budget %d%n",
                peak.get(), samples.get(), budget);
    }
}
