package astra.examples.spectra;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.Task;
import astra.core.db.Database;
import astra.core.params.TaskSchema;
import astra.core.testing.DatabaseExtension;
import astra.plan.RetryPolicy;
import astra.scheduler.ExecutionSummary;
import astra.scheduler.RunOutcome;
import astra.scheduler.Scheduler;
import astra.scheduler.SchedulerOptions;
import astra.worker.WorkerOptions;
import astra.worker.local.ProcessWorkerPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example run as {@code astra run ProcessField --field 42} runs it: the root built from its
 * arguments and the {@code [ProcessField]} section, the scheduler, and two child worker processes
 * that rebuild each task from its stored parameters. A new {@code major.minor} reruns every task
 * beside the old version's outputs; one subclass per database.
 */
abstract class VersionBumpContract {

    /** ProcessField, SummarizeField, and 20 stars of three tasks each. */
    private static final int TASKS = 1 + 1 + 3 * 20;

    @TempDir
    Path dir;

    private Database database;
    private Path out;

    abstract DatabaseExtension db();

    @BeforeEach
    void open() {
        database = db().open();
        out = dir.resolve("out");
    }

    /** The root from the command line ({@code --pipeline-version} only when given) and the config. */
    private Task root(String pipelineVersion) {
        Map<String, String> args = new LinkedHashMap<>(Map.of("field", "42", "output-dir", out.toString()));
        if (pipelineVersion != null) {
            args.put("pipeline-version", pipelineVersion);
        }
        return TaskSchema.of(ProcessField.class).build(args, Map.of("release", "dr17"));
    }

    private ExecutionSummary run(Task root) throws InterruptedException {
        WorkerOptions workers = new WorkerOptions(2, db().settings().withPoolSize(2), List.of(),
                new WorkerOptions.ChildJvm(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto"), List.of(), Map.of()),
                0, WorkerOptions.Timeouts.NONE, RetryPolicy.of(0));
        ExecutionSummary summary = new Scheduler(database, SchedulerOptions.SERIAL, ProcessWorkerPool.factory(workers))
                .run(List.of(root), "test");
        assertThat(summary.outcome()).as(summary.render()).isEqualTo(RunOutcome.SUCCESS);
        return summary;
    }

    @Test
    void aVersionBumpRerunsEverythingAndLeavesTheOldVersionComplete() throws Exception {
        ExecutionSummary first = run(root(null));
        assertThat(first.ran()).isEqualTo(TASKS);
        assertThat(run(root(null)).ran()).as("the same version again").isZero();
        assertThat(run(root("1.0")).ran()).as("1.0 given explicitly, as a patch release keeps it").isZero();
        Map<Path, FileTime> v10Files = files(out.resolve("dr17/v1.0"));
        Map<Integer, String> v10Rows = rows("1.0");
        assertThat(v10Files).hasSize(20 * 2 + 1);
        assertThat(v10Rows).hasSize(20);

        ExecutionSummary bumped = run(root("1.1"));

        assertThat(bumped.ran()).as(bumped.render()).isEqualTo(TASKS);
        assertThat(bumped.alreadyComplete()).isZero();
        assertThat(files(out.resolve("dr17/v1.1")).keySet()).containsExactlyElementsOf(v10Files.keySet());
        assertThat(rows("1.1")).hasSize(20).doesNotContainValue(v10Rows.get(1));
        assertThat(files(out.resolve("dr17/v1.0"))).as("1.0's files, untouched").isEqualTo(v10Files);
        assertThat(rows("1.0")).as("1.0's rows, untouched").isEqualTo(v10Rows);

        assertThat(run(root(null)).ran()).as("1.0 is still complete").isZero();
        assertThat(run(root("1.1")).ran()).isZero();
    }

    /** Each file under {@code dir}, relative to it, with when it was last written. */
    private static Map<Path, FileTime> files(Path dir) throws Exception {
        Map<Path, FileTime> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(f), Files.getLastModifiedTime(f));
            }
        }
        return files;
    }

    /** One version's rows: the task that wrote each star's labels. */
    private Map<Integer, String> rows(String version) {
        return database.dsl().select(LabelsTable.STAR_ID, LabelsTable.TASK_ID).from(LabelsTable.TABLE)
                .where(LabelsTable.RELEASE.eq("dr17"), LabelsTable.PIPELINE_VERSION.eq(version), LabelsTable.FIELD.eq(42))
                .fetchMap(LabelsTable.STAR_ID, LabelsTable.TASK_ID);
    }
}
