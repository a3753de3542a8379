package astra.worker.local;

import astra.core.Param;
import astra.core.ProcessInitializer;
import astra.core.ProcessResources;
import astra.core.Task;
import astra.core.TaskContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Tasks and initializers for tests that run real worker processes; they write to a ledger file. */
public final class ProcessFixtures {

    private ProcessFixtures() {}

    /** Appends "event pid" to {@code dir/ledger}: a record that outlives the process that wrote it. */
    public static void note(Path dir, String event) {
        try {
            Files.writeString(dir.resolve("ledger"), event + " " + ProcessHandle.current().pid() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void waitForFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nobody created " + file);
            }
            Thread.sleep(20);
        }
    }

    /** What {@link CountingInitializer} loads once per process, and tasks use. */
    public record Model(long loadedBy) {}

    /** Loads the "model" and notes that it did. */
    public static final class CountingInitializer implements ProcessInitializer {
        @Override
        public void initialize(ProcessResources process) throws IOException {
            Path dir = Path.of(System.getProperty("astra.test.dir", "."));
            note(dir, "init");
            process.provide(Model.class, new Model(ProcessHandle.current().pid()));
        }
    }

    /** Fails, as a broken hook does. */
    public static final class BrokenInitializer implements ProcessInitializer {
        @Override
        public void initialize(ProcessResources process) {
            throw new IllegalStateException("model file is corrupt");
        }
    }

    /** Notes which process ran it, and which process loaded the model it was given. */
    public record Work(@Param Path dir, int n) implements Task {
        @Override
        public void run(TaskContext ctx) {
            Model model = ctx.resource(Model.class);
            note(dir, "work" + n + " model " + model.loadedBy() + " env " + System.getenv("ASTRA_TEST_ENV"));
        }
    }

    /** Finds one piece of work it needs only when it runs: the child process plans it itself. */
    public record FindsWorkAtRunTime(Path dir) implements Task {
        @Override
        public void run(TaskContext ctx) {
            ctx.require(new Work(dir, 99));
            note(dir, "found work");
        }
    }

    /** Needs {@code n} pieces of work. */
    public record AllWork(Path dir, int n) implements astra.core.WrapperTask {
        @Override
        public List<Work> requires() {
            return java.util.stream.IntStream.range(0, n).mapToObj(i -> new Work(dir, i)).toList();
        }
    }

    /** Notes its start, then waits for the file {@code go} before it notes its end. */
    public record Waits(Path dir, String name) implements Task {
        @Override
        public void run(TaskContext ctx) throws InterruptedException {
            note(dir, name + " started");
            waitForFile(dir.resolve("go"));
            note(dir, name + " finished");
        }
    }

    /** Runs for much longer than any test's timeout. */
    public record Sleeps(Path dir) implements Task {
        @Override
        public void run(TaskContext ctx) throws InterruptedException {
            note(dir, "sleeping");
            Thread.sleep(600_000);
        }
    }

    public record Throws(Path dir) implements Task {
        @Override
        public void run(TaskContext ctx) {
            throw new IllegalStateException("spectrum has no flux");
        }
    }

    public record Exits(Path dir) implements Task {
        @Override
        public void run(TaskContext ctx) {
            note(dir, "exiting");
            System.exit(42);
        }
    }

    /** Ordinary work that needs nothing that fails. */
    public record Independent(Path dir) implements Task {
        @Override
        public void run(TaskContext ctx) {
            note(dir, "independent");
        }
    }

    /** A root with failing parts and an independent one. */
    public record Mixed(Path dir, List<String> parts) implements astra.core.WrapperTask {
        @Override
        public List<Task> requires() {
            return parts.stream().<Task>map(p -> switch (p) {
                case "sleeps" -> new Sleeps(dir);
                case "throws" -> new Throws(dir);
                case "exits" -> new Exits(dir);
                default -> new Independent(dir);
            }).toList();
        }
    }

    /** Waits until the ledger has a line starting with {@code line}. */
    public static void waitForLine(Path dir, String line) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            try {
                Path ledger = dir.resolve("ledger");
                if (Files.exists(ledger) && Files.readAllLines(ledger).stream().anyMatch(l -> l.startsWith(line))) {
                    return;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nobody wrote " + line);
            }
            Thread.sleep(20);
        }
    }

    /** Ends its JVM once the task {@code after} has started beside it (in another slot). */
    public record ExitsAfter(Path dir, String after) implements Task {
        @Override
        public void run(TaskContext ctx) throws InterruptedException {
            waitForLine(dir, after + " started");
            note(dir, "exiting");
            System.exit(42);
        }
    }

    /** {@link Waits} "w" and a task that ends the JVM once "w" has started. */
    public record ExitBesideWaits(Path dir) implements astra.core.WrapperTask {
        @Override
        public List<Task> requires() {
            return List.of(new Waits(dir, "w"), new ExitsAfter(dir, "w"));
        }
    }

    /** {@link Waits} "w" and a task that sleeps past any timeout. */
    public record SleepBesideWaits(Path dir) implements astra.core.WrapperTask {
        @Override
        public List<Task> requires() {
            return List.of(new Waits(dir, "w"), new Sleeps(dir));
        }
    }

    /** {@code n} tasks that {@link Waits}, named w1, w2, ... */
    public record ManyWait(Path dir, int n) implements astra.core.WrapperTask {
        @Override
        public List<Waits> requires() {
            return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> new Waits(dir, "w" + i)).toList();
        }
    }

    /**
     * Once {@code together} of its kind have started, prints lines naming itself to System.out and
     * System.err, from its own thread and from one it starts, interleaved with the others'.
     */
    public record Chatty(Path dir, String name, int together) implements Task {
        @Override
        public void run(TaskContext ctx) throws InterruptedException {
            note(dir, "chatty " + name + " started");
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (startedChatty() < together && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread helper = new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    System.out.println("chatty " + name + " helper " + i);
                }
            });
            helper.start();
            for (int i = 0; i < 100; i++) {
                (i % 2 == 0 ? System.out : System.err).println("chatty " + name + " line " + i);
                if (i % 10 == 0) {
                    Thread.sleep(2);
                }
            }
            helper.join();
        }

        private long startedChatty() {
            try {
                return Files.readAllLines(dir.resolve("ledger")).stream().filter(l -> l.startsWith("chatty ")).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** {@code n} {@link Chatty} tasks, a, b, c, ... that print together. */
    public record ManyChatty(Path dir, int n) implements astra.core.WrapperTask {
        @Override
        public List<Chatty> requires() {
            return java.util.stream.IntStream.range(0, n)
                    .mapToObj(i -> new Chatty(dir, String.valueOf((char) ('a' + i)), n)).toList();
        }
    }
}
