package astra.plan;

/** What the scheduler found out about a task while building the graph. */
public enum NodeStatus {
    /** Already complete: not run, requirements not expanded. */
    COMPLETE,
    /** To be run. */
    INCOMPLETE,
    /** An external task whose data is not there. */
    MISSING,
    /** Its {@code requires()} or {@code complete()} threw, or it is not a valid task. */
    ERROR
}
