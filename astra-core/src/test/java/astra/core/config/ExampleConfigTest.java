package astra.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import astra.core.testing.ExampleConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps {@code utah.cfg.example} at the project root in step with {@link ConfigKeys}. */
class ExampleConfigTest {

    private static final Pattern DOCUMENTED_KEY = ExampleConfig.DOCUMENTED_KEY;

    private static String text;

    @BeforeAll
    static void read() throws IOException {
        text = Files.readString(ExampleConfig.find());
    }

    @Test
    void parsesWithoutWarningsAndHasEveryKnownSection() {
        Config config = Config.parse(text, "utah.cfg.example", Map.of());

        assertThat(config.warnings()).isEmpty();
        assertThat(config.sections()).containsAll(ConfigKeys.knownSections());
    }

    @Test
    void documentsEveryKnownKeyWithItsDefaultInItsSection() {
        Map<String, Map<String, String>> documented = documentedKeys();

        for (ConfigKeys.Key key : ConfigKeys.all()) {
            assertThat(documented.getOrDefault(key.section(), Map.of()))
                    .as("[%s] %s in utah.cfg.example", key.section(), key.name())
                    .containsEntry(key.name(), key.defaultValue());
        }
    }

    @Test
    void documentsNoKeyThatAstraDoesNotRead() {
        documentedKeys().forEach((section, keys) -> {
            if (ConfigKeys.isKnownSection(section)) {
                assertThat(keys.keySet())
                        .as("documented keys of [%s]", section)
                        .allSatisfy(name -> assertThat(ConfigKeys.find(section, name)).isPresent());
            }
        });
    }

    @Test
    void uncommentedKnownKeysParseToTheirDefaults() {
        String uncommented = text.lines()
                .map(line -> {
                    Matcher m = DOCUMENTED_KEY.matcher(line.strip());
                    boolean known = m.matches() && ConfigKeys.all().stream().anyMatch(k -> k.name().equals(m.group(1)));
                    return known && !m.group(2).startsWith("<") ? line.strip().substring(1) : line;
                })
                .reduce("", (a, b) -> a + b + "\n");

        Config config = Config.parse(uncommented, "utah.cfg.example", Map.of());

        assertThat(config.warnings()).isEmpty();
        assertThat(config.getBoolean("core", "parallel_scheduling", true)).isFalse();
        assertThat(config.getInt("core", "workers", 0)).isEqualTo(1);
        assertThat(config.getInt("database", "pool_size", 0)).isEqualTo(4);
        assertThat(config.getBoolean("database", "use_pooling", false)).isTrue();
        assertThat(config.getDuration("database", "connect_timeout", null)).hasSeconds(10);
        assertThat(config.get("database", "url")).contains("");
    }

    @Test
    void describesEveryProfileKey() {
        assertThat(text).contains("\"database.profile NAME\"");
        for (ConfigKeys.Key key : ConfigKeys.profileKeys()) {
            assertThat(text).as("profile key %s", key.name()).containsPattern("(?m)^#\\s+(.*, )?" + key.name() + "\\b");
        }
    }

    @Test
    void leavesAMarkedPlaceForFamilySectionsAtTheEnd() {
        assertThat(text).contains("[ReduceSpectrum]", "release = dr17", "---- Task family sections");
    }

    private static Map<String, Map<String, String>> documentedKeys() {
        return ExampleConfig.documentedKeys(text);
    }
}
