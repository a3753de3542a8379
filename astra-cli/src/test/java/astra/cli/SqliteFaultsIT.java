package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded SQLite database on a disk that fills up mid-run (a small tmpfs of the test's own)
 * and on a read-only file system (a read-only bind mount), driven on real {@code ./astra}
 * processes. Mounting needs root: without it the tests are skipped with the reason, unless
 * {@code $ASTRA_TEST_REQUIRE_FAULTS=1} (CI), which fails them instead.
 */
class SqliteFaultsIT {

    @TempDir
    Path scratch;

    Path mount;

    @BeforeEach
    void mountPoint() throws Exception {
        mount = Files.createDirectory(scratch.resolve("disk"));
        String problem = "root".equals(System.getProperty("user.name")) ? null
                : "mounting a small file system needs root (running as " + System.getProperty("user.name") + ")";
        if (problem != null) {
            String reason = "SQLite fault tests skipped: " + problem;
            if ("1".equals(System.getenv(FaultCluster.REQUIRE_ENV))) {
                Assertions.fail(reason);
            }
            Assumptions.abort(reason);
        }
    }

    @AfterEach
    void unmount() throws Exception {
        while (command("mountpoint", "-q", mount.toString()) == 0) {
            command("umount", mount.toString());
        }
    }

    private static int command(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static void mustRun(String... args) throws IOException, InterruptedException {
        assertThat(command(args)).as(String.join(" ", args)).isZero();
    }

    private Process start(Path out, Path err, String... args) throws IOException {
        return LauncherIT.startWith(mount, out, err, Map.of("ASTRA_CLASSPATH", LauncherIT.FIXTURES), args);
    }

    private static String text(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private List<String> states() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + mount.resolve(".astra/astra.db"));
                ResultSet r = c.createStatement().executeQuery(
                        "select state || ' ' || count(*) || ' ' || max(attempts) from astra_task group by state order by 1")) {
            List<String> states = new java.util.ArrayList<>();
            while (r.next()) {
                states.add(r.getString(1));
            }
            return states;
        }
    }

    @Test
    void aDiskThatFillsUpMidRunStopsItWithOneSentenceAndTheRerunFinishes() throws Exception {
        mustRun("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString());
        Path out = scratch.resolve("out.txt");
        Path err = scratch.resolve("err.txt");
        Process run = start(out, err, "run", "Dozes", "--n", "400", "--millis", "50", "--workers", "2");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!text(err).contains(" done Doze_")) {
            assertThat(run.isAlive()).as(text(err)).isTrue();
            assertThat(System.nanoTime() < deadline).as("waited for a first task; " + text(err)).isTrue();
            Thread.sleep(50);
        }

        Path filler = mount.resolve("filler");
        try (OutputStream fill = Files.newOutputStream(filler)) {
            byte[] block = new byte[64 * 1024];
            while (true) {
                fill.write(block);
            }
        } catch (IOException full) {
            // The disk is full.
        }

        assertThat(run.waitFor(120, TimeUnit.SECONDS)).as(text(err)).isTrue();
        assertThat(run.exitValue()).as(text(err)).isEqualTo(6);
        String sentence = "astra: the disk holding " + mount.resolve(".astra/astra.db") + " is full (or failed to write):"
                + " free some space and run again";
        assertThat(text(err)).contains(sentence).doesNotContain("\tat ").doesNotContain("unexpected error");

        Files.delete(filler);
        Process again = start(scratch.resolve("out2.txt"), scratch.resolve("err2.txt"), "run", "Dozes", "--n", "400",
                "--millis", "50", "--workers", "2");
        assertThat(again.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).as(text(scratch.resolve("err2.txt"))).isZero();
        assertThat(states()).as("every task done, none charged a second attempt").containsExactly("DONE 401 1");
    }

    @Test
    void statusAndShowReadADatabaseOnAReadOnlyFileSystemAndARunSaysWhyItCannot() throws Exception {
        Path out = scratch.resolve("out.txt");
        Path err = scratch.resolve("err.txt");
        Process first = start(out, err, "run", "Dozes", "--n", "3", "--millis", "1");
        assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as(text(err)).isZero();
        mustRun("mount", "--bind", mount.toString(), mount.toString());
        mustRun("mount", "-o", "remount,ro,bind", mount.toString());

        Process status = start(out, err, "status");
        assertThat(status.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(status.exitValue()).as(text(err)).isZero();
        assertThat(text(out)).contains("Dozes").contains("DONE");

        Process show = start(out, err, "show", "Dozes_3_1_7ccab3d232");
        assertThat(show.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(show.exitValue()).as(text(err)).isZero();
        assertThat(text(out)).contains("State       DONE");

        Process run = start(out, err, "run", "Dozes", "--n", "4", "--millis", "1");
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).isEqualTo(6);
        assertThat(text(err)).contains("astra: " + mount.resolve(".astra/astra.db") + " cannot be written (the file,"
                + " its directory or the file system is read-only)").doesNotContain("\tat ");
    }
}
