package astra.examples.spectra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/** The results table's SQL, on each database the example must run on; one subclass per database. */
abstract class LabelsTableContract {

    private final Star star = new Star("dr17", "1.0", 42, 7);

    /** A database with no example_stellar_labels table yet. */
    abstract DSLContext db();

    /** A fresh connection to the same database, for concurrent use. */
    abstract DSLContext newConnection() throws Exception;

    @Test
    void nothingIsContainedBeforeTheTableExists() {
        assertThat(LabelsTable.contains(db(), star)).isFalse();
    }

    @Test
    void containedAmongFindsTheStarsWithARowOfTheirOwnVersionInOneCallOfAThousand() {
        assertThat(LabelsTable.containedAmong(db(), List.of(star))).as("before the table exists").isEmpty();
        LabelsTable.create(db());
        StellarLabels labels = new StellarLabels(5000, -1.0, 40);
        Star otherField = new Star("dr17", "1.0", 43, 7);
        Star nextVersion = new Star("dr17", "1.1", 42, 8);
        for (Star s : List.of(star, otherField, nextVersion, new Star("dr19", "1.0", 42, 9))) {
            LabelsTable.upsert(db(), s, labels, "t");
        }
        List<Star> asked = Stream.concat(IntStream.rangeClosed(1, 996).mapToObj(i -> new Star("dr17", "1.0", 42, i)),
                Stream.of(otherField, nextVersion, new Star("dr17", "1.1", 42, 7), new Star("dr17", "1.0", 42, 9))).toList();

        assertThat(asked).hasSize(1_000);
        assertThat(LabelsTable.containedAmong(db(), asked)).containsExactlyInAnyOrder(star, otherField, nextVersion);
        assertThat(LabelsTable.containedAmong(db(), List.of())).isEmpty();
    }

    @Test
    void anUpsertTwiceLeavesOneRowWithTheLatestLabels() {
        LabelsTable.create(db());
        LabelsTable.create(db());
        LabelsTable.upsert(db(), star, new StellarLabels(5000, -1.0, 40), "first");
        LabelsTable.upsert(db(), star, new StellarLabels(5100, -0.9, 41), "second");

        assertThat(db().fetchCount(LabelsTable.TABLE)).isEqualTo(1);
        assertThat(LabelsTable.contains(db(), star)).isTrue();
        assertThat(LabelsTable.read(db(), "dr17", "1.0", 42, 10)).containsExactlyEntriesOf(
                java.util.Map.of(7, new StellarLabels(5100, -0.9, 41)));
        assertThat(db().select(LabelsTable.TASK_ID).from(LabelsTable.TABLE).fetchOne(LabelsTable.TASK_ID)).isEqualTo("second");
    }

    @Test
    void readKeepsToTheRequestedField() {
        LabelsTable.create(db());
        LabelsTable.upsert(db(), new Star("dr17", "1.0", 42, 1), new StellarLabels(4500, 0, 50), "a");
        LabelsTable.upsert(db(), new Star("dr17", "1.0", 42, 3), new StellarLabels(4600, 0, 50), "b");
        LabelsTable.upsert(db(), new Star("dr17", "1.0", 43, 2), new StellarLabels(4700, 0, 50), "c");
        LabelsTable.upsert(db(), new Star("dr19", "1.0", 42, 2), new StellarLabels(4800, 0, 50), "d");

        assertThat(LabelsTable.read(db(), "dr17", "1.0", 42, 2)).containsOnlyKeys(1);
        assertThat(LabelsTable.read(db(), "dr17", "1.0", 42, 5)).containsOnlyKeys(1, 3);
    }

    @Test
    void eachVersionHasRowsOfItsOwn() {
        Star next = new Star("dr17", "1.1", 42, 7);
        LabelsTable.create(db());
        LabelsTable.upsert(db(), star, new StellarLabels(5000, -1.0, 40), "v1.0");
        assertThat(LabelsTable.contains(db(), next)).as("a new version finds nothing").isFalse();

        LabelsTable.upsert(db(), next, new StellarLabels(5100, -0.9, 41), "v1.1");

        assertThat(db().fetchCount(LabelsTable.TABLE)).isEqualTo(2);
        assertThat(LabelsTable.contains(db(), star)).isTrue();
        assertThat(LabelsTable.contains(db(), next)).isTrue();
        assertThat(LabelsTable.read(db(), "dr17", "1.0", 42, 10)).containsExactlyEntriesOf(
                java.util.Map.of(7, new StellarLabels(5000, -1.0, 40)));
        assertThat(LabelsTable.read(db(), "dr17", "1.1", 42, 10)).containsExactlyEntriesOf(
                java.util.Map.of(7, new StellarLabels(5100, -0.9, 41)));
        assertThat(LabelsTable.read(db(), "dr17", "2.0", 42, 10)).isEmpty();
    }

    /** The table of an older example run, keyed without the version, is left alone. */
    @Test
    void anOlderRunsTableWithoutTheVersionIsLeftAsItWas() {
        Table<Record> old = DSL.table(DSL.name("example_stellar_labels"));
        db().createTable(old)
                .columns(LabelsTable.RELEASE, LabelsTable.FIELD, LabelsTable.STAR_ID, LabelsTable.TEFF, LabelsTable.FE_H,
                        LabelsTable.SNR, LabelsTable.TASK_ID)
                .constraints(DSL.primaryKey(LabelsTable.RELEASE, LabelsTable.FIELD, LabelsTable.STAR_ID))
                .execute();
        db().insertInto(old).set(LabelsTable.RELEASE, "dr17").set(LabelsTable.FIELD, 42).set(LabelsTable.STAR_ID, 7)
                .set(LabelsTable.TEFF, 5000.0).set(LabelsTable.FE_H, 0.0).set(LabelsTable.SNR, 50.0)
                .set(LabelsTable.TASK_ID, "old").execute();

        assertThat(LabelsTable.contains(db(), star)).as("an old row is not this version's").isFalse();
        LabelsTable.create(db());
        LabelsTable.upsert(db(), star, new StellarLabels(5100, -0.9, 41), "new");

        assertThat(LabelsTable.contains(db(), star)).isTrue();
        assertThat(db().fetchCount(old)).isEqualTo(1);
        assertThat(db().fetchCount(LabelsTable.TABLE)).isEqualTo(1);
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
