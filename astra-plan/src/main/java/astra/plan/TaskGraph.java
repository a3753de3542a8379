package astra.plan;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tasks reachable from the roots, by id, in the order the walk met them. */
public final class TaskGraph {

    private final List<String> rootIds;
    private final Map<String, TaskNode> nodes;

    TaskGraph(List<String> rootIds, LinkedHashMap<String, TaskNode> nodes) {
        this.rootIds = List.copyOf(rootIds);
        this.nodes = Collections.unmodifiableMap(nodes);
    }

    public List<String> rootIds() {
        return rootIds;
    }

    public TaskNode node(String id) {
        return nodes.get(id);
    }

    public Collection<TaskNode> nodes() {
        return nodes.values();
    }

    public int size() {
        return nodes.size();
    }

    public long count(NodeStatus status) {
        return nodes.values().stream().filter(n -> n.status() == status).count();
    }
}
