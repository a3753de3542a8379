package astra.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real {@code astra run}: the built launcher as a process of its own, in a working directory
 * of the case's, timed from just before the process is started to its exit. While it runs, a
 * thread reads its peak RSS ({@code VmHWM}) every ~20 ms and, if asked, the memory and start
 * time of its child JVMs (the workers).
 */
final class AstraRun {

    static final long POLL_MILLIS = 20;
    private static final Pattern BUDGET = Pattern.compile("connection budget: (\\d+)");
    private static final Pattern SCHEDULED = Pattern.compile("scheduled \\d+ task\\(s\\) in (\\d+) ms");

    /**
     * A worker JVM seen while the run lasted: when it started (by the wall clock, to ~10 ms), and
     * its resident memory.
     */
    record Child(long pid, Optional<Instant> start, long lastRssKb, long maxRssKb) {}

    record Result(
            int exitCode,
            boolean timedOut,
            double wallSeconds,
            long peakRssKb,
            OptionalInt budget,
            OptionalLong schedulingMillis,
            String lastLine,
            Map<Long, Child> children,
            Path stdout,
            Path stderr) {

        boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** Why it failed, for a table row: the exit code and the last line the run printed. */
        String failure(Duration timeout) {
            return timedOut ? "timed out after " + timeout.toSeconds() + " s (killed); log " + stderr
                    : "exit " + exitCode + ": " + lastLine;
        }
    }

    /** The astra runs in progress, for {@link #stopAll} when the benchmark itself is stopped. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    /** Set by {@link #stopAll}: no run starts after it. */
    private static volatile boolean stopping;

    private AstraRun() {}

