package astra.worker;

import astra.core.store.ClaimScope;
import astra.core.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a worker loop may still claim before its deadline ({@link LoopOptions#endBy}, a Slurm
 * job's time limit): its scope, less the families whose longest task done so far would not
 * finish {@link LoopOptions#END_MARGIN} before it. Those durations are read from the store now
 * and then, not at every claim.
 */
final class TimeLimit {

    private static final long LONGEST_DONE_AGE_NANOS = 60_000_000_000L;

    private final Instant endBy;
    private final ClaimScope scope;
    private final TaskStore store;
    private final StoreRetries retries;
    /** How long each family's tasks took at most; null until first read. */
    private Map<String, Duration> longestDone;
    private long longestReadAt;

    /** {@code endBy} null: no deadline, and {@link #scopeThatFits} is always {@code scope}. */
    TimeLimit(Instant endBy, ClaimScope scope, TaskStore store, StoreRetries retries) {
        this.endBy = endBy;
        this.scope = scope;
        this.store = store;
        this.retries = retries;
    }

    boolean exists() {
        return endBy != null;
    }

    Instant endBy() {
        return endBy;
    }

    /** The families the loop may still claim; null when nothing fits any more. */
    ClaimScope scopeThatFits() throws InterruptedException {
        if (endBy == null) {
            return scope;
        }
        Duration left = Duration.between(Instant.now(), endBy).minus(LoopOptions.END_MARGIN);
        if (left.isNegative() || left.isZero()) {
            return null;
        }
        if (longestDone == null || System.nanoTime() - longestReadAt > LONGEST_DONE_AGE_NANOS) {
            longestDone = retries.call("reading how long tasks took", store::longestDone);
            longestReadAt = System.nanoTime();
        }
        Set<String> tooLong = new TreeSet<>();
        longestDone.forEach((family, longest) -> {
            if (longest.compareTo(left) > 0) {
                tooLong.add(family);
            }
        });
        if (tooLong.isEmpty()) {
            return scope;
        }
        if (!scope.only().isEmpty()) {
            Set<String> only = new TreeSet<>(scope.only());
            only.removeAll(tooLong);
            return only.isEmpty() ? null : ClaimScope.only(only);
        }
        tooLong.addAll(scope.except());
        return ClaimScope.except(tooLong);
    }

    /** Whether some of the work left in the run, within the scope, fits before the deadline. */
    boolean somethingFits(long runId) throws InterruptedException {
        ClaimScope fits = scopeThatFits();
        return fits != null && (fits.equals(scope) || retries.call("looking for work", () -> store.hasWorkLeft(runId, fits)));
    }
}
