package astra.scheduler;

import astra.core.Tasks;
import astra.core.store.Plan;
import astra.core.store.RunRecord;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.plan.TaskGraph;
import astra.plan.TaskNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What a run did, in Luigi's spirit: how many tasks were already complete, ran, were run by
 * another run at the same time, failed, were blocked, or lacked external data, with the one-line
 * error of each failure and what blocked each blocked task.
 */
public final class ExecutionSummary {

    private static final int LISTED = 20;

    private final long runId;
    /** The graph's tasks, plus those found at run time ({@code ctx.require}). */
    private int scheduled;
    private final List<String> rootIds;
    private final List<TaskNode> alreadyComplete = new ArrayList<>();
    private final List<TaskRecord> done = new ArrayList<>();
    /** Tasks of the graph that another run, running at the same time, did. */
    private final List<TaskRecord> doneElsewhere = new ArrayList<>();
    private final Map<Long, RunRecord> otherRuns;
    private final List<TaskRecord> failed = new ArrayList<>();
    /** Ids of external tasks whose data is missing: nodes of the graph, or found at run time. */
    private final List<String> missing = new ArrayList<>();
    private final List<TaskNode> schedulingErrors = new ArrayList<>();
    /** Blocked task id to the failed, missing or broken task that blocks it. */
    private final Map<String, String> blockedBy = new LinkedHashMap<>();
    private final List<String> notRun = new ArrayList<>();
    /** Pending tasks of families that {@code astra disable} switched off, as "id (family F)". */
    private final List<String> disabled = new ArrayList<>();
    private final boolean keepGoing;

    private ExecutionSummary(long runId, int scheduled, List<String> rootIds, Map<Long, RunRecord> otherRuns,
            boolean keepGoing) {
        this.runId = runId;
        this.keepGoing = keepGoing;
        this.scheduled = scheduled;
        this.rootIds = List.copyOf(rootIds);
        this.otherRuns = Map.copyOf(otherRuns);
    }

    /** {@link #of(long, TaskGraph, Collection, Collection, Map, boolean)} when no other run holds a task of the graph. */
    static ExecutionSummary of(long runId, TaskGraph graph, Collection<TaskRecord> runRecords) {
        return of(runId, graph, runRecords, List.of(), Map.of(), true, ids -> List.of());
    }

    /**
     * Reads the outcome of every task of the graph: from the graph, then from the run's rows,
     * then from the rows of its tasks that other runs own ({@code otherRecords}, whose runs are
     * in {@code otherRuns}). A task another run did counts as a success of this one too.
     * {@code keepGoing}: false when the run stopped starting tasks at its first failure;
     * {@code recordedEdges}: the edges recorded for some tasks, which include requirements found
     * at run time, so that what those block is found too.
     */
    static ExecutionSummary of(long runId, TaskGraph graph, Collection<TaskRecord> runRecords,
            Collection<TaskRecord> otherRecords, Map<Long, RunRecord> otherRuns, boolean keepGoing,
            Function<Collection<String>, List<Plan.Edge>> recordedEdges) {
        return of(runId, graph, runRecords, otherRecords, otherRuns, keepGoing, recordedEdges, Set.of());
    }

    /**
     * As above; a pending task of one of {@code disabledFamilies} was not run because its family
     * is disabled, and blocks what needs it.
     */
    static ExecutionSummary of(long runId, TaskGraph graph, Collection<TaskRecord> runRecords,
            Collection<TaskRecord> otherRecords, Map<Long, RunRecord> otherRuns, boolean keepGoing,
            Function<Collection<String>, List<Plan.Edge>> recordedEdges, Set<String> disabledFamilies) {
        ExecutionSummary s = new ExecutionSummary(runId, graph.size(), graph.rootIds(), otherRuns, keepGoing);
        Map<String, TaskRecord> records = new HashMap<>();
        otherRecords.forEach(r -> records.put(r.taskId(), r));
        runRecords.forEach(r -> records.put(r.taskId(), r));
        List<String> causes = new ArrayList<>();
        for (TaskNode node : graph.nodes()) {
            switch (node.status()) {
                case COMPLETE -> s.alreadyComplete.add(node);
                case MISSING -> {
                    s.missing.add(node.id());
                    causes.add(node.id());
                }
                case ERROR -> {
                    s.schedulingErrors.add(node);
                    causes.add(node.id());
                }
                case INCOMPLETE -> {
                    TaskRecord r = records.get(node.id());
                    TaskState state = r == null ? TaskState.PENDING : r.state();
                    if (state == TaskState.DONE) {
                        (r.runId() == null || r.runId() == runId ? s.done : s.doneElsewhere).add(r);
                    } else if (state == TaskState.FAILED) {
                        s.failed.add(r);
                        causes.add(node.id());
                    } else if (state == TaskState.PENDING && disabledFamilies.contains(Tasks.family(node.task()))) {
                        s.disabled.add(node.id() + " (family " + Tasks.family(node.task()) + ")");
                        causes.add(node.id());
                    } else {
                        s.notRun.add(node.id());
                    }
                }
            }
        }
        // Requirements found at run time (ctx.require) are rows of the run but not nodes of the graph.
        for (TaskRecord r : runRecords) {
            if (graph.node(r.taskId()) != null) {
                continue;
            }
            s.scheduled++;
            switch (r.state()) {
                case DONE -> s.done.add(r);
                case FAILED -> {
                    s.failed.add(r);
                    causes.add(r.taskId());
                }
                case MISSING -> {
                    s.missing.add(r.taskId());
                    causes.add(r.taskId());
                }
                case PENDING, RUNNING -> {
                    if (r.state() == TaskState.PENDING && disabledFamilies.contains(r.family())) {
                        s.disabled.add(r.taskId() + " (family " + r.family() + ")");
                        causes.add(r.taskId());
                    } else {
                        s.notRun.add(r.taskId());
                    }
                }
            }
        }
        s.findBlockers(graph, causes, recordedEdges);
        return s;
    }

