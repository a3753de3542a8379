package astra.scheduler;

import astra.core.ExternalTask;
import astra.core.FileTarget;
import astra.core.Param;
import astra.core.Target;
import astra.core.Task;
import astra.core.TaskContext;
import astra.core.WrapperTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Tasks for scheduler tests; each records its runs in the {@link Ledger}. */
public final class Fixtures {

    private Fixtures() {}

    /** A task on the default complete(): done once the task table says so. */
    public record Leaf(String name) implements Task {
        @Override
        public void run(TaskContext ctx) {
            Ledger.ran(name);
        }
    }

    /** Requires the tasks it is given; fails when asked to. */
    public record Node(String name, List<String> needs, boolean fail) implements Task {
        @Override
        public List<Node> requires() {
            return needs.stream().map(n -> new Node(n, List.of(), false)).toList();
        }

        @Override
        public void run(TaskContext ctx) {
            Ledger.ran(name);
            if (fail) {
                throw new IllegalStateException(name + " broke");
            }
        }
    }

    /** The classic diamond: Top needs Left and Right, which both need Bottom; any may fail. */
    public record Diamond(String part, String failing) implements Task {
        @Override
        public List<Diamond> requires() {
            return switch (part) {
                case "top" -> List.of(new Diamond("left", failing), new Diamond("right", failing));
                case "left", "right" -> List.of(new Diamond("bottom", failing));
                default -> List.of();
            };
        }

        @Override
        public void run(TaskContext ctx) {
            Ledger.ran(part);
            if (part.equals(failing)) {
                throw new IllegalStateException(part + " broke");
            }
        }
    }

    /** Fails while {@link #BROKEN} is set: a transient failure. */
    public record Flaky(String name) implements Task {
        static final java.util.concurrent.atomic.AtomicBoolean BROKEN = new java.util.concurrent.atomic.AtomicBoolean();

        @Override
        public List<Leaf> requires() {
            return List.of(new Leaf(name + "-input"));
        }

        @Override
        public void run(TaskContext ctx) {
            Ledger.ran(name);
            if (BROKEN.get()) {
                throw new IllegalStateException(name + " is broken today");
            }
        }
    }

    /** A cycle: Ring(0) needs Ring(1) ... needs Ring(size-1) needs Ring(0). */
    public record Ring(int position, int size) implements Task {
        @Override
        public List<Ring> requires() {
            return List.of(new Ring((position + 1) % size, size));
        }

        @Override
        public void run(TaskContext ctx) {
            Ledger.ran("ring" + position);
        }
    }

    /** Counts complete() calls; complete when its number is in the given range. */
    public record Counted(int n, int completeBelow) implements Task {
        static final AtomicInteger CHECKS = new AtomicInteger();

        @Override
        public boolean complete() {
            CHECKS.incrementAndGet();
            return n < completeBelow;
        }

        @Override
        public void run(TaskContext ctx) {
            Ledger.ran("counted" + n);
        }
    }

    /** Complete by its custom check, and would explode if its requirements were asked for. */
    public record AlreadyThere(String name) implements Task {
        @Override
        public boolean complete() {
            return true;
        }

        @Override
        public List<Task> requires() {
            throw new AssertionError("the requirements of a complete task must not be expanded");
        }

        @Override
        public void run(TaskContext ctx) {
            Ledger.ran(name);
        }
    }

    /** Groups leaves; complete when they are. */
    public record Group(String prefix, int size) implements WrapperTask {
        @Override
        public List<Leaf> requires() {
            List<Leaf> leaves = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                leaves.add(new Leaf(prefix + i));
            }
            return leaves;
        }
    }

    /** Layer {@code layer} of a layered graph; each task needs two tasks of the layer below. */
    public record Layered(int layer, int index, int width) implements Task {
        @Override
        public List<Layered> requires() {
            if (layer == 0) {
                return List.of();
            }
            return List.of(new Layered(layer - 1, index, width), new Layered(layer - 1, (index + 1) % width, width));
        }

        @Override
        public void run(TaskContext ctx) {
            Ledger.ran(layer + "/" + index);
        }
    }

    /** Raw data nobody made. */
    public record RawFrames(Path file) implements ExternalTask {
        @Override
        public List<Target> output() {
            return List.of(new FileTarget(file));
        }
    }

    /** Reduces raw frames. */
    public record Reduce(Path file) implements Task {
        @Override
        public List<RawFrames> requires() {
            return List.of(new RawFrames(file));
        }

        @Override
        public void run(TaskContext ctx) {
            Ledger.ran("reduce");
        }
    }

    /** Needs a task whose requires() throws, and an ordinary leaf. */
    public record NeedsBroken(String name) implements Task {
        @Override
        public List<Task> requires() {
            return List.of(new Broken(), new Leaf(name + "-leaf"));
        }

        @Override
        public void run(TaskContext ctx) {
            Ledger.ran(name);
        }
    }

    public record Broken() implements Task {
        @Override
        public List<Task> requires() {
            throw new IllegalStateException("cannot list requirements");
        }

        @Override
        public void run(TaskContext ctx) {
            Ledger.ran("broken");
        }
    }

    /**
     * Discovers its inputs at run time: needs Discovered(depth) for each of {@code fanout}
     * items, which in turn discovers one more level until depth 0.
     */
    public record Discovering(int depth, int item) implements Task {
        @Override
        public void run(TaskContext ctx) {
            Ledger.ran("start " + depth + "/" + item);
            if (depth > 0) {
                ctx.require(new Discovering(depth - 1, item * 2), new Discovering(depth - 1, item * 2 + 1));
            }
            Ledger.ran("end " + depth + "/" + item);
        }
    }

    /** A class task with a @Param field, for the class form of the API. */
    public static class Classy implements Task {
        @Param(description = "which one")
        String label;

        Classy() {}

        Classy(String label) {
            this.label = label;
        }

        @Override
        public void run(TaskContext ctx) {
            Ledger.ran("classy " + label);
        }
    }

    /** Its completeness check throws. */
    public record CannotTell(String name) implements Task {
        @Override
        public boolean complete() {
            throw new IllegalStateException("catalogue offline");
        }

        @Override
        public void run(TaskContext ctx) {
            Ledger.ran(name);
        }
    }

    /** Needs a task whose complete() throws, and a leaf. */
    public record NeedsCannotTell(String name) implements Task {
        @Override
        public List<Task> requires() {
            return List.of(new CannotTell(name + "-unknown"), new Leaf(name + "-leaf"));
        }

        @Override
        public void run(TaskContext ctx) {
            Ledger.ran(name);
        }
    }

    /** Needs, found only at run time, a {@link Node} that fails when asked to. */
    public record NeedsAtRunTime(String name, String child, boolean childFails) implements Task {
        @Override
        public void run(TaskContext ctx) {
            Ledger.ran("start " + name);
            ctx.require(new Node(child, List.of(), childFails));
            Ledger.ran("end " + name);
        }
    }
}
