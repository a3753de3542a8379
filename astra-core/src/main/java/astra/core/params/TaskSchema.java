package astra.core.params;

import astra.core.Task;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SKELETON (to be implemented): the parameters of one task class, and everything done with
 * them: ids, canonical JSON, building a task from strings, rebuilding it from JSON.
 */
public final class TaskSchema {

    private TaskSchema() {}

    /** The schema of a task class, cached; BadInput naming the class if it is not a valid task. */
    public static TaskSchema of(Class<?> type) {
        throw new UnsupportedOperationException("skeleton");
    }

    public Class<? extends Task> type() {
        throw new UnsupportedOperationException("skeleton");
    }

    public String family() {
        throw new UnsupportedOperationException("skeleton");
    }

    /** In declaration order (record components; fields from the base class down). */
    public List<ParamSpec> params() {
        throw new UnsupportedOperationException("skeleton");
    }

    public String id(Task task) {
        throw new UnsupportedOperationException("skeleton");
    }

    /** Canonical JSON object of all parameters (significant or not), keys sorted. */
    public String paramsJson(Task task) {
        throw new UnsupportedOperationException("skeleton");
    }

    /** Rebuilds a task from {@link #paramsJson}. */
    public Task fromJson(String paramsJson) {
        throw new UnsupportedOperationException("skeleton");
    }

    /**
     * Builds a task from command-line values (keyed by option name, kebab-case) then config
     * values (keyed by config key, snake_case), then defaults.
     */
    public Task build(Map<String, String> cliValues, Map<String, String> configValues) {
        throw new UnsupportedOperationException("skeleton");
    }

    public Optional<ParamSpec> param(String name) {
        throw new UnsupportedOperationException("skeleton");
    }
}
