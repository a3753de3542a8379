package astra.bench.synthetic;

import astra.core.Param;
import astra.core.Task;
import astra.core.TaskContext;

/**
 * Sleeps, then is done: a task that keeps one worker busy while the others have nothing to do
 * (the idle-child memory benchmark). Complete once Astra's task table records it done.
 */
public record Sleeper(
        @Param(description = "Which one") int i,
        @Param(description = "How long to sleep, in milliseconds") int millis) implements Task {

    @Override
    public void run(TaskContext ctx) throws InterruptedException {
        Thread.sleep(millis);
    }
}
