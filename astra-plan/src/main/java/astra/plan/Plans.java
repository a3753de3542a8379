package astra.plan;

import astra.core.Tasks;
import astra.core.params.TaskSchema;
import astra.core.store.Plan;
import astra.core.store.TaskState;
import java.util.ArrayList;
import java.util.List;

/** Turns the incomplete part of a graph into the rows the database queue holds. */
public final class Plans {

    private Plans() {}

    public static Plan of(TaskGraph graph) {
        List<Plan.PlannedTask> tasks = new ArrayList<>();
        List<Plan.Edge> edges = new ArrayList<>();
        for (TaskNode node : graph.nodes()) {
            if (node.status() == NodeStatus.INCOMPLETE) {
                int unfinished = 0;
                for (String required : node.requires()) {
                    TaskNode child = graph.node(required);
                    if (child.status() != NodeStatus.COMPLETE) {
                        unfinished++;
                        edges.add(new Plan.Edge(node.id(), required));
                    }
                }
                tasks.add(row(node, TaskState.PENDING, unfinished));
            } else if (node.status() == NodeStatus.MISSING) {
                tasks.add(row(node, TaskState.MISSING, 0));
            }
        }
        return new Plan(tasks, edges);
    }

    private static Plan.PlannedTask row(TaskNode node, TaskState state, int unfinished) {
        TaskSchema schema = TaskSchema.of(node.task().getClass());
        return new Plan.PlannedTask(node.id(), Tasks.family(node.task()), node.task().getClass().getName(),
                schema.paramsJson(node.task()), state, unfinished, node.policy());
    }
}
