package astra.examples.spectra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import astra.core.FileTarget;
import astra.core.Task;
import astra.core.Tasks;
import astra.core.db.Database;
import astra.core.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tasks run by hand, in dependency order, on a real SQLite file: no scheduler needed. */
class PipelineTest {

    @TempDir
    Path tmp;

    private Database database;
    private DSLContext db;
    private Path out;
    private final List<String> ran = new ArrayList<>();

    @BeforeEach
    void openDatabase() throws Exception {
        database = Database.open(TestDatabases.sqlite(tmp));
        db = database.dsl();
        out = tmp.resolve("out");
    }

    @AfterEach
    void closeDatabase() throws Exception {
        database.close();
    }

    /** What the scheduler does, minus the workers: a complete task's requirements are not expanded. */
    private void build(Task task) throws Exception {
        if (task.complete()) {
            return;
        }
        for (Task requirement : task.requires()) {
            build(requirement);
        }
        task.run(new FakeContext(task, Tasks.id(task), db));
        ran.add(task.getClass().getSimpleName());
    }

    private int rows() {
        return db.fetchCount(LabelsTable.TABLE);
    }

    @Test
    void estimateLabelsIsCompleteOnceItsRowExistsAndARerunKeepsOneRow() throws Exception {
        EstimateLabels task = new EstimateLabels("dr17", 42, 3, out);
        build(task.requires().get(0));
        assertThat(task.complete()).as("before the table exists").isFalse();

        task.run(new FakeContext(task, "first", db));
        assertThat(task.complete()).isTrue();
        task.run(new FakeContext(task, "second", db));

        assertThat(rows()).isEqualTo(1);
        assertThat(db.select(LabelsTable.TASK_ID).from(LabelsTable.TABLE).fetchOne(LabelsTable.TASK_ID)).isEqualTo("second");
        assertThat(new EstimateLabels("dr17", 42, 4, out).complete()).as("another star").isFalse();
        assertThat(new EstimateLabels("dr19", 42, 3, out).complete()).as("another release").isFalse();
    }

    @Test
    void theWholeFieldRunsOnceAndThenIsComplete() throws Exception {
        ProcessField root = new ProcessField("dr17", 42, 3, out);
        build(root);

        assertThat(ran).filteredOn("SyntheticSpectrum"::equals).hasSize(3);
        assertThat(ran).filteredOn("EstimateLabels"::equals).hasSize(3);
        assertThat(ran).endsWith("SummarizeField", "ProcessField");
        assertThat(rows()).isEqualTo(3);
        Path summary = out.resolve("dr17/v1.0/field-0042/summary.csv");
        assertThat(Files.readAllLines(summary)).hasSize(4).first().isEqualTo("star_id,teff,fe_h,snr");
        assertThat(root.complete()).isTrue();

        ran.clear();
        build(root);
        assertThat(ran).isEmpty();
    }

    @Test
    void aNewVersionRerunsEverythingBesideTheOldOutputsWhichStayComplete() throws Exception {
        ProcessField v10 = new ProcessField("dr17", 42, 3, out, "1.0");
        build(v10);
        assertThat(ran).hasSize(11);
        Map<Path, String> v10Files = contents(out.resolve("dr17/v1.0"));
        Map<String, String> v10Rows = taskIdsByVersion("1.0");
        assertThat(v10Files).hasSize(7);
        assertThat(v10Rows).hasSize(3);

        ran.clear();
        build(new ProcessField("dr17", 42, 3, out, "1.1"));

        assertThat(ran).hasSize(11);
        assertThat(contents(out.resolve("dr17/v1.1")).keySet()).containsExactlyInAnyOrderElementsOf(v10Files.keySet());
        assertThat(contents(out.resolve("dr17/v1.0"))).as("1.0's files").isEqualTo(v10Files);
        assertThat(taskIdsByVersion("1.0")).as("1.0's rows").isEqualTo(v10Rows);
        assertThat(taskIdsByVersion("1.1")).hasSize(3).doesNotContainValue(v10Rows.get("1"));
        assertThat(rows()).isEqualTo(6);

        ran.clear();
        build(v10);
        build(new ProcessField("dr17", 42, 3, out, "1.1"));
        assertThat(ran).as("both versions complete").isEmpty();
    }

