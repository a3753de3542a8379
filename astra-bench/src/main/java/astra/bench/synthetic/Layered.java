package astra.bench.synthetic;

import astra.core.AstraException;
import astra.core.Param;
import astra.core.WrapperTask;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A layered graph for measuring scheduling: {@code layers} layers of {@code width} tasks, each
 * task above the bottom layer requiring two of the layer below, and this wrapper requiring the
 * top layer. {@code astra run Layered --layers 100 --width 1000} is 100,001 tasks.
 */
public record Layered(
        @Param(description = "How many layers") int layers,
        @Param(description = "Tasks per layer") int width) implements WrapperTask {

    public Layered {
        if (layers < 1 || width < 1) {
            throw new AstraException.BadInput("--layers and --width must be at least 1, got " + layers + " and " + width);
        }
    }

    @Override
    public List<LayerTask> requires() {
        return IntStream.range(0, width).mapToObj(i -> new LayerTask(layers - 1, i, width)).toList();
    }
}
