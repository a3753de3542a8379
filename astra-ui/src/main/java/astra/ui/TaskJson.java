package astra.ui;

import static astra.ui.Json.arrows;
import static astra.ui.Json.disabledFamilies;
import static astra.ui.Json.object;
import static astra.ui.Json.taskRow;
import static astra.ui.Json.text;

import astra.core.AstraException;
import astra.core.store.StoreBrowser;
import astra.core.store.TaskEvent;
import astra.core.store.TaskHistory;
import astra.core.store.TaskRecord;
import astra.core.store.TaskStore;
import astra.ui.Json.Arrow;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpStatus;

/** The API's answers about one task: its row, attempts, events and edges; its neighbourhood; its log. */
final class TaskJson {

    static final int NEIGHBOURS_PER_TASK = 20;
    static final int NEIGHBOURS_MAX = 150;
    static final int LOG_CHUNK = 256 * 1024;
    /** Edges counted at most per task and direction; past it, the answer says "more". */
    static final int EDGES_COUNTED = 10_000;

    private final TaskStore store;
    private final StoreBrowser browse;
    private final UiServer.AttemptLogFiles logs;

    TaskJson(TaskStore store, UiServer.AttemptLogFiles logs) {
        this.store = store;
        this.browse = store.browser();
        this.logs = logs;
    }

    ObjectNode task(String taskId) {
        TaskHistory history = history(taskId);
        ObjectNode out = object();
        ObjectNode task = taskRow(history.task());
        task.put("class_name", history.task().className());
        task.put("priority", history.task().priority());
        task.put("unfinished_deps", history.task().unfinishedDeps());
        out.set("task", task);
        out.put("family_disabled", disabledFamilies(store).contains(history.task().family()));
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
        StoreBrowser.EdgeCounts n = browse.edgeCounts(taskId, EDGES_COUNTED);
        out.set("requirements", edgeList(browse.requirementsOf(taskId, NEIGHBOURS_PER_TASK),
                Math.min(n.requirements(), EDGES_COUNTED), n.requirementsCapped()));
        out.set("dependents", edgeList(browse.dependentsOf(taskId, NEIGHBOURS_PER_TASK),
                Math.min(n.dependents(), EDGES_COUNTED), n.dependentsCapped()));
        return out;
    }

    private ObjectNode edgeList(List<String> ids, long count, boolean more) {
        Map<String, TaskRecord> rows = new HashMap<>();
        store.tasks(ids).forEach(t -> rows.put(t.taskId(), t));
        ObjectNode out = object().put("count", count).put("more", more);
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
            throw new UiApi.Problem(HttpStatus.NOT_FOUND_404, e.getMessage());
        }
    }

    ObjectNode neighbours(String taskId, int depth) {
        TaskRecord root = store.task(taskId).orElseThrow(() -> new UiApi.Problem(HttpStatus.NOT_FOUND_404, "no task " + taskId));
        Map<String, Integer> level = new LinkedHashMap<>();
        level.put(taskId, 0);
        Set<Arrow> edges = new LinkedHashSet<>();
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
                        edges.add(new Arrow(id, r));
                    }
                }
            }
            if (at >= 0) {
                List<String> dep = browse.dependentsOf(id, NEIGHBOURS_PER_TASK + 1);
                truncated |= dep.size() > NEIGHBOURS_PER_TASK;
                for (String d : dep.subList(0, Math.min(dep.size(), NEIGHBOURS_PER_TASK))) {
                    truncated |= !visit(d, at + 1, level, queue);
                    if (level.containsKey(d)) {
                        edges.add(new Arrow(d, id));
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
        out.set("edges", arrows(edges));
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

    /** Attempt {@code attempt} (the last when null) of a task's log, from {@code offset}. */
    ObjectNode log(String taskId, Long attempt, long offset) {
        List<TaskHistory.Attempt> attempts = history(taskId).attempts();
        ObjectNode out = object().put("task_id", taskId).put("attempts", attempts.size());
        if (attempts.isEmpty()) {
            return out.put("found", false).put("message", "this task has not run yet: it has no log");
        }
        long index = attempt == null ? attempts.size() - 1 : attempt;
        if (index < 0 || index >= attempts.size()) {
            throw new UiApi.Problem(HttpStatus.NOT_FOUND_404, taskId + " has attempts 0 to " + (attempts.size() - 1)
                    + ", not " + index);
        }
        TaskHistory.Attempt a = attempts.get((int) index);
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
