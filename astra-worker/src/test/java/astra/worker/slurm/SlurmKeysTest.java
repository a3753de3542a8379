package astra.worker.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.config.Config;
import astra.core.config.ConfigKeys.Key;
import astra.core.testing.ExampleConfig;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The keys of {@code [slurm]}: documented in {@code utah.cfg.example}, and checked in a user's config. */
class SlurmKeysTest {

    @Test
    void theExampleDocumentsEverySlurmKeyWithItsDefaultAndNoOther() throws Exception {
        Map<String, String> documented = ExampleConfig.documentedKeys(Files.readString(ExampleConfig.find()))
                .getOrDefault(SlurmKeys.SECTION, Map.of());

        for (Key key : SlurmKeys.ALL) {
            assertThat(documented).as("[slurm] %s in utah.cfg.example", key.name())
                    .containsEntry(key.name(), key.defaultValue());
        }
        assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(
                SlurmKeys.ALL.stream().map(Key::name).toList());
    }

    @Test
    void anUnknownKeyInSlurmIsAWarningWithTheClosestKnownOnce() {
        Config config = Config.parse("[slurm]\nslurm_node = 2\nslurm_ppn = 4\n", "utah.cfg", Map.of());

        assertThat(config.warnings()).as("core knows nothing of [slurm]").isEmpty();
        assertThat(config.withKeys(SlurmKeys.ALL).warnings()).singleElement().asString()
                .startsWith("utah.cfg [slurm]: unknown key 'slurm_node' (did you mean 'slurm_nodes'");
    }

    @Test
    void theDefaultsAreWhatTheOptionsUseWhenNothingIsConfigured() {
        Config config = Config.parse("[core]\nexecutor = slurm\n", "utah.cfg", Map.of());

        SlurmOptions options = SlurmOptions.from(config, null);

        assertThat(options.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.sbatchOptions()).isEmpty();
    }
}
