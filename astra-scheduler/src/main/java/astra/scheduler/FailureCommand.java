package astra.scheduler;

import astra.core.TaskEventHandler;
import astra.core.store.RunEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code [notify] on_failure}: a shell command run for each task that failed for good, with the
 * task in its environment. What it prints goes to Astra's log (stderr); one that fails or hangs
 * past {@link #LIMIT} is reported and changes nothing in the run.
 */
final class FailureCommand implements TaskEventHandler {

    private static final Logger log = LoggerFactory.getLogger(FailureCommand.class);
    static final Duration LIMIT = Duration.ofSeconds(60);

    private final String command;

    FailureCommand(String command) {
        this.command = command;
    }

    @Override
    public boolean wantsSuccesses() {
        return false;
    }

    @Override
    public void onFailure(RunEvent event) {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("ASTRA_TASK_ID", event.taskId());
        env.put("ASTRA_FAMILY", event.family());
        env.put("ASTRA_RUN_ID", Long.toString(event.runId()));
        env.put("ASTRA_WORKER", event.worker() == null ? "" : event.worker());
        env.put("ASTRA_ERROR", event.message() == null ? "" : event.message());
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                Thread reader = new Thread(() -> out.lines().forEach(line -> log.info("on_failure: {}", line)),
                        "astra-on-failure");
                reader.setDaemon(true);
                reader.start();
                if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    log.warn("[notify] on_failure for {} ran past {} s and was stopped", event.taskId(), LIMIT.toSeconds());
                    return;
                }
                reader.join(1000);
                if (process.exitValue() != 0) {
                    log.warn("[notify] on_failure for {} exited with {}", event.taskId(), process.exitValue());
                }
            }
        } catch (IOException e) {
            log.warn("[notify] on_failure could not run for {}: {}", event.taskId(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
