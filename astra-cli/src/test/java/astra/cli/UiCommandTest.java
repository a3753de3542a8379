package astra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code astra ui}'s bad input, each with its one-line message and exit code 2 (the pages are UiApiContract's and UiBrowserIT's). */
class UiCommandTest {

    @TempDir
    Path dir;

    private String db() {
        return "jdbc:sqlite:" + dir.resolve("astra.db");
    }

    @Test
    void helpSaysWhatItServesAndHowToAct() {
        Cli.Result result = Cli.astra("ui", "--help");

        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("--allow-actions", "--bind", "--port", "token", "at most 2 database connections");
    }

    @Test
    void aPortThatIsNotOneIsBadInput() {
        Cli.Result result = Cli.astra("ui", "--port", "70000", "--db", db());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("astra: --port 70000 is not a TCP port: give 1-65535, or 0 for any free one\n");
    }

    @Test
    void aTakenPortSaysSoAndHowToChooseAnother() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Result result = Cli.astra("ui", "--port", String.valueOf(taken.getLocalPort()), "--db", db());

            assertThat(result.code()).isEqualTo(2);
            assertThat(result.err()).startsWith("astra: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .contains("choose another port with --port N").doesNotContain("Exception");
        }
    }

    @Test
    void anAddressOfAnotherHostIsBadInput() {
        // 203.0.113.0/24 is TEST-NET-3: never an address of this host
        Cli.Result result = Cli.astra("ui", "--bind", "203.0.113.7", "--db", db());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).startsWith("astra: --bind 203.0.113.7 is not an address of this host");
        assertThat(Cli.astra("ui", "--bind", "no-such-host.invalid", "--db", db()).err())
                .isEqualTo("astra: --bind no-such-host.invalid is not an address this host knows\n");
    }
}
