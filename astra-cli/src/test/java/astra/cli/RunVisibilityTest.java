package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import astra.cli.fixtures.VisibilityTasks.CalibrateNight;
import astra.core.Tasks;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code astra run} with hidden and private parameters: help, the command line, the config. */
class RunVisibilityTest {

    private static final Pattern CALIBRATE_ID = Pattern.compile("CalibrateNight_2024_03_01_[0-9a-f]{10}");

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    Result run(String config, String... args) throws Exception {
        Path cfg = dir.resolve("utah.cfg");
        Files.writeString(cfg, config);
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(List.of(args));
        all.addAll(List.of("--db", "jdbc:sqlite:" + dir.resolve("astra.db"), "--config", cfg.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static String calibrateId(Result r) {
        Matcher m = CALIBRATE_ID.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        return m.group();
    }

    @Test
    void helpListsNeitherHiddenNorPrivateParameters() throws Exception {
        Result r = run("", "CalibrateNight", "--help");

        assertThat(r.code()).isEqualTo(0);
        assertThat(r.out()).contains("--night").doesNotContain("--pipeline-version").doesNotContain("--flat")
                .doesNotContain("Pipeline version").doesNotContain("Flat field");
    }

    @Test
    void aHiddenParameterIsSetOnTheCommandLineAndChangesOnlyTheHash() throws Exception {
        Result v1 = run("", "CalibrateNight", "--night", "2024-03-01");
        Result v2 = run("", "CalibrateNight", "--night", "2024-03-01", "--pipeline-version", "2.0");

        assertThat(v1.code()).as(v1.err()).isEqualTo(0);
        assertThat(v2.code()).as(v2.err()).isEqualTo(0);
        assertThat(v2.out()).as("a new version is a new task").contains("1 ran successfully");
        assertThat(calibrateId(v1))
                .isEqualTo(Tasks.id(new CalibrateNight(LocalDate.parse("2024-03-01"), "1.0", "default-flat")))
                .isNotEqualTo(calibrateId(v2));
        assertThat(calibrateId(v2))
                .isEqualTo(Tasks.id(new CalibrateNight(LocalDate.parse("2024-03-01"), "2.0", "default-flat")));
    }

    @Test
    void aHiddenParameterIsSetFromConfig() throws Exception {
        Result r = run("[CalibrateNight]\npipeline_version = 2.0\n", "CalibrateNight", "--night", "2024-03-01");

        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.err()).doesNotContain("warning");
        assertThat(calibrateId(r))
                .isEqualTo(Tasks.id(new CalibrateNight(LocalDate.parse("2024-03-01"), "2.0", "default-flat")));
    }

    @Test
    void aPrivateParameterOnTheCommandLineExitsTwoSayingItIsPrivate() throws Exception {
        for (String[] given : List.of(new String[] {"--flat", "mine"}, new String[] {"--flat=mine"})) {
            List<String> args = new ArrayList<>(List.of("CalibrateNight", "--night", "2024-03-01"));
            args.addAll(List.of(given));

            Result r = run("", args.toArray(String[]::new));

            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("astra: parameter --flat of CalibrateNight is private:"
                    + " only the tasks that require CalibrateNight set it, not the command line");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void aPrivateParameterInConfigIsIgnoredWithAWarning() throws Exception {
        Result r = run("[CalibrateNight]\nflat = mine\n", "CalibrateNight", "--night", "2024-03-01");

        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.err()).contains("astra: warning: utah.cfg [CalibrateNight]: 'flat' is a private parameter of"
                + " CalibrateNight, which only code sets; the value is ignored");
        assertThat(calibrateId(r))
                .isEqualTo(Tasks.id(new CalibrateNight(LocalDate.parse("2024-03-01"), "1.0", "default-flat")));
    }

    @Test
    void anUnknownKeyInTheSectionOfAFamilyThatIsNotTheRootIsWarnedAbout() throws Exception {
        Result r = run("[CalibrateNight]\npipline_version = 1.1\n", "StackNight", "--night", "2024-03-01");

        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.err()).contains("astra: warning: utah.cfg [CalibrateNight]: 'pipline_version' is not a parameter"
                + " of CalibrateNight (did you mean pipeline_version?)");
    }

    @Test
    void aPrivateValueGivenByRequiresReachesTheWorker() throws Exception {
        Result r = run("", "StackNight", "--night", "2024-03-01", "--pipeline-version", "1.1");

        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(0);
        assertThat(r.out()).contains("2 ran successfully");
        assertThat(calibrateId(r))
                .isEqualTo(Tasks.id(new CalibrateNight(LocalDate.parse("2024-03-01"), "1.1", "flat-2024-03-01")));
    }
}
