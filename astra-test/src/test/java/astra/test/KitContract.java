package astra.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.store.TaskState;
import astra.scheduler.RunOutcome;
import astra.test.KitTasks.AfterBroken;
import astra.test.KitTasks.Broken;
import astra.test.KitTasks.Greet;
import astra.test.KitTasks.Shout;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The kit on a real database, its runs on threads and on child worker processes; one subclass per database. */
abstract class KitContract {

    abstract AstraTestKit astra();

    @Test
    void aTaskAndItsRequirementRunAndAreRecordedDone() throws Exception {
        Shout shout = new Shout("world", astra().directory());

        RunResult run = astra().build(shout);

        assertThat(run.outcome()).as(run.render()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(run.succeeded()).isTrue();
        assertThat(run.summary().ran()).isEqualTo(2);
        assertThat(run.tasks()).extracting(TaskResult::family).containsExactlyInAnyOrder("Greet", "Shout");
        TaskResult root = run.task(shout);
        assertThat(root.state()).isEqualTo(TaskState.DONE);
        assertThat(root.isDone()).isTrue();
        assertThat(root.attempts()).isEqualTo(1);
        assertThat(root.error()).isNull();
        assertThat(root.events()).extracting(e -> e.state()).contains(TaskState.PENDING, TaskState.RUNNING, TaskState.DONE);
        assertThat(Files.readString(astra().directory().resolve("world-shout.txt"))).isEqualTo("HELLO WORLD");
        TaskResult greet = run.task(new Greet("world", astra().directory()));
        assertThat(greet.state()).isEqualTo(TaskState.DONE);
        assertThat(greet.log()).contains("greeting world");
        assertThat(root.log()).as("Shout printed nothing").isEmpty();
    }

    @Test
    void aSecondBuildFindsEverythingComplete() {
        Shout shout = new Shout("again", astra().directory());
        astra().build(shout);

        RunResult second = astra().build(shout);

        assertThat(second.outcome()).isEqualTo(RunOutcome.SUCCESS);
        assertThat(second.summary().ran()).isZero();
        assertThat(second.summary().alreadyComplete()).isEqualTo(1);
        assertThat(second.tasks()).isEmpty();
        assertThat(second.task(shout).state()).as("the first run's record").isEqualTo(TaskState.DONE);
    }

    @Test
    void aFailingTaskIsFailedWithItsErrorAttemptsAndLogAndBlocksWhatNeedsIt() {
        AfterBroken root = new AfterBroken("left");

        RunResult run = astra().runner().retries(1).build(root);

        assertThat(run.outcome()).as(run.render()).isEqualTo(RunOutcome.FAILED);
        assertThat(run.summary().failed()).isEqualTo(1);
        assertThat(run.summary().blocked()).isEqualTo(1);
        TaskResult broken = run.task(new Broken("left"));
        assertThat(broken.state()).isEqualTo(TaskState.FAILED);
        assertThat(broken.attempts()).as("the first attempt and one retry").isEqualTo(2);
        assertThat(broken.error()).isEqualTo("IllegalStateException: left has no calibration frames");
        assertThat(broken.messages()).anyMatch(m -> m.startsWith("failed, will retry"));
        assertThat(broken.logFiles()).hasSize(2);
        assertThat(broken.log()).contains("looking for left's calibration frames")
                .contains("java.lang.IllegalStateException: left has no calibration frames");
        assertThat(run.task(root).state()).isEqualTo(TaskState.PENDING);
        assertThat(run.task(root).attempts()).isZero();
        assertThat(run.tasks(TaskState.FAILED)).extracting(TaskResult::taskId).containsExactly(broken.taskId());
    }

    @Test
    void childWorkerProcessesRunWhatThreadsRun() throws Exception {
        Shout shout = new Shout("children", astra().directory());
        Broken broken = new Broken("right");

        RunResult run = astra().runner().childProcesses().workers(2).build(shout, broken);

        assertThat(run.outcome()).as(run.render()).isEqualTo(RunOutcome.FAILED);
        assertThat(run.task(shout).state()).isEqualTo(TaskState.DONE);
        assertThat(run.task(new Greet("children", astra().directory())).log()).contains("greeting children");
        assertThat(Files.readString(astra().directory().resolve("children-shout.txt"))).isEqualTo("HELLO CHILDREN");
        TaskResult failed = run.task(broken);
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.error()).isEqualTo("IllegalStateException: right has no calibration frames");
        assertThat(failed.log()).contains("looking for right's calibration frames");
        assertThat(failed.events()).anyMatch(e -> e.worker() != null && !e.worker().isEmpty());
    }

    @Test
    void aTaskNotInTheDatabaseIsNamedInTheError() {
        RunResult run = astra().build(new Greet("one", astra().directory()));

        assertThatThrownBy(() -> run.task(new Greet("other", astra().directory())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Greet_other").hasMessageContaining("no record");
    }

    @Test
    void theConfigSectionNamesTheTestsOwnDatabase() {
        assertThat(astra().configSection()).startsWith("[database]\nurl = " + astra().settings().url() + "\n")
                .contains("schema = " + astra().settings().schema());
    }
}
