package astra.ui;

import astra.core.AstraException;
import astra.core.store.DisabledFamily;
import astra.core.store.RunRecord;
import astra.core.store.StateCount;
import astra.core.store.StoreBrowser;
import astra.core.store.TaskEvent;
import astra.core.store.TaskFilter;
import astra.core.store.TaskHistory;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import astra.core.store.WorkerRecord;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.util.Fields;

/**
 * The JSON API under {@code /api} that the page uses (documented in the README, keys in
 * snake_case as {@code --json} writes them). Every answer is bounded: lists are paged (by the id
 * a page starts after) or capped, and say so ({@code next_after}, {@code truncated}).
 */
final class UiApi {

    /** An answer other than 200: its HTTP status and the one-line message the page shows. */
    static final class Problem extends RuntimeException {
        private final int status;

        Problem(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    static final int PAGE = 100;
    static final int GRAPH_SAMPLE = 20;
    static final int GRAPH_EDGES_PER_TASK = 50;
    static final int NEIGHBOURS_PER_TASK = 20;
    static final int NEIGHBOURS_MAX = 150;
    static final int LOG_CHUNK = 256 * 1024;
    static final int FAILURE_GROUPS = 50;
    static final int FAILURE_TASKS = 200;
    static final int SUMMARY_TASKS = 20;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RUN = Pattern.compile("^/runs/(\\d+)(/graph|/tasks|/failures)?$");
    private static final Pattern TASK = Pattern.compile("^/tasks/(.+?)(/neighbours|/log|/reset)?$");
    private static final Pattern FAMILY = Pattern.compile("^/families/([^/]+)/(disable|enable)$");

    private final TaskStore store;
    private final StoreBrowser browse;
    private final UiServer.AttemptLogFiles logs;
    private final String user;

    UiApi(TaskStore store, UiServer.AttemptLogFiles logs, String user) {
        this.store = store;
        this.browse = store.browser();
        this.logs = logs;
        this.user = user;
    }

    /** A GET under {@code /api}: {@code path} without that prefix. */
    byte[] read(String path, Fields query, boolean actionsAllowed) {
        if (path.equals("/session")) {
            return bytes(object().put("actions_allowed", actionsAllowed));
        }
        if (path.equals("/runs")) {
            return bytes(runs(longParam(query, "before"), limit(query, 50)));
        }
        Matcher run = RUN.matcher(path);
        if (run.matches()) {
            long runId = Long.parseLong(run.group(1));
            RunRecord r = store.run(runId).orElseThrow(() -> new Problem(HttpStatus.NOT_FOUND_404, "no run " + runId));
            String part = run.group(2) == null ? "" : run.group(2);
            return bytes(switch (part) {
                case "/graph" -> graph(r);
                case "/tasks" -> tasks(r, query);
                case "/failures" -> failures(r);
                default -> run(r);
            });
        }
        Matcher task = TASK.matcher(path);
        if (task.matches() && !"/reset".equals(task.group(2))) {
            String taskId = task.group(1);
            String part = task.group(2) == null ? "" : task.group(2);
            return bytes(switch (part) {
                case "/neighbours" -> neighbours(taskId, (int) Math.min(3, Math.max(1, longOr(query, "depth", 2))));
                case "/log" -> log(taskId, query);
                default -> task(taskId);
            });
        }
        throw new Problem(HttpStatus.NOT_FOUND_404, "no API " + path + "; see the README, astra ui");
    }

    /** A POST under {@code /api} (an action), already allowed and authorised. */
    byte[] act(String path, Fields query, String body) {
        Matcher task = TASK.matcher(path);
        if (task.matches() && "/reset".equals(task.group(2))) {
            boolean downstream = "true".equals(query.getValue("downstream")) || bodyFlag(body, "downstream");
            return bytes(reset(task.group(1), downstream));
        }
        Matcher family = FAMILY.matcher(path);
        if (family.matches()) {
            String name = family.group(1);
            if (!store.families().contains(name)) {
                throw new Problem(HttpStatus.NOT_FOUND_404, "no task family " + name + " in this database");
            }
            boolean disable = family.group(2).equals("disable");
            boolean changed = disable ? store.disableFamily(name, by()) : store.enableFamily(name);
            return bytes(object().put("family", name).put("disabled", disable).put("changed", changed));
        }
        throw new Problem(HttpStatus.NOT_FOUND_404, "no action " + path + "; see the README, astra ui");
    }

    static byte[] error(String message) {
        return bytes(object().put("error", message));
    }

    // ---- runs

    private ObjectNode runs(Long before, int limit) {
        List<RunRecord> runs = browse.runs(before, limit);
        ArrayNode rows = JSON.createArrayNode();
        for (RunRecord r : runs) {
            rows.add(runRow(r, store.countTasks(new TaskFilter(null, null, r.runId()))));
        }
        ObjectNode out = object();
        out.set("runs", rows);
        out.put("next_before", runs.size() == limit ? runs.get(runs.size() - 1).runId() : null);
        return out;
    }

    private ObjectNode runRow(RunRecord r, List<StateCount> counts) {
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
        row.set("counts", counts(counts));
        return row;
    }

    private ObjectNode run(RunRecord r) {
        List<StateCount> counts = store.countTasks(new TaskFilter(null, null, r.runId()));
        ObjectNode out = object();
        out.set("run", runRow(r, counts));
        Set<String> disabled = disabledFamilies();
        Map<String, List<StateCount>> byFamily = new TreeMap<>();
        counts.forEach(c -> byFamily.computeIfAbsent(c.family(), f -> new ArrayList<>()).add(c));
        ArrayNode families = out.putArray("families");
        byFamily.forEach((family, cs) -> families.add(object().put("family", family)
                .put("disabled", disabled.contains(family)).set("counts", counts(cs))));
        long done = counts.stream().filter(c -> c.state() == TaskState.DONE).mapToLong(StateCount::count).sum();
        Instant end = r.finishedAt() == null ? Instant.now() : r.finishedAt();
        double seconds = Math.max(0.001, Duration.between(r.startedAt(), end).toMillis() / 1000.0);
        out.putObject("rate").put("done", done).put("seconds", seconds)
                .put("per_second", Math.round(done / seconds * 10) / 10.0);
        Map<String, ArrayNode> hosts = new TreeMap<>();
        for (WorkerRecord w : store.workers(r.runId())) {
            hosts.computeIfAbsent(w.host() == null ? "?" : w.host(), h -> JSON.createArrayNode()).add(worker(w));
        }
        ArrayNode byHost = out.putArray("hosts");
        hosts.forEach((host, workers) -> byHost.add(object().put("host", host).set("workers", workers)));
        if (r.finishedAt() != null) {
            ObjectNode summary = out.putObject("summary");
            summary.put("outcome", r.outcome());
            summary.set("counts", counts(counts));
            summary.set("failed", taskRows(browse.tasks(new TaskFilter(null, TaskState.FAILED, r.runId()), null, null,
                    null, SUMMARY_TASKS)));
            summary.set("missing", taskRows(browse.tasks(new TaskFilter(null, TaskState.MISSING, r.runId()), null, null,
                    null, SUMMARY_TASKS)));
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

    private ObjectNode graph(RunRecord r) {
        List<StateCount> counts = store.countTasks(new TaskFilter(null, null, r.runId()));
        Map<String, List<StateCount>> byFamily = new TreeMap<>();
        counts.forEach(c -> byFamily.computeIfAbsent(c.family(), f -> new ArrayList<>()).add(c));
        Set<String> edges = new TreeSet<>();
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
                    .filter(f -> f != null).forEach(f -> edges.add(family + "\u0000" + f)));
        }
        Set<String> disabled = disabledFamilies();
        ObjectNode out = object();
        out.put("run_id", r.runId());
        ArrayNode families = out.putArray("families");
        Set<String> outside = new TreeSet<>();
        ArrayNode edgeRows = out.putArray("edges");
        for (String e : edges) {
            String[] ft = e.split("\u0000");
            edgeRows.add(object().put("from", ft[0]).put("to", ft[1]));
            if (!byFamily.containsKey(ft[1])) {
                outside.add(ft[1]);
            }
        }
        byFamily.forEach((family, cs) -> families.add(object().put("family", family).put("in_run", true)
                .put("disabled", disabled.contains(family)).set("counts", counts(cs))));
        outside.forEach(family -> families.add(object().put("family", family).put("in_run", false)
                .put("disabled", disabled.contains(family)).set("counts", counts(List.of()))));
        out.put("edges_from_tasks_per_family", GRAPH_SAMPLE);
        return out;
    }

    // ---- tasks of a run, paged

    private ObjectNode tasks(RunRecord r, Fields query) {
        String family = blankToNull(query.getValue("family"));
        TaskState state = state(query.getValue("state"));
        String param = blankToNull(query.getValue("param"));
        String name = null;
        String value = null;
        if (param != null) {
            int eq = param.indexOf('=');
            if (eq <= 0) {
                throw new Problem(HttpStatus.BAD_REQUEST_400, "param must be NAME=VALUE, as in field=42, not '" + param + "'");
            }
            name = camelCase(param.substring(0, eq).strip());
            value = param.substring(eq + 1).strip();
        }
        int limit = limit(query, PAGE);
        List<TaskRecord> rows = browse.tasks(new TaskFilter(family, state, r.runId()), name, value,
                blankToNull(query.getValue("after")), limit);
        ObjectNode out = object();
        out.set("tasks", taskRows(rows));
        out.put("next_after", rows.size() == limit ? rows.get(rows.size() - 1).taskId() : null);
        return out;
    }

    private static ArrayNode taskRows(List<TaskRecord> rows) {
        ArrayNode out = JSON.createArrayNode();
        rows.forEach(t -> out.add(taskRow(t)));
        return out;
    }

    private static ObjectNode taskRow(TaskRecord t) {
        ObjectNode o = object();
        o.put("task_id", t.taskId());
        o.put("family", t.family());
        o.put("state", t.state().name());
        o.set("params", params(t.paramsJson()));
        o.put("attempts", t.attempts());
        o.put("run_id", t.runId());
        o.put("worker", t.worker());
        o.put("started_at", text(t.startedAt()));
        o.put("finished_at", text(t.finishedAt()));
        o.put("error", t.error());
        return o;
    }

    // ---- failures

    private ObjectNode failures(RunRecord r) {
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

    // ---- one task

    private ObjectNode task(String taskId) {
        TaskHistory history = history(taskId);
        ObjectNode out = object();
        ObjectNode task = taskRow(history.task());
        task.put("class_name", history.task().className());
        task.put("priority", history.task().priority());
        task.put("unfinished_deps", history.task().unfinishedDeps());
        out.set("task", task);
        out.put("family_disabled", disabledFamilies().contains(history.task().family()));
        ArrayNode attempts = out.putArray("attempts");
        int index = 0;
        for (TaskHistory.Attempt a : history.attempts()) {
            attempts.add(object().put("index", index++).put("run_id", a.runId()).put("number", a.number())
                    .put("worker", a.workerId()).put("host", a.host()).put("pid", a.pid())
                    .put("started_at", text(a.start())).put("ended_at", text(a.end()))
                    .put("duration_ms", a.duration() == null ? null : a.duration().toMillis())
                    .put("outcome", a.outcome()).put("error", a.error()));
        }
        ArrayNode events = out.putArray("events");
        for (TaskEvent e : store.events(taskId)) {
            events.add(object().put("at", text(e.at())).put("run_id", e.runId())
                    .put("state", e.state() == null ? null : e.state().name()).put("worker", e.worker())
                    .put("message", e.message()));
        }
        StoreBrowser.EdgeCounts n = browse.edgeCounts(taskId);
        out.set("requirements", edgeList(browse.requirementsOf(taskId, NEIGHBOURS_PER_TASK), n.requirements()));
        out.set("dependents", edgeList(browse.dependentsOf(taskId, NEIGHBOURS_PER_TASK), n.dependents()));
        return out;
    }

    private ObjectNode edgeList(List<String> ids, long count) {
        Map<String, TaskRecord> rows = new HashMap<>();
        store.tasks(ids).forEach(t -> rows.put(t.taskId(), t));
        ObjectNode out = object().put("count", count);
        ArrayNode first = out.putArray("first");
        for (String id : ids) {
            TaskRecord t = rows.get(id);
            first.add(object().put("task_id", id).put("family", t == null ? null : t.family())
                    .put("state", t == null ? "COMPLETE" : t.state().name()));
        }
        return out;
    }

    private TaskHistory history(String taskId) {
        try {
            return TaskHistory.load(store, taskId);
        } catch (AstraException.BadInput e) {
            throw new Problem(HttpStatus.NOT_FOUND_404, e.getMessage());
        }
    }

    private ObjectNode neighbours(String taskId, int depth) {
        TaskRecord root = store.task(taskId).orElseThrow(() -> new Problem(HttpStatus.NOT_FOUND_404, "no task " + taskId));
        Map<String, Integer> level = new LinkedHashMap<>();
        level.put(taskId, 0);
        Set<String> edges = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>(List.of(taskId));
        boolean truncated = false;
        while (!queue.isEmpty()) {
            String id = queue.removeFirst();
            int at = level.get(id);
            if (Math.abs(at) >= depth) {
                continue;
            }
            // requirements go one way (level - 1), dependents the other (level + 1), from the root only
            if (at <= 0) {
                List<String> req = browse.requirementsOf(id, NEIGHBOURS_PER_TASK + 1);
                truncated |= req.size() > NEIGHBOURS_PER_TASK;
                for (String r : req.subList(0, Math.min(req.size(), NEIGHBOURS_PER_TASK))) {
                    truncated |= !visit(r, at - 1, level, queue);
                    if (level.containsKey(r)) {
                        edges.add(id + "\u0000" + r);
                    }
                }
            }
            if (at >= 0) {
                List<String> dep = browse.dependentsOf(id, NEIGHBOURS_PER_TASK + 1);
                truncated |= dep.size() > NEIGHBOURS_PER_TASK;
                for (String d : dep.subList(0, Math.min(dep.size(), NEIGHBOURS_PER_TASK))) {
                    truncated |= !visit(d, at + 1, level, queue);
                    if (level.containsKey(d)) {
                        edges.add(d + "\u0000" + id);
                    }
                }
            }
        }
        Map<String, TaskRecord> rows = new HashMap<>();
        store.tasks(level.keySet()).forEach(t -> rows.put(t.taskId(), t));
        ObjectNode out = object().put("task_id", root.taskId()).put("depth", depth).put("truncated", truncated);
        ArrayNode nodes = out.putArray("nodes");
        level.forEach((id, l) -> {
            TaskRecord t = rows.get(id);
            nodes.add(object().put("task_id", id).put("level", l).put("family", t == null ? null : t.family())
                    .put("state", t == null ? "COMPLETE" : t.state().name()));
        });
        ArrayNode edgeRows = out.putArray("edges");
        edges.forEach(e -> {
            String[] ft = e.split("\u0000");
            edgeRows.add(object().put("from", ft[0]).put("to", ft[1]));
        });
        return out;
    }

    private static boolean visit(String id, int at, Map<String, Integer> level, Deque<String> queue) {
        if (level.containsKey(id)) {
            return true;
        }
        if (level.size() >= NEIGHBOURS_MAX) {
            return false;
        }
        level.put(id, at);
        queue.addLast(id);
        return true;
    }

    // ---- logs

    private ObjectNode log(String taskId, Fields query) {
        List<TaskHistory.Attempt> attempts = history(taskId).attempts();
        ObjectNode out = object().put("task_id", taskId).put("attempts", attempts.size());
        if (attempts.isEmpty()) {
            return out.put("found", false).put("message", "this task has not run yet: it has no log");
        }
        int index = (int) longOr(query, "attempt", attempts.size() - 1);
        if (index < 0 || index >= attempts.size()) {
            throw new Problem(HttpStatus.NOT_FOUND_404, taskId + " has attempts 0 to " + (attempts.size() - 1)
                    + ", not " + index);
        }
        TaskHistory.Attempt a = attempts.get(index);
        long offset = Math.max(0, longOr(query, "offset", 0));
        Path file = a.log() != null ? a.log() : logs.of(taskId, a.runId(), a.number());
        out.put("attempt", index).put("run_id", a.runId()).put("number", a.number()).put("outcome", a.outcome())
                .put("running", "running".equals(a.outcome())).put("file", file.toString()).put("host", a.host());
        if (!Files.isRegularFile(file)) {
            String where = a.host() == null ? "its worker's host" : a.host();
            return out.put("found", false).put("message", "running".equals(a.outcome()) || a.log() == null
                    ? "nothing written yet (the log is " + file + " on " + where + ")"
                    : "the log is not on this host: " + file + " on " + where
                            + "; read it there, or set [core] log_dir to a directory every host shares");
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long size = in.length();
            long from = Math.min(offset, size);
            int n = (int) Math.min(LOG_CHUNK, size - from);
            byte[] bytes = new byte[n];
            in.seek(from);
            in.readFully(bytes);
            int end = from + n == size ? n : wholeCharacters(bytes, n);
            return out.put("found", true).put("size", size).put("offset", from).put("next_offset", from + end)
                    .put("text", new String(bytes, 0, end, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return out.put("found", false).put("message", "cannot read " + file + ": " + e.getMessage());
        }
    }

    // ---- actions

    private ObjectNode reset(String taskId, boolean downstream) {
        TaskRecord root = store.task(taskId).orElseThrow(() -> new Problem(HttpStatus.NOT_FOUND_404, "no task " + taskId));
        List<TaskRecord> all = new ArrayList<>(List.of(root));
        if (downstream) {
            all.addAll(store.tasks(store.dependentsOf(List.of(taskId))));
        }
        List<String> running = all.stream().filter(t -> t.state() == TaskState.RUNNING).map(TaskRecord::taskId).toList();
        if (!running.isEmpty()) {
            throw new Problem(HttpStatus.CONFLICT_409, "a running task cannot be reset; wait for it to end or stop its run: "
                    + String.join(", ", running.subList(0, Math.min(5, running.size())))
                    + (running.size() > 5 ? " and " + (running.size() - 5) + " more" : ""));
        }
        List<String> reset = store.reset(all.stream().map(TaskRecord::taskId).toList(), by());
        ObjectNode out = object().put("task_id", taskId).put("downstream", downstream).put("reset", reset.size());
        ArrayNode ids = out.putArray("task_ids");
        reset.stream().limit(SUMMARY_TASKS).forEach(ids::add);
        return out;
    }

    private String by() {
        return user + " (astra ui)";
    }

    // ---- helpers

    private Set<String> disabledFamilies() {
        Set<String> names = new TreeSet<>();
        store.disabledFamilies().stream().map(DisabledFamily::family).forEach(names::add);
        return names;
    }

    private static ObjectNode counts(Collection<StateCount> counts) {
        ObjectNode o = object();
        long total = 0;
        for (TaskState s : TaskState.values()) {
            long n = counts.stream().filter(c -> c.state() == s).mapToLong(StateCount::count).sum();
            o.put(s.name().toLowerCase(Locale.ROOT), n);
            total += n;
        }
        return o.put("total", total);
    }

    private static JsonNode params(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(json);
        }
    }

    private static boolean bodyFlag(String body, String name) {
        if (body == null || body.isBlank()) {
            return false;
        }
        try {
            return JSON.readTree(body).path(name).asBoolean(false);
        } catch (JsonProcessingException e) {
            throw new Problem(HttpStatus.BAD_REQUEST_400, "the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static TaskState state(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return TaskState.valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Problem(HttpStatus.BAD_REQUEST_400, "state must be one of pending, running, done, failed, missing; not '"
                    + s + "'");
        }
    }

    private static int limit(Fields query, int otherwise) {
        long n = longOr(query, "limit", otherwise);
        if (n < 1 || n > StoreBrowser.MAX_LIMIT) {
            throw new Problem(HttpStatus.BAD_REQUEST_400, "limit must be 1 to " + StoreBrowser.MAX_LIMIT + ", not " + n);
        }
        return (int) n;
    }

    private static Long longParam(Fields query, String name) {
        String v = blankToNull(query.getValue(name));
        return v == null ? null : parseLong(name, v);
    }

    private static long longOr(Fields query, String name, long otherwise) {
        Long v = longParam(query, name);
        return v == null ? otherwise : v;
    }

    private static long parseLong(String name, String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new Problem(HttpStatus.BAD_REQUEST_400, name + " must be a whole number, not '" + v + "'");
        }
    }

    /** A parameter's name as its JSON writes it (the Java name): {@code star-id} and {@code star_id} are {@code starId}. */
    static String camelCase(String name) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '-' || c == '_') {
                upper = b.length() > 0;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many of the first {@code n} bytes hold whole UTF-8 characters: a cut one is read again with the next chunk. */
    static int wholeCharacters(byte[] bytes, int n) {
        int p = n;
        while (p > 0 && n - p < 3 && (bytes[p - 1] & 0xC0) == 0x80) {
            p--;
        }
        if (p == 0) {
            return n;
        }
        int lead = bytes[p - 1] & 0xFF;
        int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return p - 1 + length > n ? p - 1 : n;
    }
}
