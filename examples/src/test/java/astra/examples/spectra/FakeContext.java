package astra.examples.spectra;

import astra.core.Target;
import astra.core.Task;
import astra.core.TaskContext;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Just enough of a TaskContext to call run() without Astra: a real database, recorded progress. */
final class FakeContext implements TaskContext {

    private final Task task;
    private final String taskId;
    private final DSLContext db;
    final List<String> statuses = new ArrayList<>();
    final List<Double> progress = new ArrayList<>();

    FakeContext(Task task, String taskId, DSLContext db) {
        this.task = task;
        this.taskId = taskId;
        this.db = db;
    }

    @Override
    public String taskId() {
        return taskId;
    }

    @Override
    public DSLContext db() {
        return db;
    }

    @Override
    public Logger logger() {
        return LoggerFactory.getLogger(task.getClass());
    }

    @Override
    public void setProgress(double fraction) {
        progress.add(fraction);
    }

    @Override
    public void setStatus(String status) {
        statuses.add(status);
    }

    @Override
    public List<Target> input() {
        List<Target> inputs = new ArrayList<>();
        task.requires().forEach(r -> inputs.addAll(r.output()));
        return inputs;
    }

    @Override
    public List<Target> require(Task... tasks) {
        throw new UnsupportedOperationException("the example has no dynamic dependencies");
    }

    @Override
    public <T> T transaction(java.util.function.Function<DSLContext, T> work) {
        return db.transactionResult(cfg -> work.apply(cfg.dsl()));
    }

    @Override
    public <T> T resource(Class<T> type) {
        throw new IllegalStateException("no initializer ran in this test");
    }
}
