package astra.ui;

import static astra.ui.Json.array;
import static astra.ui.Json.arrows;
import static astra.ui.Json.byFamily;
import static astra.ui.Json.counts;
import static astra.ui.Json.disabledFamilies;
import static astra.ui.Json.object;
import static astra.ui.Json.taskRows;
import static astra.ui.Json.text;

import astra.core.store.RunRecord;
import astra.core.store.StateCount;
import astra.core.store.StoreBrowser;
import astra.core.store.TaskFilter;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import astra.core.store.WorkerRecord;
import astra.ui.Json.Arrow;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The API's answers about runs: the list, one run, its graph of families, its tasks, its failures. */
final class RunJson {

    static final int GRAPH_SAMPLE = 20;
    static final int GRAPH_EDGES_PER_TASK = 50;
    static final int FAILURE_GROUPS = 50;
    static final int FAILURE_TASKS = 200;
    static final int SUMMARY_TASKS = 20;

    private final TaskStore store;
    private final StoreBrowser browse;

    RunJson(TaskStore store) {
        this.store = store;
        this.browse = store.browser();
    }

    ObjectNode runs(Long before, int limit) {
        List<RunRecord> runs = browse.runs(before, limit);
        Map<Long, Map<TaskState, Long>> counts = browse.stateCounts(runs.stream().map(RunRecord::runId).toList());
        ArrayNode rows = array();
        for (RunRecord r : runs) {
            rows.add(runRow(r, counts(counts.getOrDefault(r.runId(), Map.of()))));
        }
        ObjectNode out = object();
        out.set("runs", rows);
        out.put("next_before", runs.size() == limit ? runs.get(runs.size() - 1).runId() : null);
        return out;
    }

    private ObjectNode runRow(RunRecord r, ObjectNode counts) {
        ObjectNode row = object();
        row.put("run_id", r.runId());
        row.put("command", r.command());
        row.put("host", r.host());
        row.put("pid", r.pid());
        row.put("started_at", text(r.startedAt()));
        row.put("finished_at", text(r.finishedAt()));
        Instant end = r.finishedAt() == null ? Instant.now() : r.finishedAt();
        row.put("duration_ms", Duration.between(r.startedAt(), end).toMillis());
        row.put("live", r.finishedAt() == null);
        row.put("state", r.finishedAt() == null ? "RUNNING" : r.outcome());
        row.set("counts", counts);
        return row;
    }

    ObjectNode run(RunRecord r) {
        List<StateCount> counts = store.countTasks(new TaskFilter(null, null, r.runId()));
        ObjectNode out = object();
        out.set("run", runRow(r, counts(counts)));
        Set<String> disabled = disabledFamilies(store);
        ArrayNode families = out.putArray("families");
        byFamily(counts).forEach((family, cs) -> families.add(object().put("family", family)
                .put("disabled", disabled.contains(family)).set("counts", counts(cs))));
        long done = counts.stream().filter(c -> c.state() == TaskState.DONE).mapToLong(StateCount::count).sum();
        Instant end = r.finishedAt() == null ? Instant.now() : r.finishedAt();
        double seconds = Math.max(0.001, Duration.between(r.startedAt(), end).toMillis() / 1000.0);
        out.putObject("rate").put("done", done).put("seconds", seconds)
                .put("per_second", Math.round(done / seconds * 10) / 10.0);
        Map<String, ArrayNode> hosts = new TreeMap<>();
        for (WorkerRecord w : store.workers(r.runId())) {
            hosts.computeIfAbsent(w.host() == null ? "?" : w.host(), h -> array()).add(worker(w));
        }
        ArrayNode byHost = out.putArray("hosts");
        hosts.forEach((host, workers) -> byHost.add(object().put("host", host).set("workers", workers)));
        if (r.finishedAt() != null) {
            ObjectNode summary = out.putObject("summary");
            summary.put("outcome", r.outcome());
            summary.set("counts", counts(counts));
            summary.set("failed", taskRows(browse.tasks(new TaskFilter(null, TaskState.FAILED, r.runId()), null, null,
                    null, SUMMARY_TASKS).tasks()));
            summary.set("missing", taskRows(browse.tasks(new TaskFilter(null, TaskState.MISSING, r.runId()), null, null,
                    null, SUMMARY_TASKS).tasks()));
            summary.put("listed_at_most", SUMMARY_TASKS);
        }
        return out;
    }

