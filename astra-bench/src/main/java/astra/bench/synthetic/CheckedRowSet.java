package astra.bench.synthetic;

import astra.core.Param;
import astra.core.SetCompleteTask;
import astra.core.TaskContext;
import astra.core.Tasks;
import astra.core.db.Database;
import java.util.List;
import java.util.Set;

/**
 * {@link CheckedRow} with set-based completion: the scheduler asks for a thousand tasks' rows
 * with one query ({@link #completeEach}) instead of one query each. It writes and looks for
 * {@code CheckedRow(i)}'s row in {@code example_bench_rows}, so that one prep run of
 * {@code CheckedRows} makes {@code CheckedRowsSet} complete too and the benchmark's timed runs
 * differ only in how completeness is asked.
 */
public record CheckedRowSet(@Param(description = "Which one") int i) implements SetCompleteTask<CheckedRowSet> {

    @Override
    public List<Boolean> completeEach(List<CheckedRowSet> tasks) {
        List<String> rows = tasks.stream().map(CheckedRowSet::rowKey).toList();
        Set<String> done = BenchRows.containedAmong(Database.current().dsl(), rows);
        return rows.stream().map(done::contains).toList();
    }

    @Override
    public void run(TaskContext ctx) {
        BenchRows.insert(ctx.db(), rowKey(), i);
    }

    /** The task id of {@code CheckedRow(i)}, which keys the row both tasks share. */
    String rowKey() {
        return Tasks.id(new CheckedRow(i));
    }
}
