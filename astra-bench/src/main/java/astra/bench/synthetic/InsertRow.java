package astra.bench.synthetic;

import astra.core.Param;
import astra.core.Task;
import astra.core.TaskContext;

/**
 * Inserts one row into {@code example_bench_rows}; complete once Astra's task table records it
 * done (the default {@code complete()}, which the scheduler checks in bulk). The unit of the
 * trivial-task throughput benchmark: {@code astra run InsertRows --n 10000 --workers 8}.
 */
public record InsertRow(@Param(description = "Which one") int i) implements Task {

    @Override
    public void run(TaskContext ctx) {
        BenchRows.insert(ctx.db(), ctx.taskId(), i);
    }
}
