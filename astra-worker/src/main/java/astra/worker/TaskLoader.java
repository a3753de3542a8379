package astra.worker;

import astra.core.AstraException;
import astra.core.BatchTask;
import astra.core.Task;
import astra.core.params.TaskSchema;
import astra.core.store.ClaimedTask;

/** Rebuilds a claimed task from its class name and canonical parameters. */
public final class TaskLoader {

    private final ClassLoader classLoader;

    public TaskLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** Whether the claimed task is a {@link BatchTask}; false when its class cannot be loaded. */
    boolean isBatchTask(ClaimedTask claimed) {
        try {
            return BatchTask.class.isAssignableFrom(Class.forName(claimed.className(), false, classLoader));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    public Task load(ClaimedTask claimed) {
        Class<?> type;
        try {
            type = Class.forName(claimed.className(), true, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new AstraException.BadInput("task class " + claimed.className() + " of " + claimed.taskId()
                    + " is not on the classpath (use --cp or ASTRA_CLASSPATH)", e);
        }
        return TaskSchema.of(type).fromJson(claimed.paramsJson());
    }
}
