package astra.core.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import astra.core.BatchContext;
import astra.core.BatchTask;
import astra.core.Param;
import astra.core.Task;
import astra.core.TaskContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchKeyTest {

    public record Fit(String release, @Param(batch = true) long specId, @Param(significant = false) int threads)
            implements BatchTask<Fit> {
        @Override
        public void runBatch(List<Fit> batch, BatchContext<Fit> ctx) {}
    }

    public record Other(String release, @Param(batch = true) long specId) implements BatchTask<Other> {
        @Override
        public void runBatch(List<Other> batch, BatchContext<Other> ctx) {}
    }

    public record Unbatched(String release) implements BatchTask<Unbatched> {
        @Override
        public void runBatch(List<Unbatched> batch, BatchContext<Unbatched> ctx) {}
    }

    public record NotABatchTask(@Param(batch = true) long specId) implements Task {
        @Override
        public void run(TaskContext ctx) {}
    }

    public record Insignificant(@Param(batch = true, significant = false) long specId) implements BatchTask<Insignificant> {
        @Override
        public void runBatch(List<Insignificant> batch, BatchContext<Insignificant> ctx) {}
    }

    private static String key(Task task) {
        return TaskSchema.of(task.getClass()).batchKey(task).orElseThrow();
    }

    @Test
    void tasksThatDifferOnlyInBatchableParametersShareAKey() {
        assertThat(key(new Fit("dr19", 1, 4))).isEqualTo(key(new Fit("dr19", 2, 4))).startsWith("Fit:");
        assertThat(key(new Fit("dr19", 1, 4))).as("another release").isNotEqualTo(key(new Fit("dr20", 1, 4)));
        assertThat(key(new Fit("dr19", 1, 4))).as("every other parameter counts")
                .isNotEqualTo(key(new Fit("dr19", 1, 8)));
        assertThat(key(new Fit("dr19", 1, 4))).as("another family").isNotEqualTo(key(new Other("dr19", 1)));
    }

    @Test
    void aFamilyWithNoBatchableParameterHasNoKey() {
        Unbatched task = new Unbatched("dr19");
        assertThat(TaskSchema.of(Unbatched.class).batchKey(task)).isEmpty();
    }

    @Test
    void aBatchableParameterNeedsABatchTaskAndMustBeSignificant() {
        assertThatThrownBy(() -> TaskSchema.of(NotABatchTask.class)).isInstanceOf(AstraException.BadInput.class)
                .hasMessageContaining("parameter specId is marked @Param(batch = true) but the class does not"
                        + " implement astra.core.BatchTask");
        assertThatThrownBy(() -> TaskSchema.of(Insignificant.class)).isInstanceOf(AstraException.BadInput.class)
                .hasMessageContaining("parameter specId is batchable but not significant");
    }
}
