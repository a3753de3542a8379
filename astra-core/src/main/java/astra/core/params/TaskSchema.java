package astra.core.params;

import astra.core.AstraException;
import astra.core.BatchTask;
import astra.core.Task;
import astra.core.TaskName;
import astra.core.Visibility;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The parameters of one task class, and everything done with them: ids, canonical JSON,
 * building a task from strings, rebuilding it from JSON.
 *
 * <p>A task id is {@code Family_<summary>_<hash>}, after Luigi's {@code task_id_str}:
 * <ul>
 *   <li>the summary is the canonical strings ({@link ParamSpec#format}) of the first three
 *       significant {@link Visibility#PUBLIC public} parameters in declaration order, each cut to 16 characters, joined by
 *       {@code _}, with every character outside {@code [A-Za-z0-9_]} replaced by {@code _};
 *   <li>the hash is the first 10 hex digits of the SHA-256 of the UTF-8 canonical JSON
 *       {@code {"family":"<family>","params":{<all significant parameters>}}} (keys sorted, no
 *       whitespace, values as in {@link #paramsJson}), hidden and private ones included.
 * </ul>
 * A task with no significant parameter has an empty summary: {@code Family__<hash>}. Nothing in
 * the id depends on the JVM's locale, time zone, or hash order, so it is the same in every run.
 */
public final class TaskSchema {

    private static final int SUMMARY_PARAMS = 3;
    private static final int SUMMARY_CHARS = 16;
    private static final int HASH_CHARS = 10;
    private static final Pattern NOT_ID_CHAR = Pattern.compile("[^A-Za-z0-9_]");
    private static final Pattern FAMILY = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_.\\-]*");

    private static final ClassValue<TaskSchema> CACHE = new ClassValue<>() {
        @Override
        protected TaskSchema computeValue(Class<?> type) {
            return create(type);
        }
    };

    private final Class<? extends Task> type;
    private final String family;
    private final List<ParamSpec> params;
    private final TaskAccess access;

    private TaskSchema(Class<? extends Task> type, String family, List<ParamSpec> params, TaskAccess access) {
        this.type = type;
        this.family = family;
        this.params = params;
        this.access = access;
    }

    /**
     * The schema of a task class, built once per class. A valid task class implements
     * {@link Task}, is concrete and named (not a lambda or anonymous class), and is either a
     * record, every component of which is a parameter, or a class whose {@code @Param} fields
     * (non-static, inherited ones first) are its parameters and which has a no-arg constructor
     * of any visibility. Every parameter type must be supported (see {@link ParamSpec#parse}),
     * every default must parse, and no two parameters may share an option name. A task class
     * may have no parameters.
     *
     * @throws AstraException.BadInput naming the class and what is wrong with it
     */
    public static TaskSchema of(Class<?> type) {
        return CACHE.get(Objects.requireNonNull(type, "type"));
    }

    private static TaskSchema create(Class<?> raw) {
        if (!Task.class.isAssignableFrom(raw)) {
            throw invalid(raw, "it does not implement astra.core.Task");
        }
        Class<? extends Task> type = raw.asSubclass(Task.class);
        TaskAccess access;
        try {
            access = TaskAccess.of(type);
        } catch (IllegalArgumentException e) {
            throw invalid(raw, e.getMessage());
        }
        String family = familyOf(type);
        List<ParamSpec> params = new ArrayList<>();
        Set<String> options = new HashSet<>();
        for (TaskAccess.Member m : access.members()) {
            ParamSpec spec;
            try {
                spec = new ParamSpec(m.name(), m.type(), m.param());
            } catch (IllegalArgumentException e) {
                throw invalid(raw, "parameter " + m.name() + " has the unsupported type "
                        + JacksonCodec.simpleName(m.type()) + ": " + e.getMessage());
            }
            if (!options.add(spec.optionName())) {
                throw invalid(raw, "two parameters are both named --" + spec.optionName());
            }
            spec.defaultValue().ifPresent(d -> {
                try {
                    spec.parse(d);
                } catch (AstraException.BadInput e) {
                    throw invalid(raw, "bad @Param default: " + e.getMessage());
                }
            });
            params.add(spec);
        }
        checkBatchable(type, params);
        return new TaskSchema(type, family, List.copyOf(params), access);
    }

    private static void checkBatchable(Class<? extends Task> type, List<ParamSpec> params) {
        for (ParamSpec spec : params) {
            if (!spec.batchable()) {
                continue;
            }
            if (!BatchTask.class.isAssignableFrom(type)) {
                throw invalid(type, "parameter " + spec.name() + " is marked @Param(batch = true) but the class"
                        + " does not implement astra.core.BatchTask");
            }
            if (!spec.significant()) {
                throw invalid(type, "parameter " + spec.name() + " is batchable but not significant: tasks that"
                        + " differ only in it are one task");
            }
        }
    }

    private static String familyOf(Class<? extends Task> type) {
        TaskName name = type.getAnnotation(TaskName.class);
        String family = name != null ? name.value() : type.getSimpleName();
        if (!FAMILY.matcher(family).matches()) {
            throw invalid(type, "its family name '" + family + "' is not a letter or _ followed by letters,"
                    + " digits, _, . or -");
        }
        return family;
    }

    private static AstraException.BadInput invalid(Class<?> type, String problem) {
        return new AstraException.BadInput(type.getName() + " is not a valid task class: " + problem);
    }

    /** The task class. */
    public Class<? extends Task> type() {
        return type;
    }

    /** The family: the class's {@link TaskName}, or its simple name. */
    public String family() {
        return family;
    }

    /** In declaration order (record components; fields from the base class down). */
    public List<ParamSpec> params() {
        return params;
    }

    /** The parameter with this Java name, option name (with or without {@code --}) or config key. */
    public Optional<ParamSpec> param(String name) {
        String bare = name.startsWith("--") ? name.substring(2) : name;
        return params.stream()
                .filter(p -> p.name().equals(bare) || p.optionName().equals(bare) || p.configKey().equals(bare))
                .findFirst();
    }

    /** The task's id; see the class comment for its form. */
    public String id(Task task) {
        ObjectNode significant = CanonicalJson.MAPPER.createObjectNode();
        List<String> summary = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            ParamSpec spec = params.get(i);
            if (spec.significant()) {
                Object value = value(task, i);
                significant.set(spec.name(), spec.toJson(value));
                if (summary.size() < SUMMARY_PARAMS && spec.visibility() == Visibility.PUBLIC) {
                    String text = spec.format(value);
                    summary.add(text.length() > SUMMARY_CHARS ? text.substring(0, SUMMARY_CHARS) : text);
                }
            }
        }
        ObjectNode identity = CanonicalJson.MAPPER.createObjectNode();
        identity.put("family", family);
        identity.set("params", significant);
        String hash = CanonicalJson.sha256Hex(CanonicalJson.write(identity), HASH_CHARS);
        return family + "_" + NOT_ID_CHAR.matcher(String.join("_", summary)).replaceAll("_") + "_" + hash;
    }

    /**
     * The key shared by the tasks that may run in one batch with this one: those of its family
     * whose parameters other than the batchable ones ({@code @Param(batch = true)}) are all
     * equal, significant or not, so a batch's members differ in batchable parameters only. It is
     * the family, then {@code :}, then the SHA-256 of those parameters' canonical JSON (a hash,
     * so a large parameter does not make a large index entry). Empty for a family with no
     * batchable parameter.
     */
    public Optional<String> batchKey(Task task) {
        if (params.stream().noneMatch(ParamSpec::batchable)) {
            return Optional.empty();
        }
        ObjectNode shared = CanonicalJson.MAPPER.createObjectNode();
        for (int i = 0; i < params.size(); i++) {
            ParamSpec spec = params.get(i);
            if (!spec.batchable()) {
                shared.set(spec.name(), spec.toJson(value(task, i)));
            }
        }
        return Optional.of(family + ":" + CanonicalJson.sha256Hex(CanonicalJson.write(shared)));
    }

    /**
     * Canonical JSON object of all parameters (significant or not, private ones too, so that
     * {@link #fromJson} rebuilds the same task) by Java name, keys sorted.
     */
    public String paramsJson(Task task) {
        ObjectNode json = CanonicalJson.MAPPER.createObjectNode();
        for (int i = 0; i < params.size(); i++) {
            json.set(params.get(i).name(), params.get(i).toJson(value(task, i)));
        }
        return CanonicalJson.write(json);
    }

    /** The parameter values by Java name, in declaration order. */
    public Map<String, Object> values(Task task) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            values.put(params.get(i).name(), value(task, i));
        }
        return Collections.unmodifiableMap(values);
    }

    /**
     * Rebuilds a task from {@link #paramsJson}. A parameter missing from the JSON takes its
     * default; BadInput for a key that is no parameter, a bad value, or a missing required one.
     */
    public Task fromJson(String paramsJson) {
        JsonNode json;
        try {
            json = CanonicalJson.read(paramsJson);
        } catch (BadValue e) {
            throw new AstraException.BadInput("parameters of " + family + ": " + e.reason());
        }
        if (!json.isObject()) {
            throw new AstraException.BadInput("parameters of " + family + " must be a JSON object, not " + paramsJson);
        }
        for (String key : (Iterable<String>) json::fieldNames) {
            if (params.stream().noneMatch(p -> p.name().equals(key))) {
                throw new AstraException.BadInput("unknown parameter '" + key + "' in the JSON parameters of "
                        + family + didYouMean(key, ParamSpec::name, "", false));
            }
        }
        return instantiate(spec -> {
            JsonNode node = json.get(spec.name());
            return node == null ? null : spec.fromJson(node, "parameter " + spec.name() + " of " + family);
        });
    }

    /**
     * Builds a task from command-line values (keyed by option name, kebab-case) then config
     * values (keyed by config key, snake_case), then defaults. Config keys that are no parameter
     * are ignored, since a config section may hold other settings, and so are keys of
     * {@link Visibility#PRIVATE private} parameters, which only code sets (the command line warns
     * of both). Unknown command-line options are BadInput, with a suggestion; private ones are
     * BadInput saying so.
     */
    public Task build(Map<String, String> cliValues, Map<String, String> configValues) {
        for (String key : cliValues.keySet()) {
            Optional<ParamSpec> known = params.stream().filter(p -> p.optionName().equals(key)).findFirst();
            if (known.isEmpty()) {
                throw new AstraException.BadInput("unknown parameter --" + key + " for " + family
                        + didYouMean(key, ParamSpec::optionName, "--", true));
            }
            if (known.get().visibility() == Visibility.PRIVATE) {
                throw privateOption(known.get());
            }
        }
        return instantiate(spec -> {
            if (spec.visibility() == Visibility.PRIVATE) {
                return null;
            }
            String cli = cliValues.get(spec.optionName());
            if (cli != null) {
                return spec.parse(cli);
            }
            String config = configValues.get(spec.configKey());
            if (config == null) {
                return null;
            }
            try {
                return spec.parse(config, "config [" + family + "] " + spec.configKey());
            } catch (AstraException.BadInput e) {
                throw new AstraException.BadConfig(e.getMessage());
            }
        });
    }

    /** The error for a private parameter given on the command line. */
    public AstraException.BadInput privateOption(ParamSpec spec) {
        return new AstraException.BadInput("parameter --" + spec.optionName() + " of " + family
                + " is private: only the tasks that require " + family + " set it, not the command line");
    }

    /** Creates the task from the values {@code given} returns, null meaning "use the default". */
    private Task instantiate(Function<ParamSpec, Object> given) {
        Object[] values = new Object[params.size()];
        List<ParamSpec> missing = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            ParamSpec spec = params.get(i);
            Object value = given.apply(spec);
            if (value == null && spec.defaultValue().isPresent()) {
                value = spec.parse(spec.defaultValue().get());
            }
            if (value == null) {
                missing.add(spec);
            }
            values[i] = value;
        }
        if (!missing.isEmpty()) {
            throw new AstraException.BadInput("missing required parameter" + (missing.size() > 1 ? "s " : " ")
                    + missing.stream().map(ParamSpec::describe).collect(Collectors.joining(", ")) + " of " + family);
        }
        try {
            return access.create(values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AstraException astra) {
                throw astra;
            }
            String reason = cause.getMessage() != null ? cause.getMessage() : cause.toString();
            throw new AstraException.BadInput(family + " rejected its parameters: " + reason, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + type.getName(), e);
        }
    }

    private Object value(Task task, int index) {
        if (task.getClass() != type) {
            throw new IllegalArgumentException("a " + task.getClass().getName() + " is not a " + type.getName());
        }
        return access.get(task, index);
    }

    /**
     * Suggestions for a mistyped name: the close ones among the parameters that may be given, or
     * else the list of them. For a user (command line) that is the parameters they may set, and
     * the list is those {@code --help} shows; for code (JSON), every parameter.
     */
    private String didYouMean(String key, Function<ParamSpec, String> naming, String prefix, boolean user) {
        List<String> settable = params.stream()
                .filter(p -> !user || p.visibility() != Visibility.PRIVATE).map(naming).toList();
        List<String> listed = params.stream()
                .filter(p -> !user || p.visibility() == Visibility.PUBLIC).map(naming).toList();
        if (params.isEmpty()) {
            return "; it takes no parameters";
        }
        List<String> close = Names.closest(key, settable, 3);
        if (close.isEmpty() && listed.isEmpty()) {
            return "; it has no public parameters";
        }
        List<String> shown = close.isEmpty() ? listed : close;
        return (close.isEmpty() ? "; its parameters are " : "; did you mean ")
                + shown.stream().map(n -> prefix + n).collect(Collectors.joining(", "))
                + (close.isEmpty() ? "" : "?");
    }
}
