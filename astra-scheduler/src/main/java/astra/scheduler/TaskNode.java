package astra.scheduler;

import astra.core.Task;
import java.util.List;

/** One task of the graph, with what the walk learned about it. */
public final class TaskNode {

    private final String id;
    private final Task task;
    private NodeStatus status;
    private List<String> requires = List.of();
    private String error;

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

    void fail(String message) {
        this.status = NodeStatus.ERROR;
        this.error = message;
    }
}
