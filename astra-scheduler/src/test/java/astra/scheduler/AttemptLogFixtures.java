package astra.scheduler;

import astra.core.BatchContext;
import astra.core.BatchTask;
import astra.core.Param;
import astra.core.Task;
import astra.core.TaskContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Tasks for {@link AttemptLogsContract} that write through every channel a task has. */
public final class AttemptLogFixtures {

    private AttemptLogFixtures() {}

    /**
     * Prints to System.out and System.err and logs through its context, then fails its first
     * attempt (a marker file in {@code dir} says it had one) and succeeds on its second.
     */
    public record FailsOnce(Path dir, String name) implements Task {
        @Override
        public void run(TaskContext ctx) {
            Path marker = dir.resolve(name + ".tried");
            int attempt = Files.exists(marker) ? 2 : 1;
            System.out.println("out: " + name + " attempt " + attempt);
            System.err.println("err: " + name + " attempt " + attempt);
            ctx.logger().warn("logger: {} attempt {}", name, attempt);
            if (attempt == 1) {
                touch(marker);
                throw new IllegalStateException("the first attempt of " + name + " fails");
            }
        }
    }

    /** Writes nothing at all. */
    public record Quiet(Path dir) implements Task {
        @Override
        public void run(TaskContext ctx) {}
    }

    /** Fitted in batches; the member numbered 2 is failed by its batch. */
    public record Member(Path dir, @Param(batch = true) int number) implements BatchTask<Member> {
        @Override
        public int batchSize() {
            return 10;
        }

        @Override
        public void runBatch(List<Member> batch, BatchContext<Member> ctx) {
            System.out.println("fitting " + batch.size() + " members");
            for (Member m : batch) {
                if (m.number() == 2) {
                    ctx.fail(m, new IllegalArgumentException("member 2 has no flux"));
                }
            }
        }
    }

    /** Needs the three. */
    public record All(Path dir) implements astra.core.WrapperTask {
        @Override
        public List<Task> requires() {
            return List.of(new FailsOnce(dir, "a"), new Quiet(dir), new Member(dir, 1), new Member(dir, 2),
                    new Member(dir, 3));
        }
    }

    static void touch(Path file) {
        try {
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
