package astra.worker;

import astra.core.BatchContext;
import astra.core.ProcessResources;
import astra.core.Target;
import astra.core.Task;
import astra.core.internal.Exceptions;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link BatchContext} of one {@code runBatch} call: its members, and those it failed. */
final class RunningBatch implements BatchContext<Task> {

    /** Why a member failed: a one-line error and the full text (null when there is none). */
    record Failure(String error, String detail) {}

    private final Map<Task, String> ids = new IdentityHashMap<>();
    private final Map<String, Failure> failed = new LinkedHashMap<>();
    private final DSLContext db;
    private final ProcessResources resources;
    private final Logger logger;
    private final String label;

    RunningBatch(Map<String, Task> members, String family, DSLContext db, ProcessResources resources) {
        members.forEach((id, task) -> ids.put(task, id));
        this.db = db;
        this.resources = resources;
        this.logger = LoggerFactory.getLogger("astra.task." + family);
        this.label = "batch of " + members.size() + " " + family;
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
    public DSLContext db() {
        return db;
    }

    @Override
    public Logger logger() {
        return logger;
    }

    @Override
    public void setProgress(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("progress must be between 0 and 1, got " + fraction);
        }
        logger.debug("{}: {}%", label, Math.round(fraction * 100));
    }

    @Override
    public void setStatus(String status) {
        logger.info("{}: {}", label, status == null ? "" : status);
    }

    @Override
    public <R> R resource(Class<R> type) {
        return resources.resource(type);
    }

    @Override
    public List<Target> input(Task member) {
        idOf(member);
        List<Target> outputs = new ArrayList<>();
        for (Task t : member.requires()) {
            outputs.addAll(t.output());
        }
        return outputs;
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
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(member + " is not in this " + label));
        }
        return id;
    }
}
