package astra.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM while a command's workers run: say so, stop them, and hold the JVM's exit
 * (up to a minute) until the command has recorded what they gave back and printed its last
 * words, so that every task ends up either done or runnable again.
 */
final class StopOnSignal {

    /** How long the exit waits for the command to finish after a signal. */
    private static final long GRACE_SECONDS = 60;

    /** The command's work, run with the hook in place. */
    interface Work {
        int run() throws Exception;
    }

    private StopOnSignal() {}

    /**
     * Runs {@code work}; on a signal prints {@code message} to {@code err} and calls {@code stop}
     * (from the hook's thread), then waits for {@code work} to return.
     */
    static int around(PrintWriter err, String message, Runnable stop, Work work) throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            Main.shuttingDown = true;
            err.println(message);
            err.flush();
            stop.run();
            try {
                finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "astra-stop-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return work.run();
        } finally {
            finished.countDown();
            if (!Main.shuttingDown) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shutdownBegan) {
                    // The signal came as the work ended: the hook is running and finds it finished.
                }
            }
        }
    }
}
