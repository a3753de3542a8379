package astra.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds a dependency cycle among the tasks to run, iteratively (graphs can be deep). */
final class FindCycle {

    private FindCycle() {}

    private enum Mark { ON_PATH, DONE }

    /** The ids of one cycle, first id repeated at the end ({@code A, B, A}), if there is one. */
    static Optional<List<String>> in(TaskGraph graph) {
        Map<String, Mark> marks = new HashMap<>();
        for (TaskNode start : graph.nodes()) {
            if (start.status() != NodeStatus.INCOMPLETE || marks.containsKey(start.id())) {
                continue;
            }
            Deque<String> path = new ArrayDeque<>();
            Deque<Iterator<String>> pending = new ArrayDeque<>();
            path.push(start.id());
            pending.push(start.requires().iterator());
            marks.put(start.id(), Mark.ON_PATH);
            while (!path.isEmpty()) {
                Iterator<String> next = pending.peek();
                if (!next.hasNext()) {
                    marks.put(path.pop(), Mark.DONE);
                    pending.pop();
                    continue;
                }
                String id = next.next();
                TaskNode child = graph.node(id);
                if (child == null || child.status() != NodeStatus.INCOMPLETE) {
                    continue;
                }
                Mark mark = marks.get(id);
                if (mark == Mark.ON_PATH) {
                    return Optional.of(cycleEndingAt(id, path));
                }
                if (mark == null) {
                    marks.put(id, Mark.ON_PATH);
                    path.push(id);
                    pending.push(child.requires().iterator());
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> cycleEndingAt(String id, Deque<String> path) {
        List<String> cycle = new ArrayList<>();
        Iterator<String> fromTop = path.iterator();
        while (fromTop.hasNext()) {
            String step = fromTop.next();
            cycle.add(0, step);
            if (step.equals(id)) {
                break;
            }
        }
        cycle.add(id);
        return cycle;
    }
}
