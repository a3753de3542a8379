package astra.scheduler;

import astra.core.Task;
import astra.core.TaskContext;
import astra.core.WrapperTask;
import astra.worker.local.ProcessFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Two roots whose graphs share a subgraph: {@code Root(a)} and {@code Root(b)} each need the
 * {@link Shared} wrapper of {@code leaves} {@link Piece}s, and pieces of their own. Every piece
 * notes "piece &lt;name&gt; &lt;pid&gt;" in the ledger of {@code dir} when it finishes.
 */
public final class ConcurrentFixtures {

    private ConcurrentFixtures() {}

    /**
     * One unit of work. A gated piece first waits for the file {@code go} in {@code dir}: it
     * holds its worker until the test lets it go.
     */
    public record Piece(Path dir, String name, boolean gated) implements Task {
        @Override
        public void run(TaskContext ctx) throws InterruptedException {
            if (gated) {
                ProcessFixtures.waitForFile(dir.resolve("go"));
            }
            ProcessFixtures.note(dir, "piece " + name);
        }
    }

    /** The shared part: {@code leaves} pieces. */
    public record Shared(Path dir, int leaves, boolean gated) implements WrapperTask {
        @Override
        public List<Piece> requires() {
            return IntStream.range(0, leaves).mapToObj(i -> new Piece(dir, String.format("leaf%04d", i), gated)).toList();
        }
    }

    /** A run's root: the shared part and {@code own} pieces nobody else needs. */
    public record Root(Path dir, String name, int leaves, int own, boolean gated) implements WrapperTask {
        @Override
        public List<Task> requires() {
            List<Task> needs = new ArrayList<>();
            needs.add(new Shared(dir, leaves, gated));
            IntStream.range(0, own).forEach(i -> needs.add(new Piece(dir, name + i, false)));
            return needs;
        }
    }
}
