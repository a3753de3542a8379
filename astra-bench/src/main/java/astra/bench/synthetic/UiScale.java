package astra.bench.synthetic;

import astra.core.AstraException;
import astra.core.Param;
import astra.core.Task;
import astra.core.WrapperTask;
import java.util.List;

/**
 * The graph of the web UI's scale benchmark (issue 17): one wrapper needing a {@link FanOut} of
 * {@code n} trivial leaves and a {@link Layered} graph of {@code layers} × {@code width} tasks, so
 * that a run of it has five families. {@code astra run UiScale --n 1000000 --layers 10 --width 1000}
 * is 1,010,004 tasks; the benchmark writes the rows of a finished run of it directly
 * ({@code astra.bench.UiScaleData}) rather than running it.
 */
public record UiScale(
        @Param(description = "How many trivial leaves in the fan-out") int n,
        @Param(description = "How many layers in the layered part") int layers,
        @Param(description = "Tasks per layer") int width) implements WrapperTask {

    public UiScale {
        if (n < 0 || layers < 1 || width < 1) {
            throw new AstraException.BadInput("--n must be at least 0, --layers and --width at least 1, got " + n + ", "
                    + layers + " and " + width);
        }
    }

    @Override
    public List<Task> requires() {
        return List.of(new FanOut(n), new Layered(layers, width));
    }
}
