package astra.worker;

import astra.core.Task;
import astra.core.TaskContext;
import astra.core.db.ClaimedTask;
import astra.core.db.Database;
import astra.core.db.TaskStore;
import astra.core.internal.Exceptions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's loop: claim a ready task of the run, rebuild it from its family and parameters,
 * run it, and record the outcome (done and its dependents released, failed, or suspended on new
 * requirements). Ends when the run has nothing ready and nothing running, or when stopped.
 */
public final class ClaimRunRecord implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ClaimRunRecord.class);

    private final Database database;
    private final long runId;
    private final String workerId;
    private final TaskLoader loader;
    private final RequirementPlanner planner;
    private final Backoff backoff = new Backoff(2, 200);
    private volatile boolean stopped;

    public ClaimRunRecord(Database database, long runId, String workerId, TaskLoader loader, RequirementPlanner planner) {
        this.database = database;
        this.runId = runId;
        this.workerId = workerId;
        this.loader = loader;
        this.planner = planner;
    }

    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        TaskStore store = database.store();
        try {
            while (!stopped) {
                Optional<ClaimedTask> claimed = store.claim(runId, workerId);
                if (claimed.isPresent()) {
                    backoff.reset();
                    execute(store, claimed.get());
                } else if (store.hasWorkLeft(runId)) {
                    backoff.pause();
                } else {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void execute(TaskStore store, ClaimedTask claimed) {
        String taskId = claimed.taskId();
        RunningTask context = null;
        try {
            Task task = loader.load(claimed);
            context = new RunningTask(task, taskId, database.dsl(), planner);
            log.info("{} running {} (attempt {})", workerId, taskId, claimed.attempt());
            long start = System.nanoTime();
            task.run(context);
            if (context.suspension().isPresent()) {
                record(store.markFailed(taskId, workerId,
                        "the task caught TaskContext.Suspended thrown by ctx.require(): let it propagate", null), taskId);
                return;
            }
            record(store.markDone(taskId, workerId), taskId);
            log.info("{} done {} in {} ms", workerId, taskId, (System.nanoTime() - start) / 1_000_000);
        } catch (TaskContext.Suspended suspended) {
            log.info("{} suspended {}: waiting for {} new requirement(s)", workerId, taskId,
                    suspended.requirements().size());
            record(store.suspend(taskId, workerId, runId, context.suspension().orElseThrow()), taskId);
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            log.warn("{} failed {}: {}", workerId, taskId, Exceptions.oneLine(e));
            record(store.markFailed(taskId, workerId, Exceptions.oneLine(e), Exceptions.stackTrace(e)), taskId);
        }
    }

    private void record(boolean recorded, String taskId) {
        if (!recorded) {
            log.warn("{} no longer holds the claim on {}: its outcome was not recorded", workerId, taskId);
        }
    }
}
