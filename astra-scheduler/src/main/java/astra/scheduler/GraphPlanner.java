package astra.scheduler;

import astra.core.AstraException;
import astra.core.Task;
import astra.core.db.Database;
import astra.core.db.Plan;
import astra.core.db.TaskStore;
import astra.worker.RequirementPlanner;
import astra.worker.RequirementPlannerFactory;
import astra.worker.RetryPolicy;
import java.util.List;
import java.util.Optional;

/**
 * Builds the graph of some root tasks (rejecting cycles) and the plan of its incomplete part:
 * for a run's roots, and for requirements a task finds while running.
 */
public final class GraphPlanner implements RequirementPlanner {

    private final TaskStore store;
    private final SchedulerOptions options;
    private final RetryPolicy retry;

    public GraphPlanner(TaskStore store, SchedulerOptions options, RetryPolicy retry) {
        this.store = store;
        this.options = options;
        this.retry = retry;
    }

    /** The graph of the roots with each task's completeness; a cycle is a {@link AstraException.SchedulingError}. */
    public TaskGraph graphOf(List<? extends Task> roots) throws InterruptedException {
        try (CompletionChecks checks = options.parallelScheduling()
                ? CompletionChecks.parallel(options.parallelSchedulingThreads())
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

    /** What worker processes find through {@link java.util.ServiceLoader}. */
    public static final class Provider implements RequirementPlannerFactory {
        @Override
        public RequirementPlanner create(Database database, RetryPolicy retry) {
            return new GraphPlanner(database.store(), SchedulerOptions.SERIAL, retry);
        }
    }
}
