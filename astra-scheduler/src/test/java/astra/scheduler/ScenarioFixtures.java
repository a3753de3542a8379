package astra.scheduler;

import static astra.worker.local.ProcessFixtures.note;

import astra.core.ExternalTask;
import astra.core.FileTarget;
import astra.core.Target;
import astra.core.Task;
import astra.core.TaskContext;
import astra.core.WrapperTask;
import astra.worker.local.ProcessFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tasks for the scenarios of {@link ScenarioContract}, run by real child processes: public, so a
 * child can rebuild them, and each notes what it did in the ledger file of {@link ProcessFixtures}.
 */
public final class ScenarioFixtures {

    private ScenarioFixtures() {}

    /** The root of the diamond scenario: the diamond, and a branch that needs nothing of it. */
    public record Survey(Path dir, String failing) implements WrapperTask {
        @Override
        public List<Task> requires() {
            return List.of(new Facet(dir, "top", failing), new Sideline(dir));
        }
    }

    /** A part of the diamond: top needs left and right, which both need bottom; {@code failing} throws. */
    public record Facet(Path dir, String part, String failing) implements Task {
        @Override
        public List<Facet> requires() {
            return switch (part) {
                case "top" -> List.of(new Facet(dir, "left", failing), new Facet(dir, "right", failing));
                case "left", "right" -> List.of(new Facet(dir, "bottom", failing));
                default -> List.of();
            };
        }

        @Override
        public void run(TaskContext ctx) {
            note(dir, part);
            if (part.equals(failing)) {
                throw new IllegalStateException(part + " has no calibration frames");
            }
        }
    }

    /** Work that needs nothing that fails. */
    public record Sideline(Path dir) implements Task {
        @Override
        public void run(TaskContext ctx) {
            note(dir, "sideline");
        }
    }

    /**
     * Fails on its first attempt, as a flaky network does, and succeeds on the next: the file
     * {@code flaky-tried} in {@code dir} says the first attempt was made.
     */
    public record FlakyOnce(Path dir) implements Task {
        @Override
        public void run(TaskContext ctx) throws IOException {
            Path marker = dir.resolve("flaky-tried");
            if (!Files.exists(marker)) {
                Files.writeString(marker, "");
                note(dir, "flaky attempt 1");
                throw new IllegalStateException("archive server reset the connection");
            }
            note(dir, "flaky attempt 2");
        }
    }

    /**
     * Finds its inputs at run time: reads the names listed in {@code dir/catalogue.txt} and needs a
     * {@link Fetch} for each.
     */
    public record Catalogue(Path dir) implements Task {
        @Override
        public void run(TaskContext ctx) throws IOException {
            note(dir, "catalogue start");
            List<String> names = Files.readAllLines(dir.resolve("catalogue.txt")).stream()
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
            ctx.require(names.stream().map(n -> new Fetch(dir, n)).toArray(Task[]::new));
            note(dir, "catalogue end");
        }
    }

    /** Needs, found at run time, the download of its input. */
    public record Fetch(Path dir, String name) implements Task {
        @Override
        public void run(TaskContext ctx) {
            note(dir, "fetch " + name + " start");
            ctx.require(new Download(dir, name));
            note(dir, "fetch " + name + " end");
        }
    }

    public record Download(Path dir, String name) implements Task {
        @Override
        public void run(TaskContext ctx) {
            note(dir, "download " + name);
        }
    }

    /** Raw frames from the telescope: there when its file is. */
    public record Frames(Path file) implements ExternalTask {
        @Override
        public List<Target> output() {
            return List.of(new FileTarget(file));
        }
    }

    /** Reduces the raw frames. */
    public record Reduction(Path dir, Path frames) implements Task {
        @Override
        public List<Frames> requires() {
            return List.of(new Frames(frames));
        }

        @Override
        public void run(TaskContext ctx) {
            note(dir, "reduction");
        }
    }

    /** Needs the reduction of the frames, and a branch that needs no frames. */
    public record Night(Path dir, Path frames) implements WrapperTask {
        @Override
        public List<Task> requires() {
            return List.of(new Reduction(dir, frames), new Sideline(dir));
        }
    }

    /** Finds only at run time that it needs the raw frames. */
    public record Calibration(Path dir, Path frames) implements Task {
        @Override
        public void run(TaskContext ctx) {
            note(dir, "calibration start");
            ctx.require(new Frames(frames));
            note(dir, "calibration end");
        }
    }
}
