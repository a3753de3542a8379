package astra.core.store;

import java.util.ArrayList;
import java.util.List;

/** Builds small plans for store tests. */
public final class Plans {

    private final List<Plan.PlannedTask> tasks = new ArrayList<>();
    private final List<Plan.Edge> edges = new ArrayList<>();

    public static Plans plan() {
        return new Plans();
    }

    private int retries;
    private String family = "Family";

    public static Plan.PlannedTask pending(String id, int unfinishedDeps, int priority) {
        return pending(id, unfinishedDeps, TaskPolicy.DEFAULT.withPriority(priority));
    }

    public static Plan.PlannedTask pending(String id, int unfinishedDeps, TaskPolicy policy) {
        return pending(id, "Family", unfinishedDeps, policy);
    }

    public static Plan.PlannedTask pending(String id, String family, int unfinishedDeps, TaskPolicy policy) {
        return new Plan.PlannedTask(id, family, "test." + id, "{\"id\":\"" + id + "\"}",
                TaskState.PENDING, unfinishedDeps, policy);
    }

    /** Tasks added from now on may be retried this many times. */
    public Plans withRetries(int count) {
        this.retries = count;
        return this;
    }

    /** Tasks added from now on belong to this family ("Family" until this is called). */
    public Plans inFamily(String name) {
        this.family = name;
        return this;
    }

    /** A task with its own policy. */
    public Plans task(String id, int unfinishedDeps, TaskPolicy policy) {
        tasks.add(pending(id, family, unfinishedDeps, policy));
        return this;
    }

    public Plans task(String id, int unfinishedDeps) {
        return task(id, unfinishedDeps, 0);
    }

    public Plans task(String id, int unfinishedDeps, int priority) {
        tasks.add(pending(id, family, unfinishedDeps,
                TaskPolicy.DEFAULT.withPriority(priority).withRetries(retries, java.time.Duration.ZERO)));
        return this;
    }

    public Plans missing(String id) {
        tasks.add(new Plan.PlannedTask(id, "External", "test." + id, "{}", TaskState.MISSING, 0, 0));
        return this;
    }

    /** {@code taskId} requires {@code requiresId}. */
    public Plans edge(String taskId, String requiresId) {
        edges.add(new Plan.Edge(taskId, requiresId));
        return this;
    }

    public Plan build() {
        return new Plan(tasks, edges);
    }
}
