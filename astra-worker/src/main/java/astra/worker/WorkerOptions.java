package astra.worker;

import astra.core.AstraException;
import astra.core.ProcessInitializer;
import astra.core.config.Config;
import astra.core.config.ConfigKeys;
import astra.core.db.DatabaseSettings;
import astra.plan.RetryPolicy;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a pool of worker processes is made.
 *
 * @param workers how many tasks run at once: worker slots, each its own claim-run-record loop
 * @param database how each child connects (its own pool of {@code poolSize} connections per slot)
 * @param initializers class names of the user's {@link ProcessInitializer}s, run after the
 *     database reconnect, in order
 * @param jvm how each child JVM is started
 * @param maxTasksPerChild tasks a child runs before it is replaced; 0 for no limit
 * @param timeouts how long one task may run before its child is killed; zero for no limit
 * @param retry how many times, and how soon, a failed task (or one whose worker died) is tried
 *     again; also how the children plan requirements found at run time
 * @param logDir the absolute directory where children write each attempt's output
 *     ({@link AttemptLogs}); null for none
 * @param processes how many child JVMs the slots run in ({@code [worker] processes})
 */
public record WorkerOptions(
        int workers, DatabaseSettings database, List<String> initializers, ChildJvm jvm, int maxTasksPerChild,
        Timeouts timeouts, RetryPolicy retry, Path logDir, WorkerProcesses processes) {

    /**
     * Options with one child JVM per slot, as before {@code [worker] processes} (embedding,
     * tests); {@link #withProcesses} changes that.
     */
    public WorkerOptions(int workers, DatabaseSettings database, List<String> initializers, ChildJvm jvm,
            int maxTasksPerChild, Timeouts timeouts, RetryPolicy retry, Path logDir) {
        this(workers, database, initializers, jvm, maxTasksPerChild, timeouts, retry, logDir, WorkerProcesses.PER_SLOT);
    }

    /** Options whose children write no attempt logs, one child JVM per slot (embedding, tests). */
    public WorkerOptions(int workers, DatabaseSettings database, List<String> initializers, ChildJvm jvm,
            int maxTasksPerChild, Timeouts timeouts, RetryPolicy retry) {
        this(workers, database, initializers, jvm, maxTasksPerChild, timeouts, retry, null);
    }

    /**
     * How a child JVM starts: its options ({@code -Xmx2g}), the entries added to the parent's
     * classpath (the user's tasks), and environment variables set on top of the parent's.
     */
    public record ChildJvm(List<String> options, List<String> classpath, Map<String, String> environment) {

        public ChildJvm {
            options = List.copyOf(options);
            classpath = List.copyOf(classpath);
            environment = Map.copyOf(environment);
        }

        /** The same, with one more JVM option. */
        public ChildJvm withOption(String option) {
            List<String> all = new ArrayList<>(options);
            all.add(option);
            return new ChildJvm(all, classpath, environment);
        }
    }

    /**
     * How long a task may run: {@code [worker] timeout}, or for a family its own
     * {@code [worker.<Family>] timeout}. Zero means no limit.
     */
    public record Timeouts(Duration all, Map<String, Duration> byFamily) {

        public static final Timeouts NONE = new Timeouts(Duration.ZERO, Map.of());

        public Timeouts {
            byFamily = Map.copyOf(byFamily);
        }

        public static Timeouts of(Duration all) {
            return new Timeouts(all, Map.of());
        }

        public Duration of(String family) {
            return byFamily.getOrDefault(family, all);
        }

        /** The family sections of the config: {@code [worker.EstimateLabels] timeout = 10m}. */
        static Timeouts from(Config config) {
            Map<String, Duration> byFamily = new TreeMap<>();
            for (String section : config.sections()) {
                if (section.startsWith(FAMILY_SECTION_PREFIX)) {
                    byFamily.put(section.substring(FAMILY_SECTION_PREFIX.length()),
                            config.getDuration(section, "timeout", Duration.ZERO));
                }
            }
            return new Timeouts(config.getDuration(ConfigKeys.WORKER_TIMEOUT), byFamily);
        }
    }

    /** Sections {@code [worker.<Family>]} hold settings for the workers running that family. */
    public static final String FAMILY_SECTION_PREFIX = "worker.";

    /** Where attempt logs go unless {@code [core] log_dir} says otherwise, relative to the working directory. */
    public static final String DEFAULT_LOG_DIR = ConfigKeys.LOG_DIR.defaultValue();

    /**
     * {@code [core] log_dir} made absolute against {@code workingDir}, so children (and later
     * commands run elsewhere) find the same directory.
     */
    public static Path logDir(Config config, Path workingDir) {
        String dir = config.get(ConfigKeys.LOG_DIR).strip();
        if (dir.isEmpty()) {
            throw new AstraException.BadConfig("[core] log_dir cannot be empty (default: " + DEFAULT_LOG_DIR + ")");
        }
        try {
            return workingDir.toAbsolutePath().resolve(dir).normalize();
        } catch (InvalidPathException e) {
            throw new AstraException.BadConfig("[core] log_dir: '" + dir + "' is not a path: " + e.getReason());
        }
    }

    /** Where a worker writes one attempt's log under {@code logDir} (a batch's: its first member's). */
    public static Path attemptLog(Path logDir, String taskId, long runId, int attempt) {
        return AttemptLogs.fileOf(logDir, taskId, runId, attempt);
    }

    /**
     * From {@code [core] workers} and {@code log_dir}, {@code [worker]} and {@code [scheduler]} retries;
     * {@code workers} from the command line wins when given.
     *
     * @param database the scheduler's settings; children use the same database with
     *     {@code [worker] pool_size} connections each
     */
    public static WorkerOptions from(Config config, Integer workers, DatabaseSettings database, List<String> classpath) {
        int count = workers != null ? workers : config.getInt(ConfigKeys.WORKERS);
        if (count < 1) {
            throw new AstraException.BadInput("workers must be at least 1, got " + count);
        }
        int poolSize = config.getInt(ConfigKeys.WORKER_POOL_SIZE);
        if (poolSize < 1) {
            throw new AstraException.BadConfig("[worker] pool_size must be at least 1, got " + poolSize);
        }
        int maxTasks = config.getInt(ConfigKeys.MAX_TASKS_PER_CHILD);
        if (maxTasks < 0) {
            throw new AstraException.BadConfig("[worker] max_tasks_per_child cannot be negative");
        }
        ChildJvm jvm = new ChildJvm(split(config.get(ConfigKeys.WORKER_JVM_OPTIONS), " "), classpath,
                environment(config.get(ConfigKeys.WORKER_ENVIRONMENT)));
        return new WorkerOptions(count, database.withPoolSize(poolSize),
                split(config.get(ConfigKeys.WORKER_INITIALIZERS), ","), jvm, maxTasks, Timeouts.from(config),
                RetryPolicy.from(config), logDir(config, Path.of("")),
                WorkerProcesses.parse(config.get(ConfigKeys.WORKER_PROCESSES)));
    }

    /** How many child JVMs the slots run in on this host. */
    public int processCount() {
        return processes.processesFor(workers);
    }

    /**
     * The most connections one slot adds, wherever its JVM runs: its share of the pool, or
     * unpooled, its loop's (its task's) and at most one heartbeat's.
     */
    public int connectionsPerSlot() {
        return database.usePooling() ? database.poolSize() : 2;
    }

    /**
     * The connections the children of this host can hold: pooled, {@code pool_size} per slot
     * (a child's pool is sized by its slots); unpooled, one per slot and one per child for its
     * heartbeat.
     */
    public int connections() {
        return database.usePooling() ? workers * database.poolSize() : workers + processCount();
    }

    /** The same options, with one more for each child JVM. */
    public WorkerOptions withJvmOption(String option) {
        return new WorkerOptions(workers, database, initializers, jvm.withOption(option), maxTasksPerChild, timeouts,
                retry, logDir, processes);
    }

    /** The same options, with children writing attempt logs under {@code dir} (absolute), or none for null. */
    public WorkerOptions withLogDir(Path dir) {
        return new WorkerOptions(workers, database, initializers, jvm, maxTasksPerChild, timeouts, retry,
                dir == null ? null : dir.toAbsolutePath(), processes);
    }

    /** The same options, with the slots in as many child JVMs as {@code jvms} says. */
    public WorkerOptions withProcesses(WorkerProcesses jvms) {
        return new WorkerOptions(workers, database, initializers, jvm, maxTasksPerChild, timeouts, retry, logDir,
                jvms);
    }

    /** {@code NAME=value} pairs separated by spaces, as {@code [worker] environment} holds them. */
    static Map<String, String> environment(String pairs) {
        Map<String, String> environment = new TreeMap<>();
        for (String pair : split(pairs, " ")) {
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new AstraException.BadConfig("[worker] environment: '" + pair + "' is not NAME=value");
            }
            environment.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return environment;
    }

    private static List<String> split(String value, String separator) {
        return Arrays.stream(value.split(separator)).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public WorkerOptions {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        initializers = List.copyOf(initializers);
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(processes, "processes");
    }
}
