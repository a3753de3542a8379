package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduling policy's settings as {@code astra run} reads them: good ones work, bad ones exit 2. */
class PolicyConfigTest {

    @TempDir
    Path dir;

    Cli.Result runWith(String config, String... task) throws Exception {
        Path cfg = dir.resolve("utah.cfg");
        Files.writeString(cfg, config);
        String[] args = new String[task.length + 5];
        args[0] = "run";
        System.arraycopy(task, 0, args, 1, task.length);
        args[task.length + 1] = "--config";
        args[task.length + 2] = cfg.toString();
        args[task.length + 3] = "--db";
        args[task.length + 4] = "jdbc:sqlite:" + dir.resolve("astra.db");
        return Cli.astra(args);
    }

    @Test
    void resourcesRetriesAndKeepGoingAreRead() throws Exception {
        Cli.Result r = runWith("""
                [core]
                keep_going = false

                [scheduler]
                retry_count = 1
                retry_delay = 10ms

                [scheduler.ExplodingTask]
                retry_count = 2

                [resources]
                gpu = 2
                ferre_licence = 4
                """, "ExplodingTask");

        assertThat(r.code()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).doesNotContain("unknown key").doesNotContain("names no task family");
        assertThat(r.out()).contains("IllegalStateException: the detector is saturated (after 3 attempts)");
    }

    @Test
    void aNegativeCapacityExitsTwo() throws Exception {
        Cli.Result r = runWith("[resources]\ngpu = -1\n", "ObservePlate", "--night", "2024-03-01");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("[resources] gpu must be 0 or more, got -1").doesNotContain("\tat ");
    }

    @Test
    void aCapacityThatIsNotANumberExitsTwo() throws Exception {
        Cli.Result r = runWith("[resources]\ngpu = lots\n", "ObservePlate", "--night", "2024-03-01");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("gpu").contains("lots").doesNotContain("\tat ");
    }

    @Test
    void aBadKeepGoingOrRetryDelayExitsTwo() throws Exception {
        Cli.Result keep = runWith("[core]\nkeep_going = perhaps\n", "ObservePlate", "--night", "2024-03-01");
        Cli.Result delay = runWith("[scheduler]\nretry_delay = soon\n", "ObservePlate", "--night", "2024-03-01");
        Cli.Result negative = runWith("[scheduler.ObservePlate]\nretry_count = -2\n", "ObservePlate", "--night", "2024-03-01");

        assertThat(keep.code()).isEqualTo(2);
        assertThat(keep.err()).contains("keep_going").contains("perhaps");
        assertThat(delay.code()).isEqualTo(2);
        assertThat(delay.err()).contains("retry_delay").contains("soon");
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err()).contains("cannot be negative");
    }

    @Test
    void aFamilySectionForNoFamilyOrWithAnUnknownKeyIsWarnedAbout() throws Exception {
        Cli.Result r = runWith("""
                [scheduler.ObservPlate]
                retry_count = 2

                [scheduler.ObservePlate]
                retries = 2
                """, "ObservePlate", "--night", "2024-03-01");

        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.err()).contains("[scheduler.ObservPlate] names no task family on the classpath (did you mean ObservePlate?)")
                .contains("[scheduler.ObservePlate]: unknown key 'retries' (only retry_count and retry_delay are read here)");
    }
}
