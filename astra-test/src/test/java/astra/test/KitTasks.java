package astra.test;

import astra.core.FileTarget;
import astra.core.Task;
import astra.core.TaskContext;
import java.nio.file.Path;
import java.util.List;

/** Tasks the kit's tests run: public, so that child worker processes can rebuild them. */
public final class KitTasks {

    private KitTasks() {}

    /** Writes {@code hello <name>} to {@code <dir>/<name>.txt}, and says so on stdout. */
    public record Greet(String name, Path dir) implements Task {
        @Override
        public List<FileTarget> output() {
            return List.of(new FileTarget(dir.resolve(name + ".txt")));
        }

        @Override
        public void run(TaskContext ctx) throws Exception {
            System.out.println("greeting " + name);
            output().get(0).writeString("hello " + name);
        }
    }

    /** Needs {@link Greet} and writes its text in capitals. */
    public record Shout(String name, Path dir) implements Task {
        @Override
        public List<Greet> requires() {
            return List.of(new Greet(name, dir));
        }

        @Override
        public List<FileTarget> output() {
            return List.of(new FileTarget(dir.resolve(name + "-shout.txt")));
        }

        @Override
        public void run(TaskContext ctx) throws Exception {
            String greeting = ((FileTarget) ctx.input().get(0)).readString();
            output().get(0).writeString(greeting.toUpperCase());
        }
    }

    /** Always fails, after printing a line. */
    public record Broken(String part) implements Task {
        @Override
        public void run(TaskContext ctx) {
            System.out.println("looking for " + part + "'s calibration frames");
            throw new IllegalStateException(part + " has no calibration frames");
        }
    }

    /** Needs {@link Broken}: never runs. */
    public record AfterBroken(String part) implements Task {
        @Override
        public List<Broken> requires() {
            return List.of(new Broken(part));
        }

        @Override
        public void run(TaskContext ctx) {
            throw new AssertionError("ran although its requirement failed");
        }
    }
}