    /** Each file under {@code dir}, relative to it, with its content. */
    private static Map<Path, String> contents(Path dir) throws Exception {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(f), Files.readString(f));
            }
        }
        return files;
    }

    /** The rows of one version: which task wrote each star's row. */
    private Map<String, String> taskIdsByVersion(String version) {
        return db.select(LabelsTable.STAR_ID, LabelsTable.TASK_ID).from(LabelsTable.TABLE)
                .where(LabelsTable.PIPELINE_VERSION.eq(version))
                .fetchMap(r -> r.value1().toString(), r -> r.value2());
    }

    @Test
    void labelsInTheDatabaseMakeTheSpectraUnnecessary() throws Exception {
        build(new ProcessField("dr17", 7, 2, out));
        try (Stream<Path> files = Files.list(out.resolve("dr17/v1.0/field-0007"))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        ran.clear();

        build(new ProcessField("dr17", 7, 2, out));

        assertThat(ran).containsExactly("SummarizeField", "ProcessField");
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void theSummaryReportsProgressAndMatchesTheDatabase() throws Exception {
        SummarizeField summary = new SummarizeField("dr17", 1, 4, out);
        for (Task t : summary.requires()) {
            build(t);
        }
        FakeContext ctx = new FakeContext(summary, "summary", db);
        summary.run(ctx);

        assertThat(ctx.progress).containsExactly(0.25, 0.5, 0.75, 1.0);
        assertThat(ctx.statuses).containsExactly("summarizing 4 stars of field 1");
        StellarLabels star2 = LabelsTable.read(db, "dr17", "1.0", 1, 4).get(2);
        assertThat(Files.readAllLines(out.resolve("dr17/v1.0/field-0001/summary.csv")).get(2))
                .startsWith("2," + String.format(java.util.Locale.ROOT, "%.1f", star2.teff()));
    }

    @Test
    void aMissingRowFailsTheSummaryAndLeavesNoPartialFile() throws Exception {
        SummarizeField summary = new SummarizeField("dr17", 5, 3, out);
        for (Task t : summary.requires()) {
            build(t);
        }
        db.deleteFrom(LabelsTable.TABLE).where(LabelsTable.STAR_ID.eq(3)).execute();

        assertThatThrownBy(() -> summary.run(new FakeContext(summary, "summary", db)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no row for star 3 of field 5");
        Path dir = out.resolve("dr17/v1.0/field-0005");
        assertThat(dir.resolve("summary.csv")).doesNotExist();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aWriterThatThrowsLeavesNoFileAndKeepsTheOldOne() throws Exception {
        FileTarget target = new FileTarget(tmp.resolve("atomic/labels.csv"));
        assertThatThrownBy(() -> target.writeText(w -> {
            w.write("half a file\n");
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(target.exists()).isFalse();

        target.writeString("old\n");
        assertThatThrownBy(() -> target.writeText(w -> {
            w.write("new\n");
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(target.readString()).isEqualTo("old\n");
        try (Stream<Path> files = Files.list(tmp.resolve("atomic"))) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void aCorruptSpectrumFailsWithTheFileAndLine() throws Exception {
        ContinuumNormalize task = new ContinuumNormalize("dr17", 9, 1, out);
        Path spectrum = task.requires().get(0).output().get(0).path();
        Files.createDirectories(spectrum.getParent());
        Files.writeString(spectrum, "wavelength,flux\n5150.0,1.0\n5150.1,oops\n");

        assertThatThrownBy(() -> task.run(new FakeContext(task, "normalize", db)))
                .hasMessage(spectrum + " line 3: expected 'wavelength,flux', got '5150.1,oops'");
        assertThat(task.output().get(0).exists()).isFalse();
    }

    @Test
    void badParametersAreRejectedWithTheirNames() {
        assertThatThrownBy(() -> new ProcessField("../etc", 42, 3, out))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("release must be a name like dr17 (letters, digits, . _ -), got '../etc'");
        assertThatThrownBy(() -> new ProcessField("dr17", 42, 0, out))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("--n-stars must be at least 1, got 0");
        assertThatThrownBy(() -> new SyntheticSpectrum("dr17", -1, 1, out).output())
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("--field must be 0 or more, got -1");
    }
}
