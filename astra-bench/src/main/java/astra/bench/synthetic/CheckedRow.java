package astra.bench.synthetic;

import astra.core.Param;
import astra.core.Task;
import astra.core.TaskContext;
import astra.core.Tasks;
import astra.core.db.Database;

/**
 * Inserts one row into {@code example_bench_rows}, and is complete when that row exists: its own
 * {@code complete()} issues one query per task, as a task whose result lives in the user's own
 * table does. The unit of the custom-completion scheduling benchmark:
 * {@code astra run CheckedRows --n 10000}, with {@code [core] parallel_scheduling} off and on.
 */
public record CheckedRow(@Param(description = "Which one") int i) implements Task {

    /** Asks the database of this process ({@link Database#current()}: no {@code TaskContext} here). */
    @Override
    public boolean complete() {
        return BenchRows.contains(Database.current().dsl(), Tasks.id(this));
    }

    @Override
    public void run(TaskContext ctx) {
        BenchRows.insert(ctx.db(), ctx.taskId(), i);
    }
}
