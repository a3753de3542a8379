package astra.scheduler;

import astra.core.store.DisabledFamily;
import astra.core.store.RunRecord;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import astra.plan.NodeStatus;
import astra.plan.TaskGraph;
import astra.plan.TaskNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What other runs, running at the same time, do for this one: tasks of its graph that they
 * already hold when it plans (it waits for them), and those they did by the time it ends.
 */
final class OtherRuns {

    private static final Logger log = LoggerFactory.getLogger(OtherRuns.class);

    private OtherRuns() {}

    /**
     * Says which planned tasks other runs already hold (of those the plan left as they were:
     * {@code leftToOthers}): this run waits for them.
     */
    static void logWaits(TaskStore store, long runId, List<String> leftToOthers) {
        if (leftToOthers.isEmpty()) {
            return;
        }
        Map<Long, Long> held = store.tasks(leftToOthers).stream()
                .filter(r -> r.runId() != null && r.runId() != runId)
                .filter(r -> r.state() == TaskState.PENDING || r.state() == TaskState.RUNNING)
                .collect(Collectors.groupingBy(TaskRecord::runId, TreeMap::new, Collectors.counting()));
        held.forEach((other, n) -> {
            String who = store.run(other).map(r -> " (" + r.host() + ", pid " + r.pid() + ", " + r.command() + ")")
                    .orElse("");
            log.info("{} task(s) are already being run by run {}{}; this run waits for them", n, other, who);
        });
    }

    /**
     * The summary of the run: its own rows, plus the rows of the graph's tasks that are not the
     * run's (another run held them, or took them over), with those runs.
     */
    static ExecutionSummary summarize(TaskStore store, long runId, TaskGraph graph, boolean keepGoing) {
        List<TaskRecord> own = store.tasksOfRun(runId);
        Set<String> ownIds = own.stream().map(TaskRecord::taskId).collect(Collectors.toCollection(HashSet::new));
        List<String> others = graph.nodes().stream()
                .filter(n -> n.status() == NodeStatus.INCOMPLETE && !ownIds.contains(n.id()))
                .map(TaskNode::id)
                .toList();
        List<TaskRecord> otherRecords = others.isEmpty() ? List.of() : store.tasks(others);
        Map<Long, RunRecord> runs = new TreeMap<>();
        otherRecords.stream().map(TaskRecord::runId).filter(id -> id != null && id != runId).distinct()
                .forEach(id -> store.run(id).ifPresent(r -> runs.put(id, r)));
        Set<String> disabled = store.disabledFamilies().stream().map(DisabledFamily::family)
                .collect(Collectors.toSet());
        return ExecutionSummary.of(runId, graph, own, otherRecords, runs, keepGoing, store::requirementsOf, disabled);
    }
}
