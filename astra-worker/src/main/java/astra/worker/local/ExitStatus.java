package astra.worker.local;

import java.util.Locale;

/** How a child worker process ends: its exit codes, which the parent reads. */
enum ExitStatus {
    /** Nothing left to claim, or it ran its maximum number of tasks. */
    FINISHED(0),
    /** An initializer failed; its last line on stderr says which, after {@link #INIT_FAILED_PREFIX}. */
    INIT_FAILED(3),
    /** A task ended the JVM itself (System.exit); the child recorded the task's failure first. */
    TASK_EXITED(75),
    /** The database was gone for longer than the worker's patience. */
    LOST_DATABASE(6),
    /** What is left would not finish before its deadline (a Slurm job's time limit); it holds nothing. */
    OUT_OF_TIME(76),
    /** A task ran past its timeout; the child recorded the failure before it stopped. */
    TIMED_OUT(124),
    /** Told to stop (Ctrl-C, SIGTERM, or the scheduler went away); its claim was given back. */
    INTERRUPTED(130);

    /** Starts the line on stderr that names the failed initializer. */
    static final String INIT_FAILED_PREFIX = "astra-worker: initializer failed: ";

    final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    static String describe(int code) {
        for (ExitStatus s : values()) {
            if (s.code == code) {
                return s.name().toLowerCase(Locale.ROOT).replace('_', ' ');
            }
        }
        return code == 137 ? "killed (SIGKILL)" : "exited with code " + code;
    }
}
