package astra.scheduler;

import static astra.worker.local.ProcessFixtures.note;

import astra.core.Task;
import astra.core.TaskContext;
import astra.core.WrapperTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Tasks for {@link PolicyContract}, run by real child processes; each notes what it did in the ledger. */
public final class PolicyFixtures {

    private PolicyFixtures() {}

    /** {@code n} tasks that each hold the one GPU for a moment, and {@code n} that need nothing. */
    public record GpuSurvey(Path dir, int n) implements WrapperTask {
        @Override
        public List<Task> requires() {
            return IntStream.range(0, n).boxed()
                    .<Task>mapMulti((i, out) -> {
                        out.accept(new OnGpu(dir, i));
                        out.accept(new OnCpu(dir, i));
                    })
                    .toList();
        }
    }

    public record OnGpu(Path dir, int i) implements Task {
        @Override
        public Map<String, Integer> resources() {
            return Map.of("gpu", 1);
        }

        /** Before the CPU tasks, so a worker that starts while the GPU is held takes those. */
        @Override
        public int priority() {
            return 1;
        }

        /**
         * Holds the GPU until a second worker is up, so that other workers are there to want it
         * while it is held (on a busy machine the first child could otherwise do everything alone).
         */
        @Override
        public void run(TaskContext ctx) throws InterruptedException {
            note(dir, "gpu " + i);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (ctx.db().fetchCount(org.jooq.impl.DSL.table("astra_worker"),
                    org.jooq.impl.DSL.field("stopped_at").isNull()) < 2) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no second worker started in 120 s");
                }
                Thread.sleep(20);
            }
            Thread.sleep(20);
        }
    }

    public record OnCpu(Path dir, int i) implements Task {
        @Override
        public void run(TaskContext ctx) {
            note(dir, "cpu " + i);
        }
    }

    /** Needs more GPUs than there are: it could never run. */
    public record Greedy(Path dir) implements Task {
        @Override
        public Map<String, Integer> resources() {
            return Map.of("gpu", 2);
        }

        @Override
        public void run(TaskContext ctx) {
            note(dir, "greedy");
        }
    }

    /** Urgent, Routine and Someday tasks; Urgent needs a Prep that declares no priority of its own. */
    public record Triage(Path dir) implements WrapperTask {
        @Override
        public List<Task> requires() {
            return List.of(new Ranked(dir, "someday", 1), new Ranked(dir, "routine", 5), new Ranked(dir, "urgent", 10));
        }
    }

    public record Ranked(Path dir, String name, int rank) implements Task {
        @Override
        public int priority() {
            return rank;
        }

        @Override
        public List<Task> requires() {
            return name.equals("urgent") ? List.of(new Prep(dir)) : List.of();
        }

        @Override
        public void run(TaskContext ctx) {
            note(dir, name);
        }
    }

    /** Declares no priority: it runs at that of Urgent, which needs it. */
    public record Prep(Path dir) implements Task {
        @Override
        public void run(TaskContext ctx) {
            note(dir, "prep");
        }
    }

    /** A first task that fails, then many that would run after it. */
    public record Strict(Path dir, int n) implements WrapperTask {
        @Override
        public List<Task> requires() {
            return IntStream.range(0, n).<Task>mapToObj(i -> new Step(dir, i, n - i)).toList();
        }
    }

    /** Step 0 has the highest priority and fails. */
    public record Step(Path dir, int i, int rank) implements Task {
        @Override
        public int priority() {
            return rank;
        }

        @Override
        public void run(TaskContext ctx) {
            note(dir, "step " + i);
            if (i == 0) {
                throw new IllegalStateException("step 0 broke");
            }
        }
    }
}
