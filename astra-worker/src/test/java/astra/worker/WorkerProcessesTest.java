package astra.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import astra.core.AstraException;
import astra.core.config.Config;
import astra.core.db.DatabaseSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code [worker] processes}: how many JVMs the slots of {@code --workers} run in. */
class WorkerProcessesTest {

    @Test
    void autoIsOneJvmPerEightSlotsAndNoMoreJvmsThanProcessors() {
        assertThat(WorkerProcesses.AUTO.processesFor(8, 2)).isEqualTo(1);
        assertThat(WorkerProcesses.AUTO.processesFor(9, 2)).isEqualTo(2);
        assertThat(WorkerProcesses.AUTO.processesFor(32, 2)).isEqualTo(2);
        assertThat(WorkerProcesses.AUTO.processesFor(32, 16)).isEqualTo(4);
        assertThat(WorkerProcesses.AUTO.processesFor(1, 2)).isEqualTo(1);
        assertThat(WorkerProcesses.AUTO.processesFor(3, 16)).isEqualTo(1);
    }

    @Test
    void aNumberIsThatManyJvmsAndWorkersIsOnePerSlot() {
        assertThat(WorkerProcesses.of(3).processesFor(8, 2)).isEqualTo(3);
        assertThat(WorkerProcesses.of(8).processesFor(2, 2)).isEqualTo(2);
        assertThat(WorkerProcesses.PER_SLOT.processesFor(8, 2)).isEqualTo(8);
    }

    @Test
    void slotsSpreadAsEvenlyAsPossibleLargestFirst() {
        assertThat(WorkerProcesses.spread(5, 2)).containsExactly(3, 2);
        assertThat(WorkerProcesses.spread(8, 3)).containsExactly(3, 3, 2);
        assertThat(WorkerProcesses.spread(1, 1)).containsExactly(1);
        assertThat(WorkerProcesses.spread(4, 4)).containsExactly(1, 1, 1, 1);
    }

    @Test
    void theKeyReadsAutoWorkersOrANumberAndItsDefaultIsAuto() {
        assertThat(WorkerProcesses.parse("auto")).isEqualTo(WorkerProcesses.AUTO);
        assertThat(WorkerProcesses.parse(" Workers ")).isEqualTo(WorkerProcesses.PER_SLOT);
        assertThat(WorkerProcesses.parse("4")).isEqualTo(WorkerProcesses.of(4));
        assertThat(options("").processes()).isEqualTo(WorkerProcesses.AUTO);
        assertThat(options("[worker]\nprocesses = 2\n").processes()).isEqualTo(WorkerProcesses.of(2));
    }

    @Test
    void aBadValueNamesTheKeyTheValueAndWhatIsAllowed() {
        for (String bad : List.of("0", "-1", "abc", "")) {
            AstraException.BadConfig e = assertThrows(AstraException.BadConfig.class,
                    () -> options("[worker]\nprocesses = " + bad + "\n"));
            assertThat(e.getMessage()).contains("[worker] processes = '" + bad + "'").contains("auto").contains("workers")
                    .doesNotContain("\n");
        }
    }

    @Test
    void aChildsPoolHasPoolSizePerSlotAndTheBudgetCountsEverySlot() {
        WorkerOptions pooled = options("[worker]\nprocesses = 2\npool_size = 3\n");
        assertThat(pooled.connections()).isEqualTo(8 * 3);
        WorkerOptions unpooled = new WorkerOptions(8, pooled.database().withPooling(false), List.of(), pooled.jvm(), 0,
                WorkerOptions.Timeouts.NONE, pooled.retry(), null, WorkerProcesses.of(2));
        // One connection per slot at a time, one per process for its heartbeat.
        assertThat(unpooled.connections()).isEqualTo(8 + 2);
    }

    private static WorkerOptions options(String cfg) {
        return WorkerOptions.from(Config.parse(cfg, "test.cfg", Map.of()), 8,
                DatabaseSettings.of("jdbc:sqlite:/tmp/x.db", null), List.of());
    }
}
