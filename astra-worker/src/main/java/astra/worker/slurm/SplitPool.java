package astra.worker.slurm;

import astra.worker.WorkerPool;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two pools serving one run side by side, each claiming its own families: this host's worker
 * processes and the run's Slurm jobs. Idle when both are; a failure of either stops the other.
 */
public final class SplitPool implements WorkerPool {

    private final WorkerPool local;
    private final WorkerPool remote;

    SplitPool(WorkerPool local, WorkerPool remote) {
        this.local = local;
        this.remote = remote;
    }

    @Override
    public void runUntilIdle(long runId) throws InterruptedException {
        AtomicReference<Throwable> localFailure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                local.runUntilIdle(runId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                localFailure.set(e);
                remote.stop();
            }
        }, "astra-local-workers");
        thread.start();
        try {
            remote.runUntilIdle(runId);
        } catch (InterruptedException | RuntimeException e) {
            local.stop();
            thread.join();
            throw e;
        }
        thread.join();
        Throwable failure = localFailure.get();
        if (failure instanceof RuntimeException e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        }
    }

    @Override
    public void stop() {
        local.stop();
        remote.stop();
    }
}
