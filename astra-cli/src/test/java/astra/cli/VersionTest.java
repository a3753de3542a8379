package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code astra --version}: Astra's version, the commit it was built from, the Java it runs on. */
class VersionTest {

    @Test
    void versionNamesTheBuildItsCommitAndTheJava() {
        Cli.Result result = Cli.astra("--version");

        assertThat(result.code()).isZero();
        String[] lines = result.out().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).matches("astra \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\((commit [0-9a-f]{10}(, with uncommitted changes)?"
                + "|commit unknown \\(built outside a git checkout\\))\\)");
        assertThat(lines[1]).startsWith("Java " + Runtime.version().feature())
                .contains(System.getProperty("java.home"));
        assertThat(Cli.astra("-V").out()).isEqualTo(result.out());
    }
}
