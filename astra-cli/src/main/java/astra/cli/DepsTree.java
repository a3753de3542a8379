package astra.cli;

import astra.core.Tasks;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.plan.TaskGraph;
import astra.plan.TaskNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A task graph as a tree of lines, each task with its state: what the graph found (complete,
 * missing, error) merged with the task's row (pending, running, failed). A task met again is
 * printed once more without its requirements, "(see above)". Walks with its own stack, so a chain
 * of 100,000 tasks does not overflow the thread's.
 */
final class DepsTree {

    private final TaskGraph graph;
    private final Map<String, TaskRecord> rows;
    private final Set<String> disabled;

    DepsTree(TaskGraph graph, Map<String, TaskRecord> rows, Set<String> disabledFamilies) {
        this.graph = graph;
        this.rows = rows;
        this.disabled = disabledFamilies;
    }

    /** A task's state as deps shows it. */
    String state(TaskNode node) {
        return switch (node.status()) {
            case COMPLETE -> {
                TaskRecord row = rows.get(node.id());
                // complete() looks at outputs, not at the record: say so when they disagree (after astra reset).
                yield row == null || row.state() == TaskState.DONE ? "complete"
                        : "complete; recorded " + row.state().name().toLowerCase(Locale.ROOT);
            }
            case MISSING -> "missing external data";
            case ERROR -> "error: " + node.error();
            case INCOMPLETE -> {
                TaskRecord row = rows.get(node.id());
                if (row == null) {
                    yield "pending";
                }
                yield switch (row.state()) {
                    case RUNNING -> "running" + (row.worker() == null ? "" : " on " + row.worker());
                    case FAILED -> "failed" + (row.error() == null ? "" : ": " + row.error());
                    case MISSING -> "missing external data";
                    case PENDING, DONE -> "pending";
                };
            }
        };
    }

    private record Frame(String id, String prefix, String connector, String childPrefix, int depth) {}

    /**
     * The tree's lines, at most {@code maxLines} of them, then a line saying it was cut; {@code maxDepth} levels of requirements below the roots (negative: all).
     */
    List<String> render(int maxDepth, int maxLines) {
        List<String> lines = new ArrayList<>();
        Set<String> expanded = new HashSet<>();
        Deque<Frame> stack = new ArrayDeque<>();
        List<String> roots = graph.rootIds();
        for (int i = roots.size() - 1; i >= 0; i--) {
            stack.push(new Frame(roots.get(i), "", "", "", 0));
        }
        while (!stack.isEmpty()) {
            if (lines.size() >= maxLines) {
                lines.add("... the tree goes on: it stops at --max-lines " + maxLines + "; the counts per family follow");
                break;
            }
            Frame f = stack.pop();
            TaskNode node = graph.node(f.id());
            List<String> requires = node.requires();
            StringBuilder line = new StringBuilder(f.prefix()).append(f.connector()).append(f.id())
                    .append(" [").append(state(node)).append(']');
            if (disabled.contains(familyOf(node))) {
                line.append(" (family disabled)");
            }
            if (!requires.isEmpty() && !expanded.add(f.id())) {
                lines.add(line.append(" (see above)").toString());
                continue;
            }
            if (!requires.isEmpty() && maxDepth >= 0 && f.depth() >= maxDepth) {
                lines.add(line.append(" (+").append(requires.size()).append(" requirement")
                        .append(requires.size() == 1 ? "" : "s").append(" below --depth)").toString());
                continue;
            }
            lines.add(line.toString());
            for (int i = requires.size() - 1; i >= 0; i--) {
                boolean last = i == requires.size() - 1;
                stack.push(new Frame(requires.get(i), f.childPrefix(), last ? "└── " : "├── ",
                        f.childPrefix() + (last ? "    " : "│   "), f.depth() + 1));
            }
        }
        return lines;
    }

    private static String familyOf(TaskNode node) {
        return Tasks.family(node.task());
    }

    /** "12 tasks: 3 complete, 9 pending", counting each task once. */
    String summary() {
        return graph.size() + " task" + (graph.size() == 1 ? "" : "s") + ": " + counts(graph.nodes().stream().toList());
    }

    /** One line per family: its tasks by state. */
    List<String> byFamily() {
        Map<String, List<TaskNode>> families = new TreeMap<>();
        graph.nodes().forEach(n -> families.computeIfAbsent(familyOf(n), k -> new ArrayList<>()).add(n));
        List<String> lines = new ArrayList<>();
        families.forEach((family, nodes) -> lines.add("  " + family + ": " + counts(nodes)));
        return lines;
    }

    private String counts(List<TaskNode> nodes) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String s : List.of("complete", "pending", "running", "failed", "missing external data", "error")) {
            counts.put(s, 0);
        }
        for (TaskNode n : nodes) {
            String s = state(n);
            String key = s.startsWith("complete") ? "complete" : s.startsWith("running") ? "running"
                    : s.startsWith("failed") ? "failed"
                    : s.startsWith("error") ? "error" : s;
            counts.merge(key, 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> {
            if (v > 0) {
                parts.add(v + " " + k);
            }
        });
        return String.join(", ", parts);
    }
}