    /** Walks up from each failed, missing or broken task, marking what it blocks. */
    private void findBlockers(TaskGraph graph, List<String> causes,
            Function<Collection<String>, List<Plan.Edge>> recordedEdges) {
        if (causes.isEmpty() || notRun.isEmpty()) {
            return;
        }
        Map<String, Set<String>> dependents = new HashMap<>();
        for (TaskNode node : graph.nodes()) {
            for (String required : node.requires()) {
                dependents.computeIfAbsent(required, k -> new LinkedHashSet<>()).add(node.id());
            }
        }
        // A task that waits on a requirement it found at run time has that edge only in the store.
        for (Plan.Edge e : recordedEdges.apply(notRun)) {
            dependents.computeIfAbsent(e.requiresId(), k -> new LinkedHashSet<>()).add(e.taskId());
        }
        Set<String> waiting = new HashSet<>(notRun);
        for (String cause : causes) {
            Deque<String> queue = new ArrayDeque<>(dependents.getOrDefault(cause, Set.of()));
            while (!queue.isEmpty()) {
                String id = queue.poll();
                if (waiting.contains(id) && !blockedBy.containsKey(id)) {
                    blockedBy.put(id, cause);
                    queue.addAll(dependents.getOrDefault(id, Set.of()));
                }
            }
        }
    }

    public long runId() {
        return runId;
    }

    public RunOutcome outcome() {
        if (!schedulingErrors.isEmpty()) {
            return RunOutcome.SCHEDULING_ERROR;
        }
        if (!failed.isEmpty()) {
            return RunOutcome.FAILED;
        }
        if (!missing.isEmpty()) {
            return RunOutcome.MISSING_DATA;
        }
        if (!disabled.isEmpty()) {
            return RunOutcome.DISABLED;
        }
        return notRun.isEmpty() ? RunOutcome.SUCCESS : RunOutcome.INTERRUPTED;
    }

    public int scheduled() {
        return scheduled;
    }

    public int alreadyComplete() {
        return alreadyComplete.size();
    }

    public int ran() {
        return done.size();
    }

    /** Tasks of the graph that another run did while this one waited for them. */
    public int ranByAnotherRun() {
        return doneElsewhere.size();
    }

    public int failed() {
        return failed.size();
    }

    public int missingData() {
        return missing.size();
    }

    public int blocked() {
        return blockedBy.size();
    }

    public int schedulingErrors() {
        return schedulingErrors.size();
    }

    /** Tasks left pending and not blocked by anything: the run was stopped before them. */
    public int notStarted() {
        return notRun.size() - blockedBy.size();
    }

