package astra.core.internal;

import astra.core.db.TaskStore;

/**
 * The process's task store, which the default {@link astra.core.Task#complete()} asks. Installed
 * once the database is open ({@code astra run}, a worker), and replaced by
 * {@code Database.initProcess()}.
 */
public final class TaskRuntime {

    private static volatile TaskStore store;

    private TaskRuntime() {}

    public static void install(TaskStore taskStore) {
        store = taskStore;
    }

    public static TaskStore store() {
        TaskStore s = store;
        if (s == null) {
            throw new IllegalStateException(
                    "no Astra database is open in this process: the default complete() asks Astra's task table,"
                            + " so call it from a task run by astra, or open a Database first");
        }
        return s;
    }
}
