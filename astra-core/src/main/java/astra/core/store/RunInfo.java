package astra.core.store;

/**
 * What a run records about itself when it starts.
 *
 * @param keepGoing false to start no task of the run after one of its tasks failed for good
 *     ({@code [core] keep_going = false})
 */
public record RunInfo(String rootTaskIds, String host, long pid, String command, boolean keepGoing) {

    /** A run that keeps going after a failure, running whatever does not depend on it. */
    public RunInfo(String rootTaskIds, String host, long pid, String command) {
        this(rootTaskIds, host, pid, command, true);
    }
}
