package astra.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigWarningsTest {

    private static Config parse(String text) {
        return Config.parse(text, "utah.cfg", Map.of());
    }

    @Test
    void knownKeysDrawNoWarning() {
        Config config = parse("""
                [core]
                parallel_scheduling = true
                parallel_scheduling_threads = 4
                workers = 2
                log_level = INFO
                [database]
                url =
                user = astra
                pool_size = 2
                use_pooling = false
                connect_timeout = 5s
                [worker]
                [scheduler]
                """);

        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void misspeltKeySuggestsTheKnownOne() {
        Config config = parse("[core]\nparalel_scheduling = true\n");

        assertThat(config.warnings()).containsExactly(
                "utah.cfg [core]: unknown key 'paralel_scheduling' (did you mean 'parallel_scheduling'?)");
        // A warning, not a silent fix: the key is kept as written and the real one stays unset.
        assertThat(config.get("core", "paralel_scheduling")).contains("true");
        assertThat(config.getBoolean("core", "parallel_scheduling", false)).isFalse();
    }

    @Test
    void severalCandidatesAreAllOffered() {
        Config config = parse("[core]\nparallel = true\n");

        assertThat(config.warnings()).containsExactly("utah.cfg [core]: unknown key 'parallel'"
                + " (did you mean 'parallel_scheduling' or 'parallel_scheduling_threads'?)");
    }

    @Test
    void keyInTheWrongSectionHasNoSuggestionFromOtherSections() {
        Config config = parse("[database]\nworkers = 4\n");

        assertThat(config.warnings()).containsExactly("utah.cfg [database]: unknown key 'workers'");
    }

    @Test
    void workerSectionHasNoKeysYet() {
        Config config = parse("[worker]\nlog_dir = /tmp\n");

        assertThat(config.warnings()).containsExactly("utah.cfg [worker]: unknown key 'log_dir'");
    }

    @Test
    void warningsComeInFileOrder() {
        Config config = parse("[database]\npoolsize = 3\n[scheduler]\nretries = 2\n");

        assertThat(config.warnings()).containsExactly(
                "utah.cfg [database]: unknown key 'poolsize' (did you mean 'pool_size'?)",
                "utah.cfg [scheduler]: unknown key 'retries'");
    }

    @Test
    void familySectionsAndDefaultDrawNoWarnings() {
        Config config = parse("""
                [DEFAULT]
                anything = 1
                [ReduceSpectrum]
                release = dr17
                [Core]
                workerz = 2
                """);

        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void aModulesOwnSectionIsCheckedAgainstTheKeysItDeclaresKeepingTheOtherWarnings() {
        Config config = parse("[core]\nwokers = 2\n[gpu]\ndevices = 2\ndevice = 1\n");
        ConfigKeys.Key devices = new ConfigKeys.Key("gpu", "devices", "1", "GPUs per worker.");

        assertThat(config.warnings()).containsExactly("utah.cfg [core]: unknown key 'wokers' (did you mean 'workers'?)");
        assertThat(config.withKeys(List.of(devices)).warnings()).containsExactly(
                "utah.cfg [core]: unknown key 'wokers' (did you mean 'workers'?)",
                "utah.cfg [gpu]: unknown key 'device' (did you mean 'devices'?)");
        assertThat(config.withKeys(List.of(devices)).getInt(devices)).isEqualTo(2);
    }
}
