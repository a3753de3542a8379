package astra.test;

import astra.core.store.TaskEvent;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.worker.AttemptLogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One task as Astra's tables recorded it after a run: its row ({@link TaskRecord}) and its
 * history ({@link TaskEvent}s, oldest first), as {@code astra show} reads them.
 *
 * @param taskId the task's id ({@code Family_<values>_<hash>})
 * @param family the task's family
 * @param state where it ended: {@link TaskState#DONE}, {@link TaskState#FAILED}, ...
 * @param attempts how many times it was started (retries included)
 * @param error the last failure's one-line error ({@code IllegalStateException: no frames}); null if none
 * @param events its history: each state change with its worker and message, oldest first
 */
public record TaskResult(String taskId, String family, TaskState state, int attempts, String error,
        List<TaskEvent> events) {

    public TaskResult {
        events = List.copyOf(events);
    }

    static TaskResult of(TaskRecord row, List<TaskEvent> events) {
        return new TaskResult(row.taskId(), row.family(), row.state(), row.attempts(), row.error(), events);
    }

    /** Whether it ended {@link TaskState#DONE}. */
    public boolean isDone() {
        return state == TaskState.DONE;
    }

    /** The files of its attempts' logs that were written (an attempt that printed nothing has none), oldest first. */
    public List<Path> logFiles() {
        return events.stream().map(TaskEvent::message)
                .filter(m -> m != null && m.startsWith(AttemptLogs.NOTE_PREFIX))
                .map(m -> Path.of(m.substring(AttemptLogs.NOTE_PREFIX.length()).strip()))
                .distinct().toList();
    }

    /**
     * What its last attempt wrote ({@code System.out}, {@code System.err}, {@code ctx.logger()},
     * and the stack trace if it failed), as {@code astra logs} shows it; empty when it wrote nothing.
     */
    public String log() {
        List<Path> files = logFiles();
        return files.isEmpty() ? "" : read(files.get(files.size() - 1));
    }

    /** The messages of its history, oldest first ({@code failed, will retry ...}, {@code log: ...}). */
    public List<String> messages() {
        return events.stream().map(TaskEvent::message).filter(m -> m != null && !m.isEmpty()).toList();
    }

    /** Its last event in {@code state}, if it had one. */
    public Optional<TaskEvent> lastEvent(TaskState inState) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).state() == inState) {
                return Optional.of(events.get(i));
            }
        }
        return Optional.empty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the attempt log " + file, e);
        }
    }
}
