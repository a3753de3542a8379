package astra.plan;

import astra.core.Task;
import astra.core.store.Plan;
import java.util.List;

/**
 * Plans requirements that a running task discovered ({@code TaskContext.require}): walks their
 * own requirements, checks completeness, and returns the incomplete part to add to the run.
 * An empty plan means they are all complete. The scheduler implements it; the worker only calls
 * it, so the worker loop needs no knowledge of graphs.
 */
@FunctionalInterface
public interface RequirementPlanner {
    Plan plan(List<Task> requirements);
}