    /**
     * The summary as data, for {@code astra run --json}: counts, and the tasks behind the ones
     * that need attention (failed with their error and attempts, missing, blocked and by what,
     * could not be scheduled). Keys are snake_case, in a fixed order.
     */
    public Map<String, Object> asData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("run_id", runId);
        data.put("outcome", outcome().name());
        data.put("roots", rootIds);
        data.put("scheduled", scheduled);
        data.put("already_complete", alreadyComplete.size());
        data.put("ran", done.size());
        data.put("ran_by_another_run", doneElsewhere.size());
        data.put("failed", failed.stream().map(r -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("task_id", r.taskId());
            f.put("error", r.error());
            f.put("attempts", r.attempts());
            return f;
        }).toList());
        data.put("missing_data", missing);
        data.put("could_not_schedule", schedulingErrors.stream()
                .map(n -> Map.of("task_id", n.id(), "error", String.valueOf(n.error()))).toList());
        data.put("blocked", blockedBy.entrySet().stream()
                .map(e -> Map.of("task_id", e.getKey(), "blocked_by", e.getValue())).toList());
        data.put("not_started", notStarted());
        return data;
    }

    /** The summary as printed at the end of {@code astra run}. */
    public String render() {
        StringBuilder out = new StringBuilder("===== Astra Execution Summary =====\n\n");
        if (done.isEmpty() && doneElsewhere.isEmpty() && failed.isEmpty() && notRun.isEmpty() && missing.isEmpty() && schedulingErrors.isEmpty()
                && disabled.isEmpty()) {
            String roots = rootIds.size() <= 3 ? String.join(", ", rootIds)
                    : String.join(", ", rootIds.subList(0, 3)) + " and " + (rootIds.size() - 3) + " more";
            out.append("Nothing to do: ").append(roots)
                    .append(rootIds.size() == 1 ? " is" : " are").append(" already complete.\n");
        } else {
            out.append("Scheduled ").append(scheduled).append(" task(s) of which:\n");
            section(out, alreadyComplete.size(), "were already complete",
                    byFamily(alreadyComplete.stream().map(n -> Map.entry(Tasks.family(n.task()), n.id())).toList()));
            section(out, done.size(), "ran successfully",
                    byFamily(done.stream().map(r -> Map.entry(r.family(), r.taskId())).toList()));
            section(out, doneElsewhere.size(), "were run by another run", byRun(doneElsewhere));
            section(out, failed.size(), "failed",
                    listed(failed.stream().map(r -> r.taskId() + ": " + r.error()
                            + (r.attempts() > 1 ? " (after " + r.attempts() + " attempts)" : "")).toList()));
            section(out, missing.size(), "are external data that is missing",
                    listed(missing));
            section(out, schedulingErrors.size(), "could not be scheduled",
                    listed(schedulingErrors.stream().map(n -> n.id() + ": " + n.error()).toList()));
            section(out, disabled.size(), "were not run: their family is disabled (astra enable <family>)",
                    listed(disabled));
            section(out, blockedBy.size(), "were not run because a task they need failed or is missing"
                            + (disabled.isEmpty() ? "" : " or disabled"),
                    listed(blockedBy.entrySet().stream().map(e -> e.getKey() + " (blocked by " + e.getValue() + ")").toList()));
            section(out, notStarted(), notStartedReason(), List.of());
        }
        out.append('\n').append(verdict()).append('\n');
        out.append("===== Astra Execution Summary =====\n");
        return out.toString();
    }

    private String notStartedReason() {
        if (outcome() == RunOutcome.INTERRUPTED) {
            return "were not finished (the run was stopped; those running were given back, uncounted): the next"
                    + " astra run runs them";
        }
        if (!keepGoing && !failed.isEmpty()) {
            return "were not started: [core] keep_going = false stops a run at its first failure";
        }
        return "were not run: they wait on tasks that did not finish";
    }

    /** The summary's last line: whether the run succeeded, and if not, why. */
    public String verdict() {
        return switch (outcome()) {
            case SUCCESS -> "This run was a success: nothing failed and no data was missing.";
            case FAILED -> "This run failed: " + failed.size() + " task(s) failed.";
            case MISSING_DATA -> "This run could not finish: external data is missing.";
            case DISABLED -> "This run could not finish: tasks of a disabled family are left pending.";
            // Said in full: with --quiet this line is all that is printed.
            case SCHEDULING_ERROR -> "This run could not schedule everything: " + schedulingErrors.size()
                    + " task(s) could not be scheduled" + (schedulingErrors.isEmpty() ? "" : ", "
                    + schedulingErrors.get(0).id() + ": " + schedulingErrors.get(0).error()
                    + (schedulingErrors.size() > 1 ? " (and " + (schedulingErrors.size() - 1) + " more)" : "")) + ".";
            case INTERRUPTED -> "This run was stopped; the next astra run picks up where it left off.";
        };
    }

    private static void section(StringBuilder out, int count, String what, List<String> lines) {
        if (count == 0) {
            return;
        }
        out.append("* ").append(count).append(' ').append(what).append(":\n");
        for (String line : lines) {
            out.append("    - ").append(line).append('\n');
        }
    }

    /** One line per family: the task's id when it is alone, else how many. */
    private static List<String> byFamily(List<Map.Entry<String, String>> familyAndId) {
        Map<String, List<String>> ids = new TreeMap<>();
        familyAndId.forEach(e -> ids.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        List<String> lines = new ArrayList<>();
        ids.forEach((family, list) -> lines.add(list.size() == 1 ? list.get(0) : list.size() + " " + family));
        return lines;
    }

    /** One line per other run: who it was and how many of this run's tasks it did. */
    private List<String> byRun(List<TaskRecord> records) {
        Map<Long, Integer> counts = new TreeMap<>();
        records.forEach(r -> counts.merge(r.runId(), 1, Integer::sum));
        List<String> lines = new ArrayList<>();
        counts.forEach((id, n) -> {
            RunRecord run = otherRuns.get(id);
            lines.add("run " + id + (run == null ? "" : " (host " + run.host() + ", pid " + run.pid() + ")") + ": " + n);
        });
        return lines;
    }

    private static List<String> listed(List<String> lines) {
        if (lines.size() <= LISTED) {
            return lines;
        }
        List<String> shown = new ArrayList<>(lines.subList(0, LISTED));
        shown.add("... and " + (lines.size() - LISTED) + " more");
        return shown;
    }
}
