package astra.worker;

import astra.core.internal.StateFiles;
import astra.core.store.ClaimedTask;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What each attempt writes, in a file of its own:
 * {@code <log dir>/<task id>/run-<run id>-attempt-<n>.log}. In a worker process,
 * {@code System.out} and {@code System.err} become streams that still write where they did (the
 * parent reads the child's stderr) and, while an attempt runs, also to its file. So the file gets
 * what the task prints, its {@code ctx.logger()} lines (logback's console appender writes to
 * whatever {@code System.err} is at the time), and the stack trace if it fails. A batch's lines go
 * to one file, named after its first member; every member's history points to it.
 *
 * <p>What a task prints on {@code System.out} goes to its file and, echoed, to the process's
 * stderr, each line headed by the task's id in brackets; never to stdout, which belongs to
 * {@code astra run}'s summary. {@code -Dastra.task.echo=false} ({@code astra run -q} and
 * {@code --json} set it) keeps it to the file.
 *
 * <p>The file is opened at the first byte, so an attempt that writes nothing costs nothing. It is
 * opened for appending: a task suspended on new requirements resumes in the same attempt, and
 * writes on where it left off.
 *
 * <p>A worker process with several slots runs one attempt per slot at a time, each on its slot's
 * thread: each slot has its own {@code AttemptLogs} ({@link #capture(Path, int)}), and what a
 * thread writes goes to the attempt of the slot it belongs to: the slot whose thread began the
 * attempt, or the slot of the thread that started it (an inheritable thread-local, so a task's
 * own threads write to its file too). A process with a single slot also gives it what threads of
 * no slot write during the attempt (its initializers' threads, say), as when it ran one loop.
 */
public final class AttemptLogs {

    /** How the history line that says where an attempt's log is begins. */
    public static final String NOTE_PREFIX = "log: ";

    /** The system property that, set to false, keeps what tasks print on stdout to their attempt files. */
    public static final String ECHO_PROPERTY = "astra.task.echo";

    /** Captures nothing: for workers that share their process (threads) or have no log dir. */
    public static final AttemptLogs NONE = new AttemptLogs(null, System.err, null);

    private final Path dir;
    /** Where a file that cannot be written is reported: the stream as it was, never the tee. */
    private final PrintStream console;
    /** The slot each thread writes for, shared by the slots of a process; null for {@link #NONE}. */
    private final ThreadLocal<AttemptLogs> slotOfThread;
    private Path current;
    /** The id of the task (a batch's first member) whose attempt is current, for the echo's prefix. */
    private volatile String currentTask;
    private OutputStream file;
    /** The current attempt's file once something was written to it. */
    private Path written;

    private AttemptLogs(Path dir, PrintStream console, ThreadLocal<AttemptLogs> slotOfThread) {
        this.dir = dir;
        this.console = console;
        this.slotOfThread = slotOfThread;
    }

    /** {@link #capture(Path, int)} for a process with one slot. */
    public static AttemptLogs capture(Path dir) {
        return capture(dir, 1).get(0);
    }

    /**
     * Replaces this process's {@code System.out} and {@code System.err} with streams that also
     * write to the current attempt's file of the writing thread's slot; one {@code AttemptLogs}
     * per slot, each to be given to that slot's loop.
     */
    public static List<AttemptLogs> capture(Path dir, int slots) {
        InheritableThreadLocal<AttemptLogs> slotOfThread = new InheritableThreadLocal<>();
        List<AttemptLogs> all = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            all.add(new AttemptLogs(dir, System.err, slotOfThread));
        }
        AttemptLogs sole = slots == 1 ? all.get(0) : null;
        boolean echo = !"false".equalsIgnoreCase(System.getProperty(ECHO_PROPERTY));
        PrintStream console = System.err;
        System.setOut(new PrintStream(new TaskOutput(console, slotOfThread, sole, echo), true, Charset.defaultCharset()));
        System.setErr(tee(console, slotOfThread, sole));
        return List.copyOf(all);
    }

    /** The file of one attempt; a task id holds only characters safe in a file name, but this keeps it so. */
    static Path fileOf(Path dir, String taskId, long runId, int attempt) {
        return dir.resolve(taskId.replaceAll("[^A-Za-z0-9._-]", "_"))
                .resolve("run-" + runId + "-attempt-" + attempt + ".log");
    }

    /** From now on, what the process writes goes to this attempt's file too (the batch's first member for a batch). */
    synchronized void begin(long runId, ClaimedTask head) {
        if (dir != null) {
            // The loop's thread, and the threads its tasks start from now on, write for this slot.
            slotOfThread.set(this);
            current = fileOf(dir, head.taskId(), runId, head.attempt());
            currentTask = head.taskId();
            written = null;
        }
    }

    /** Writes to the current attempt's file only (a stack trace, why the attempt ended); nothing if none runs. */
    public void write(String text) {
        byte[] bytes = (text.endsWith("\n") ? text : text + "\n").getBytes(StandardCharsets.UTF_8);
        copy(bytes, 0, bytes.length);
    }

    /** Ends the current attempt: its file, if anything was written to it. */
    public synchronized Optional<Path> end() {
        Optional<Path> file = written();
        closeFile();
        current = null;
        currentTask = null;
        written = null;
        return file;
    }

    /** The current attempt's file, if anything was written to it so far. */
    public synchronized Optional<Path> written() {
        return Optional.ofNullable(written);
    }

    private synchronized void copy(byte[] bytes, int offset, int length) {
        if (current == null || length == 0) {
            return;
        }
        try {
            if (file == null) {
                StateFiles.createDirectories(current.getParent());
                file = StateFiles.append(current);
            }
            // Unbuffered: a process halted by a timeout keeps every line written before it.
            file.write(bytes, offset, length);
            written = current;
        } catch (IOException e) {
            console.println("astra-worker: cannot write the log " + current + ": " + e.getMessage()
                    + "; this attempt's output goes to the console only");
            closeFile();
            current = null;
        }
    }

    private void closeFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // Everything was written unbuffered: nothing is lost.
            }
            file = null;
        }
    }

    /**
     * {@code System.out} of a worker process: to the writing thread's attempt file, and (when
     * echoing) to the console, each line headed by {@code [task id]} while an attempt runs.
     */
    private static final class TaskOutput extends OutputStream {
        private final PrintStream console;
        private final ThreadLocal<AttemptLogs> slotOfThread;
        private final AttemptLogs sole;
        private final boolean echo;
        /** Per thread: whether the next byte it writes to the console begins a line. */
        private final ThreadLocal<boolean[]> atLineStart = ThreadLocal.withInitial(() -> new boolean[] {true});

        TaskOutput(PrintStream console, ThreadLocal<AttemptLogs> slotOfThread, AttemptLogs sole, boolean echo) {
            this.console = console;
            this.slotOfThread = slotOfThread;
            this.sole = sole;
            this.echo = echo;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            AttemptLogs slot = slotOfThread.get();
            if (slot == null) {
                slot = sole;
            }
            String task = slot == null ? null : slot.currentTask;
            if (slot != null) {
                slot.copy(bytes, offset, length);
            }
            if (task != null && !echo) {
                return;
            }
            byte[] prefix = task == null ? new byte[0] : ("[" + task + "] ").getBytes(StandardCharsets.UTF_8);
            boolean[] lineStart = atLineStart.get();
            synchronized (console) {
                int from = offset;
                for (int i = offset; i < offset + length; i++) {
                    if (lineStart[0]) {
                        console.write(bytes, from, i - from);
                        console.write(prefix, 0, prefix.length);
                        from = i;
                        lineStart[0] = false;
                    }
                    if (bytes[i] == '\n') {
                        lineStart[0] = true;
                    }
                }
                console.write(bytes, from, offset + length - from);
            }
        }

        @Override
        public void flush() {
            console.flush();
        }
    }

    private static PrintStream tee(PrintStream original, ThreadLocal<AttemptLogs> slotOfThread, AttemptLogs sole) {
        OutputStream both = new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                write(new byte[] {(byte) b}, 0, 1, false);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                write(bytes, offset, length, true);
            }

            private void write(byte[] bytes, int offset, int length, boolean toOriginal) {
                if (toOriginal) {
                    original.write(bytes, offset, length);
                }
                AttemptLogs slot = slotOfThread.get();
                if (slot == null) {
                    slot = sole;
                }
                if (slot != null) {
                    slot.copy(bytes, offset, length);
                }
            }

            @Override
            public void flush() {
                original.flush();
            }
        };
        return new PrintStream(both, true, Charset.defaultCharset());
    }
}
