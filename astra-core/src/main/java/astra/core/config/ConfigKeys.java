package astra.core.config;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The sections and keys of {@code utah.cfg} that Astra itself reads, with their defaults.
 *
 * <p>Only keys that some code reads belong here: an unknown key in one of these sections draws a
 * warning with a "did you mean", and {@code utah.cfg.example} must document every key listed
 * (a test checks both directions). Any other section names a task family and gives parameter
 * defaults; the command line checks those against the known families.
 *
 * <p>A module other than core that reads a section of its own (the Slurm executor's
 * {@code [slurm]}) declares its keys itself, and the command line checks them with
 * {@link Config#withKeys}: core knows nothing of those modules.
 */
public final class ConfigKeys {

    /** Astra's own settings: scheduling and logging. */
    public static final String CORE = "core";
    /** How to reach the database. */
    public static final String DATABASE = "database";
    /** The worker processes. */
    public static final String WORKER = "worker";
    /** Retry and failure policy. */
    public static final String SCHEDULER = "scheduler";
    /** What to run when tasks fail. */
    public static final String NOTIFY = "notify";
    /** Shared resources and their capacities; its keys are the resources' names, free-form. */
    public static final String RESOURCES = "resources";
    /**
     * A database profile is a section named {@code [database.profile NAME]}: a named alternative
     * to {@code [database]}, picked by {@code --profile}, {@code $ASTRA_PROFILE} or the host's domain.
     */
    public static final String PROFILE_SECTION_PREFIX = "database.profile ";

    /**
     * One known key.
     *
     * @param section the section it belongs in
     * @param name the key, lower snake_case
     * @param defaultValue the default as written in {@code utah.cfg.example}; in angle brackets
     *     when it is computed at run time, such as {@code <number of CPUs>}
     * @param doc one line saying what it does
     */
    public record Key(String section, String name, String defaultValue, String doc) {}

    public static final Key PARALLEL_SCHEDULING = new Key(CORE, "parallel_scheduling", "false",
            "Check tasks that override complete() on a thread pool instead of one by one (and the"
                    + " completeEach() calls of SetCompleteTask families, one per chunk of up to 1,000 tasks).");
    public static final Key PARALLEL_SCHEDULING_THREADS = new Key(CORE, "parallel_scheduling_threads",
            "<number of CPUs>", "Size of the thread pool used when parallel_scheduling is true.");
    public static final Key WORKERS = new Key(CORE, "workers", "1",
            "How many tasks run at once: worker slots, spread over [worker] processes (--workers wins).");
    public static final Key KEEP_GOING = new Key(CORE, "keep_going", "true",
            "After a task fails for good, keep running every task that does not need it; false starts no new task.");
    public static final Key PROGRESS_INTERVAL = new Key(CORE, "progress_interval", "10s",
            "How often astra run prints a progress line when its output is not a terminal (CI logs).");
    public static final Key LOG_LEVEL = new Key(CORE, "log_level", "INFO",
            "Level of Astra's own log and your tasks' ctx.logger(): TRACE, DEBUG, INFO, WARN, ERROR or OFF.");
    public static final Key LOG_DIR = new Key(CORE, "log_dir", ".astra/logs",
            "Where worker processes write each attempt's output, one file per attempt; relative to where astra run starts.");

    public static final Key SHARED_GROUP = new Key(CORE, "shared_group", "",
            "A group to share Astra's state with (.astra/, the SQLite file, attempt logs): created group-owned, 2770/0660;"
            + " empty keeps it private to you (0700/0600).");
    public static final Key EXECUTOR = new Key(CORE, "executor", "local",
            "Where tasks run: local (worker processes of this host) or slurm (Slurm jobs running astra worker); --executor wins.");

    public static final Key DATABASE_URL = new Key(DATABASE, "url", "",
            "JDBC URL of the PostgreSQL database; empty means the embedded SQLite file ./.astra/astra.db.");
    public static final Key DATABASE_USER = new Key(DATABASE, "user", "",
            "Database user; empty leaves it to the driver. Passwords come from ~/.pgpass, never from here.");
    public static final Key DATABASE_ADMIN_USER = new Key(DATABASE, "admin_user", "",
            "The user Database.becomeAdmin() connects as (a role that may write what the user may only read).");
    public static final Key POOL_SIZE = new Key(DATABASE, "pool_size", "4",
            "Connections each process keeps in its pool when use_pooling is true.");
    public static final Key USE_POOLING = new Key(DATABASE, "use_pooling", "true",
            "Keep a connection pool per process; false opens one connection per transaction.");
    public static final Key CONNECT_TIMEOUT = new Key(DATABASE, "connect_timeout", "10s",
            "How long to wait for a connection (30s, 5m, or ISO-8601 such as PT30S).");
    public static final Key OUTAGE_TIMEOUT = new Key(DATABASE, "outage_timeout", "10m",
            "How long a run, its workers and astra worker wait out a database outage (a restart, a lost"
            + " connection) before giving up; no attempt is counted meanwhile. 0 gives up at once.");
    public static final Key DATABASE_SCHEMA = new Key(DATABASE, "schema", "astra",
            "The PostgreSQL schema of Astra's own tables and their migration history, created on first use;"
            + " your tables elsewhere in the database are never touched. SQLite keeps them in the file itself.");
    public static final Key DATABASE_ECHO = new Key(DATABASE, "echo", "false",
            "Log every SQL statement, with its bind values, as it runs (logger astra.sql); --echo does it for one command.");

    public static final Key WORKER_PROCESSES = new Key(WORKER, "processes", "auto",
            "How many worker JVMs the slots of --workers run in, as threads: auto (one per 8 slots, no more than the CPUs),"
                    + " a number, or workers (one JVM per task slot, each task alone in its process); never more than the slots.");
    public static final Key WORKER_POOL_SIZE = new Key(WORKER, "pool_size", "2",
            "Connections per worker slot (when use_pooling is true): a worker process keeps pool_size times its slots in its pool.");
    public static final Key WORKER_INITIALIZERS = new Key(WORKER, "initializers", "",
            "Classes implementing astra.core.ProcessInitializer, comma-separated, run once in each worker process.");
    public static final Key WORKER_JVM_OPTIONS = new Key(WORKER, "jvm_options", "",
            "Options for each worker JVM, separated by spaces, e.g. -Xmx2g. They come after Astra's own"
                    + " (-XX:TieredStopAtLevel=1: C1 only, quicker for many short tasks; -XX:TieredStopAtLevel=4"
                    + " brings back C2 for tasks that compute for minutes) and win.");
    public static final Key WORKER_ENVIRONMENT = new Key(WORKER, "environment", "",
            "Environment variables for each worker process, NAME=value separated by spaces, on top of astra run's.");
    public static final Key MAX_TASKS_PER_CHILD = new Key(WORKER, "max_tasks_per_child", "0",
            "Tasks a worker process runs before it is replaced by a fresh one; 0 for no limit.");
    public static final Key WORKER_TIMEOUT = new Key(WORKER, "timeout", "0",
            "How long one task may run before its worker process is killed and the task fails; 0 for no limit.");

    public static final Key RETRY_COUNT = new Key(SCHEDULER, "retry_count", "0",
            "How many more times a failed task, or one whose worker died, is tried in the same run.");
    public static final Key RETRY_DELAY = new Key(SCHEDULER, "retry_delay", "0",
            "How long a failed task waits before it is tried again.");

    public static final Key EVENT_HANDLERS = new Key(SCHEDULER, "event_handlers", "",
            "Classes implementing astra.core.TaskEventHandler, comma-separated, told by astra run of each success, retry and failure.");
    public static final Key DISABLE_NUM_FAILURES = new Key(SCHEDULER, "disable_num_failures", "0",
            "Disable a task family once its tasks failed this many times within disable_window (retries count);"
            + " astra enable FAMILY undoes it. 0: never.");
    public static final Key DISABLE_WINDOW = new Key(SCHEDULER, "disable_window", "1h",
            "The window of disable_num_failures.");
    public static final Key NOTIFY_ON_FAILURE = new Key(NOTIFY, "on_failure", "",
            "A shell command run when a task fails for good, with ASTRA_TASK_ID, ASTRA_FAMILY, ASTRA_RUN_ID,"
            + " ASTRA_WORKER and ASTRA_ERROR in its environment, e.g. mail -s \"astra: $ASTRA_TASK_ID failed\" me@example.org.");

    public static final Key LEASE = new Key(SCHEDULER, "lease", "60s",
            "How long a running task may go without its worker's heartbeat before it is given back to run again (no attempt counted); at least 15s.");

    private static final Set<String> SECTIONS =
            Collections.unmodifiableSet(new LinkedHashSet<>(List.of(CORE, DATABASE, WORKER, SCHEDULER, NOTIFY, RESOURCES)));

    private static final List<Key> ALL = List.of(
            PARALLEL_SCHEDULING, PARALLEL_SCHEDULING_THREADS, WORKERS, KEEP_GOING, PROGRESS_INTERVAL, LOG_LEVEL, LOG_DIR,
            SHARED_GROUP, EXECUTOR,
            DATABASE_URL, DATABASE_USER, DATABASE_ADMIN_USER, POOL_SIZE, USE_POOLING, CONNECT_TIMEOUT, OUTAGE_TIMEOUT,
            DATABASE_SCHEMA, DATABASE_ECHO,
            WORKER_PROCESSES, WORKER_POOL_SIZE, WORKER_INITIALIZERS, WORKER_JVM_OPTIONS, WORKER_ENVIRONMENT, MAX_TASKS_PER_CHILD, WORKER_TIMEOUT,
            RETRY_COUNT, RETRY_DELAY, LEASE, EVENT_HANDLERS, DISABLE_NUM_FAILURES, DISABLE_WINDOW, NOTIFY_ON_FAILURE);

    private static final String PROFILE = PROFILE_SECTION_PREFIX + "<name>";

    /** The keys of a {@code [database.profile NAME]} section; the last six default to {@code [database]}'s. */
    private static final List<Key> PROFILE_KEYS = List.of(
            new Key(PROFILE, "url", "", "JDBC URL of the profile's database; required."),
            new Key(PROFILE, "user", "", "Database user; empty leaves it to the driver (not taken from [database])."),
            new Key(PROFILE, "admin_user", "", "The user Database.becomeAdmin() connects as."),
            new Key(PROFILE, "domain", "", "Host domain the profile is for, e.g. *.utah.edu: picked when no profile is named."),
            new Key(PROFILE, "pool_size", "<[database] pool_size>", "As in [database]."),
            new Key(PROFILE, "use_pooling", "<[database] use_pooling>", "As in [database]."),
            new Key(PROFILE, "connect_timeout", "<[database] connect_timeout>", "As in [database]."),
            new Key(PROFILE, "outage_timeout", "<[database] outage_timeout>", "As in [database]."),
            new Key(PROFILE, "schema", "<[database] schema>", "As in [database]."),
            new Key(PROFILE, "echo", "<[database] echo>", "As in [database]."));

    private ConfigKeys() {}

    /** Whether {@code section} is a database profile, {@code [database.profile NAME]}. */
    public static boolean isProfileSection(String section) {
        return section.startsWith(PROFILE_SECTION_PREFIX) && !section.substring(PROFILE_SECTION_PREFIX.length()).isBlank();
    }

    /** The keys a {@code [database.profile NAME]} section may hold. */
    public static List<Key> profileKeys() {
        return PROFILE_KEYS;
    }

    /** The sections Astra reads itself, in the order the example documents them. */
    public static Set<String> knownSections() {
        return SECTIONS;
    }

    /**
     * Whether {@code section} is one of Astra's own (case-sensitive, like all section names),
     * database profiles included.
     */
    public static boolean isKnownSection(String section) {
        return SECTIONS.contains(section) || isProfileSection(section);
    }

    /** Whether any key is allowed in the section: {@code [resources]}, whose keys are names. */
    public static boolean isFreeForm(String section) {
        return RESOURCES.equals(section);
    }

    /** Every known key, section by section. */
    public static List<Key> all() {
        return ALL;
    }

    /** The known keys of one section (a profile's too); empty for an unknown section. */
    public static List<Key> keysOf(String section) {
        if (isProfileSection(section)) {
            return PROFILE_KEYS;
        }
        return ALL.stream().filter(k -> k.section().equals(section)).toList();
    }

    /** The known key {@code name} of {@code section}, if there is one. */
    public static Optional<Key> find(String section, String name) {
        return keysOf(section).stream().filter(k -> k.name().equals(name)).findFirst();
    }
}
