package astra.plan;

import astra.core.Task;
import astra.core.store.TaskPolicy;
import java.util.List;

/** One task of the graph, with what the walk learned about it. */
public final class TaskNode {

    private final String id;
    private final Task task;
    private NodeStatus status;
    private List<String> requires = List.of();
    private String error;
    private TaskPolicy policy = TaskPolicy.DEFAULT;

    TaskNode(String id, Task task) {
        this.id = id;
        this.task = task;
    }

    public String id() {
        return id;
    }

    public Task task() {
        return task;
    }

    public NodeStatus status() {
        return status;
    }

    /** Ids of the requirements, once expanded; empty for complete or missing tasks. */
    public List<String> requires() {
        return requires;
    }

    /** Why the task is {@link NodeStatus#ERROR}. */
    public String error() {
        return error;
    }

    void status(NodeStatus status) {
        this.status = status;
    }

    void requires(List<String> ids) {
        this.requires = List.copyOf(ids);
    }

    /** How the queue treats the task once planned (for incomplete tasks). */
    public TaskPolicy policy() {
        return policy;
    }

    void policy(TaskPolicy policy) {
        this.policy = policy;
    }

    void fail(String message) {
        this.status = NodeStatus.ERROR;
        this.error = message;
    }
}