    private static ObjectNode worker(WorkerRecord w) {
        ObjectNode o = object();
        o.put("worker_id", w.workerId());
        o.put("pid", w.pid());
        o.put("started_at", text(w.startedAt()));
        o.put("ready_ms", w.readyMillis());
        o.put("init_ms", w.initMillis());
        o.put("connects", w.connects());
        o.put("last_heartbeat", text(w.lastHeartbeat()));
        o.put("heartbeat_age_s", w.lastHeartbeat() == null ? null
                : Duration.between(w.lastHeartbeat(), Instant.now()).toSeconds());
        o.put("tasks_run", w.tasksRun());
        o.put("stopped_at", text(w.stoppedAt()));
        o.put("stop_reason", w.stopReason());
        return o;
    }

    // ---- the graph of families

    ObjectNode graph(RunRecord r) {
        List<StateCount> counts = store.countTasks(new TaskFilter(null, null, r.runId()));
        Map<String, List<StateCount>> byFamily = byFamily(counts);
        Set<Arrow> edges = new TreeSet<>();
        Map<String, String> familyOf = new HashMap<>();
        for (String family : byFamily.keySet()) {
            Map<String, List<String>> required = new LinkedHashMap<>();
            for (String id : browse.sampleOf(r.runId(), family, GRAPH_SAMPLE)) {
                required.put(id, browse.requirementsOf(id, GRAPH_EDGES_PER_TASK));
            }
            Set<String> unknown = new LinkedHashSet<>();
            required.values().forEach(ids -> ids.stream().filter(i -> !familyOf.containsKey(i)).forEach(unknown::add));
            store.tasks(unknown).forEach(t -> familyOf.put(t.taskId(), t.family()));
            required.values().forEach(ids -> ids.stream().map(familyOf::get)
                    .filter(f -> f != null).forEach(f -> edges.add(new Arrow(family, f))));
        }
        Set<String> disabled = disabledFamilies(store);
        ObjectNode out = object();
        out.put("run_id", r.runId());
        ArrayNode families = out.putArray("families");
        Set<String> outside = new TreeSet<>();
        out.set("edges", arrows(edges));
        edges.stream().map(Arrow::to).filter(to -> !byFamily.containsKey(to)).forEach(outside::add);
        byFamily.forEach((family, cs) -> families.add(object().put("family", family).put("in_run", true)
                .put("disabled", disabled.contains(family)).set("counts", counts(cs))));
        outside.forEach(family -> families.add(object().put("family", family).put("in_run", false)
                .put("disabled", disabled.contains(family)).set("counts", counts(List.of()))));
        out.put("edges_from_tasks_per_family", GRAPH_SAMPLE);
        return out;
    }

    // ---- tasks of a run, paged

    /** A page of the run's tasks in id order: of a family, in a state, with a parameter's value (each when not null). */
    ObjectNode tasks(RunRecord r, String family, TaskState state, String param, String value, String after, int limit) {
        StoreBrowser.TaskPage page = browse.tasks(new TaskFilter(family, state, r.runId()), param, value, after, limit);
        ObjectNode out = object();
        out.set("tasks", taskRows(page.tasks()));
        out.put("next_after", page.nextAfter());
        out.put("searched_to", page.searchedTo());
        out.put("search_window", StoreBrowser.SEARCH_WINDOW);
        return out;
    }

    // ---- failures

    ObjectNode failures(RunRecord r) {
        ObjectNode out = object();
        out.put("run_id", r.runId());
        ArrayNode groups = out.putArray("groups");
        for (StoreBrowser.ErrorGroup g : browse.failures(r.runId(), FAILURE_GROUPS, FAILURE_TASKS)) {
            Set<String> blocked = store.dependentsOf(g.taskIds());
            ObjectNode row = object().put("error", g.error()).put("count", g.count());
            ArrayNode ids = row.putArray("task_ids");
            g.taskIds().stream().limit(SUMMARY_TASKS).forEach(ids::add);
            row.put("blocks", blocked.size());
            row.put("blocks_counted_from", g.taskIds().size());
            ArrayNode first = row.putArray("blocks_first");
            blocked.stream().limit(5).forEach(first::add);
            groups.add(row);
        }
        out.put("groups_at_most", FAILURE_GROUPS);
        return out;
    }
}
