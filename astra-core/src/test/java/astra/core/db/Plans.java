package astra.core.db;

import java.util.ArrayList;
import java.util.List;

/** Builds small plans for store tests. */
final class Plans {

    private final List<Plan.PlannedTask> tasks = new ArrayList<>();
    private final List<Plan.Edge> edges = new ArrayList<>();

    static Plans plan() {
        return new Plans();
    }

    private int retries;

    static Plan.PlannedTask pending(String id, int unfinishedDeps, int priority) {
        return pending(id, unfinishedDeps, TaskPolicy.DEFAULT.withPriority(priority));
    }

    static Plan.PlannedTask pending(String id, int unfinishedDeps, TaskPolicy policy) {
        return new Plan.PlannedTask(id, "Family", "test." + id, "{\"id\":\"" + id + "\"}",
                TaskState.PENDING, unfinishedDeps, policy);
    }

    /** Tasks added from now on may be retried this many times. */
    Plans withRetries(int count) {
        this.retries = count;
        return this;
    }

    /** A task with its own policy. */
    Plans task(String id, int unfinishedDeps, TaskPolicy policy) {
        tasks.add(pending(id, unfinishedDeps, policy));
        return this;
    }

    Plans task(String id, int unfinishedDeps) {
        return task(id, unfinishedDeps, 0);
    }

    Plans task(String id, int unfinishedDeps, int priority) {
        tasks.add(pending(id, unfinishedDeps,
                TaskPolicy.DEFAULT.withPriority(priority).withRetries(retries, java.time.Duration.ZERO)));
        return this;
    }

    Plans missing(String id) {
        tasks.add(new Plan.PlannedTask(id, "External", "test." + id, "{}", TaskState.MISSING, 0, 0));
        return this;
    }

    /** {@code taskId} requires {@code requiresId}. */
    Plans edge(String taskId, String requiresId) {
        edges.add(new Plan.Edge(taskId, requiresId));
        return this;
    }

    Plan build() {
        return new Plan(tasks, edges);
    }
}
