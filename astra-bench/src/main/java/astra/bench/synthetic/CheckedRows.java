package astra.bench.synthetic;

import astra.core.Param;
import astra.core.WrapperTask;
import java.util.List;
import java.util.stream.IntStream;

/** One wrapper needing {@code n} {@link CheckedRow} tasks, each checked by its own query. */
public record CheckedRows(@Param(description = "How many tasks, each with its own row") int n) implements WrapperTask {

    @Override
    public List<CheckedRow> requires() {
        return IntStream.range(0, n).mapToObj(CheckedRow::new).toList();
    }
}
