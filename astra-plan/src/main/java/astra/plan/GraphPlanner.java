package astra.plan;

import astra.core.AstraException;
import astra.core.Task;
import astra.core.store.Plan;
import astra.core.store.TaskStore;
import java.util.List;
import java.util.Optional;

/**
 * Builds the graph of some root tasks (rejecting cycles) and the plan of its incomplete part:
 * for a run's roots, and for requirements a task finds while running.
 */
public final class GraphPlanner implements RequirementPlanner {

    private final TaskStore store;
    private final int checkThreads;
    private final RetryPolicy retry;

    /**
     * @param checkThreads threads checking tasks' own {@code complete()}, and families'
     *     {@code completeEach()} a chunk at a time ({@code [core] parallel_scheduling}); 1 checks
     *     them one after another on the calling thread
     */
    public GraphPlanner(TaskStore store, int checkThreads, RetryPolicy retry) {
        if (checkThreads < 1) {
            throw new IllegalArgumentException("checkThreads must be at least 1, got " + checkThreads);
        }
        this.store = store;
        this.checkThreads = checkThreads;
        this.retry = retry;
    }

    /** Checks completeness on the calling thread: what a worker process uses for requirements found at run time. */
    public static GraphPlanner serial(TaskStore store, RetryPolicy retry) {
        return new GraphPlanner(store, 1, retry);
    }

    /** The graph of the roots with each task's completeness; a cycle is a {@link AstraException.SchedulingError}. */
    public TaskGraph graphOf(List<? extends Task> roots) throws InterruptedException {
        try (CompletionChecks checks = checkThreads > 1
                ? CompletionChecks.parallel(checkThreads)
                : CompletionChecks.serial()) {
            TaskGraph graph = new BuildGraph(store, checks).from(roots);
            Optional<List<String>> cycle = FindCycle.in(graph);
            if (cycle.isPresent()) {
                throw new AstraException.SchedulingError("the task graph has a cycle: " + String.join(" -> ", cycle.get()));
            }
            new TaskPolicies(retry, store.resourceCapacities()).apply(graph);
            return graph;
        }
    }

    @Override
    public Plan plan(List<Task> requirements) {
        try {
            return Plans.of(graphOf(requirements));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AstraException.SchedulingError("interrupted while planning new requirements");
        }
    }
}
