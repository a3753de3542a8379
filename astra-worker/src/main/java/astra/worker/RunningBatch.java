package astra.worker;

import astra.core.BatchContext;
import astra.core.ProcessResources;
import astra.core.Target;
import astra.core.Task;
import astra.core.internal.Exceptions;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/** The {@link BatchContext} of one {@code runBatch} call: its members, and those it failed. */
final class RunningBatch extends AttemptContext implements BatchContext<Task> {

    /** Why a member failed: a one-line error and the full text (null when there is none). */
    record Failure(String error, String detail) {}

    private final Map<Task, String> ids = new IdentityHashMap<>();
    private final Map<String, Failure> failed = new LinkedHashMap<>();

    RunningBatch(Map<String, Task> members, String family, DSLContext db, ProcessResources resources) {
        super(family, "batch of " + members.size() + " " + family, db, resources);
        members.forEach((id, task) -> ids.put(task, id));
    }

    /** The members failed by {@link #fail}, by task id, in the order they were failed. */
    Map<String, Failure> failed() {
        return failed;
    }

    @Override
    public String taskId(Task member) {
        return idOf(member);
    }

    @Override
    public List<Target> input(Task member) {
        idOf(member);
        return outputsOf(member.requires());
    }

    @Override
    public void fail(Task member, String why) {
        failed.putIfAbsent(idOf(member), new Failure(why == null || why.isBlank() ? "failed by its batch" : why, null));
    }

    @Override
    public void fail(Task member, Throwable why) {
        failed.putIfAbsent(idOf(member), new Failure(Exceptions.oneLine(why), Exceptions.stackTrace(why)));
    }

    /** The member's id; a task equal to a member (a record with the same values) counts as it. */
    private String idOf(Task member) {
        String id = ids.get(member);
        if (id == null) {
            id = ids.entrySet().stream().filter(e -> e.getKey().equals(member)).map(Map.Entry::getValue)
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(member + " is not in this " + label()));
        }
        return id;
    }
}
