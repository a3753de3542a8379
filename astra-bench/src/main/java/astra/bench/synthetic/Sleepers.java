package astra.bench.synthetic;

import astra.core.AstraException;
import astra.core.Param;
import astra.core.WrapperTask;
import java.util.List;
import java.util.stream.IntStream;

/** One wrapper needing {@code n} {@link Sleeper} tasks: {@code astra run Sleepers --n 1 --millis 3000 --workers 2}. */
public record Sleepers(
        @Param(description = "How many sleeping tasks") int n,
        @Param(description = "How long each sleeps, in milliseconds") int millis) implements WrapperTask {

    public Sleepers {
        if (n < 0 || millis < 0) {
            throw new AstraException.BadInput("--n and --millis must be at least 0, got " + n + " and " + millis);
        }
    }

    @Override
    public List<Sleeper> requires() {
        return IntStream.range(0, n).mapToObj(i -> new Sleeper(i, millis)).toList();
    }
}
