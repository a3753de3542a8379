package astra.bench.synthetic;

import astra.core.Param;
import astra.core.WrapperTask;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One wrapper needing {@code n} trivial tasks: a graph that measures Astra's own overhead
 * (scheduling, claiming, recording), since its tasks do nothing. {@code astra run FanOut --n 1000}.
 */
public record FanOut(@Param(description = "How many trivial tasks") int n) implements WrapperTask {

    @Override
    public List<Trivial> requires() {
        return IntStream.range(0, n).mapToObj(Trivial::new).toList();
    }
}
