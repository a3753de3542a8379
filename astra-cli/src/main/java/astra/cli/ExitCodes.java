package astra.cli;

import astra.core.AstraException;
import astra.scheduler.RunOutcome;
import org.jooq.exception.DataAccessException;
import picocli.CommandLine;

/** Every exit code of the {@code astra} command, in one place (the README has the same table). */
final class ExitCodes {

    static final int OK = 0;
    static final int UNEXPECTED = 1;
    static final int BAD_INPUT = 2;
    static final int TASK_FAILED = 3;
    static final int MISSING_DATA = 4;
    static final int SCHEDULING_ERROR = 5;
    static final int DATABASE_UNAVAILABLE = 6;
    static final int WORKERS_FAILED = 7;
    static final int DISABLED = 8;
    static final int INTERRUPTED = 130;

    private ExitCodes() {}

    static int of(RunOutcome outcome) {
        return switch (outcome) {
            case SUCCESS -> OK;
            case FAILED -> TASK_FAILED;
            case MISSING_DATA -> MISSING_DATA;
            case DISABLED -> DISABLED;
            case SCHEDULING_ERROR -> SCHEDULING_ERROR;
            case INTERRUPTED -> INTERRUPTED;
        };
    }

    static int of(Throwable e) {
        if (e instanceof AstraException.BadInput || e instanceof CommandLine.ParameterException) {
            return BAD_INPUT;
        }
        if (e instanceof AstraException.SchedulingError) {
            return SCHEDULING_ERROR;
        }
        if (e instanceof AstraException.WorkerStartFailed) {
            return WORKERS_FAILED;
        }
        if (e instanceof AstraException.DatabaseUnavailable || isLostConnection(e)) {
            return DATABASE_UNAVAILABLE;
        }
        return UNEXPECTED;
    }

    /** A connection failure (SQLSTATE class 08) or a server shutting down (57P01-57P03), not a bug. */
    static boolean isLostConnection(Throwable e) {
        if (!(e instanceof DataAccessException access)) {
            return false;
        }
        String state = access.sqlState();
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    /** The table shown at the end of {@code astra --help}. */
    static final String TABLE = """
            Exit codes:
              0    everything is complete (or nothing had to be done)
              1    an unexpected error (a bug: please report it, with --debug output)
              2    bad input: unknown task, bad parameter, bad config
              3    a task failed
              4    external data is missing (and nothing failed)
              5    scheduling error: a cycle, or requires()/complete() threw
              6    the database cannot be reached or migrated
              7    worker processes could not start (an initializer failed, a Slurm job failed)
              8    tasks of a disabled family were left pending (astra enable runs them again)
              130  interrupted (Ctrl-C); the next run picks up where this one stopped""";
}
