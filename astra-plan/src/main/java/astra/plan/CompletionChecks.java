package astra.plan;

import astra.core.internal.DaemonThreads;
import astra.core.internal.Exceptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Calls tasks' own {@code complete()}: serially, or on a bounded thread pool when
 * {@code [core] parallel_scheduling} is on. Threads share this process's database pool, unlike
 * Luigi's parallel scheduling, which forks a process per check.
 */
final class CompletionChecks implements AutoCloseable {

    private final ExecutorService pool;

    private CompletionChecks(ExecutorService pool) {
        this.pool = pool;
    }

    static CompletionChecks serial() {
        return new CompletionChecks(null);
    }

    static CompletionChecks parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("parallel scheduling needs at least 1 thread, got " + threads);
        }
        return new CompletionChecks(Executors.newFixedThreadPool(threads, DaemonThreads.numbered("astra-complete")));
    }

    /** Sets each node's status from its task's {@code complete()}; an exception marks it failed. */
    void check(List<TaskNode> nodes) throws InterruptedException {
        if (pool == null || nodes.size() < 2) {
            nodes.forEach(CompletionChecks::checkOne);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(nodes.size());
        for (TaskNode node : nodes) {
            futures.add(pool.submit(() -> checkOne(node)));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("completion check crashed", e.getCause());
            }
        }
    }

    private static void checkOne(TaskNode node) {
        try {
            node.status(node.task().complete() ? NodeStatus.COMPLETE : NodeStatus.INCOMPLETE);
        } catch (RuntimeException | LinkageError e) {
            node.fail("complete() threw " + Exceptions.oneLine(e));
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
