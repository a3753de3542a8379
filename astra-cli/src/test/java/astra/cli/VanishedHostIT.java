package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.db.Database;
import astra.core.store.TaskEvent;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.core.testing.PostgresSchema;
import astra.core.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that goes silent without a word: {@code astra worker} started by hand beside a run, its
 * whole process tree frozen ({@code SIGSTOP}: no heartbeat, no exit, as a host cut off by its
 * network) while it holds a task. After the lease the run gives that claim back, uncounted (no
 * retries are configured), and runs the task on its own worker; when the frozen host comes back
 * and finishes the task, its record is refused, so the task is recorded done once.
 */
class VanishedHostIT {

    @TempDir
    Path workDir;

    @Test
    void aSilentHostsTaskRunsAgainAfterTheLeaseUncountedAndItsLateRecordIsRefused() throws Exception {
        try (PostgresSchema schema = TestDatabases.postgres()) {
            String db = schema.settings().url();
            schema.writeConfig(workDir.resolve("utah.cfg"), String.join("\n", "[scheduler]", "lease = 15s", ""));
            Path runOut = workDir.resolve("run.out");
            Path runErr = workDir.resolve("run.err");
            Process run = LauncherIT.start(workDir, runOut, runErr, "--cp", LauncherIT.BENCH, "run", "Sleepers",
                    "--n", "6", "--millis", "4000", "--workers", "1", "--db", db);
            Path handErr = workDir.resolve("hand.err");
            Process hand = LauncherIT.start(workDir, workDir.resolve("hand.out"), handErr, "--cp", LauncherIT.BENCH,
                    "worker", "--any", "--workers", "1", "--exit-when-idle", "3s", "--db", db);
            String handPrefix = ":" + hand.pid() + ":";
            String frozenTask;
            try (Database database = Database.open(schema.settings())) {
                Optional<TaskRecord> held = Optional.empty();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (held.isEmpty() && System.nanoTime() < deadline && hand.isAlive()) {
                    Thread.sleep(100);
                    held = database.store().latestRun().flatMap(r -> database.store().tasksOfRun(r.runId()).stream()
                            .filter(t -> t.state() == TaskState.RUNNING && t.worker() != null
                                    && t.worker().contains(handPrefix))
                            .findFirst());
                }
                assertThat(held).as("a task held by the hand-started worker; it said: %s",
                        Files.readString(handErr, StandardCharsets.UTF_8)).isPresent();
                frozenTask = held.get().taskId();
            }
            List<ProcessHandle> tree = Stream.concat(Stream.of(hand.toHandle()), hand.descendants()).toList();
            signal("STOP", tree);
            try {
                // The run's own worker finishes the rest, then the frozen task once the lease is over.
                try (Database database = Database.open(schema.settings())) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                    while (System.nanoTime() < deadline && database.store().task(frozenTask)
                            .map(t -> t.state() != TaskState.DONE).orElse(true)) {
                        Thread.sleep(200);
                    }
                }
            } finally {
                signal("CONT", tree);
            }
            assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(run.exitValue()).as(Files.readString(runErr, StandardCharsets.UTF_8)).isZero();
            assertThat(hand.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String handSaid = Files.readString(handErr, StandardCharsets.UTF_8);
            assertThat(handSaid).contains("no longer holds the claim on " + frozenTask);

            try (Database database = Database.open(schema.settings())) {
                TaskRecord row = database.store().task(frozenTask).orElseThrow();
                assertThat(row.state()).isEqualTo(TaskState.DONE);
                assertThat(row.worker()).doesNotContain(handPrefix);
                assertThat(row.attempts()).as("the silent host's attempt is not counted").isEqualTo(1);
                List<TaskEvent> history = database.store().events(frozenTask);
                assertThat(history).anySatisfy(e -> assertThat(e.message())
                        .isEqualTo("released: its worker sent no heartbeat for 15 s"));
                long runId = database.store().latestRun().orElseThrow().runId();
                Map<String, Long> done = database.store().eventsOfRun(runId).stream()
                        .filter(e -> e.state() == TaskState.DONE)
                        .collect(Collectors.groupingBy(TaskEvent::taskId, Collectors.counting()));
                assertThat(done).hasSize(7).allSatisfy((task, count) -> assertThat(count).as(task).isEqualTo(1));
            }
        }
    }

    private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("kill", "-" + signal));
        processes.forEach(p -> command.add(Long.toString(p.pid())));
        assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).isZero();
    }
}
