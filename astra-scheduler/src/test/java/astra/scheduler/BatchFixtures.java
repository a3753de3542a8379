package astra.scheduler;

import static astra.worker.local.ProcessFixtures.note;

import astra.core.BatchContext;
import astra.core.BatchTask;
import astra.core.Param;
import astra.core.Task;
import astra.core.TaskContext;
import astra.core.WrapperTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Batch tasks for {@link BatchContract}, run by real child processes; they note what they did in the ledger. */
public final class BatchFixtures {

    private BatchFixtures() {}

    /**
     * One spectrum, fitted in batches of 100. {@code failing} says what goes wrong: "none", a
     * spectrum number (that member is failed through the context), "throw" (the batch throws)
     * or "exit" (the batch ends its process).
     */
    public record Spectrum(Path dir, @Param(batch = true) int number, String failing) implements BatchTask<Spectrum> {
        @Override
        public int batchSize() {
            return 100;
        }

        @Override
        public void runBatch(List<Spectrum> batch, BatchContext<Spectrum> ctx) {
            note(dir, "batch " + batch.size());
            switch (failing) {
                case "throw" -> throw new IllegalStateException("the model diverged");
                case "exit" -> System.exit(42);
                default -> { }
            }
            List<String> members = new ArrayList<>();
            for (Spectrum s : batch) {
                if (String.valueOf(s.number()).equals(failing)) {
                    ctx.fail(s, "spectrum " + s.number() + " has no flux");
                } else {
                    members.add("member " + s.number());
                }
            }
            note(dir, String.join(",", members));
        }
    }

    /** Needs one spectrum. */
    public record Coadd(Path dir, int of, String failing) implements Task {
        @Override
        public List<Spectrum> requires() {
            return List.of(new Spectrum(dir, of, failing));
        }

        @Override
        public void run(TaskContext ctx) {
            note(dir, "coadd " + of);
        }
    }

    /** Spectra 0 to n − 1, and the coadds of the spectra listed. */
    public record Spectra(Path dir, int n, String failing, List<Integer> coadds) implements WrapperTask {
        @Override
        public List<Task> requires() {
            List<Task> all = new ArrayList<>(IntStream.range(0, n).mapToObj(i -> new Spectrum(dir, i, failing)).toList());
            coadds.forEach(i -> all.add(new Coadd(dir, i, failing)));
            return all;
        }
    }

    /** A batchable family that asks for a resource, or for batches of {@code size}. */
    public record Misdeclared(Path dir, @Param(batch = true) int number, boolean gpu, int size)
            implements BatchTask<Misdeclared> {
        @Override
        public int batchSize() {
            return size;
        }

        @Override
        public java.util.Map<String, Integer> resources() {
            return gpu ? java.util.Map.of("gpu", 1) : java.util.Map.of();
        }

        @Override
        public void runBatch(List<Misdeclared> batch, BatchContext<Misdeclared> ctx) {
            note(dir, "misdeclared " + batch.size());
        }
    }

    /** The two misdeclared families, and one spectrum that is fine. */
    public record Misdeclarations(Path dir) implements WrapperTask {
        @Override
        public List<Task> requires() {
            return List.of(new Misdeclared(dir, 1, true, 10), new Misdeclared(dir, 2, false, 0),
                    new Spectrum(dir, 1, "none"));
        }
    }
}
