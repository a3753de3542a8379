package astra.bench.synthetic;

import astra.core.Param;
import astra.core.Task;
import astra.core.TaskContext;
import java.util.List;

/**
 * Task {@code i} of layer {@code layer} in a {@link Layered} graph: above layer 0 it requires
 * tasks {@code i} and {@code i + 1} (wrapping around) of the layer below. Does nothing; complete
 * once Astra's task table records it done.
 */
public record LayerTask(
        @Param(description = "Layer, from 0 at the bottom") int layer,
        @Param(description = "Position in the layer") int i,
        @Param(description = "Tasks per layer") int width) implements Task {

    @Override
    public List<LayerTask> requires() {
        if (layer == 0) {
            return List.of();
        }
        return List.of(new LayerTask(layer - 1, i, width), new LayerTask(layer - 1, (i + 1) % width, width));
    }

    @Override
    public void run(TaskContext ctx) {
        // Nothing: the point is to measure everything around it.
    }
}
