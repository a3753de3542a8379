package astra.worker.local;

import astra.core.AstraException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The parent's handle on one child worker process: starts it, hands it its spec, forwards what
 * it writes to stderr (keeping the last lines, which say why it died), and stops it.
 */
final class ChildProcess {

    private static final int KEPT_LINES = 20;

    private final WorkerSpec spec;
    private final Process process;
    private final OutputStream stdin;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final Thread errorPump;

    private ChildProcess(WorkerSpec spec, Process process, PrintStream errors) {
        this.spec = spec;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.errorPump = new Thread(() -> pump(errors), "astra-child-stderr-" + spec.workerId());
        errorPump.setDaemon(true);
        errorPump.start();
    }

    /** Starts {@code command} (a java command line for {@link WorkerMain}) and sends it the spec. */
    static ChildProcess start(List<String> command, Map<String, String> environment, WorkerSpec spec,
            PrintStream errors) {
        Process process;
        try {
            // What the child prints on stdout (a task's prints, the JVM's own warnings) joins its
            // stderr, which the parent pumps to its own stderr: astra run's stdout carries only the
            // summary or the JSON.
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new AstraException.WorkerStartFailed("cannot start a worker process (" + command.get(0) + "): "
                    + e.getMessage());
        }
        ChildProcess child = new ChildProcess(spec, process, errors);
        try {
            child.send(new ObjectMapper().writeValueAsString(spec));
        } catch (IOException e) {
            // Its JVM is gone already (a bad option, say): the pool sees it exit and reports why.
        }
        return child;
    }

    /** The last lines it wrote to stderr (at most a few), oldest first. */
    synchronized List<String> lastLines() {
        return List.copyOf(lastLines);
    }

    String workerId() {
        return spec.workerId();
    }

    /** The worker ids of its slots, under which it registers and claims. */
    List<String> slotIds() {
        return spec.slotIds();
    }

    int slots() {
        return spec.slots();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, once it has exited. */
    Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** Asks it to stop: it gives back the tasks its slots hold and exits. */
    void stop() {
        try {
            send("stop");
        } catch (IOException e) {
            // Its input is closed: it is exiting already.
        }
    }

    void kill() {
        process.destroyForcibly();
    }

    boolean waitFor(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /** Waits for its stderr to be read to the end, so the last lines are all there. */
    void drain() throws InterruptedException {
        errorPump.join(2_000);
    }

    /** The line naming the failed initializer, if it wrote one. */
    synchronized Optional<String> initializerFailure() {
        return lastLines.stream().filter(l -> l.startsWith(ExitStatus.INIT_FAILED_PREFIX))
                .map(l -> l.substring(ExitStatus.INIT_FAILED_PREFIX.length())).findFirst();
    }

    private void send(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private void pump(PrintStream errors) {
        try (BufferedReader err = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                errors.println(line);
                synchronized (this) {
                    lastLines.addLast(line);
                    if (lastLines.size() > KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // The child is gone.
        }
    }
}
