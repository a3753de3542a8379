package astra.core;

/**
 * The root of every error a user can cause. Each subclass is one outcome; the command line maps
 * each outcome to its exit code in one place, prints the message, and shows a stack trace only
 * with {@code --debug}.
 */
public class AstraException extends RuntimeException {

    public AstraException(String message) {
        super(message);
    }

    public AstraException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Bad input: an unknown task, a bad parameter value, a missing required parameter. */
    public static class BadInput extends AstraException {
        public BadInput(String message) {
            super(message);
        }

        public BadInput(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A config file that cannot be read or parsed, or holds a bad value. */
    public static class BadConfig extends BadInput {
        public BadConfig(String message) {
            super(message);
        }
    }

    /** The database cannot be reached or its schema cannot be brought up to date. */
    public static class DatabaseUnavailable extends AstraException {
        public DatabaseUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The task graph cannot be built: a cycle, or {@code requires()}/{@code complete()} threw. */
    public static class SchedulingError extends AstraException {
        public SchedulingError(String message) {
            super(message);
        }
    }

    /** Worker processes could not start: an initializer failed. */
    public static class WorkerStartFailed extends AstraException {
        public WorkerStartFailed(String message) {
            super(message);
        }
    }
}
