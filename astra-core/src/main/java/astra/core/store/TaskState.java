package astra.core.store;

/** The states a task row goes through. */
public enum TaskState {
    /** Waiting for its dependencies, or ready when none is unfinished. */
    PENDING,
    /** Claimed by a worker. */
    RUNNING,
    DONE,
    FAILED,
    /** An external task whose data is not there. Never claimed. */
    MISSING
}
