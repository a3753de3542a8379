package astra.plan;

import astra.core.SetCompleteTask;
import astra.core.Task;
import astra.core.WrapperTask;
import java.lang.reflect.Method;

/** How the scheduler learns whether a task of some class is complete. */
enum CompletionKind {
    /** The default {@code complete()}: outputs exist, or the task table says done (in bulk). */
    DEFAULT,
    /** A {@link WrapperTask}'s: derived from its requirements, once they are known. */
    DERIVED,
    /** The task's own {@code complete()}: called, on a thread pool when scheduling is parallel. */
    CUSTOM,
    /** A {@link SetCompleteTask}'s: {@code completeEach()} for a chunk of the family's tasks at once. */
    SET;

    private static final ClassValue<CompletionKind> KINDS = new ClassValue<>() {
        @Override
        protected CompletionKind computeValue(Class<?> type) {
            // Implementing the interface is the choice, whoever declares complete().
            if (SetCompleteTask.class.isAssignableFrom(type)) {
                return SET;
            }
            try {
                Method complete = type.getMethod("complete");
                Class<?> declaredBy = complete.getDeclaringClass();
                if (declaredBy == Task.class) {
                    return DEFAULT;
                }
                return declaredBy == WrapperTask.class ? DERIVED : CUSTOM;
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("a Task without complete(): " + type, e);
            }
        }
    };

    static CompletionKind of(Task task) {
        return KINDS.get(task.getClass());
    }
}
