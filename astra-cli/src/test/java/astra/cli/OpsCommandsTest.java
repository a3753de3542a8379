package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import astra.cli.fixtures.OpsTasks.Bias;
import astra.cli.fixtures.OpsTasks.Coadd;
import astra.cli.fixtures.OpsTasks.Frame;
import astra.core.Tasks;
import astra.core.db.Database;
import astra.core.db.DatabaseSettings;
import astra.core.store.Plan;
import astra.core.store.RunInfo;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code astra list, deps, status, reset, disable, enable} in this JVM, on a SQLite file. */
class OpsCommandsTest {

    static final LocalDate NIGHT = LocalDate.parse("2024-03-01");
    static final String COADD = Tasks.id(new Coadd(NIGHT, 2));
    static final String FRAME_1 = Tasks.id(new Frame(NIGHT, 1));
    static final String FRAME_2 = Tasks.id(new Frame(NIGHT, 2));
    static final String BIAS = Tasks.id(new Bias(NIGHT));

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    Result astra(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    String url() {
        return "jdbc:sqlite:" + dir.resolve("astra.db");
    }

    /** A command on this test's database, with no config file. */
    Result on(String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of(args));
        all.addAll(List.of("--db", url(), "--config", config().toString()));
        return astra(all.toArray(String[]::new));
    }

