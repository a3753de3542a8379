package astra.core.store;

import static astra.core.store.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;

import astra.core.testing.DatabaseExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Notes in a task's history (where an attempt's log is), and finding ids by their start. */
public abstract class NoteStoreContract {

    @RegisterExtension
    final DatabaseExtension db = database();

    protected abstract DatabaseExtension database();

    TaskStore store;
    long run;

    @BeforeEach
    void open() {
        store = db.open().store();
        run = store.startRun(new RunInfo("Fit_1", "host", 42, "astra run Fit"));
        store.writePlan(run, plan().task("Fit_1_a", 0).task("Fit_1_b", 0).task("Fit_10_c", 0).task("Fix_1_d", 0)
                .task("Fit%_e", 0).build());
    }

    @Test
    void aNoteJoinsEachTasksHistoryWithoutChangingItsState() {
        store.claimBatch(run, "w1");

        store.note(run, List.of("Fit_1_a", "Fit_1_b"), "w1", "log: /logs/a.log");

        for (String id : List.of("Fit_1_a", "Fit_1_b")) {
            TaskEvent last = store.events(id).get(store.events(id).size() - 1);
            assertThat(last.message()).isEqualTo("log: /logs/a.log");
            assertThat(last.state()).isNull();
            assertThat(last.worker()).isEqualTo("w1");
            assertThat(last.runId()).isEqualTo(run);
        }
        assertThat(store.task("Fit_1_b").orElseThrow().state()).isEqualTo(TaskState.PENDING);
    }

    @Test
    void idsStartingWithAPrefixTakeItsUnderscoresAndPercentsLiterally() {
        assertThat(store.taskIdsStartingWith("Fit_1_", 10)).containsExactly("Fit_1_a", "Fit_1_b");
        assertThat(store.taskIdsStartingWith("Fit_", 2)).containsExactly("Fit_10_c", "Fit_1_a");
        assertThat(store.taskIdsStartingWith("Fit%", 10)).containsExactly("Fit%_e");
        assertThat(store.taskIdsStartingWith("Nothing", 10)).isEmpty();
    }
}
