package astra.bench.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import astra.core.Tasks;
import astra.core.db.Database;
import astra.core.testing.DatabaseExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;

/**
 * The benchmark graphs of issue 6 (InsertRows, CheckedRows, Sleepers) and the row their tasks
 * write, on each database they must run on; one subclass per database.
 */
abstract class BenchTasksContract {

    abstract DatabaseExtension db();

    @Test
    void theFanOutsNeedNDistinctLeaves() {
        assertThat(new InsertRows(5).requires()).hasSize(5).extracting(Tasks::id).doesNotHaveDuplicates();
        assertThat(new CheckedRows(3).requires()).containsExactly(new CheckedRow(0), new CheckedRow(1), new CheckedRow(2));
        assertThat(new Sleepers(2, 300).requires()).containsExactly(new Sleeper(0, 300), new Sleeper(1, 300));
        assertThat(new CheckedRowsSet(2).requires()).containsExactly(new CheckedRowSet(0), new CheckedRowSet(1));
        assertThat(new InsertRows(0).requires()).isEmpty();
    }

    @Test
    void aNegativeSleepIsBadInput() {
        assertThatThrownBy(() -> new Sleepers(1, -5)).isInstanceOf(AstraException.BadInput.class)
                .hasMessageContaining("--n and --millis must be at least 0");
    }

    @Test
    void aCheckedRowIsCompleteOnceItsRowExistsAndNotBeforeTheTableDoes() {
        Database database = db().open();
        CheckedRow row = new CheckedRow(7);
        assertThat(row.complete()).as("no table yet").isFalse();

        BenchRows.insert(database.dsl(), Tasks.id(row), 7);

        assertThat(row.complete()).isTrue();
        assertThat(new CheckedRow(8).complete()).isFalse();
    }

    @Test
    void aCheckedRowSetSharesItsCheckedRowsRowAndAnswersAThousandInOneCall() {
        Database database = db().open();
        List<CheckedRowSet> tasks = IntStream.range(0, 1_000).mapToObj(CheckedRowSet::new).toList();
        assertThat(tasks.get(0).completeEach(tasks)).as("no table yet").hasSize(1_000).containsOnly(false);

        BenchRows.insert(database.dsl(), Tasks.id(new CheckedRow(7)), 7);

        List<Boolean> answers = tasks.get(0).completeEach(tasks);
        assertThat(answers).hasSize(1_000);
        assertThat(IntStream.range(0, 1_000).filter(answers::get)).containsExactly(7);
        assertThat(new CheckedRowSet(7).complete()).isTrue();
        assertThat(new CheckedRowSet(8).complete()).isFalse();
    }

    @Test
    void insertingTheSameTaskAgainKeepsOneRow() {
        DSLContext dsl = db().open().dsl();
        BenchRows.insert(dsl, "InsertRow_1_x", 1);
        BenchRows.insert(dsl, "InsertRow_1_x", 1);
        BenchRows.insert(dsl, "InsertRow_2_x", 2);

        assertThat(dsl.fetchCount(BenchRows.TABLE)).isEqualTo(2);
    }

    /** The first tasks of several workers all find the table missing; each creates it or sees it made, and inserts. */
    @Test
    void workersInsertingIntoAMissingTableAtOnceAllSucceed() throws Exception {
        int n = 6;
        List<DSLContext> workers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            workers.add(db().open().dsl());
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                DSLContext dsl = workers.get(i);
                int id = i;
                done.add(pool.submit(() -> {
                    start.await();
                    BenchRows.insert(dsl, "InsertRow_" + id + "_x", id);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(workers.get(0).fetchCount(BenchRows.TABLE)).isEqualTo(n);
    }
}
