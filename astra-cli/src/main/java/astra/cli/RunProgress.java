package astra.cli;

import astra.core.internal.DaemonThreads;
import astra.core.internal.Exceptions;
import astra.core.store.StateCount;
import astra.core.store.TaskFilter;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import astra.scheduler.Scheduler;
import java.io.PrintWriter;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What {@code astra run} shows while it runs, from the run's rows in the database: a live bar on
 * a terminal (done / total, rate, ETA, and running, failed, pending), plain periodic lines when
 * the output is not a terminal (CI logs), or nothing ({@code --quiet}, {@code --json}).
 */
final class RunProgress implements AutoCloseable {

    enum Mode { BAR, LINES, NONE }

    private final Mode mode;
    private final Scheduler scheduler;
    private final TaskStore store;
    private final PrintWriter err;
    private final ScheduledExecutorService timer;
    private final long startedNanos = System.nanoTime();
    private ProgressBar bar;
    private String lastLine = "";

    private RunProgress(Mode mode, Scheduler scheduler, TaskStore store, PrintWriter err) {
        this.mode = mode;
        this.scheduler = scheduler;
        this.store = store;
        this.err = err;
        this.timer = mode == Mode.NONE ? null : Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("astra-progress"));
    }

    /** The bar on a terminal, lines elsewhere, nothing when quiet or printing JSON. */
    static Mode choose(boolean quiet, boolean json, boolean terminal) {
        if (quiet || json) {
            return Mode.NONE;
        }
        return terminal ? Mode.BAR : Mode.LINES;
    }

    /** Starts watching the scheduler's run: every 0.5 s for the bar, every {@code lineEvery} for lines. */
    static RunProgress watch(Mode mode, Scheduler scheduler, TaskStore store, PrintWriter err, Duration lineEvery) {
        RunProgress progress = new RunProgress(mode, scheduler, store, err);
        if (progress.timer != null) {
            long every = mode == Mode.BAR ? 500 : lineEvery.toMillis();
            progress.timer.scheduleAtFixedRate(progress::update, every, every, TimeUnit.MILLISECONDS);
        }
        return progress;
    }

    /** Counts of one moment of a run. */
    record Counts(int done, int running, int failed, int pending) {

        static Counts of(List<StateCount> counts) {
            Map<TaskState, Integer> byState = new EnumMap<>(TaskState.class);
            counts.forEach(c -> byState.merge(c.state(), (int) c.count(), Integer::sum));
            return new Counts(byState.getOrDefault(TaskState.DONE, 0), byState.getOrDefault(TaskState.RUNNING, 0),
                    byState.getOrDefault(TaskState.FAILED, 0),
                    byState.getOrDefault(TaskState.PENDING, 0) + byState.getOrDefault(TaskState.MISSING, 0));
        }

        int total() {
            return done + running + failed + pending;
        }
    }

    /** One plain line: counts, rate and (when there is a rate) the time left at that rate. */
    static String line(Counts c, Duration elapsed) {
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        double rate = c.done() / seconds;
        String eta = rate > 0 && c.pending() + c.running() > 0
                ? ", about " + formatSeconds((c.pending() + c.running()) / rate) + " left" : "";
        return String.format(Locale.ROOT, "astra: %d/%d done, %d running, %d failed, %d pending; %.1f tasks/s%s",
                c.done(), c.total(), c.running(), c.failed(), c.pending(), rate, eta);
    }

    private static String formatSeconds(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s" : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    /** Reads the counts and shows them; a failing read is skipped (the run itself reports database trouble). */
    void update() {
        try {
            OptionalLong run = scheduler.runId();
            if (run.isEmpty()) {
                return;
            }
            Counts counts = Counts.of(store.countTasks(new TaskFilter(null, null, run.getAsLong())));
            if (counts.total() == 0) {
                return;
            }
            if (mode == Mode.BAR) {
                showBar(counts);
            } else if (mode == Mode.LINES) {
                String line = line(counts, Duration.ofNanos(System.nanoTime() - startedNanos));
                // The same counts twice say nothing new.
                if (!line.equals(lastLine)) {
                    err.println(line);
                    err.flush();
                    lastLine = line;
                }
            }
        } catch (RuntimeException e) {
            // Never let the display break the run.
            lastLine = "progress unavailable: " + Exceptions.oneLine(e);
        }
    }

    private void showBar(Counts counts) {
        if (bar == null) {
            bar = new ProgressBarBuilder()
                    .setTaskName("astra run")
                    .setInitialMax(counts.total())
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .setUnit(" tasks", 1)
                    // The library's default, #.0, shows a rate under 1 as ".0 tasks/s".
                    .showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)))
                    .setUpdateIntervalMillis(250)
                    .build();
        }
        bar.maxHint(counts.total());
        bar.stepTo(counts.done() + counts.failed());
        bar.setExtraMessage(" " + counts.running() + " running, " + counts.failed() + " failed, " + counts.pending() + " pending");
    }

    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (bar != null) {
            update();
            bar.close();
        }
    }
}
