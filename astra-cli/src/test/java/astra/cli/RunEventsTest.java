package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import astra.cli.fixtures.EventTasks.Broken;
import astra.cli.fixtures.EventTasks.Fine;
import astra.core.Tasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event handlers, [notify] on_failure and automatic disabling, through astra run with real worker processes. */
class RunEventsTest {

    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        System.clearProperty("astra.test.events");
    }

    Cli.Result astra(String config, String... args) throws Exception {
        Path cfg = dir.resolve("utah.cfg");
        Files.writeString(cfg, config);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", cfg.toString(), "--db", "jdbc:sqlite:" + dir.resolve("astra.db")));
        return Cli.astra(all);
    }

    @Test
    void handlersHearEachSuccessRetryAndFailureAndTheCommandRunsForEachFailure() throws Exception {
        Path events = dir.resolve("events.txt");
        Path mails = dir.resolve("mails.txt");
        System.setProperty("astra.test.events", events.toString());

        Cli.Result r = astra(String.join("\n", "[scheduler]", "retry_count = 1",
                "event_handlers = astra.cli.fixtures.EventTasks$Recorder", "",
                "[notify]", "on_failure = echo \"$ASTRA_TASK_ID|$ASTRA_FAMILY|$ASTRA_RUN_ID|$ASTRA_ERROR\" >> " + mails, ""),
                "run", "Mixed", "--good", "2", "--bad", "1");

        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.TASK_FAILED);
        String broken = Tasks.id(new Broken(0, 0));
        assertThat(Files.readAllLines(events)).containsExactlyInAnyOrder(
                "success " + Tasks.id(new Fine(0)), "success " + Tasks.id(new Fine(1)),
                "retry " + broken + " Broken", "failure " + broken + " IllegalStateException: broken 0");
        assertThat(Files.readAllLines(mails)).containsExactly(
                broken + "|Broken|1|IllegalStateException: broken 0");
    }

    @Test
    void aFamilyThatKeepsFailingIsDisabledUntilEnabled() throws Exception {
        Cli.Result r = astra(String.join("\n", "[scheduler]", "disable_num_failures = 2", "disable_window = 1h", ""),
                "run", "Mixed", "--good", "0", "--bad", "12", "--millis", "500", "--workers", "1");

        assertThat(r.code()).as(r.err()).isNotZero();
        Cli.Result status = astra("", "status");
        assertThat(status.out()).contains("Broken").contains("astra: 2 failures within 1h");
        java.util.regex.Matcher failed = java.util.regex.Pattern.compile("\\* (\\d+) failed").matcher(r.out());
        assertThat(failed.find()).as(r.out()).isTrue();
        assertThat(Integer.parseInt(failed.group(1))).as("the tasks claimed after the disabling: " + r.out())
                .isGreaterThanOrEqualTo(2).isLessThan(12);
        Cli.Result enable = astra("", "enable", "Broken");
        assertThat(enable.code()).as(enable.err()).isZero();
    }

    @Test
    void aHandlerThatIsNotOneIsBadConfig() throws Exception {
        Cli.Result missing = astra("[scheduler]\nevent_handlers = no.such.Handler\n", "run", "Mixed", "--good", "1", "--bad", "0");
        Cli.Result wrong = astra("[scheduler]\nevent_handlers = astra.cli.fixtures.EventTasks$NotAHandler\n",
                "run", "Mixed", "--good", "1", "--bad", "0");

        assertThat(missing.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missing.err()).contains("[scheduler] event_handlers: cannot make a no.such.Handler")
                .doesNotContain("\tat ");
        assertThat(wrong.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(wrong.err()).contains("does not implement astra.core.TaskEventHandler");
    }
}
