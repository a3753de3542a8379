package astra.examples.spectra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;

/** The results table's SQL, on each database the example must run on; one subclass per database. */
abstract class LabelsTableContract {

    private final Star star = new Star("dr17", 42, 7);

    /** A database with no example_stellar_labels table yet. */
    abstract DSLContext db();

    /** A fresh connection to the same database, for concurrent use. */
    abstract DSLContext newConnection() throws Exception;

    @Test
    void nothingIsContainedBeforeTheTableExists() {
        assertThat(LabelsTable.contains(db(), star)).isFalse();
    }

    @Test
    void anUpsertTwiceLeavesOneRowWithTheLatestLabels() {
        LabelsTable.create(db());
        LabelsTable.create(db());
        LabelsTable.upsert(db(), star, new StellarLabels(5000, -1.0, 40), "first");
        LabelsTable.upsert(db(), star, new StellarLabels(5100, -0.9, 41), "second");

        assertThat(db().fetchCount(LabelsTable.TABLE)).isEqualTo(1);
        assertThat(LabelsTable.contains(db(), star)).isTrue();
        assertThat(LabelsTable.read(db(), "dr17", 42, 10)).containsExactlyEntriesOf(
                java.util.Map.of(7, new StellarLabels(5100, -0.9, 41)));
        assertThat(db().select(LabelsTable.TASK_ID).from(LabelsTable.TABLE).fetchOne(LabelsTable.TASK_ID)).isEqualTo("second");
    }

    @Test
    void readKeepsToTheRequestedField() {
        LabelsTable.create(db());
        LabelsTable.upsert(db(), new Star("dr17", 42, 1), new StellarLabels(4500, 0, 50), "a");
        LabelsTable.upsert(db(), new Star("dr17", 42, 3), new StellarLabels(4600, 0, 50), "b");
        LabelsTable.upsert(db(), new Star("dr17", 43, 2), new StellarLabels(4700, 0, 50), "c");
        LabelsTable.upsert(db(), new Star("dr19", 42, 2), new StellarLabels(4800, 0, 50), "d");

        assertThat(LabelsTable.read(db(), "dr17", 42, 2)).containsOnlyKeys(1);
        assertThat(LabelsTable.read(db(), "dr17", 42, 5)).containsOnlyKeys(1, 3);
    }

    @Test
    void workersCreatingTheTableAtOnceAllSucceed() throws Exception {
        int n = 6;
        List<DSLContext> connections = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            connections.add(newConnection());
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (DSLContext c : connections) {
                done.add(pool.submit(() -> {
                    start.await();
                    LabelsTable.create(c);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(LabelsTable.contains(db(), star)).isFalse();
    }
}
