package astra.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFilesTest {

    @TempDir
    Path dir;

    @AfterEach
    void privateAgain() {
        StateFiles.shareWith(null);
    }

    private static String mode(Path p) throws Exception {
        return Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode") & 07777);
    }

    @Test
    void whatAstraCreatesIsPrivateByDefault() throws Exception {
        Path logs = dir.resolve("a/b");
        StateFiles.createDirectories(logs);
        StateFiles.createFile(logs.resolve("astra.db"));
        try (OutputStream log = StateFiles.append(logs.resolve("attempt.log"))) {
            log.write('x');
        }

        assertThat(mode(dir.resolve("a"))).isEqualTo("700");
        assertThat(mode(logs)).isEqualTo("700");
        assertThat(mode(logs.resolve("astra.db"))).isEqualTo("600");
        assertThat(mode(logs.resolve("attempt.log"))).isEqualTo("600");
        assertThat(StateFiles.sharedGroup()).isEmpty();
    }

    @Test
    void aSharedGroupOwnsWhatAstraCreatesAndItsDirectoriesPassTheGroupOn() throws Exception {
        // The user's own group: one every user may give files to.
        GroupPrincipal own = (GroupPrincipal) Files.getAttribute(Files.createFile(dir.resolve("probe")), "posix:group");
        StateFiles.shareWith(own.getName());
        Path existing = Files.createDirectory(dir.resolve("existing"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-x---")));

        Path logs = existing.resolve("logs");
        StateFiles.createDirectories(logs);
        StateFiles.createFile(logs.resolve("astra.db"));
        try (OutputStream log = StateFiles.append(logs.resolve("attempt.log"))) {
            log.write('x');
        }

        assertThat(StateFiles.sharedGroup()).contains(own.getName());
        assertThat(mode(existing)).as("an existing directory keeps its mode").isEqualTo("750");
        assertThat(mode(logs)).as("setgid: what SQLite creates in it is the group's").isEqualTo("2770");
        assertThat(mode(logs.resolve("astra.db"))).isEqualTo("660");
        assertThat(mode(logs.resolve("attempt.log"))).isEqualTo("660");
        assertThat(Files.getAttribute(logs.resolve("astra.db"), "posix:group")).isEqualTo(own);
    }

    @Test
    void aGroupThatDoesNotExistIsABadConfig() {
        assertThatThrownBy(() -> StateFiles.shareWith("no-such-group-astra"))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessage("[core] shared_group: there is no group 'no-such-group-astra' on this host (see getent group)");
        assertThat(StateFiles.sharedGroup()).isEmpty();
    }
}
