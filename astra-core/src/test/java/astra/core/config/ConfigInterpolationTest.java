package astra.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigInterpolationTest {

    private static final Map<String, String> ENV = Map.of("PGHOST", "db.example.org", "SAS", "/data/sas");

    private static Config parse(String text) {
        return Config.parse(text, "utah.cfg", ENV);
    }

    private static void assertBad(String text, String message) {
        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(AstraException.BadConfig.class)
                .hasMessage(message);
    }

    @Test
    void expandsEnvironmentVariablesFromTheGivenMap() {
        Config config = parse("""
                [database]
                url = jdbc:postgresql://${PGHOST}:5432/astra
                [Fit]
                root = ${ SAS }/spectra/${SAS}
                """);

        assertThat(config.get("database", "url")).contains("jdbc:postgresql://db.example.org:5432/astra");
        assertThat(config.get("Fit", "root")).contains("/data/sas/spectra//data/sas");
    }

    @Test
    void missingVariableNamesFileLineKeyAndVariable() {
        assertBad("[database]\nuser = me\nurl = ${NOPE}/x\n",
                "utah.cfg:3: [database] url: environment variable 'NOPE' is not set");
    }

    @Test
    void unterminatedVariableIsRejected() {
        assertBad("[Fit]\nroot = ${SAS/x\n",
                "utah.cfg:2: [Fit] root: unterminated '${' (write ${VAR}, or $$ for a literal $)");
    }

    @Test
    void emptyVariableNameIsRejected() {
        assertBad("[Fit]\nroot = ${}\n", "utah.cfg:2: [Fit] root: empty variable name in '${}'");
    }

    @Test
    void referencesExpandFromTheSameSection() {
        Config config = parse("""
                [Fit]
                root = ${SAS}
                spectra = %(root)s/spectra
                out = %(SPECTRA)s/out
                """);

        assertThat(config.get("Fit", "spectra")).contains("/data/sas/spectra");
        assertThat(config.get("Fit", "out")).contains("/data/sas/spectra/out");
    }

    @Test
    void referenceMayPointForward() {
        Config config = parse("[Fit]\nout = %(root)s/out\nroot = /r\n");

        assertThat(config.get("Fit", "out")).contains("/r/out");
    }

    @Test
    void referencesFallBackToDefaultButDefaultIsNotInherited() {
        Config config = parse("""
                [DEFAULT]
                release = dr17
                root = /data/%(release)s
                [Fit]
                release = dr19
                path = %(root)s/fit
                [Reduce]
                path = %(root)s/reduce
                """);

        // As in configparser, a [DEFAULT] value resolves its references in the asking section.
        assertThat(config.get("Fit", "path")).contains("/data/dr19/fit");
        assertThat(config.get("Reduce", "path")).contains("/data/dr17/reduce");
        assertThat(config.get("Reduce", "release")).isEmpty();
        assertThat(config.section("Reduce")).containsOnlyKeys("path");
        assertThat(config.sections()).containsExactly("Fit", "Reduce");
        assertThat(config.get(Config.DEFAULT_SECTION, "root")).isEmpty();
        assertThat(config.section(Config.DEFAULT_SECTION)).isEmpty();
    }

    @Test
    void referencesDoNotReachOtherSections() {
        assertBad("[A]\nx = 1\n[B]\ny = %(x)s\n",
                "utah.cfg:4: [B] y: %(x)s names no key 'x' in [B] or [DEFAULT]");
    }

    @Test
    void defaultIsATemplateFilledInByTheSectionUsingIt() {
        Config config = parse("""
                [DEFAULT]
                out = /data/%(run)s/${SAS}
                unused = %(nowhere)s ${UNSET}
                [A]
                run = a
                path = %(out)s
                """);

        assertThat(config.get("A", "path")).contains("/data/a//data/sas");
    }

    @Test
    void badDefaultValueIsReportedAtItsLineWhenUsed() {
        assertBad("[DEFAULT]\ny = %(x)s\n[A]\nz = %(y)s\n",
                "utah.cfg:2: [DEFAULT] y: %(x)s names no key 'x' in [A] or [DEFAULT]");
        assertBad("[DEFAULT]\ny = ${UNSET}\n[A]\nz = %(y)s\n",
                "utah.cfg:2: [DEFAULT] y: environment variable 'UNSET' is not set");
    }

    @Test
    void malformedReferenceIsRejected() {
        assertBad("[A]\nx = 1\ny = %(x)d\n",
                "utah.cfg:3: [A] y: malformed reference in '%(x)d' (write %(key)s, or %% for a literal %)");
        assertBad("[A]\ny = %(x\n",
                "utah.cfg:2: [A] y: malformed reference in '%(x' (write %(key)s, or %% for a literal %)");
    }

    @Test
    void selfReferenceIsALoop() {
        assertBad("[A]\nx = %(x)s\n", "utah.cfg:2: [A] x: interpolation loop x -> x");
    }

    @Test
    void longerLoopShowsTheChain() {
        assertBad("[A]\na = %(b)s\nb = %(c)s\nc = %(a)s\n",
                "utah.cfg:4: [A] c: interpolation loop a -> b -> c -> a");
    }

    @Test
    void loopThroughDefaultIsDetected() {
        assertBad("[DEFAULT]\nd = %(a)s\n[A]\na = %(d)s\n",
                "utah.cfg:2: [DEFAULT] d: interpolation loop a -> d -> a");
    }

    @Test
    void escapesAndLoneSignsAreLiteral() {
        Config config = parse("""
                [A]
                price = $$5 and 50%% off
                plain = 100% $HOME $ %
                """);

        assertThat(config.get("A", "price")).contains("$5 and 50% off");
        assertThat(config.get("A", "plain")).contains("100% $HOME $ %");
    }

    @Test
    void escapedMarkersAreNotExpanded() {
        Config config = parse("[A]\nx = $${SAS} %%(y)s\n");

        assertThat(config.get("A", "x")).contains("${SAS} %(y)s");
    }

    @Test
    void expandedTextIsNotExpandedAgain() {
        Config config = Config.parse("[A]\nx = ${V}\n", "utah.cfg", Map.of("V", "%(x)s ${V}"));

        assertThat(config.get("A", "x")).contains("%(x)s ${V}");
    }
}
