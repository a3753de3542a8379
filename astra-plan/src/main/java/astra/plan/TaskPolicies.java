package astra.plan;

import astra.core.BatchTask;
import astra.core.Task;
import astra.core.Tasks;
import astra.core.internal.Exceptions;
import astra.core.params.TaskSchema;
import astra.core.store.TaskPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Gives each incomplete task of a graph its {@link TaskPolicy}: its own priority raised to the
 * highest of the tasks that need it, its family's retries, the resources it declares,
 * checked against their capacities, and for a {@link BatchTask} its batch key and size. A task whose {@code priority()} or {@code resources()}
 * throws, or that needs more of a resource than exists, cannot be scheduled: it would never run.
 */
final class TaskPolicies {

    private final RetryPolicy retry;
    private final Map<String, Integer> capacities;

    /** {@code capacities}: the database's resources; one not listed has a capacity of 1. */
    TaskPolicies(RetryPolicy retry, Map<String, Integer> capacities) {
        this.retry = retry;
        this.capacities = Map.copyOf(capacities);
    }

    /** Sets the policy of every incomplete node (the graph has no cycle). */
    void apply(TaskGraph graph) {
        Map<String, Integer> priority = new HashMap<>();
        for (TaskNode node : dependentsFirst(graph)) {
            if (node.status() != NodeStatus.INCOMPLETE) {
                continue;
            }
            try {
                int own = Math.max(node.task().priority(), priority.getOrDefault(node.id(), Integer.MIN_VALUE));
                String family = Tasks.family(node.task());
                Map<String, Integer> resources = checkedResources(node.task());
                node.policy(batched(node.task(), resources, TaskPolicy.DEFAULT.withPriority(own)
                        .withRetries(retry.count(family), retry.delay(family))
                        .withResources(resources)));
                for (String required : node.requires()) {
                    priority.merge(required, own, Math::max);
                }
            } catch (RuntimeException | LinkageError e) {
                node.fail(Exceptions.oneLine(e));
            }
        }
    }

    /**
     * The policy with the task's batch key and size, if its family batches. Resources are
     * refused there: whether a batch uses a GPU once or once per member is not something Astra
     * can guess, so rather than guess it says so.
     */
    private static TaskPolicy batched(Task task, Map<String, Integer> resources, TaskPolicy policy) {
        if (!(task instanceof BatchTask<?> batchTask)) {
            return policy;
        }
        Optional<String> key = TaskSchema.of(task.getClass()).batchKey(task);
        if (key.isEmpty()) {
            return policy;
        }
        int size = batchTask.batchSize();
        if (size < 1) {
            throw new IllegalArgumentException("batchSize() must be at least 1, got " + size);
        }
        if (!resources.isEmpty()) {
            throw new IllegalArgumentException("it is a batch task and uses resources " + resources
                    + ": resources are not supported on batchable families; drop resources() or @Param(batch = true)");
        }
        return policy.withBatch(key.get(), size);
    }

    private Map<String, Integer> checkedResources(Task task) {
        Map<String, Integer> declared;
        try {
            declared = task.resources();
        } catch (RuntimeException e) {
            throw new IllegalStateException("resources() threw " + Exceptions.oneLine(e), e);
        }
        Map<String, Integer> used = new TreeMap<>();
        if (declared == null) {
            return used;
        }
        declared.forEach((name, amount) -> {
            if (name == null || name.isBlank() || amount == null || amount < 0) {
                throw new IllegalArgumentException("resources() must map names to amounts of 0 or more, got "
                        + name + " = " + amount);
            }
            int capacity = capacities.getOrDefault(name, 1);
            if (amount > capacity) {
                throw new IllegalArgumentException("it needs " + amount + " of resource '" + name
                        + "' but there are only " + capacity + " ([resources] " + name + " = " + capacity + ")");
            }
            if (amount > 0) {
                used.put(name, amount);
            }
        });
        return used;
    }

    /**
     * The incomplete nodes ordered so that every task comes before its requirements (reverse
     * post-order). Complete nodes get no policy and pass no priority on, so they are left out:
     * a graph found all complete costs nothing here.
     */
    private static List<TaskNode> dependentsFirst(TaskGraph graph) {
        List<TaskNode> postOrder = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<Object[]> stack = new ArrayDeque<>();
        for (TaskNode start : graph.nodes()) {
            if (start.status() != NodeStatus.INCOMPLETE || !seen.add(start.id())) {
                continue;
            }
            stack.push(new Object[] {start, 0});
            while (!stack.isEmpty()) {
                Object[] top = stack.peek();
                TaskNode node = (TaskNode) top[0];
                int next = (Integer) top[1];
                if (next < node.requires().size()) {
                    top[1] = next + 1;
                    TaskNode child = graph.node(node.requires().get(next));
                    if (child != null && child.status() == NodeStatus.INCOMPLETE && seen.add(child.id())) {
                        stack.push(new Object[] {child, 0});
                    }
                } else {
                    stack.pop();
                    postOrder.add(node);
                }
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
