package astra.core.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import astra.core.AstraException;
import astra.core.params.TestTasks.Band;
import astra.core.params.TestTasks.Everything;
import astra.core.params.TestTasks.Window;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ParamSpecTest {

    private static ParamSpec spec(String name) {
        return TaskSchema.of(Everything.class).param(name).orElseThrow();
    }

    static Stream<Arguments> goodValues() {
        return Stream.of(
                arguments("mjd", "59000", 59000, "59000"),
                arguments("mjd", " -3 ", -3, "-3"),
                arguments("mjd", "+5", 5, "5"),
                arguments("big", "12345678901", 12345678901L, "12345678901"),
                arguments("snr", "1.50", 1.5, "1.5"),
                arguments("snr", "1e-3", 0.001, "0.001"),
                arguments("snr", "2", 2.0, "2.0"),
                arguments("snr", "NaN", Double.NaN, "NaN"),
                arguments("flag", "YES", true, "true"),
                arguments("flag", "off", false, "false"),
                arguments("flag", "True", true, "true"),
                arguments("name", " a, b ", " a, b ", " a, b "),
                arguments("name", "", "", ""),
                arguments("night", "2024-01-31", LocalDate.of(2024, 1, 31), "2024-01-31"),
                arguments("at", "2024-01-31T14:00:00+02:00", Instant.parse("2024-01-31T12:00:00Z"), "2024-01-31T12:00:00Z"),
                arguments("at", "2024-01-31T12:00:00.500Z", Instant.parse("2024-01-31T12:00:00.5Z"), "2024-01-31T12:00:00.500Z"),
                arguments("timeout", "1h30m", Duration.ofMinutes(90), "PT1H30M"),
                arguments("timeout", "90s", Duration.ofSeconds(90), "PT1M30S"),
                arguments("timeout", "5m", Duration.ofMinutes(5), "PT5M"),
                arguments("timeout", "2d", Duration.ofDays(2), "PT48H"),
                arguments("timeout", "1m30s500ms", Duration.ofMillis(90_500), "PT1M30.5S"),
                arguments("timeout", "250ms", Duration.ofMillis(250), "PT0.25S"),
                arguments("timeout", "pt1h", Duration.ofHours(1), "PT1H"),
                arguments("timeout", "P1DT2H", Duration.ofHours(26), "PT26H"),
                arguments("dir", "out/spectra/", Path.of("out", "spectra"), "out/spectra"),
                arguments("band", "i", Band.I, "I"),
                arguments("band", " G ", Band.G, "G"),
                arguments("tags", "g, r ,i", List.of("g", "r", "i"), "g,r,i"),
                arguments("tags", "[\"a,b\",\"c\"]", List.of("a,b", "c"), "[\"a,b\",\"c\"]"),
                arguments("tags", "", List.of(), ""),
                arguments("tags", "[\"\"]", List.of(""), "[\"\"]"),
                arguments("tags", "[\" x\"]", List.of(" x"), "[\" x\"]"),
                arguments("tags", "[\"[x\",\"y\"]", List.of("[x", "y"), "[\"[x\",\"y\"]"),
                arguments("bands", "[\"G\",\"i\"]", List.of(Band.G, Band.I), "G,I"),
                arguments("counts", "[1, 2]", List.of(1, 2), "1,2"),
                arguments("window", "{\"hi\":2.0,\"lo\":1}", new Window(1, 2), "{\"hi\":2.0,\"lo\":1.0}"),
                arguments("boxedInt", "7", 7, "7"),
                arguments("weights", "{\"b\":2,\"a\":1}", Map.of("a", 1, "b", 2), "{\"a\":1,\"b\":2}"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("goodValues")
    void parsesToTheValueAndFormatsCanonically(String param, String input, Object expected, String canonical) {
        ParamSpec spec = spec(param);
        Object value = spec.parse(input);
        assertThat(value).isEqualTo(expected);
        assertThat(spec.format(value)).isEqualTo(canonical);
        assertThat(spec.parse(canonical)).isEqualTo(expected);
        assertThat(spec.format(spec.parse(canonical))).isEqualTo(canonical);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                arguments("mjd", "abc", "parameter --mjd: 'abc' is not an int"),
                arguments("mjd", "3000000000", "parameter --mjd: '3000000000' is not an int"),
                arguments("mjd", "1.5", "parameter --mjd: '1.5' is not an int"),
                arguments("big", "x", "parameter --big: 'x' is not a long"),
                arguments("snr", "abc", "parameter --snr: 'abc' is not a double"),
                arguments("flag", "maybe", "parameter --flag: 'maybe' is not a boolean (true or false)"),
                arguments("night", "2024-13-01", "parameter --night: '2024-13-01' is not a date (yyyy-mm-dd)"),
                arguments("at", "yesterday",
                        "parameter --at: 'yesterday' is not an instant (ISO-8601, such as 2024-01-31T12:00:00Z)"),
                arguments("timeout", "5x", "parameter --timeout: '5x' is not a duration (such as PT1H30M, 90s, 1h30m, 2d)"),
                arguments("timeout", "90", "parameter --timeout: '90' is not a duration (such as PT1H30M, 90s, 1h30m, 2d)"),
                arguments("timeout", "30m1h", "parameter --timeout: '30m1h' is not a duration (such as PT1H30M, 90s, 1h30m, 2d)"),
                arguments("timeout", "", "parameter --timeout: '' is not a duration (such as PT1H30M, 90s, 1h30m, 2d)"),
                arguments("dir", "a\u0000b", "parameter --dir: 'a\u0000b' is not a path"),
                arguments("band", "x", "parameter --band: 'x' is not one of G, R, I"),
                arguments("bands", "g,x", "parameter --bands: 'x' is not one of G, R, I"),
                arguments("bands", "[\"G\",3]", "parameter --bands: '3' is not one of G, R, I"),
                arguments("counts", "1,two", "parameter --counts: 'two' is not an int"),
                arguments("counts", "[1,", "parameter --counts: '[1,' is not JSON: "),
                arguments("counts", "{\"a\":1}", "parameter --counts: '{\"a\":1}' is not an int"),
                arguments("boxedInt", "seven", "parameter --boxed-int: 'seven' is not an int"),
                arguments("window", "{\"lo\":\"x\"}", "parameter --window: '{\"lo\":\"x\"}' is not JSON for Window: "),
                arguments("window", "{\"mid\":1}", "parameter --window: '{\"mid\":1}' is not JSON for Window: "),
                arguments("weights", "[1]", "parameter --weights: '[1]' is not JSON for Map<String, Integer>: "));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badValues")
    void rejectsBadValuesNamingTheParameterValueAndType(String param, String input, String message) {
        assertThatThrownBy(() -> spec(param).parse(input))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest
    @CsvSource({
        "mjd, int", "big, long", "snr, double", "flag, boolean", "name, String", "night, LocalDate",
        "at, Instant", "timeout, Duration", "dir, Path", "band, Band (G|R|I)", "tags, List<String>",
        "bands, List<Band> (G|R|I)", "counts, List<Integer>", "window, Window", "boxedInt, int",
        "weights, 'Map<String, Integer>'"
    })
    void typeNamesForHelp(String param, String typeName) {
        assertThat(spec(param).typeName()).isEqualTo(typeName);
    }

    @ParameterizedTest
    @CsvSource({
        "minSnr, min-snr, min_snr", "maxSNR, max-snr, max_snr", "HTTPServer, http-server, http_server",
        "min_snr, min-snr, min_snr", "band2, band2, band2", "boxedInt, boxed-int, boxed_int", "mjd, mjd, mjd"
    })
    void namesInKebabAndSnakeCase(String javaName, String kebab, String snake) {
        assertThat(Names.kebab(javaName)).isEqualTo(kebab);
        assertThat(Names.snake(javaName)).isEqualTo(snake);
    }

    @Test
    void namesDescriptionSignificanceAndDefault() {
        ParamSpec boxed = spec("boxed_int");
        assertThat(boxed.name()).isEqualTo("boxedInt");
        assertThat(boxed.optionName()).isEqualTo("boxed-int");
        assertThat(boxed.configKey()).isEqualTo("boxed_int");
        assertThat(boxed.description()).isEmpty();
        assertThat(boxed.significant()).isTrue();
        assertThat(boxed.defaultValue()).isEmpty();
        assertThat(spec("--mjd").description()).isEqualTo("MJD of the plate");

        ParamSpec threads = TaskSchema.of(TestTasks.Reduce.class).param("threads").orElseThrow();
        assertThat(threads.significant()).isFalse();
        assertThat(threads.defaultValue()).contains("4");
        assertThat(threads.type()).isEqualTo(int.class);
    }

    @Test
    void formatRejectsNullAndValuesOfTheWrongType() {
        assertThatThrownBy(() -> spec("mjd").format(null))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("parameter --mjd is null; a task parameter needs a value");
        assertThatThrownBy(() -> spec("mjd").format("59000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--mjd");
    }

    @Test
    void nonFiniteDoublesSurviveJson() {
        ParamSpec snr = spec("snr");
        for (double d : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThat(snr.fromJson(snr.toJson(d), "snr")).isEqualTo(d);
        }
    }
}
