package astra.core.params;

import astra.core.Task;
import astra.core.Tasks;

/** Prints the ids of {@link TestTasks#samples()}, one a line; run in a second JVM by a test. */
public final class IdPrinter {

    private IdPrinter() {}

    public static void main(String[] args) {
        for (Task task : TestTasks.samples()) {
            System.out.println(Tasks.id(task));
        }
    }
}
