package astra.scheduler;

/** How a run ended, worst first: the summary reports the worst that happened. */
public enum RunOutcome {
    /** Its {@code requires()} or {@code complete()} threw, or the graph has a cycle. */
    SCHEDULING_ERROR,
    /** A task failed. */
    FAILED,
    /** External data is missing, and nothing worse happened. */
    MISSING_DATA,
    /** Tasks of a disabled family ({@code astra disable}) were left pending, and nothing worse happened. */
    DISABLED,
    /** Stopped (Ctrl-C) before everything ran; the rest runs at the next {@code astra run}. */
    INTERRUPTED,
    /** Everything is complete, or nothing had to be done. */
    SUCCESS
}
