package astra.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.Tasks;
import astra.core.store.TaskEvent;
import astra.core.store.TaskState;
import astra.plan.RetryPolicy;
import astra.scheduler.AttemptLogFixtures.All;
import astra.scheduler.AttemptLogFixtures.FailsOnce;
import astra.scheduler.AttemptLogFixtures.Member;
import astra.scheduler.AttemptLogFixtures.Quiet;
import astra.worker.WorkerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each attempt's output lands in a file of its own, and the task's history says where. */
abstract class AttemptLogsContract extends ChildProcessContract {

    Path logs() {
        return dir.resolve("logs");
    }

    ExecutionSummary runAll() throws InterruptedException {
        WorkerOptions workers = children(1, RetryPolicy.of(1)).withLogDir(logs());
        return run(workers, SchedulerOptions.SERIAL, new All(dir));
    }

    @Test
    void eachAttemptHasItsOwnFileWithWhatItPrintedLoggedAndThrew() throws Exception {
        ExecutionSummary summary = runAll();

        String id = Tasks.id(new FailsOnce(dir, "a"));
        Path first = logs().resolve(id).resolve("run-" + summary.runId() + "-attempt-1.log");
        Path second = logs().resolve(id).resolve("run-" + summary.runId() + "-attempt-2.log");
        assertThat(database.store().task(id).orElseThrow().state()).isEqualTo(TaskState.DONE);
        // What tasks print and throw is their user's to read: private whatever the umask.
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(first)))
                .isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(first.getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(first))
                .contains("out: a attempt 1", "err: a attempt 1", "logger: a attempt 1")
                .contains("java.lang.IllegalStateException: the first attempt of a fails", "\tat ")
                .doesNotContain("attempt 2");
        assertThat(Files.readString(second))
                .contains("out: a attempt 2", "err: a attempt 2", "logger: a attempt 2")
                .doesNotContain("attempt 1").doesNotContain("Exception");
    }

    @Test
    void theHistoryNamesEachAttemptsFileBeforeItsOutcome() throws Exception {
        ExecutionSummary summary = runAll();

        String id = Tasks.id(new FailsOnce(dir, "a"));
        List<String> messages = database.store().events(id).stream().map(TaskEvent::message)
                .map(m -> m.startsWith("failed, will retry") ? "failed, will retry" : m).toList();
        Path first = logs().resolve(id).resolve("run-" + summary.runId() + "-attempt-1.log");
        Path second = logs().resolve(id).resolve("run-" + summary.runId() + "-attempt-2.log");
        assertThat(messages).containsSubsequence("claimed (attempt 1)", "log: " + first, "failed, will retry",
                "claimed (attempt 2)", "log: " + second, "done");
        TaskEvent note = database.store().events(id).stream().filter(e -> e.message().startsWith("log: "))
                .findFirst().orElseThrow();
        assertThat(note.state()).isNull();
        assertThat(note.worker()).isNotNull();
    }

    @Test
    void aTaskThatWritesNothingHasNoFileAndNoNote() throws Exception {
        runAll();

        String id = Tasks.id(new Quiet(dir));
        assertThat(logs().resolve(id)).doesNotExist();
        assertThat(database.store().events(id)).noneMatch(e -> e.message().startsWith("log: "));
    }

    @Test
    void aBatchWritesOneFileThatEveryMemberNames() throws Exception {
        ExecutionSummary summary = runAll();

        String head = Tasks.id(new Member(dir, 1));
        Path file = logs().resolve(head).resolve("run-" + summary.runId() + "-attempt-1.log");
        assertThat(Files.readString(file)).contains("fitting 3 members")
                .contains(Tasks.id(new Member(dir, 2)) + " failed: java.lang.IllegalArgumentException: member 2 has no flux");
        for (int n = 1; n <= 3; n++) {
            assertThat(database.store().events(Tasks.id(new Member(dir, n))))
                    .anyMatch(e -> e.message().equals("log: " + file));
        }
    }
}
