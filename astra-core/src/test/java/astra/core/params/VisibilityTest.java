package astra.core.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import astra.core.Param;
import astra.core.Task;
import astra.core.Tasks;
import astra.core.Visibility;
import astra.core.params.TestTasks.NoRun;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code @Param(visibility = ...)}: who may set a parameter, and what the task id shows of it. */
class VisibilityTest {

    /** The version sits between two public parameters, so the summary must skip it, not stop at it. */
    record Versioned(
            @Param int mjd,
            @Param(visibility = Visibility.HIDDEN, defaultValue = "1.0") String pipelineVersion,
            @Param(visibility = Visibility.PRIVATE, defaultValue = "none") String calibration,
            @Param(defaultValue = "dr17") String release) implements NoRun {}

    /** A private parameter with no default: only a requires() can build it. */
    record NeedsCode(@Param int mjd, @Param(visibility = Visibility.PRIVATE) String secret) implements NoRun {}

    record OnlyHidden(@Param(visibility = Visibility.HIDDEN, defaultValue = "1.0") String pipelineVersion) implements NoRun {}

    /** What a parent's requires() does: gives its child a private value the command line cannot. */
    record Parent(@Param int mjd) implements NoRun {
        @Override
        public List<Versioned> requires() {
            return List.of(new Versioned(mjd, "1.0", "flat-" + mjd, "dr17"));
        }
    }

    private static final TaskSchema SCHEMA = TaskSchema.of(Versioned.class);

    @Test
    void visibilityIsPublicUnlessGiven() {
        assertThat(SCHEMA.params()).extracting(ParamSpec::visibility)
                .containsExactly(Visibility.PUBLIC, Visibility.HIDDEN, Visibility.PRIVATE, Visibility.PUBLIC);
        assertThat(TaskSchema.of(TestTasks.Everything.class).params()).extracting(ParamSpec::visibility)
                .containsOnly(Visibility.PUBLIC);
    }

    @Test
    void hiddenAndPrivateValuesChangeTheHashButNotTheReadablePrefix() throws Exception {
        String v1 = Tasks.id(new Versioned(59000, "1.0", "none", "dr17"));
        String v2 = Tasks.id(new Versioned(59000, "2.0", "none", "dr17"));
        String otherCalibration = Tasks.id(new Versioned(59000, "1.0", "flat", "dr17"));

        assertThat(List.of(v1, v2, otherCalibration)).allMatch(id -> id.matches("Versioned_59000_dr17_[0-9a-f]{10}"));
        assertThat(v1).isNotEqualTo(v2).isNotEqualTo(otherCalibration);
        assertThat(v2).isNotEqualTo(otherCalibration);

        String identity = "{\"family\":\"Versioned\",\"params\":{\"calibration\":\"none\",\"mjd\":59000,"
                + "\"pipelineVersion\":\"1.0\",\"release\":\"dr17\"}}";
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
        assertThat(v1).isEqualTo("Versioned_59000_dr17_" + HexFormat.of().formatHex(digest).substring(0, 10));
    }

    @Test
    void aTaskWithOnlyHiddenParametersHasAnEmptySummary() {
        String one = Tasks.id(new OnlyHidden("1.0"));
        assertThat(one).matches("OnlyHidden__[0-9a-f]{10}");
        assertThat(Tasks.id(new OnlyHidden("1.1"))).isNotEqualTo(one);
    }

    @Test
    void hiddenIsSetFromTheCommandLineOrConfigLikeAPublicParameter() {
        assertThat(SCHEMA.build(Map.of("mjd", "1"), Map.of())).isEqualTo(new Versioned(1, "1.0", "none", "dr17"));
        assertThat(SCHEMA.build(Map.of("mjd", "1", "pipeline-version", "2.0"), Map.of("pipeline_version", "3.0")))
                .isEqualTo(new Versioned(1, "2.0", "none", "dr17"));
        assertThat(SCHEMA.build(Map.of("mjd", "1"), Map.of("pipeline_version", "3.0")))
                .isEqualTo(new Versioned(1, "3.0", "none", "dr17"));
    }

    @Test
    void privateIsRefusedOnTheCommandLineAndIgnoredInConfig() {
        assertThatThrownBy(() -> SCHEMA.build(Map.of("mjd", "1", "calibration", "flat"), Map.of()))
                .isExactlyInstanceOf(AstraException.BadInput.class)
                .hasMessage("parameter --calibration of Versioned is private: only the tasks that require Versioned"
                        + " set it, not the command line");
        assertThat(SCHEMA.build(Map.of("mjd", "1"), Map.of("calibration", "flat")))
                .isEqualTo(new Versioned(1, "1.0", "none", "dr17"));
    }

    @Test
    void aRequiredPrivateParameterCannotBeBuiltFromTheCommandLine() {
        assertThatThrownBy(() -> TaskSchema.of(NeedsCode.class).build(Map.of("mjd", "1"), Map.of("secret", "x")))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("missing required parameter secret (String, private: only code sets it) of NeedsCode");
    }

    @Test
    void suggestionsOfferHiddenButNeverPrivateAndListOnlyPublic() {
        assertThatThrownBy(() -> SCHEMA.build(Map.of("pipeline-versoin", "2.0"), Map.of()))
                .hasMessage("unknown parameter --pipeline-versoin for Versioned; did you mean --pipeline-version?");
        assertThatThrownBy(() -> SCHEMA.build(Map.of("calibratoin", "x"), Map.of()))
                .hasMessage("unknown parameter --calibratoin for Versioned; its parameters are --mjd, --release");
        assertThatThrownBy(() -> TaskSchema.of(OnlyHidden.class).build(Map.of("x", "1"), Map.of()))
                .hasMessage("unknown parameter --x for OnlyHidden; it has no public parameters");
        // JSON comes from code, which knows every parameter.
        assertThatThrownBy(() -> SCHEMA.fromJson("{\"mjd\":1,\"calibratoin\":\"x\"}"))
                .hasMessage("unknown parameter 'calibratoin' in the JSON parameters of Versioned; did you mean calibration?");
    }

    @Test
    void aPrivateValueFromRequiresSurvivesTheParamsJsonSoAWorkerRebuildsTheSameTask() {
        Versioned child = new Parent(59000).requires().get(0);
        String json = SCHEMA.paramsJson(child);
        assertThat(json).isEqualTo("{\"calibration\":\"flat-59000\",\"mjd\":59000,\"pipelineVersion\":\"1.0\",\"release\":\"dr17\"}");

        Task rebuilt = SCHEMA.fromJson(json);
        assertThat(rebuilt).isEqualTo(child);
        assertThat(Tasks.id(rebuilt)).isEqualTo(Tasks.id(child));
        assertThat(Tasks.id(child)).isNotEqualTo(Tasks.id(new Versioned(59000, "1.0", "none", "dr17")));

        NeedsCode needs = new NeedsCode(3, "s3cr3t-path");
        assertThat(TaskSchema.of(NeedsCode.class).fromJson(TaskSchema.of(NeedsCode.class).paramsJson(needs))).isEqualTo(needs);
    }
}
