package astra.core;

import astra.core.params.TaskSchema;

/** Names of tasks: their family and their id. */
public final class Tasks {

    private Tasks() {}

    /**
     * The task's id: {@code Family_<first parameter values>_<hash>}, derived only from the
     * family and the canonical form of the significant parameters, so it is the same in every
     * JVM and every run.
     */
    public static String id(Task task) {
        return TaskSchema.of(task.getClass()).id(task);
    }

    /** The task's family: its {@link TaskName}, or its class's simple name. */
    public static String family(Task task) {
        return family(task.getClass());
    }

    public static String family(Class<? extends Task> type) {
        return TaskSchema.of(type).family();
    }
}
