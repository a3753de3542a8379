package astra.bench.peers;

import com.github.kagkarlsson.scheduler.CurrentlyExecuting;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * db-scheduler doing what {@code astra run InsertRows} does, as the benchmarks' peer: N one-time
 * task instances scheduled up front, each execution inserting one row into
 * {@code example_bench_rows}. The benchmarks run it as a JVM of its own, as they run astra, on a
 * database where {@code scheduled_tasks} and the rows table already exist
 * ({@code astra.bench.Peers}); it prints one {@code peer-result} line and exits 0 once every
 * execution completed, 1 if any failed or the timeout passed.
 *
 * <p>The settings are the ones STACK.md measured: HikariCP, lock-and-fetch polling
 * ({@code pollUsingLockAndFetch(0.5, 1.0)}), a 10 ms polling interval.
 *
 * <p>Only this class and the child JVM touch db-scheduler's classes: the harness does not have
 * its jar on its classpath.
 */
public final class DbSchedulerPeer {

    static final String TASK = "insert-row";
    static final Duration POLLING_INTERVAL = Duration.ofMillis(10);
    private static final String INSERT = "insert into example_bench_rows (task_id, i) values (?, ?) on conflict do nothing";

    /**
     * What a run did. {@code executeMillis} runs from the first execution's start to the last
     * execution's completion (its row deleted by db-scheduler).
     */
    public record Result(int executed, int failed, double scheduleMillis, double executeMillis) {
        /** The line the benchmarks read: {@code peer-result executed=... failed=... schedule_ms=... execute_ms=...}. */
        public String line() {
            return String.format(Locale.ROOT, "peer-result executed=%d failed=%d schedule_ms=%.1f execute_ms=%.1f",
                    executed, failed, scheduleMillis, executeMillis);
        }
    }

    private DbSchedulerPeer() {}

    /** {@code DbSchedulerPeer <jdbc url> <n> <threads> [timeout seconds]}. */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: DbSchedulerPeer <jdbc:postgresql url> <n> <threads> [timeout seconds]");
            System.exit(2);
        }
        Duration timeout = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 3600);
        Result result = run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), timeout);
        System.out.println(result.line());
        System.exit(result.executed() == Integer.parseInt(args[1]) && result.failed() == 0 ? 0 : 1);
    }

    /** Schedules {@code n} executions, starts a scheduler with {@code threads} threads and waits until all completed. */
    public static Result run(String url, int n, int threads, Duration timeout) throws InterruptedException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("db-scheduler-peer");
        // The executions' own inserts, the polling and the completions share the pool.
        config.setMaximumPoolSize(threads + 2);
        config.addDataSourceProperty("ApplicationName", "db-scheduler-peer");
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            Progress progress = new Progress(n);
            OneTimeTask<Void> task = Tasks.oneTime(TASK).execute((instance, ctx) -> insert(dataSource, instance.getId()));
            Scheduler scheduler = Scheduler.create(dataSource, task)
                    .threads(threads)
                    .pollingInterval(POLLING_INTERVAL)
                    .pollUsingLockAndFetch(0.5, 1.0)
                    .addSchedulerListener(progress)
                    .build();
            long t0 = System.nanoTime();
            List<TaskInstance<?>> instances = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                instances.add(task.instance(Integer.toString(i)));
            }
            scheduler.scheduleBatch(instances, Instant.now());
            long scheduled = System.nanoTime();
            scheduler.start();
            try {
                progress.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                scheduler.stop();
            }
            long first = progress.firstStart.get();
            double executeMillis = first == 0 ? 0 : (progress.lastComplete.get() - first) / 1e6;
            return new Result(progress.completed.get() - progress.failed.get(), progress.failed.get(),
                    (scheduled - t0) / 1e6, executeMillis);
        }
    }

    private static void insert(HikariDataSource dataSource, String id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(INSERT)) {
            s.setString(1, TASK + "_" + id);
            s.setInt(2, Integer.parseInt(id));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("insert of row " + id + " failed: " + e.getMessage(), e);
        }
    }

    /** Counts completions (the listener runs after db-scheduler removed the execution) and keeps the first start. */
    private static final class Progress extends AbstractSchedulerListener {
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicLong firstStart = new AtomicLong();
        final AtomicLong lastComplete = new AtomicLong();
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        private final int n;

        Progress(int n) {
            this.n = n;
        }

        @Override
        public void onExecutionStart(CurrentlyExecuting currentlyExecuting) {
            firstStart.compareAndSet(0, System.nanoTime());
        }

        @Override
        public void onExecutionComplete(ExecutionComplete complete) {
            lastComplete.accumulateAndGet(System.nanoTime(), Math::max);
            if (complete.getResult() != ExecutionComplete.Result.OK) {
                failed.incrementAndGet();
            }
            if (completed.incrementAndGet() >= n) {
                done.countDown();
            }
        }
    }
}