    /**
     * Stops the runs in progress as Ctrl-C would (SIGTERM: astra stops its workers, which give
     * their tasks back), and kills what is left after a grace period: a stopped benchmark leaves no
     * astra run behind.
     */
    static void stopAll() {
        stopping = true;
        Map<Process, List<ProcessHandle>> trees = new HashMap<>();
        for (Process p : RUNNING) {
            // The launcher may still be a shell with java under it: signal the java, and remember
            // the whole tree now, since killing a parent leaves its children to init.
            List<ProcessHandle> tree = p.descendants().toList();
            trees.put(p, tree);
            ProcessHandle astra = ProcStatus.isJava(p.pid()) ? p.toHandle()
                    : tree.stream().filter(h -> ProcStatus.isJava(h.pid())).findFirst().orElse(p.toHandle());
            astra.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        trees.forEach((p, tree) -> {
            try {
                p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    /**
     * Runs {@code astra --cp <bench jar> run <args>} in {@code cwd}, output to
     * {@code <logPrefix>.out} and {@code .err}.
     *
     * @param watchChildren also sample the worker JVMs (start time, RSS)
     * @param during started with the run, stopped when it ends (e.g. counting PostgreSQL connections)
     * @param cdsCache the {@code XDG_CACHE_HOME} for the run, if not the user's
     */
    static Result run(Build build, Path cwd, Path logPrefix, List<String> args, Duration timeout,
            boolean watchChildren, Watcher during, Optional<Path> cdsCache) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", build.launcher().toString(),
                "--cp", build.benchJar().toString(), "run"));
        command.addAll(args);
        Map<String, String> env = new HashMap<>();
        // The launcher uses the same java as the harness.
        env.put("JAVA", build.java().toString());
        // The launcher's and the workers' class-data archives (AppCDS) live under $XDG_CACHE_HOME/astra/cds.
        cdsCache.ifPresent(dir -> env.put("XDG_CACHE_HOME", dir.toString()));
        return process(command, env, cwd, logPrefix, timeout, watchChildren, during);
    }

    /**
     * Runs any command the way {@link #run} runs astra (a peer such as db-scheduler or pgbench):
     * timed from its start to its exit, killed after the timeout, stopped by {@link #stopAll}.
     * The environment is the harness's with {@code env} put over it, and without
     * {@code ASTRA_CONFIG} and {@code ASTRA_CLASSPATH}: a run's config is the case's alone.
     */
    static Result process(List<String> command, Map<String, String> env, Path cwd, Path logPrefix, Duration timeout,
            boolean watchChildren, Watcher during) throws IOException, InterruptedException {
        Path out = Path.of(logPrefix + ".out");
        Path err = Path.of(logPrefix + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("ASTRA_CONFIG");
        builder.environment().remove("ASTRA_CLASSPATH");
        builder.environment().putAll(env);

        if (stopping) {
            throw new InterruptedException("the benchmark is stopping");
        }
        during.start();
        Instant spawned = Instant.now();
        long t0 = System.nanoTime();
        Process process = builder.start();
        RUNNING.add(process);
        // /proc start times rest on the boot time in whole seconds: calibrate them on this process,
        // whose start is known to the clock, so that children's start times compare with the database's.
        Duration procClockError = process.info().startInstant().map(s -> Duration.between(spawned, s)).orElse(Duration.ZERO);
        Sampler sampler = new Sampler(process, watchChildren, procClockError);
        Thread samplerThread = new Thread(sampler, "bench-sampler");
        samplerThread.setDaemon(true);
        samplerThread.start();
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(process);
            RUNNING.remove(process);
            throw e;
        }
        long t1 = System.nanoTime();
        if (!finished) {
            kill(process);
        }
        RUNNING.remove(process);
        sampler.stop();
        samplerThread.join(1_000);
        during.stop();

        String stderr = Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
        return new Result(finished ? process.exitValue() : -1, !finished, (t1 - t0) / 1e9, sampler.peakRssKb,
                firstInt(BUDGET, stderr), firstLong(SCHEDULED, stderr), lastLine(stderr, out), Map.copyOf(sampler.children),
                out, err);
    }

    /** Something that runs beside an astra run, such as a connection counter. */
    interface Watcher {
        Watcher NONE = new Watcher() {
            @Override
            public void start() {}

            @Override
            public void stop() {}
        };

        void start();

        void stop();
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static OptionalInt firstInt(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    private static OptionalLong firstLong(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /**
     * The last warning or error on standard error, else its last line, else the last line of
     * standard output; shortened for a table cell.
     */
    private static String lastLine(String stderr, Path out) throws IOException {
        String line = lastProblem(stderr);
        if (line.isEmpty()) {
            line = last(stderr);
        }
        if (line.isEmpty() && Files.exists(out)) {
            line = last(Files.readString(out, StandardCharsets.UTF_8));
        }
        line = line.replace('|', '/').strip();
        return line.isEmpty() ? "(no output)" : line.length() > 200 ? line.substring(0, 197) + "..." : line;
    }

    private static String lastProblem(String text) {
        String[] lines = text.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].contains(" WARN ") || lines[i].contains(" ERROR ") || lines[i].startsWith("astra:")) {
                return lines[i];
            }
        }
        return "";
    }

    private static String last(String text) {
        String[] lines = text.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i];
            }
        }
        return "";
    }

    /** Reads /proc every {@link #POLL_MILLIS} while the run lasts. */
    private static final class Sampler implements Runnable {
        private final Process process;
        private final boolean watchChildren;
        private final Map<Long, Child> children = new ConcurrentHashMap<>();
        private volatile boolean stopped;
        private volatile long peakRssKb;

        private final Duration procClockError;

        Sampler(Process process, boolean watchChildren, Duration procClockError) {
            this.process = process;
            this.watchChildren = watchChildren;
            this.procClockError = procClockError;
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            while (!stopped && process.isAlive()) {
                ProcessHandle java = javaProcess();
                if (java != null) {
                    // VmHWM only grows, so its last reading before the exit is the peak (within one interval).
                    ProcStatus.read(java.pid()).ifPresent(s -> peakRssKb = Math.max(peakRssKb, s.hwmKb()));
                    if (watchChildren) {
                        java.children().forEach(this::sampleChild);
                    }
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /**
         * The astra JVM: the launcher script exec's java, so it is the process started; should the
         * launcher ever keep a shell around it, its java child.
         */
        private ProcessHandle javaProcess() {
            ProcessHandle self = process.toHandle();
            if (ProcStatus.isJava(self.pid())) {
                return self;
            }
            return self.children().filter(h -> ProcStatus.isJava(h.pid())).findFirst().orElse(null);
        }

        private void sampleChild(ProcessHandle child) {
            Optional<ProcStatus> status = ProcStatus.read(child.pid());
            if (status.isEmpty()) {
                return;
            }
            long rss = status.get().rssKb();
            children.compute(child.pid(), (pid, seen) -> seen == null
                    ? new Child(pid, child.info().startInstant().map(t -> t.minus(procClockError)), rss, rss)
                    : new Child(pid, seen.start(), rss, Math.max(seen.maxRssKb(), rss)));
        }
    }
}
