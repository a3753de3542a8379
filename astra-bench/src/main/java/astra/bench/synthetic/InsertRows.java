package astra.bench.synthetic;

import astra.core.Param;
import astra.core.WrapperTask;
import java.util.List;
import java.util.stream.IntStream;

/** One wrapper needing {@code n} {@link InsertRow} tasks: {@code astra run InsertRows --n 10000}. */
public record InsertRows(@Param(description = "How many rows to insert, one task each") int n) implements WrapperTask {

    @Override
    public List<InsertRow> requires() {
        return IntStream.range(0, n).mapToObj(InsertRow::new).toList();
    }
}
