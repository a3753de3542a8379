package astra.cli;

import astra.core.AstraException;
import astra.core.internal.Suggestions;
import astra.core.store.RunRecord;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import java.util.List;
import java.util.Locale;

/** Command-line values that name things in Astra's tables, checked against them with one clear message each. */
final class StoreInput {

    private StoreInput() {}

    static final String STATES = "pending, running, done, failed, missing";

    /** A task state by name, any case; null stays null. */
    static TaskState state(String name) {
        if (name == null) {
            return null;
        }
        try {
            return TaskState.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AstraException.BadInput("unknown state '" + name + "'; the states are " + STATES);
        }
    }

    /** A family that has task rows; null stays null. */
    static String family(TaskStore store, String family) {
        if (family == null) {
            return null;
        }
        List<String> known = store.families();
        if (!known.contains(family)) {
            List<String> close = Suggestions.closest(family, known, 3);
            throw new AstraException.BadInput("no task of family '" + family + "' is recorded in the database"
                    + (close.isEmpty() ? known.isEmpty() ? " (it holds no task yet)" : "" : "; did you mean "
                    + String.join(" or ", close) + "?"));
        }
        return family;
    }

    /** The run of that id, which must exist. */
    static RunRecord run(TaskStore store, long runId) {
        return store.run(runId).orElseThrow(() -> new AstraException.BadInput("no run " + runId + " in the database"
                + store.latestRun().map(r -> "; the latest is run " + r.runId()).orElse(" (it holds no run yet)")));
    }

    static String lower(TaskState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
