package astra.plan;

import astra.core.ExternalTask;
import astra.core.Target;
import astra.core.Task;
import astra.core.Tasks;
import astra.core.internal.Exceptions;
import astra.core.store.TaskStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks {@code requires()} from the roots, level by level, deduplicating by task id and
 * checking completeness as it goes, so that a complete task's requirements are never expanded.
 * Per level, tasks on the default {@code complete()} without outputs are checked with one query
 * per chunk of ids; tasks with their own {@code complete()} or {@code completeEach()} go to
 * {@link CompletionChecks}.
 */
final class BuildGraph {

    private final TaskStore store;
    private final CompletionChecks checks;

    BuildGraph(TaskStore store, CompletionChecks checks) {
        this.store = store;
        this.checks = checks;
    }

    TaskGraph from(List<? extends Task> roots) throws InterruptedException {
        LinkedHashMap<String, TaskNode> nodes = new LinkedHashMap<>();
        List<String> rootIds = new ArrayList<>();
        List<TaskNode> level = new ArrayList<>();
        for (Task root : roots) {
            rootIds.add(meet(root, nodes, level));
        }
        while (!level.isEmpty()) {
            checkCompletion(level);
            level = expand(level, nodes);
        }
        deriveWrappers(nodes);
        return new TaskGraph(rootIds, nodes);
    }

    /** The task's id; a task met for the first time becomes a node of the graph and of {@code level}. */
    private static String meet(Task task, Map<String, TaskNode> nodes, List<TaskNode> level) {
        String id = Tasks.id(task);
        if (!nodes.containsKey(id)) {
            TaskNode node = new TaskNode(id, task);
            nodes.put(id, node);
            level.add(node);
        }
        return id;
    }

    private void checkCompletion(List<TaskNode> level) throws InterruptedException {
        Map<String, TaskNode> inTaskTable = new HashMap<>();
        List<TaskNode> custom = new ArrayList<>();
        for (TaskNode node : level) {
            try {
                switch (CompletionKind.of(node.task())) {
                    case DERIVED -> node.status(NodeStatus.INCOMPLETE);
                    case CUSTOM, SET -> custom.add(node);
                    case DEFAULT -> {
                        List<? extends Target> outputs = node.task().output();
                        if (outputs.isEmpty()) {
                            inTaskTable.put(node.id(), node);
                        } else {
                            boolean all = outputs.stream().allMatch(Target::exists);
                            node.status(all ? NodeStatus.COMPLETE : NodeStatus.INCOMPLETE);
                        }
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                node.fail("output() threw " + Exceptions.oneLine(e));
            }
        }
        if (!inTaskTable.isEmpty()) {
            Set<String> done = store.doneAmong(inTaskTable.keySet());
            inTaskTable.forEach((id, node) ->
                    node.status(done.contains(id) ? NodeStatus.COMPLETE : NodeStatus.INCOMPLETE));
        }
        checks.check(custom);
    }

    /** Expands the incomplete tasks of a level; returns the tasks met for the first time. */
    private static List<TaskNode> expand(List<TaskNode> level, Map<String, TaskNode> nodes) {
        List<TaskNode> next = new ArrayList<>();
        for (TaskNode node : level) {
            if (node.status() != NodeStatus.INCOMPLETE) {
                continue;
            }
            if (node.task() instanceof ExternalTask) {
                node.status(NodeStatus.MISSING);
                continue;
            }
            // A set: a task listed twice is one requirement, or its count would never reach zero.
            Set<String> ids = new LinkedHashSet<>();
            try {
                for (Task required : node.task().requires()) {
                    if (required == null) {
                        throw new IllegalStateException("requires() returned a null task");
                    }
                    ids.add(meet(required, nodes, next));
                }
            } catch (RuntimeException | LinkageError e) {
                node.fail("requires() threw " + Exceptions.oneLine(e));
                continue;
            }
            node.requires(List.copyOf(ids));
        }
        return next;
    }

    /**
     * A wrapper is complete when all its requirements are. Resolved after the walk, deepest
     * first, since a wrapper may require other wrappers; a cycle through wrappers resolves as
     * incomplete and is reported by {@link FindCycle}.
     */
    private static void deriveWrappers(Map<String, TaskNode> nodes) {
        Map<String, Boolean> resolved = new HashMap<>();
        for (TaskNode node : nodes.values()) {
            if (CompletionKind.of(node.task()) == CompletionKind.DERIVED && node.status() == NodeStatus.INCOMPLETE) {
                resolve(node, nodes, resolved);
            }
        }
    }

    private static boolean resolve(TaskNode node, Map<String, TaskNode> nodes, Map<String, Boolean> resolved) {
        Boolean known = resolved.get(node.id());
        if (known != null) {
            return known;
        }
        if (node.status() != NodeStatus.INCOMPLETE || CompletionKind.of(node.task()) != CompletionKind.DERIVED) {
            return node.status() == NodeStatus.COMPLETE;
        }
        resolved.put(node.id(), false);
        boolean complete = true;
        for (String id : node.requires()) {
            complete &= resolve(nodes.get(id), nodes, resolved);
        }
        resolved.put(node.id(), complete);
        if (complete) {
            node.status(NodeStatus.COMPLETE);
        }
        return complete;
    }
}
