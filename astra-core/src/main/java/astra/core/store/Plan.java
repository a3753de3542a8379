package astra.core.store;

import java.util.List;
import java.util.Objects;

/**
 * The incomplete part of a task graph, as written to the database: the tasks to run (and the
 * missing external ones) and the edges between them.
 */
public record Plan(List<PlannedTask> tasks, List<Edge> edges) {

    public Plan {
        tasks = List.copyOf(tasks);
        edges = List.copyOf(edges);
    }

    /**
     * One task row. {@code unfinishedDeps} counts the requirements that are not complete;
     * {@code state} is {@link TaskState#PENDING} or {@link TaskState#MISSING}.
     */
    public record PlannedTask(
            String taskId, String family, String className, String paramsJson,
            TaskState state, int unfinishedDeps, TaskPolicy policy) {

        public PlannedTask {
            Objects.requireNonNull(policy, "policy");
        }

        /** A task with the default policy but for its priority. */
        public PlannedTask(String taskId, String family, String className, String paramsJson,
                TaskState state, int unfinishedDeps, int priority) {
            this(taskId, family, className, paramsJson, state, unfinishedDeps, TaskPolicy.DEFAULT.withPriority(priority));
        }

        public int priority() {
            return policy.priority();
        }
    }

    /** {@code taskId} requires {@code requiresId}. */
    public record Edge(String taskId, String requiresId) {}
}
