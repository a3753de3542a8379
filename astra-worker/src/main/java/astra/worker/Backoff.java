package astra.worker;

/**
 * How long an idle worker waits before asking the database again: short at first, so a task
 * released by another worker is picked up quickly, doubling up to a ceiling so that idle workers
 * do not hammer the database.
 */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private long next;

    Backoff(long minMillis, long maxMillis) {
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.next = minMillis;
    }

    void reset() {
        next = minMillis;
    }

    void pause() throws InterruptedException {
        Thread.sleep(next);
        next = Math.min(maxMillis, next * 2);
    }
}
