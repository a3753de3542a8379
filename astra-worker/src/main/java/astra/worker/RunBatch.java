package astra.worker;

import astra.core.BatchTask;
import astra.core.ProcessResources;
import astra.core.Task;
import astra.core.Tasks;
import astra.core.internal.Exceptions;
import astra.core.store.ClaimedTask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * One attempt of a batch: rebuilds its members, gives them to one {@code runBatch} call, and
 * tells which members are done and which failed, and why. Whatever a member's task does is its
 * outcome, never the loop's.
 */
final class RunBatch {

    /** The members done, in batch order, and those failed with why. */
    record Result(List<String> done, Map<String, RunningBatch.Failure> failed) {}

    private final TaskLoader loader;
    private final DSLContext db;
    private final ProcessResources resources;

    RunBatch(TaskLoader loader, DSLContext db, ProcessResources resources) {
        this.loader = loader;
        this.db = db;
        this.resources = resources;
    }

    Result run(List<ClaimedTask> claimed) {
        Map<String, RunningBatch.Failure> failed = new LinkedHashMap<>();
        Map<String, Task> members = new LinkedHashMap<>();
        for (ClaimedTask c : claimed) {
            try {
                members.put(c.taskId(), loader.load(c));
            } catch (RuntimeException | LinkageError e) {
                failed.put(c.taskId(), failure(e));
            }
        }
        if (members.isEmpty()) {
            return new Result(List.of(), failed);
        }
        Task head = members.values().iterator().next();
        members.entrySet().removeIf(e -> {
            if (head instanceof BatchTask<?> && e.getValue().getClass() == head.getClass()) {
                return false;
            }
            failed.put(e.getKey(), new RunningBatch.Failure("claimed in a batch of " + head.getClass().getName()
                    + ", which is not a BatchTask of its class", null));
            return true;
        });
        if (members.isEmpty()) {
            return new Result(List.of(), failed);
        }
        RunningBatch context = new RunningBatch(members, Tasks.family(head), db, resources);
        Throwable thrown = null;
        try {
            runBatch((BatchTask<?>) head, new ArrayList<>(members.values()), context);
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            thrown = e;
        }
        List<String> done = new ArrayList<>();
        for (String id : members.keySet()) {
            RunningBatch.Failure own = context.failed().get(id);
            if (own != null) {
                failed.put(id, own);
            } else if (thrown != null) {
                failed.put(id, failure(thrown));
            } else {
                done.add(id);
            }
        }
        return new Result(done, failed);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void runBatch(BatchTask head, List<Task> members, RunningBatch context) throws Exception {
        head.runBatch(members, context);
    }

    private static RunningBatch.Failure failure(Throwable e) {
        return new RunningBatch.Failure(Exceptions.oneLine(e), Exceptions.stackTrace(e));
    }
}
