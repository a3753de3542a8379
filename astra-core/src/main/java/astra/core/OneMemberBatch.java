package astra.core;

import java.util.List;
import org.jooq.DSLContext;
import org.slf4j.Logger;

/** A batch of one, for {@link BatchTask#run}: its context is the task's own. */
final class OneMemberBatch<T extends Task> implements BatchContext<T> {

    private final T member;
    private final TaskContext ctx;
    private Exception failure;

    OneMemberBatch(T member, TaskContext ctx) {
        this.member = member;
        this.ctx = ctx;
    }

    @Override
    public String taskId(T task) {
        check(task);
        return ctx.taskId();
    }

    @Override
    public DSLContext db() {
        return ctx.db();
    }

    @Override
    public Logger logger() {
        return ctx.logger();
    }

    @Override
    public void setProgress(double fraction) {
        ctx.setProgress(fraction);
    }

    @Override
    public void setStatus(String status) {
        ctx.setStatus(status);
    }

    @Override
    public <R> R resource(Class<R> type) {
        return ctx.resource(type);
    }

    @Override
    public List<Target> input(T task) {
        check(task);
        return ctx.input();
    }

    @Override
    public void fail(T task, String why) {
        check(task);
        if (failure == null) {
            failure = new IllegalStateException(why);
        }
    }

    @Override
    public void fail(T task, Throwable why) {
        check(task);
        if (failure == null) {
            failure = why instanceof Exception e ? e : new IllegalStateException(why.toString(), why);
        }
    }

    void throwIfFailed() throws Exception {
        if (failure != null) {
            throw failure;
        }
    }

    private void check(T task) {
        if (task != member && !member.equals(task)) {
            throw new IllegalArgumentException(task + " is not in this batch of one (" + ctx.taskId() + ")");
        }
    }
}