    Path config() {
        Path cfg = dir.resolve("empty.cfg");
        try {
            if (!Files.exists(cfg)) {
                Files.writeString(cfg, "# nothing\n");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return cfg;
    }

    Result runCoadd() {
        Result r = on("run", "Coadd", "--night", NIGHT.toString());
        assertThat(r.code()).as(r.err()).isZero();
        return r;
    }

    Database open() {
        return Database.open(DatabaseSettings.of(url(), null));
    }

    @Test
    void listShowsTheFamiliesWithTheirParameters() {
        Result r = astra("list");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Coadd  (astra.cli.fixtures.OpsTasks$Coadd)")
                .contains("--night <LocalDate>  (required)  Night of the frames")
                .contains("--frames <int>  (default: 2)")
                .contains("Calibrate  (astra.cli.fixtures.CliTasks$CalibrateFrames)");
    }

    @Test
    void listWithAClasspathThatDoesNotExistExitsTwo() {
        Result r = astra("list", "--cp", dir.resolve("nowhere.jar").toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("nowhere.jar").contains("does not exist").doesNotContain("\tat ");
    }

    @Test
    void depsShowsTheTreeOnceWithEachTasksState() {
        Result r = on("deps", "Coadd", "--night", NIGHT.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith(COADD + " [pending]\n")
                .contains("├── " + FRAME_1 + " [pending]\n│   └── " + BIAS + " [pending]\n")
                .contains("└── " + FRAME_2 + " [pending]\n    └── " + BIAS + " [pending] (see above)\n")
                .contains("5 tasks: 5 pending");
    }

    @Test
    void depsOfAnUnknownTaskOrAMissingParameterExitsTwo() {
        Result unknown = on("deps", "Coad", "--night", NIGHT.toString());
        Result missing = on("deps", "Coadd");

        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown task 'Coad'").contains("Coadd");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("missing required parameter --night");
    }

    @Test
    void depsOfATaskWhoseRequiresThrewShowsTheErrorAndExitsAsARunWould() {
        Result r = on("deps", "NeedsBroken");

        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.SCHEDULING_ERROR);
        assertThat(r.out()).contains("BrokenRequires_x_").contains("the calibration table is unreadable");
    }

    @Test
    void depsAfterARunShowsTheTaskComplete() {
        runCoadd();

        Result r = on("deps", "Coadd", "--night", NIGHT.toString());

        assertThat(r.out()).isEqualTo(COADD + " [complete]\n\n1 task: 1 complete\n");
    }

    @Test
    void depsShowsMissingExternalDataAndFailedTasks() {
        Result missing = on("deps", "NeedsArchive");
        assertThat(missing.out()).contains("└── Archive_x_").contains("[missing external data]");

        assertThat(on("run", "ExplodingTask").code()).isEqualTo(3);
        Result failed = on("deps", "ExplodingTask");
        assertThat(failed.out()).contains("[failed: ").contains("the detector is saturated");
    }

    @Test
    void depsStopsAtTheDepthAndTheLineLimitWithCountsPerFamily() {
        Result shallow = on("deps", "Wide", "--depth", "0");
        Result cut = on("deps", "Wide", "--max-lines", "10");
        Result negative = on("deps", "Wide", "--depth", "-1");

        assertThat(shallow.out()).contains("[pending] (+50 requirements below --depth)").contains("51 tasks: 51 pending");
        assertThat(cut.out().lines().filter(l -> l.contains("Leaf_")).count()).isEqualTo(9);
        assertThat(cut.out()).contains("the tree goes on").contains("  Leaf: 50 pending").contains("  Wide: 1 pending");
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err()).contains("--depth must be 0 or more");
    }

    @Test
    void statusCountsTasksAndShowsTheRunsWorkers() {
        runCoadd();

        Result r = on("status");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Run 1: astra run Coadd --night 2024-03-01")
                .containsPattern("Frame +0 +0 +2 +0 +0 +2")
                .containsPattern("all +0 +0 +5 +0 +0 +5")
                .contains("Workers of run 1:").contains("INIT MS").contains("(no work left)");
        Result failed = on("status", "--state", "FAILED");
        assertThat(failed.out()).contains("Tasks of every run:\n  none");
    }

    @Test
    void statusRejectsAnUnknownStateFamilyOrRun() {
        runCoadd();

        Result state = on("status", "--state", "finished");
        Result family = on("status", "--family", "Frames");
        Result run = on("status", "--run", "9");

        assertThat(state.code()).isEqualTo(2);
        assertThat(state.err()).contains("unknown state 'finished'; the states are pending, running, done, failed, missing");
        assertThat(family.code()).isEqualTo(2);
        assertThat(family.err()).contains("no task of family 'Frames'").contains("did you mean Frame");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("no run 9 in the database; the latest is run 1");
    }

    @Test
    void statusFiltersAndLimitsRowsAndPrintsJson() throws Exception {
        runCoadd();

        Result limited = on("status", "--family", "Frame", "--limit", "1");
        Result json = on("status", "--json", "--run", "1", "--state", "done");

        assertThat(limited.out()).contains("Tasks changed last (1 of 2)").contains("... and 1 more");
        JsonNode tree = new ObjectMapper().readTree(json.out());
        assertThat(tree.get("total").asLong()).isEqualTo(5);
        assertThat(tree.get("run").get("run_id").asLong()).as("snake_case, as run --json").isEqualTo(1);
        assertThat(tree.get("workers").get(0).get("tasks_run").asInt()).isEqualTo(5);
        assertThat(tree.has("disabled_families")).isTrue();
        assertThat(tree.get("tasks").get(0).get("state").asText()).isEqualTo("DONE");
    }

    @Test
    void resetListsWithoutYesAndResetsDownstreamWithIt() {
        runCoadd();

        Result dry = on("reset", FRAME_1, "--downstream");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("Would reset 2 tasks:").contains(FRAME_1).contains(COADD).contains("Dry run");
        assertThat(on("deps", "Coadd", "--night", NIGHT.toString()).out()).contains(COADD + " [complete]");

        Result reset = on("reset", FRAME_1, "--downstream", "--yes");
        assertThat(reset.out()).contains("Reset 2 tasks.");

        assertThat(on("deps", "Coadd", "--night", NIGHT.toString()).out())
                .contains(COADD + " [pending]").contains(FRAME_1 + " [pending]").contains(FRAME_2 + " [complete]");
        try (Database db = open()) {
            assertThat(db.store().events(FRAME_1)).last().satisfies(e -> assertThat(e.message()).startsWith("reset by "));
        }
        Result again = runCoadd();
        assertThat(again.out()).contains("2 ran successfully");
        String shown = on("show", FRAME_1).out();
        assertThat(shown).as("the reset between the two attempts").containsPattern(
                "(?s)run 1, attempt 1: done.*\\n  reset by \\S+ at .*\\n  run 2, attempt 1: done");
    }

    @Test
    void resetByFamilyAndParameter() {
        runCoadd();

        Result r = on("reset", "--family", "Frame", "--param", "n=2");
        Result badName = on("reset", "--family", "Frame", "--param", "m=2");
        Result noMatch = on("reset", "--family", "Frame", "--param", "n=3");
        Result badFamily = on("reset", "--family", "Framez");

        assertThat(r.out()).contains("Would reset 1 task:").contains(FRAME_2).doesNotContain(FRAME_1);
        assertThat(badName.code()).isEqualTo(2);
        assertThat(badName.err()).contains("Frame has no parameter 'm'; its parameters are n, night");
        assertThat(noMatch.code()).isEqualTo(2);
        assertThat(noMatch.err()).contains("no task of family Frame has n=3");
        assertThat(badFamily.code()).isEqualTo(2);
        assertThat(badFamily.err()).contains("no task of family 'Framez'");
    }

    @Test
    void resetRefusesUnknownIdsAndRunningTasks() {
        try (Database db = open()) {
            TaskStore store = db.store();
            long run = store.startRun(new RunInfo("R", "host", 1, "test"));
            store.writePlan(run, new Plan(List.of(new Plan.PlannedTask("Busy_1", "Busy", "x.Busy", "{}",
                    TaskState.PENDING, 0, 0)), List.of()));
            store.claim(run, "w1").orElseThrow();
        }

        Result unknown = on("reset", "Nobody_1");
        Result running = on("reset", "Busy_1", "--yes");
        Result neither = on("reset");

        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no task Nobody_1 is recorded in the database");
        assertThat(running.code()).isEqualTo(2);
        assertThat(running.err()).contains("a running task cannot be reset").contains("Busy_1 (worker w1, run 1)");
        assertThat(neither.code()).isEqualTo(2);
        assertThat(neither.err()).contains("needs task ids or --family F");
    }

    @Test
    void aDisabledFamilyIsNotRunUntilEnabled() {
        Result disabled = on("disable", "Frame");
        assertThat(disabled.code()).as(disabled.err()).isZero();
        assertThat(disabled.out()).contains("Disabled Frame");

        Result run = on("run", "Coadd", "--night", NIGHT.toString());
        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(8);
        assertThat(run.out()).contains("* 2 were not run: their family is disabled (astra enable <family>):")
                .contains(FRAME_1 + " (family Frame)")
                .contains("* 1 were not run because a task they need failed or is missing or disabled:")
                .contains("This run could not finish: tasks of a disabled family are left pending.");
        Result status = on("status");
        assertThat(status.out()).contains("Disabled families").containsPattern("Frame +since .* by ")
                .containsPattern("Frame +2 +0 +0 +0 +0 +2").containsPattern("Bias +0 +0 +1");

        assertThat(on("enable", "Frame").out()).contains("Enabled Frame");
        assertThat(on("status").out()).doesNotContain("Disabled families");
        assertThat(runCoadd().out()).contains("3 ran successfully");
    }

    @Test
    void disablingAnUnknownFamilyOrEnablingOneNotDisabledExitsTwo() {
        Result unknown = on("disable", "Frmae");
        Result notDisabled = on("enable", "Frame");

        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown family 'Frmae'").contains("did you mean Frame");
        assertThat(notDisabled.code()).isEqualTo(2);
        assertThat(notDisabled.err()).contains("family 'Frame' is not disabled; disabled families: none");
    }
}
