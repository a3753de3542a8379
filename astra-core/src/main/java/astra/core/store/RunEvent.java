package astra.core.store;

import java.time.Instant;

/**
 * A task of a run that succeeded, failed for good, or failed and will be tried again, as its
 * history recorded it: what a run's event handlers hear ({@code [scheduler] event_handlers}).
 *
 * @param eventId the event's number, increasing: where to read on from
 * @param message the error of a failure (after "failed, will retry ...: " for a retry); null for a success
 */
public record RunEvent(long eventId, long runId, String taskId, String family, Instant at, Kind kind, String worker, String message) {

    /** What happened to the task. */
    public enum Kind { SUCCESS, RETRY, FAILURE }
}
