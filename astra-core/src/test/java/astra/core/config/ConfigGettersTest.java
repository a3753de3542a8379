package astra.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigGettersTest {

    private static Config one(String section, String key, String value) {
        return Config.parse("[" + section + "]\n" + key + " = " + value + "\n", "utah.cfg", Map.of());
    }

    @Test
    void absentKeysGiveTheDefault() {
        Config config = one("core", "log_level", "INFO");

        assertThat(config.get("core", "workers", "7")).isEqualTo("7");
        assertThat(config.getInt("core", "workers", 7)).isEqualTo(7);
        assertThat(config.getBoolean("core", "parallel_scheduling", true)).isTrue();
        assertThat(config.getDuration("database", "connect_timeout", Duration.ofSeconds(3)))
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(config.get("core", "log_level", "WARN")).isEqualTo("INFO");
    }

    @Test
    void getterKeysAreCaseInsensitive() {
        assertThat(one("core", "workers", "8").getInt("core", "Workers", 1)).isEqualTo(8);
    }

    @ParameterizedTest
    @CsvSource({"8, 8", "-3, -3", "+2, 2", "0, 0"})
    void readsIntegers(String text, int expected) {
        assertThat(one("core", "workers", text).getInt("core", "workers", 1)).isEqualTo(expected);
    }

    @Test
    void nonIntegerNamesFileSectionKeyAndValue() {
        Config config = one("core", "workers", "many");

        assertThatThrownBy(() -> config.getInt("core", "WORKERS", 1))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessage("utah.cfg [core] workers: 'many' is not an integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "99999999999", "4  # four"})
    void otherNonIntegersAreRejected(String text) {
        Config config = one("core", "workers", text);

        assertThatThrownBy(() -> config.getInt("core", "workers", 1))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessageContaining("is not an integer");
    }

    @Test
    void emptyValueIsNotAnInteger() {
        assertThatThrownBy(() -> one("core", "workers", "").getInt("core", "workers", 1))
                .hasMessage("utah.cfg [core] workers: '' is not an integer");
    }

    @ParameterizedTest
    @CsvSource({"true, true", "TRUE, true", "yes, true", "On, true", "1, true",
        "false, false", "No, false", "off, false", "0, false"})
    void readsBooleansLikeConfigparser(String text, boolean expected) {
        Config config = one("core", "parallel_scheduling", text);

        assertThat(config.getBoolean("core", "parallel_scheduling", !expected)).isEqualTo(expected);
    }

    @Test
    void nonBooleanIsRejected() {
        Config config = one("core", "parallel_scheduling", "maybe");

        assertThatThrownBy(() -> config.getBoolean("core", "parallel_scheduling", false))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessage("utah.cfg [core] parallel_scheduling: 'maybe' is not a boolean"
                        + " (use true/false, yes/no, on/off or 1/0)");
    }

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S", "30s, PT30S", "5m, PT5M", "2h, PT2H", "1d, PT24H", "1m30s, PT1M30S",
        "45, PT45S", "PT10S, PT10S", "pt1m, PT1M", "30S, PT30S", "0s, PT0S"})
    void readsDurations(String text, String expected) {
        Config config = one("database", "connect_timeout", text);

        assertThat(config.getDuration("database", "connect_timeout", Duration.ZERO))
                .isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10x", "s", "-5s", "PT-5S", "1.5s", "5 m s", "P", "ten seconds"})
    void badDurationsAreRejected(String text) {
        Config config = one("database", "connect_timeout", text);

        assertThatThrownBy(() -> config.getDuration("database", "connect_timeout", Duration.ZERO))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessage("utah.cfg [database] connect_timeout: '" + text
                        + "' is not a duration (use e.g. 500ms, 30s, 5m, 2h, 1m30s or PT30S)");
    }

    @Test
    void typedGettersOnEmptyConfigGiveDefaults() {
        Config config = Config.empty();

        assertThat(config.getInt("core", "workers", 3)).isEqualTo(3);
        assertThat(config.getBoolean("database", "use_pooling", true)).isTrue();
        assertThat(config.getDuration("database", "connect_timeout", Duration.ofSeconds(10)))
                .isEqualTo(Duration.ofSeconds(10));
    }
}
