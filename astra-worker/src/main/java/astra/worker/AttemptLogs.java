package astra.worker;

import astra.core.store.ClaimedTask;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p>The file is opened at the first byte, so an attempt that writes nothing costs nothing. It is
 * opened for appending: a task suspended on new requirements resumes in the same attempt, and
 * writes on where it left off. A worker process runs one attempt at a time, so whatever any of
 * its threads writes meanwhile belongs to that attempt.
 */
public final class AttemptLogs {

    /** How the history line that says where an attempt's log is begins. */
    public static final String NOTE_PREFIX = "log: ";

    /** Captures nothing: for workers that share their process (threads) or have no log dir. */
    public static final AttemptLogs NONE = new AttemptLogs(null, System.err);

    private final Path dir;
    /** Where a file that cannot be written is reported: the stream as it was, never the tee. */
    private final PrintStream console;
    private Path current;
    private OutputStream file;
    /** The current attempt's file once something was written to it. */
    private Path written;

    private AttemptLogs(Path dir, PrintStream console) {
        this.dir = dir;
        this.console = console;
    }

    /** Replaces this process's {@code System.out} and {@code System.err} with streams that also write to the current attempt's file. */
    public static AttemptLogs capture(Path dir) {
        AttemptLogs logs = new AttemptLogs(dir, System.err);
        System.setOut(logs.tee(System.out));
        System.setErr(logs.tee(System.err));
        return logs;
    }

    /** The file of one attempt; a task id holds only characters safe in a file name, but this keeps it so. */
    static Path fileOf(Path dir, String taskId, long runId, int attempt) {
        return dir.resolve(taskId.replaceAll("[^A-Za-z0-9._-]", "_"))
                .resolve("run-" + runId + "-attempt-" + attempt + ".log");
    }

    /** From now on, what the process writes goes to this attempt's file too (the batch's first member for a batch). */
    synchronized void begin(long runId, ClaimedTask head) {
        if (dir != null) {
            current = fileOf(dir, head.taskId(), runId, head.attempt());
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
                Files.createDirectories(current.getParent());
                file = new FileOutputStream(current.toFile(), true);
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

    private PrintStream tee(PrintStream original) {
        OutputStream both = new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                copy(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                original.write(bytes, offset, length);
                copy(bytes, offset, length);
            }

            @Override
            public void flush() {
                original.flush();
            }
        };
        return new PrintStream(both, true, Charset.defaultCharset());
    }
}
