package astra.worker;

import astra.core.AstraException;
import astra.core.internal.Exceptions;
import java.time.Duration;
import java.util.function.Supplier;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the task store again when the database fails (a restart, a dropped connection), so that
 * a task that ran is still recorded, once, when the database is back. Gives up after a while
 * with {@link AstraException.DatabaseUnavailable}: the claim then stays in the database, and the
 * next run hands it back.
 */
final class StoreRetries {

    private static final Logger log = LoggerFactory.getLogger(StoreRetries.class);

    private final Duration giveUpAfter;
    private final String workerId;

    StoreRetries(Duration giveUpAfter, String workerId) {
        this.giveUpAfter = giveUpAfter;
        this.workerId = workerId;
    }

    private boolean retried;

    /** Whether the last {@link #call} had to try more than once. */
    boolean lastCallRetried() {
        return retried;
    }

    <T> T call(String what, Supplier<T> call) throws InterruptedException {
        retried = false;
        long giveUpAt = 0;
        Backoff backoff = new Backoff(50, 2_000);
        while (true) {
            try {
                return call.get();
            } catch (DataAccessException | AstraException.DatabaseUnavailable e) {
                retried = true;
                long now = System.nanoTime();
                if (giveUpAt == 0) {
                    giveUpAt = now + giveUpAfter.toNanos();
                    log.warn("{}: the database failed while {}: {}; trying again for up to {} s", workerId, what,
                            Exceptions.oneLine(e), giveUpAfter.toSeconds());
                } else if (now - giveUpAt > 0) {
                    throw new AstraException.DatabaseUnavailable("lost the database for " + giveUpAfter.toSeconds()
                            + " s while " + what + ": " + Exceptions.oneLine(e), e);
                }
                backoff.pause();
            }
        }
    }
}
