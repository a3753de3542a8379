package astra.ui;

import static astra.ui.Json.bytes;
import static astra.ui.Json.object;

import astra.core.store.RunRecord;
import astra.core.store.StoreBrowser;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.util.Fields;

/**
 * The JSON API under {@code /api} that the page uses: its routes, parameters and actions; the
 * answers are {@link RunJson}'s and {@link TaskJson}'s (documented in the README, keys in
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

    private static final Pattern RUN = Pattern.compile("^/runs/(\\d+)(/graph|/tasks|/failures)?$");
    private static final Pattern TASK = Pattern.compile("^/tasks/(.+?)(/neighbours|/log|/reset)?$");
    private static final Pattern FAMILY = Pattern.compile("^/families/([^/]+)/(disable|enable)$");

    private final TaskStore store;
    private final RunJson runs;
    private final TaskJson tasks;
    private final String user;

    UiApi(TaskStore store, UiServer.AttemptLogFiles logs, String user) {
        this.store = store;
        this.runs = new RunJson(store);
        this.tasks = new TaskJson(store, logs);
        this.user = user;
    }

    /** A GET under {@code /api}: {@code path} without that prefix. */
    byte[] read(String path, Fields query, boolean actionsAllowed) {
        if (path.equals("/session")) {
            return bytes(object().put("actions_allowed", actionsAllowed));
        }
        if (path.equals("/runs")) {
            return bytes(runs.runs(longParam(query, "before"), limit(query, 50)));
        }
        Matcher run = RUN.matcher(path);
        if (run.matches()) {
            long runId = Long.parseLong(run.group(1));
            RunRecord r = store.run(runId).orElseThrow(() -> new Problem(HttpStatus.NOT_FOUND_404, "no run " + runId));
            String part = run.group(2) == null ? "" : run.group(2);
            return bytes(switch (part) {
                case "/graph" -> runs.graph(r);
                case "/tasks" -> tasksOf(r, query);
                case "/failures" -> runs.failures(r);
                default -> runs.run(r);
            });
        }
        Matcher task = TASK.matcher(path);
        if (task.matches() && !"/reset".equals(task.group(2))) {
            String taskId = task.group(1);
            String part = task.group(2) == null ? "" : task.group(2);
            return bytes(switch (part) {
                case "/neighbours" -> tasks.neighbours(taskId, (int) Math.min(3, Math.max(1, longOr(query, "depth", 2))));
                case "/log" -> tasks.log(taskId, longParam(query, "attempt"), Math.max(0, longOr(query, "offset", 0)));
                default -> tasks.task(taskId);
            });
        }
        throw new Problem(HttpStatus.NOT_FOUND_404, "no API " + path + "; see the README, astra ui");
    }

    private ObjectNode tasksOf(RunRecord r, Fields query) {
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
        return runs.tasks(r, blankToNull(query.getValue("family")), state(query.getValue("state")), name, value,
                blankToNull(query.getValue("after")), limit(query, PAGE));
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
        reset.stream().limit(RunJson.SUMMARY_TASKS).forEach(ids::add);
        return out;
    }

    private String by() {
        return user + " (astra ui)";
    }

    // ---- parameters

    private static boolean bodyFlag(String body, String name) {
        if (body == null || body.isBlank()) {
            return false;
        }
        try {
            return Json.MAPPER.readTree(body).path(name).asBoolean(false);
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

}
