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

    static Plan.PlannedTask pending(String id, int unfinishedDeps, int priority) {
        return new Plan.PlannedTask(id, "Family", "test." + id, "{\"id\":\"" + id + "\"}",
                TaskState.PENDING, unfinishedDeps, priority);
    }

    Plans task(String id, int unfinishedDeps) {
        return task(id, unfinishedDeps, 0);
    }

    Plans task(String id, int unfinishedDeps, int priority) {
        tasks.add(pending(id, unfinishedDeps, priority));
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
