package astra.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import astra.core.AstraException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSyntaxTest {

    private static Config parse(String text) {
        return Config.parse(text, "utah.cfg", Map.of());
    }

    private static void assertBad(String text, String message) {
        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessage(message);
    }

    @Test
    void readsSectionsAndBothDelimiters() {
        Config config = parse("""
                [core]
                workers = 4
                log_level: INFO

                [ReduceSpectrum]
                release=dr17
                """);

        assertThat(config.sections()).containsExactly("core", "ReduceSpectrum");
        assertThat(config.section("core")).containsExactly(entry("workers", "4"), entry("log_level", "INFO"));
        assertThat(config.get("ReduceSpectrum", "release")).contains("dr17");
        assertThat(config.source()).isEmpty();
        assertThat(config.sourceName()).isEqualTo("utah.cfg");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void splitsAtTheFirstDelimiterOfEitherKind() {
        Config config = parse("""
                [database]
                url = jdbc:postgresql://host:5432/astra
                [Fit]
                ratio: a=b
                """);

        assertThat(config.get("database", "url")).contains("jdbc:postgresql://host:5432/astra");
        assertThat(config.get("Fit", "ratio")).contains("a=b");
    }

    @Test
    void skipsCommentsAndBlankLinesAndKeepsInlineHashes() {
        Config config = parse("""
                # a comment
                ; another
                [core]
                   # an indented comment

                workers = 4  # not a comment
                """);

        assertThat(config.section("core")).containsExactly(entry("workers", "4  # not a comment"));
    }

    @Test
    void keysAreTrimmedAndLowerCasedSectionsAreCaseSensitive() {
        Config config = parse("""
                [Core]
                  WORKERS   =   4\s\s
                [core]
                Log_Level = INFO
                """);

        assertThat(config.sections()).containsExactly("Core", "core");
        assertThat(config.section("Core")).containsExactly(entry("workers", "4"));
        assertThat(config.get("core", "LOG_LEVEL")).contains("INFO");
        assertThat(config.get("CORE", "log_level")).isEmpty();
    }

    @Test
    void indentedLinesContinueTheValueAbove() {
        Config config = parse("""
                [Fit]
                bands = g
                    r
                  \ti
                after = x
                empty_first =
                  one
                  two
                """);

        assertThat(config.get("Fit", "bands")).contains("g\nr\ni");
        assertThat(config.get("Fit", "after")).contains("x");
        assertThat(config.get("Fit", "empty_first")).contains("one\ntwo");
    }

    @Test
    void blankLineEndsAContinuationSoAnIndentedKeyAfterItIsAKey() {
        Config config = parse("""
                [core]
                workers = 4

                  log_level = INFO
                  parallel_scheduling = true
                """);

        assertThat(config.section("core")).containsOnlyKeys("workers", "log_level", "parallel_scheduling");
        assertThat(config.get("core", "log_level")).contains("INFO");
    }

    @Test
    void commentDoesNotEndAContinuation() {
        Config config = parse("[Fit]\nbands = g\n# between\n  r\n");

        assertThat(config.get("Fit", "bands")).contains("g\nr");
    }

    @Test
    void emptyValueIsPresentAndEmptySectionIsListed() {
        Config config = parse("[database]\nurl =\n[worker]\n");

        assertThat(config.get("database", "url")).contains("");
        assertThat(config.get("database", "url", "fallback")).isEmpty();
        assertThat(config.sections()).containsExactly("database", "worker");
        assertThat(config.section("worker")).isEmpty();
    }

    @Test
    void acceptsCrlfAndByteOrderMark() {
        Config config = parse("\uFEFF[core]\r\nworkers = 4\r\nlog_level = INFO\r\n");

        assertThat(config.section("core")).containsExactly(entry("workers", "4"), entry("log_level", "INFO"));
    }

    @Test
    void headerNameIsTrimmed() {
        assertThat(parse("[ core ]\nworkers = 2").get("core", "workers")).contains("2");
    }

    @Test
    void emptyTextIsAnEmptyConfig() {
        Config config = parse("");

        assertThat(config.sections()).isEmpty();
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void lineThatIsNeitherKeyNorSectionNamesFileAndLine() {
        assertBad("[core]\nworkers = 1\nfoo\n",
                "utah.cfg:3: expected 'key = value' or '[section]', got 'foo'");
    }

    @Test
    void unclosedHeaderIsRejected() {
        assertBad("# c\n[core\nworkers = 1\n",
                "utah.cfg:2: expected 'key = value' or '[section]', got '[core'");
    }

    @Test
    void headerWithTrailingTextIsRejected() {
        assertBad("[core] workers = 1\n",
                "utah.cfg:1: expected 'key = value' or '[section]', got '[core] workers = 1'");
    }

    @Test
    void emptySectionNameIsRejected() {
        assertBad("\n[ ]\n", "utah.cfg:2: empty section name '[]'");
    }

    @Test
    void missingKeyIsRejected() {
        assertBad("[core]\n= 4\n", "utah.cfg:2: missing key before '=' in '= 4'");
    }

    @Test
    void keyOutsideAnySectionIsRejected() {
        assertBad("# top\nworkers = 4\n[core]\n",
                "utah.cfg:2: key 'workers' is outside any section (put a [section] header above it)");
    }

    @Test
    void duplicateSectionIsRejected() {
        assertBad("[core]\nworkers = 1\n\n[core]\n",
                "utah.cfg:4: duplicate section [core] (first at line 1)");
    }

    @Test
    void duplicateKeyIsRejectedWhateverItsCase() {
        assertBad("[core]\nworkers = 1\nlog_level = INFO\nWorkers: 2\n",
                "utah.cfg:4: duplicate key 'workers' in [core] (first at line 2)");
    }

    @Test
    void sameKeyInTwoSectionsIsFine() {
        Config config = parse("[A]\nx = 1\n[B]\nx = 2\n");

        assertThat(config.get("A", "x")).contains("1");
        assertThat(config.get("B", "x")).contains("2");
    }

    @Test
    void valuesAndSectionsCannotBeModified() {
        Config config = parse("[core]\nworkers = 1\n");

        assertThatThrownBy(() -> config.section("core").put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.sections().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.warnings().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toStringShowsNoValues() {
        Config config = parse("[database]\nuser = secret_user\n");

        assertThat(config.toString()).contains("utah.cfg", "database").doesNotContain("secret_user");
    }

    @Test
    void emptyConfigHasNothing() {
        Config config = Config.empty();

        assertThat(config.sections()).isEmpty();
        assertThat(config.source()).isEmpty();
        assertThat(config.warnings()).isEmpty();
        assertThat(config.get("core", "workers")).isEmpty();
        assertThat(config.section("core")).isEmpty();
    }
}
