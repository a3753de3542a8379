package astra.plan;

import astra.core.SetCompleteTask;
import astra.core.Task;
import astra.core.Tasks;
import astra.core.internal.DaemonThreads;
import astra.core.internal.Exceptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Calls tasks' own completeness checks: {@code complete()} per task, and a
 * {@link SetCompleteTask} family's {@code completeEach()} per chunk of its tasks. Serially, or on
 * a bounded thread pool when {@code [core] parallel_scheduling} is on, where each task and each
 * chunk is one job. Threads share this process's database pool, unlike Luigi's parallel
 * scheduling, which forks a process per check.
 */
final class CompletionChecks implements AutoCloseable {

    private final ExecutorService pool;
    private final int chunkSize;

    private CompletionChecks(ExecutorService pool, int chunkSize) {
        this.pool = pool;
        this.chunkSize = chunkSize;
    }

    static CompletionChecks serial() {
        return serial(SetCompleteTask.MAX_CHUNK);
    }

    static CompletionChecks parallel(int threads) {
        return parallel(threads, SetCompleteTask.MAX_CHUNK);
    }

    /** {@code chunkSize}: the most tasks one {@code completeEach()} call is given (tests use fewer). */
    static CompletionChecks serial(int chunkSize) {
        return new CompletionChecks(null, checkedChunkSize(chunkSize));
    }

    static CompletionChecks parallel(int threads, int chunkSize) {
        if (threads < 1) {
            throw new IllegalArgumentException("parallel scheduling needs at least 1 thread, got " + threads);
        }
        return new CompletionChecks(Executors.newFixedThreadPool(threads, DaemonThreads.numbered("astra-complete")),
                checkedChunkSize(chunkSize));
    }

    private static int checkedChunkSize(int size) {
        if (size < 1 || size > SetCompleteTask.MAX_CHUNK) {
            throw new IllegalArgumentException("chunk size must be 1 to " + SetCompleteTask.MAX_CHUNK + ", got " + size);
        }
        return size;
    }

    /**
     * Sets each node's status from its task's own check: {@code completeEach()} for
     * {@link CompletionKind#SET} tasks, {@code complete()} for the others. A check that throws or
     * gives no answer marks its nodes failed.
     */
    void check(List<TaskNode> nodes) throws InterruptedException {
        List<Runnable> jobs = new ArrayList<>();
        Map<Class<?>, List<TaskNode>> byClass = new LinkedHashMap<>();
        for (TaskNode node : nodes) {
            if (CompletionKind.of(node.task()) == CompletionKind.SET) {
                byClass.computeIfAbsent(node.task().getClass(), c -> new ArrayList<>()).add(node);
            } else {
                jobs.add(() -> checkOne(node));
            }
        }
        for (List<TaskNode> family : byClass.values()) {
            for (int from = 0; from < family.size(); from += chunkSize) {
                List<TaskNode> chunk = family.subList(from, Math.min(from + chunkSize, family.size()));
                jobs.add(() -> checkChunk(chunk));
            }
        }
        run(jobs);
    }

    private void run(List<Runnable> jobs) throws InterruptedException {
        if (pool == null || jobs.size() < 2) {
            jobs.forEach(Runnable::run);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(jobs.size());
        for (Runnable job : jobs) {
            futures.add(pool.submit(job));
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

    /** One {@code completeEach()} call for tasks of one class; every node gets its answer or fails. */
    private static void checkChunk(List<TaskNode> chunk) {
        List<Task> tasks = chunk.stream().map(TaskNode::task).toList();
        String asked = " (asked about " + tasks.size() + " task(s) of " + Tasks.family(tasks.get(0)) + " at once)";
        List<Boolean> answers;
        try {
            List<Boolean> given = completeEach(tasks);
            // Copied once: sized and read from the same list, whatever the hook may do with its own.
            answers = given == null ? null : new ArrayList<>(given);
        } catch (RuntimeException | LinkageError e) {
            chunk.forEach(node -> node.fail("completeEach() threw " + Exceptions.oneLine(e) + asked));
            return;
        }
        if (answers == null || answers.size() != tasks.size()) {
            String got = answers == null ? "null" : answers.size() + " answer(s)";
            chunk.forEach(node -> node.fail("completeEach() gave " + got + asked
                    + ": it must give one answer per task, in order"));
            return;
        }
        for (int i = 0; i < chunk.size(); i++) {
            Boolean answer = answers.get(i);
            if (answer == null) {
                chunk.get(i).fail("completeEach() gave no answer (null) for this task" + asked);
            } else {
                chunk.get(i).status(answer ? NodeStatus.COMPLETE : NodeStatus.INCOMPLETE);
            }
        }
    }

    /** The tasks are all of one class, which implements {@link SetCompleteTask} for itself. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Boolean> completeEach(List<Task> tasks) {
        return ((SetCompleteTask) tasks.get(0)).completeEach(tasks);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
