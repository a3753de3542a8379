package astra.core;

import astra.core.store.RunEvent;

/**
 * Hears what happens to a run's tasks, for notifications and bookkeeping: Luigi's
 * {@code @Task.event_handler}. Name the classes in {@code [scheduler] event_handlers} (each with a
 * public constructor taking no arguments); {@code astra run} makes one of each and calls them on
 * one thread of its own, in the order the outcomes were recorded, about a second after each, for
 * the tasks of every worker of the run (local processes, Slurm jobs, {@code astra worker}). A
 * handler that throws is logged and changes nothing in the run.
 *
 * <pre>{@code
 * public final class TellTheChannel implements TaskEventHandler {
 *     @Override
 *     public void onFailure(RunEvent e) {
 *         Chat.post("#pipeline", e.taskId() + " failed: " + e.message());
 *     }
 * }
 * }</pre>
 */
public interface TaskEventHandler {

    /** The task ran to success. */
    default void onSuccess(RunEvent event) {}

    /** The task failed and will be tried again ({@code [scheduler] retry_count}). */
    default void onRetry(RunEvent event) {}

    /** The task failed for good: no attempt is left. */
    default void onFailure(RunEvent event) {}

    /** Whether {@link #onSuccess} does anything: a run reads successes only for handlers that want them. */
    default boolean wantsSuccesses() {
        return true;
    }
}
