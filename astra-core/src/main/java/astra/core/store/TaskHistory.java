package astra.core.store;

import astra.core.AstraException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task's row and its attempts, read back from its history: each claim starts an attempt, the
 * next state change ends it, and the lines between say where its log is (a worker writes
 * {@code log: <path>} before it records the outcome).
 */
public record TaskHistory(TaskRecord task, List<Attempt> attempts, List<Reset> resets) {

    /** An operator's reset of the task ({@code astra reset}): when, and by whom. */
    public record Reset(Instant at, String by) {}

    private static final String RESET = "reset by ";

    private static final Pattern CLAIMED = Pattern.compile("^claimed \\(attempt (\\d+)");
    private static final String LOG = "log: ";
    private static final int SUGGESTIONS = 5;

    /**
     * One attempt: its run and number in that run, the worker that ran it (host and pid when the
     * worker registered), when it started and ended, how it ended and why, and its log file.
     */
    public record Attempt(long runId, int number, String workerId, String host, Long pid, Instant start, Instant end,
            String outcome, String error, Path log) {

        public Duration duration() {
            return end == null ? null : Duration.between(start, end);
        }
    }

    /** The task's history, or bad input naming close ids (same prefix) when there is no such task. */
    public static TaskHistory load(TaskStore store, String taskId) {
        TaskRecord task = store.task(taskId).orElseThrow(() -> unknown(store, taskId));
        List<TaskEvent> events = store.events(taskId);
        List<Reset> resets = events.stream().filter(e -> e.message() != null && e.message().startsWith(RESET))
                .map(e -> new Reset(e.at(), e.message().substring(RESET.length()))).toList();
        return new TaskHistory(task, attempts(store, events), resets);
    }

    private static AstraException unknown(TaskStore store, String taskId) {
        List<String> close = store.taskIdsStartingWith(taskId, SUGGESTIONS);
        int family = taskId.indexOf('_');
        if (close.isEmpty() && family > 0) {
            close = store.taskIdsStartingWith(taskId.substring(0, family + 1), SUGGESTIONS);
        }
        return new AstraException.BadInput("no task '" + taskId + "' in this database; "
                + (close.isEmpty() ? "'astra status' lists the tasks of the last run"
                        : "did you mean " + String.join(", ", close) + (close.size() == SUGGESTIONS ? ", ...?" : "?")));
    }

    public static List<Attempt> attempts(TaskStore store, List<TaskEvent> events) {
        Map<Long, Map<String, WorkerRecord>> workersByRun = new HashMap<>();
        List<Attempt> attempts = new ArrayList<>();
        Attempt open = null;
        for (TaskEvent e : events) {
            Matcher claimed = CLAIMED.matcher(e.message() == null ? "" : e.message());
            if (e.state() == TaskState.RUNNING && claimed.find()) {
                if (open != null) {
                    attempts.add(ended(open, e.at(), "ended without a record", null));
                }
                long runId = e.runId() == null ? 0 : e.runId();
                WorkerRecord worker = workersByRun.computeIfAbsent(runId, r -> byId(store.workers(r))).get(e.worker());
                open = new Attempt(runId, Integer.parseInt(claimed.group(1)), e.worker(),
                        worker == null ? null : worker.host(), worker == null ? null : worker.pid(), e.at(), null,
                        "running", null, null);
            } else if (open != null && e.state() == null && e.message() != null && e.message().startsWith(LOG)) {
                open = new Attempt(open.runId(), open.number(), open.workerId(), open.host(), open.pid(),
                        open.start(), null, open.outcome(), null, Path.of(e.message().substring(LOG.length())));
            } else if (open != null && e.state() != null) {
                attempts.add(end(open, e));
                open = null;
            }
        }
        if (open != null) {
            attempts.add(open);
        }
        return attempts;
    }

    private static Attempt end(Attempt open, TaskEvent e) {
        String message = e.message() == null ? "" : e.message();
        return switch (e.state()) {
            case DONE -> ended(open, e.at(), "done", null);
            case FAILED -> ended(open, e.at(), "failed", message);
            case PENDING -> {
                if (message.startsWith("failed, will retry")) {
                    int why = message.indexOf("): ");
                    yield ended(open, e.at(), "failed, retried", why < 0 ? message : message.substring(why + 3));
                }
                if (message.startsWith("released: ")) {
                    yield ended(open, e.at(), "given back, not counted", message.substring("released: ".length()));
                }
                if (message.startsWith("suspended: ")) {
                    yield ended(open, e.at(), "suspended", message.substring("suspended: ".length()));
                }
                yield ended(open, e.at(), "pending", message);
            }
            default -> ended(open, e.at(), e.state().name().toLowerCase(Locale.ROOT), message);
        };
    }

    private static Attempt ended(Attempt a, Instant end, String outcome, String error) {
        return new Attempt(a.runId(), a.number(), a.workerId(), a.host(), a.pid(), a.start(), end, outcome, error,
                a.log());
    }

    private static Map<String, WorkerRecord> byId(List<WorkerRecord> workers) {
        Map<String, WorkerRecord> byId = new HashMap<>();
        workers.forEach(w -> byId.put(w.workerId(), w));
        return byId;
    }
}
