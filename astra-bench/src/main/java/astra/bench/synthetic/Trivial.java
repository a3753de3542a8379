package astra.bench.synthetic;

import astra.core.Param;
import astra.core.Task;
import astra.core.TaskContext;

/** Does nothing; complete once Astra's task table records it done. */
public record Trivial(@Param(description = "Which one") int i) implements Task {

    @Override
    public void run(TaskContext ctx) {
        // Nothing: the point is to measure everything around it.
    }
}
