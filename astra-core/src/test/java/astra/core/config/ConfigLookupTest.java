package astra.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLookupTest {

    @TempDir
    Path tmp;

    private Path work;
    private Path home;
    private Path homeConfig;

    @BeforeEach
    void dirs() throws IOException {
        work = Files.createDirectories(tmp.resolve("work"));
        home = Files.createDirectories(tmp.resolve("home"));
        homeConfig = home.resolve(".config/astra/utah.cfg");
    }

    private static Path write(Path file, String workers) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "[core]\nworkers = " + workers + "\n");
    }

    private Config load(Path explicit, Map<String, String> env) {
        return Config.load(explicit, env, work, home);
    }

    @Test
    void explicitPathWinsOverEverything() throws IOException {
        Path explicit = write(tmp.resolve("chosen.cfg"), "1");
        Path fromEnv = write(tmp.resolve("env.cfg"), "2");
        write(work.resolve("utah.cfg"), "3");
        write(homeConfig, "4");

        Config config = load(explicit, Map.of("ASTRA_CONFIG", fromEnv.toString()));

        assertThat(config.get("core", "workers")).contains("1");
        assertThat(config.source()).contains(explicit);
        assertThat(config.sourceName()).isEqualTo(explicit.toString());
    }

    @Test
    void environmentVariableWinsOverWorkingDirAndHome() throws IOException {
        Path fromEnv = write(tmp.resolve("env.cfg"), "2");
        write(work.resolve("utah.cfg"), "3");
        write(homeConfig, "4");

        Config config = load(null, Map.of("ASTRA_CONFIG", fromEnv.toString()));

        assertThat(config.get("core", "workers")).contains("2");
        assertThat(config.source()).contains(fromEnv);
    }

    @Test
    void workingDirWinsOverHome() throws IOException {
        Path local = write(work.resolve("utah.cfg"), "3");
        write(homeConfig, "4");

        Config config = load(null, Map.of());

        assertThat(config.get("core", "workers")).contains("3");
        assertThat(config.source()).contains(local);
        assertThat(config.sourceName()).isEqualTo("utah.cfg");
    }

    @Test
    void homeIsTheLastPlace() throws IOException {
        write(homeConfig, "4");

        Config config = load(null, Map.of());

        assertThat(config.get("core", "workers")).contains("4");
        assertThat(config.source()).contains(homeConfig);
        assertThat(config.sourceName()).isEqualTo("~/.config/astra/utah.cfg");
    }

    @Test
    void blankEnvironmentVariableCountsAsUnset() throws IOException {
        write(work.resolve("utah.cfg"), "3");

        assertThat(load(null, Map.of("ASTRA_CONFIG", " ")).get("core", "workers")).contains("3");
    }

    @Test
    void nothingFoundIsEmpty() {
        Config config = load(null, Map.of());

        assertThat(config.source()).isEmpty();
        assertThat(config.sections()).isEmpty();
    }

    @Test
    void relativeExplicitPathIsTakenFromTheWorkingDir() throws IOException {
        Path file = write(work.resolve("conf/mine.cfg"), "5");

        Config config = load(Path.of("conf/mine.cfg"), Map.of());

        assertThat(config.get("core", "workers")).contains("5");
        assertThat(config.source()).contains(file);
        assertThat(config.sourceName()).isEqualTo("conf" + java.io.File.separator + "mine.cfg");
    }

    @Test
    void missingExplicitFileIsAnErrorEvenIfOthersExist() throws IOException {
        write(work.resolve("utah.cfg"), "3");

        assertThatThrownBy(() -> load(Path.of("nope.cfg"), Map.of()))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessage("config file nope.cfg does not exist");
    }

    @Test
    void missingEnvironmentFileIsAnError() throws IOException {
        write(work.resolve("utah.cfg"), "3");
        String missing = tmp.resolve("gone.cfg").toString();

        assertThatThrownBy(() -> load(null, Map.of("ASTRA_CONFIG", missing)))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessage("config file " + missing + " (from $ASTRA_CONFIG) does not exist");
    }

    @Test
    void directoryIsNotAConfigFile() throws IOException {
        Files.createDirectories(work.resolve("utah.cfg"));

        assertThatThrownBy(() -> load(null, Map.of()))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessage("config file utah.cfg is a directory");
    }

    @Test
    void nonUtf8FileIsRejected() throws IOException {
        Files.write(work.resolve("utah.cfg"), new byte[] {'[', 'A', ']', '\n', 'x', '=', (byte) 0xff, '\n'});

        assertThatThrownBy(() -> load(null, Map.of()))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessage("config file utah.cfg is not UTF-8 text");
    }

    @Test
    void syntaxErrorsNameTheFileAsFound() throws IOException {
        Files.writeString(work.resolve("utah.cfg"), "[core]\nworkers\n");

        assertThatThrownBy(() -> load(null, Map.of()))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessage("utah.cfg:2: expected 'key = value' or '[section]', got 'workers'");
    }

    @Test
    void loadedFileInterpolatesFromTheGivenEnvironment() throws IOException {
        Files.writeString(work.resolve("utah.cfg"), "[database]\nurl = jdbc:postgresql://${PGHOST}/astra\n",
                StandardCharsets.UTF_8);

        Config config = load(null, Map.of("PGHOST", "db1"));

        assertThat(config.get("database", "url")).contains("jdbc:postgresql://db1/astra");
    }
}
