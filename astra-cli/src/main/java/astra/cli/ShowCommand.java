package astra.cli;

import astra.core.store.TaskHistory;
import astra.core.config.Config;
import astra.core.db.Database;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "show",
        mixinStandardHelpOptions = true,
        description = "Shows one task: its parameters, state, and every attempt with its worker, host, "
                + "timing, error and log file.",
        footer = {"", "Examples:",
                "  astra show ProcessField_42_3f9a1c2b0d",
                "  astra show ProcessField_42_3f9a1c2b0d --json",
                "", "Exit codes: 0 shown; 2 no such task (close ids are suggested)."})
final class ShowCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--json", description = "Print it as JSON, for scripts.")
    boolean json;

    @Parameters(paramLabel = "TASK_ID", description = "The task's id, as astra run and astra status print it.")
    String taskId;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Config cfg = database.loadConfig(spec.commandLine().getErr());
        try (Database db = database.open(cfg)) {
            TaskHistory history = TaskHistory.load(db.store(), taskId);
            if (json) {
                out.println(JSON.writeValueAsString(toJson(history)));
            } else {
                print(history, out);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void print(TaskHistory history, PrintWriter out) {
        TaskRecord t = history.task();
        out.println("Task        " + t.taskId());
        out.println("Family      " + t.family() + " (" + t.className() + ")");
        out.println("State       " + t.state() + (t.state() == TaskState.RUNNING && t.worker() != null ? " on " + t.worker() : ""));
        out.println("Run         " + (t.runId() == null ? "-" : t.runId()));
        out.println("Attempts    " + t.attempts() + " in its run"
                + (t.unfinishedDeps() > 0 ? "; waiting for " + t.unfinishedDeps() + " requirement(s)" : ""));
        if (t.startedAt() != null) {
            out.println("Started     " + t.startedAt() + (t.finishedAt() != null ? ", finished " + t.finishedAt()
                    + " (" + human(Duration.between(t.startedAt(), t.finishedAt())) + ")" : ""));
        }
        if (t.error() != null) {
            out.println("Error       " + t.error());
        }
        out.println("Parameters");
        JsonNode params = parameters(t);
        if (params.isEmpty()) {
            out.println("  (none)");
        }
        int width = 0;
        for (Iterator<String> names = params.fieldNames(); names.hasNext();) {
            width = Math.max(width, names.next().length());
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = params.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> f = fields.next();
            out.printf("  %-" + width + "s = %s%n", f.getKey(),
                    f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString());
        }
        out.println("History");
        if (history.attempts().isEmpty()) {
            out.println("  not run yet");
        }
        // Attempts and resets in the order they happened.
        List<Map.Entry<Instant, List<String>>> entries = new ArrayList<>();
        for (TaskHistory.Attempt a : history.attempts()) {
            entries.add(Map.entry(a.start(), List.of(
                    "  run " + a.runId() + ", attempt " + a.number() + ": " + a.outcome()
                            + (a.duration() != null ? " after " + human(a.duration()) : "")
                            + (a.error() != null ? ": " + a.error() : ""),
                    "    started " + a.start() + (a.end() != null ? ", ended " + a.end() : "")
                            + " by " + a.workerId() + worker(a),
                    "    log " + (a.log() != null ? a.log() : "(none written)"))));
        }
        for (TaskHistory.Reset r : history.resets()) {
            entries.add(Map.entry(r.at(), List.of("  reset by " + r.by() + " at " + r.at())));
        }
        entries.sort(Map.Entry.comparingByKey());
        entries.forEach(e -> e.getValue().forEach(out::println));
    }

    private static String worker(TaskHistory.Attempt a) {
        return a.host() == null ? "" : " on " + a.host() + " (pid " + a.pid() + ")";
    }

    private static JsonNode parameters(TaskRecord t) {
        try {
            JsonNode params = JSON.readTree(t.paramsJson() == null ? "{}" : t.paramsJson());
            return params.isObject() ? params : JSON.createObjectNode().set("value", params);
        } catch (IOException e) {
            return JSON.createObjectNode().put("(unreadable)", t.paramsJson());
        }
    }

    private static ObjectNode toJson(TaskHistory history) {
        TaskRecord t = history.task();
        ObjectNode node = JSON.createObjectNode();
        node.put("task_id", t.taskId()).put("family", t.family()).put("class_name", t.className())
                .put("state", t.state().name()).put("run_id", t.runId()).put("attempts", t.attempts())
                .put("unfinished_deps", t.unfinishedDeps()).put("priority", t.priority()).put("worker", t.worker())
                .put("started_at", text(t.startedAt())).put("finished_at", text(t.finishedAt()))
                .put("error", t.error());
        node.set("parameters", parameters(t));
        ArrayNode resets = node.putArray("resets");
        history.resets().forEach(r -> resets.addObject().put("at", text(r.at())).put("by", r.by()));
        ArrayNode attempts = node.putArray("history");
        for (TaskHistory.Attempt a : history.attempts()) {
            attempts.addObject().put("run_id", a.runId()).put("attempt", a.number()).put("outcome", a.outcome())
                    .put("error", a.error()).put("started_at", text(a.start())).put("ended_at", text(a.end()))
                    .put("millis", a.duration() == null ? null : a.duration().toMillis())
                    .put("worker", a.workerId()).put("host", a.host()).put("pid", a.pid())
                    .put("log", a.log() == null ? null : a.log().toString());
        }
        return node;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    /** 850 ms, 12.3 s, 4 min 05 s, 2 h 03 min. */
    static String human(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        if (millis < 3_600_000) {
            return String.format(Locale.ROOT, "%d min %02d s", millis / 60_000, millis / 1000 % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", millis / 3_600_000, millis / 60_000 % 60);
    }
}
