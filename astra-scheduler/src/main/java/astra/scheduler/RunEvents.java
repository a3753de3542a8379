package astra.scheduler;

import astra.core.AstraException;
import astra.core.TaskEventHandler;
import astra.core.config.Config;
import astra.core.config.ConfigKeys;
import astra.core.internal.Failures;
import astra.core.store.RunEvent;
import astra.core.store.TaskStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run does with its tasks' outcomes as they are recorded, by whichever worker: tells the
 * {@link TaskEventHandler}s, runs {@code [notify] on_failure} ({@link FailureCommand}), and
 * disables a family whose tasks failed {@code [scheduler] disable_num_failures} times within
 * {@code disable_window} (Luigi's automatic disabling). It reads the run's history every second
 * from where it left off, on a thread of its own, and once more when the run's workers are done.
 */
final class RunEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunEvents.class);
    private static final Duration EVERY = Duration.ofSeconds(1);
    private static final int PAGE = 1000;

    /**
     * What to do with the outcomes.
     *
     * @param handlers told of every outcome
     * @param disableNumFailures failures of one family within {@code disableWindow} that disable it; 0: never
     */
    record Settings(List<TaskEventHandler> handlers, int disableNumFailures, Duration disableWindow) {

        static final Settings NONE = new Settings(List.of(), 0, Duration.ofHours(1));

        Settings {
            handlers = List.copyOf(handlers);
            if (disableNumFailures < 0) {
                throw new AstraException.BadConfig("[scheduler] disable_num_failures cannot be negative, got "
                        + disableNumFailures);
            }
            if (disableWindow.isNegative() || disableWindow.isZero()) {
                throw new AstraException.BadConfig("[scheduler] disable_window must be positive");
            }
        }

        /**
         * From {@code [scheduler] event_handlers}, {@code disable_num_failures}, {@code disable_window}
         * and {@code [notify] on_failure}; handler classes are loaded with {@code loader} (the user's tasks').
         *
         * @throws AstraException.BadConfig for a class that is not there or is no handler
         */
        static Settings from(Config config, ClassLoader loader) {
            List<TaskEventHandler> handlers = new ArrayList<>();
            for (String name : config.get(ConfigKeys.EVENT_HANDLERS).split(",")) {
                if (!name.isBlank()) {
                    handlers.add(instantiate(name.strip(), loader));
                }
            }
            String command = config.get(ConfigKeys.NOTIFY_ON_FAILURE);
            if (!command.isBlank()) {
                handlers.add(new FailureCommand(command.strip()));
            }
            return new Settings(handlers, config.getInt(ConfigKeys.DISABLE_NUM_FAILURES),
                    config.getDuration(ConfigKeys.DISABLE_WINDOW));
        }

        boolean active() {
            return !handlers.isEmpty() || disableNumFailures > 0;
        }

        private static TaskEventHandler instantiate(String name, ClassLoader loader) {
            try {
                Object handler = Class.forName(name, true, loader).getConstructor().newInstance();
                if (handler instanceof TaskEventHandler h) {
                    return h;
                }
                throw new AstraException.BadConfig("[scheduler] event_handlers: " + name + " does not implement "
                        + TaskEventHandler.class.getName());
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new AstraException.BadConfig("[scheduler] event_handlers: cannot make a " + name + " ("
                        + Failures.reason(e) + "); it needs a public constructor without arguments, on --cp");
            }
        }
    }

    private final TaskStore store;
    private final long runId;
    private final Settings settings;
    private final boolean withSuccesses;
    private final ScheduledExecutorService thread;
    private final Map<String, Deque<java.time.Instant>> failuresByFamily = new HashMap<>();
    private long after;

    private RunEvents(TaskStore store, long runId, Settings settings) {
        this.store = store;
        this.runId = runId;
        this.settings = settings;
        this.withSuccesses = settings.handlers().stream().anyMatch(TaskEventHandler::wantsSuccesses);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "astra-run-events");
            t.setDaemon(true);
            return t;
        });
    }

    /** Follows the run's outcomes until closed; nothing at all when {@code settings} asks for nothing. */
    static RunEvents follow(TaskStore store, long runId, Settings settings) {
        RunEvents events = new RunEvents(store, runId, settings);
        if (settings.active()) {
            events.thread.scheduleWithFixedDelay(events::readSafely, EVERY.toMillis(), EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return events;
    }

    /** Stops following, after telling of every outcome recorded so far. */
    @Override
    public void close() {
        if (!settings.active()) {
            thread.shutdownNow();
            return;
        }
        thread.shutdown();
        try {
            thread.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        readSafely();
    }

    private synchronized void readSafely() {
        try {
            List<RunEvent> page;
            do {
                page = store.outcomesAfter(runId, after, withSuccesses, PAGE);
                for (RunEvent event : page) {
                    after = event.eventId();
                    dispatch(event);
                }
            } while (page.size() == PAGE);
        } catch (RuntimeException e) {
            // The database is away, say: the outcomes stay recorded, and the next pass reads them.
            log.debug("could not read the run's outcomes: {}", Failures.reason(e));
        }
    }

    private void dispatch(RunEvent event) {
        for (TaskEventHandler handler : settings.handlers()) {
            try {
                switch (event.kind()) {
                    case SUCCESS -> handler.onSuccess(event);
                    case RETRY -> handler.onRetry(event);
                    case FAILURE -> handler.onFailure(event);
                }
            } catch (RuntimeException | LinkageError e) {
                log.warn("the event handler {} failed on {} of {}: {}", handler.getClass().getName(),
                        event.kind().name().toLowerCase(java.util.Locale.ROOT), event.taskId(), Failures.reason(e));
            }
        }
        if (event.kind() != RunEvent.Kind.SUCCESS && settings.disableNumFailures() > 0) {
            countFailure(event);
        }
    }

    private void countFailure(RunEvent event) {
        Deque<java.time.Instant> recent = failuresByFamily.computeIfAbsent(event.family(), f -> new ArrayDeque<>());
        recent.addLast(event.at());
        while (!recent.isEmpty() && recent.peekFirst().isBefore(event.at().minus(settings.disableWindow()))) {
            recent.removeFirst();
        }
        if (recent.size() >= settings.disableNumFailures()) {
            String why = "astra: " + recent.size() + " failures within " + describe(settings.disableWindow());
            if (store.disableFamily(event.family(), why)) {
                log.warn("disabled the task family {}: its tasks failed {} times within {} ([scheduler]"
                        + " disable_num_failures); 'astra enable {}' lets it run again", event.family(), recent.size(),
                        describe(settings.disableWindow()), event.family());
            }
        }
    }

    private static String describe(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
