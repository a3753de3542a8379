package astra.cli;

import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.db.Database;
import astra.core.store.TaskFilter;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "reset",
        mixinStandardHelpOptions = true,
        description = "Marks tasks not done so that the next 'astra run' that needs them runs them again. Without "
                + "--yes it only lists what it would reset. A running task cannot be reset. Only Astra's record "
                + "changes: a task whose complete() looks at its output files stays complete until they are removed.",
        footer = {"", "Examples:",
                "  astra reset ProcessField_dr17_42_20_f475a5692a            lists what would be reset",
                "  astra reset ProcessField_dr17_42_20_f475a5692a --yes      resets it",
                "  astra reset --family EstimateLabels --param field=42 --downstream --yes"})
final class ResetCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Parameters(paramLabel = "TASK-ID", arity = "0..*", description = "Ids of the tasks to reset.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--family", paramLabel = "F", description = "Reset the tasks of this family (those matching --param).")
    String family;

    @Option(names = "--param", paramLabel = "NAME=VALUE",
            description = "With --family: only tasks whose parameter NAME has this value (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = "--downstream", description = "Also reset every recorded task that needs them, directly or not.")
    boolean downstream;

    @Option(names = "--yes", description = "Reset them; without it, only list them.")
    boolean yes;

    @Override
    public Integer call() {
        if (ids.isEmpty() == (family == null)) {
            throw new AstraException.BadInput("astra reset needs task ids or --family F, not "
                    + (ids.isEmpty() ? "neither" : "both"));
        }
        if (!params.isEmpty() && family == null) {
            throw new AstraException.BadInput("--param selects tasks of a --family; give --family too");
        }
        Map<String, String> wanted = parseParams();
        PrintWriter out = spec.commandLine().getOut();
        Config cfg = database.loadConfig(spec.commandLine().getErr());
        try (Database opened = database.open(cfg)) {
            TaskStore store = opened.store();
            List<TaskRecord> selected = family != null ? ofFamily(store, wanted) : named(store);
            List<TaskRecord> all = new ArrayList<>(selected);
            if (downstream) {
                all.addAll(store.tasks(store.dependentsOf(selected.stream().map(TaskRecord::taskId).toList())));
            }
            List<TaskRecord> running = all.stream().filter(r -> r.state() == TaskState.RUNNING).toList();
            if (!running.isEmpty()) {
                StringBuilder m = new StringBuilder("a running task cannot be reset; wait for it to end or stop its run:");
                running.forEach(r -> m.append("\n  ").append(r.taskId()).append(" (worker ").append(r.worker())
                        .append(", run ").append(r.runId()).append(')'));
                throw new AstraException.BadInput(m.toString());
            }
            out.println((yes ? "Resetting " : "Would reset ") + all.size() + " task" + (all.size() == 1 ? "" : "s") + ":");
            Table t = new Table("STATE", "TASK", "RUN");
            all.forEach(r -> t.row(StoreInput.lower(r.state()), r.taskId(), r.runId() == null ? "-" : r.runId()));
            t.print(out, "  ");
            if (!yes) {
                out.println("Dry run: nothing changed. Run again with --yes to reset them.");
                return ExitCodes.OK;
            }
            List<String> reset = store.reset(all.stream().map(TaskRecord::taskId).toList(), user());
            out.println("Reset " + reset.size() + " task" + (reset.size() == 1 ? "" : "s")
                    + (reset.size() < all.size() ? "; " + (all.size() - reset.size())
                    + " started running meanwhile and were left as they are" : "")
                    + ". The next run that needs them runs them again; tasks whose complete() checks their "
                    + "output files stay complete until those files are removed.");
            return ExitCodes.OK;
        }
    }

    private List<TaskRecord> named(TaskStore store) {
        Set<String> unique = new LinkedHashSet<>(ids);
        Map<String, TaskRecord> rows = new LinkedHashMap<>();
        store.tasks(unique).forEach(r -> rows.put(r.taskId(), r));
        List<String> unknown = unique.stream().filter(id -> !rows.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw new AstraException.BadInput("no task " + String.join(", ", unknown)
                    + " is recorded in the database (see astra status)");
        }
        return unique.stream().map(rows::get).toList();
    }

    private List<TaskRecord> ofFamily(TaskStore store, Map<String, String> wanted) {
        StoreInput.family(store, family);
        List<TaskRecord> rows = store.findTasks(new TaskFilter(family, null, null), Integer.MAX_VALUE);
        Set<String> names = new TreeSet<>();
        List<TaskRecord> matching = new ArrayList<>();
        for (TaskRecord r : rows) {
            JsonNode values = parse(r);
            values.fieldNames().forEachRemaining(names::add);
            if (wanted.entrySet().stream().allMatch(w -> matches(value(values, w.getKey()), w.getValue()))) {
                matching.add(r);
            }
        }
        for (String name : wanted.keySet()) {
            if (names.stream().noneMatch(n -> sameName(n, name))) {
                throw new AstraException.BadInput(family + " has no parameter '" + name + "'; its parameters are "
                        + (names.isEmpty() ? "none" : String.join(", ", names)));
            }
        }
        if (matching.isEmpty()) {
            throw new AstraException.BadInput("no task of family " + family + " has " + String.join(" and ", params));
        }
        matching.sort(Comparator.comparing(TaskRecord::taskId));
        return matching;
    }

    private static JsonNode parse(TaskRecord r) {
        try {
            return JSON.readTree(r.paramsJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("task " + r.taskId() + " has unreadable parameters: " + e.getMessage(), e);
        }
    }

    /** The parameter's value, named as in Java (starId), as an option (star-id) or as in the config (star_id). */
    private static JsonNode value(JsonNode values, String name) {
        JsonNode exact = values.get(name);
        if (exact != null) {
            return exact;
        }
        for (var it = values.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (sameName(field, name)) {
                return values.get(field);
            }
        }
        return null;
    }

    private static boolean sameName(String field, String given) {
        return field.equals(given) || normal(field).equals(normal(given));
    }

    private static String normal(String name) {
        return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static boolean matches(JsonNode value, String wanted) {
        return value != null && (value.isValueNode() ? value.asText() : value.toString()).equals(wanted);
    }

    private Map<String, String> parseParams() {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new AstraException.BadInput("--param takes NAME=VALUE, e.g. --param field=42, not '" + p + "'");
            }
            wanted.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return wanted;
    }

    private static String user() {
        return System.getProperty("user.name", "unknown");
    }
}
