package astra.bench.synthetic;

import astra.core.Param;
import astra.core.WrapperTask;
import java.util.List;
import java.util.stream.IntStream;

/** {@link CheckedRows} with set-based completion: {@code n} {@link CheckedRowSet} tasks, checked a thousand per query. */
public record CheckedRowsSet(@Param(description = "How many tasks, each with its own row") int n) implements WrapperTask {

    @Override
    public List<CheckedRowSet> requires() {
        return IntStream.range(0, n).mapToObj(CheckedRowSet::new).toList();
    }
}
