package astra.core.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import astra.core.AstraException;
import astra.core.Param;
import astra.core.Task;
import astra.core.TaskName;
import astra.core.Tasks;
import astra.core.params.TestTasks.Band;
import astra.core.params.TestTasks.Everything;
import astra.core.params.TestTasks.EverythingClass;
import astra.core.params.TestTasks.NoParams;
import astra.core.params.TestTasks.NoRun;
import astra.core.params.TestTasks.Reduce;
import astra.core.params.TestTasks.Renamed;
import astra.core.params.TestTasks.Window;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskSchemaTest {

    private static final String EVERYTHING_JSON = "{\"at\":\"2024-01-31T12:00:00Z\",\"band\":\"I\",\"bands\":[\"G\",\"I\"],"
            + "\"big\":12345678901,\"boxedInt\":7,\"counts\":[1,2,3],\"dir\":\"out/spectra\",\"flag\":true,"
            + "\"mjd\":59000,\"name\":\" Ångström, Bob \",\"night\":\"2024-01-31\",\"snr\":1.5,\"tags\":[\"g\",\"r\",\"i\"],"
            + "\"timeout\":\"PT1H30M\",\"weights\":{\"a\":1,\"b\":2},\"window\":{\"hi\":2.0,\"lo\":1.0}}";

    private static Map<String, Object> expectedEverything() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("mjd", 59000);
        v.put("big", 12345678901L);
        v.put("snr", 1.5);
        v.put("flag", true);
        v.put("name", " Ångström, Bob ");
        v.put("night", LocalDate.of(2024, 1, 31));
        v.put("at", Instant.parse("2024-01-31T12:00:00Z"));
        v.put("timeout", Duration.ofMinutes(90));
        v.put("dir", Path.of("out/spectra"));
        v.put("band", Band.I);
        v.put("tags", List.of("g", "r", "i"));
        v.put("bands", List.of(Band.G, Band.I));
        v.put("counts", List.of(1, 2, 3));
        v.put("window", new Window(1, 2));
        v.put("boxedInt", 7);
        v.put("weights", Map.of("a", 1, "b", 2));
        return v;
    }

    @ParameterizedTest
    @ValueSource(classes = {Everything.class, EverythingClass.class})
    void everyTypeBuildsFromStringsAndRoundTripsThroughJson(Class<? extends Task> type) {
        TaskSchema schema = TaskSchema.of(type);
        Task task = schema.build(TestTasks.everythingCli(), Map.of());

        Map<String, Object> values = schema.values(task);
        assertThat(values).containsExactlyInAnyOrderEntriesOf(expectedEverything());
        assertThat(schema.paramsJson(task)).isEqualTo(EVERYTHING_JSON);

        Task rebuilt = schema.fromJson(schema.paramsJson(task));
        assertThat(rebuilt).isExactlyInstanceOf(type);
        assertThat(schema.values(rebuilt)).isEqualTo(values);
        assertThat(schema.id(rebuilt)).isEqualTo(schema.id(task));

        Map<String, String> canonical = new LinkedHashMap<>();
        for (ParamSpec spec : schema.params()) {
            canonical.put(spec.optionName(), spec.format(values.get(spec.name())));
        }
        assertThat(schema.values(schema.build(canonical, Map.of()))).isEqualTo(values);
    }

    @Test
    void classParametersComeFromTheBaseClassFirstAndOnlyAnnotatedFieldsCount() {
        assertThat(TaskSchema.of(EverythingClass.class).params()).extracting(ParamSpec::name)
                .startsWith("mjd", "big", "snr", "flag")
                .doesNotContain("notAParameter")
                .hasSize(16);
        assertThat(TaskSchema.of(Everything.class).params()).extracting(ParamSpec::name)
                .isEqualTo(TaskSchema.of(EverythingClass.class).params().stream().map(ParamSpec::name).toList());
    }

    @Test
    void recordAndClassWithEqualValuesHaveEqualParamsJsonButTheirOwnFamilies() {
        Task record = TaskSchema.of(Everything.class).build(TestTasks.everythingCli(), Map.of());
        Task object = TaskSchema.of(EverythingClass.class).build(TestTasks.everythingCli(), Map.of());
        assertThat(TaskSchema.of(Everything.class).paramsJson(record))
                .isEqualTo(TaskSchema.of(EverythingClass.class).paramsJson(object));
        assertThat(Tasks.id(record)).startsWith("Everything_59000_12345678901_1_5_");
        assertThat(Tasks.id(object)).startsWith("EverythingClass_59000_12345678901_1_5_");
    }

    @Test
    void defaultsFillWhatIsNotGiven() {
        Task task = TaskSchema.of(Reduce.class).build(Map.of("mjd", "1"), Map.of());
        assertThat(task).isEqualTo(new Reduce(1, "dr17", 4));
    }

    @Test
    void commandLineBeatsConfigBeatsDefault() {
        TaskSchema schema = TaskSchema.of(Reduce.class);
        Map<String, String> config = Map.of("mjd", "2", "release", "dr18", "not_a_param", "ignored");
        assertThat(schema.build(Map.of("mjd", "1"), config)).isEqualTo(new Reduce(1, "dr18", 4));
        assertThat(schema.build(Map.of(), config)).isEqualTo(new Reduce(2, "dr18", 4));
        assertThat(schema.build(Map.of("release", "dr19", "threads", "8"), config)).isEqualTo(new Reduce(2, "dr19", 8));
    }

    @Test
    void missingRequiredParameters() {
        assertThatThrownBy(() -> TaskSchema.of(Reduce.class).build(Map.of(), Map.of()))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("missing required parameter --mjd (int) of Reduce");
        assertThatThrownBy(() -> TaskSchema.of(Everything.class).build(Map.of("mjd", "1"), Map.of()))
                .hasMessageStartingWith("missing required parameters --big (long), --snr (double), --flag (boolean)");
        assertThatThrownBy(() -> TaskSchema.of(Reduce.class).fromJson("{\"release\":\"dr17\"}"))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("missing required parameter --mjd (int) of Reduce");
    }

    @Test
    void unknownCommandLineOptionsAreRejectedWithASuggestion() {
        assertThatThrownBy(() -> TaskSchema.of(Reduce.class).build(Map.of("mdj", "1"), Map.of()))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("unknown parameter --mdj for Reduce; did you mean --mjd?");
        assertThatThrownBy(() -> TaskSchema.of(Reduce.class).build(Map.of("workers", "1"), Map.of()))
                .hasMessage("unknown parameter --workers for Reduce; its parameters are --mjd, --release, --threads");
        assertThatThrownBy(() -> TaskSchema.of(NoParams.class).build(Map.of("x", "1"), Map.of()))
                .hasMessage("unknown parameter --x for NoParams; it takes no parameters");
    }

    @Test
    void badValuesNameWhereTheyCameFrom() {
        TaskSchema schema = TaskSchema.of(Reduce.class);
        assertThatThrownBy(() -> schema.build(Map.of("mjd", "abc"), Map.of()))
                .isExactlyInstanceOf(AstraException.BadInput.class)
                .hasMessage("parameter --mjd: 'abc' is not an int");
        assertThatThrownBy(() -> schema.build(Map.of(), Map.of("mjd", "abc")))
                .isExactlyInstanceOf(AstraException.BadConfig.class)
                .hasMessage("config [Reduce] mjd: 'abc' is not an int");
        assertThatThrownBy(() -> schema.fromJson("{\"mjd\":\"abc\"}"))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("parameter mjd of Reduce: abc is not an int");
    }

    @Test
    void fromJsonRejectsUnknownKeysNullsAndNonObjects() {
        TaskSchema schema = TaskSchema.of(Reduce.class);
        assertThatThrownBy(() -> schema.fromJson("{\"mjd\":1,\"relase\":\"dr17\"}"))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("unknown parameter 'relase' in the JSON parameters of Reduce; did you mean release?");
        assertThatThrownBy(() -> schema.fromJson("{\"mjd\":null}"))
                .hasMessageContaining("parameter mjd of Reduce: null is not a value");
        assertThatThrownBy(() -> schema.fromJson("[1]"))
                .hasMessage("parameters of Reduce must be a JSON object, not [1]");
        assertThatThrownBy(() -> schema.fromJson("{\"mjd\":"))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessageStartingWith("parameters of Reduce: is not JSON");
        assertThatThrownBy(() -> TaskSchema.of(Everything.class).fromJson(EVERYTHING_JSON.replace("[1,2,3]", "{}")))
                .hasMessageContaining("parameter counts of Everything: {} is not a JSON array");
    }

    @Test
    void fromJsonUsesDefaultsForMissingKeys() {
        assertThat(TaskSchema.of(Reduce.class).fromJson("{\"mjd\":5}")).isEqualTo(new Reduce(5, "dr17", 4));
    }

    @Test
    void insignificantParametersAreKeptButDoNotChangeTheId() {
        TaskSchema schema = TaskSchema.of(Reduce.class);
        Reduce four = new Reduce(1, "dr17", 4);
        Reduce eight = new Reduce(1, "dr17", 8);
        assertThat(schema.id(four)).isEqualTo(schema.id(eight));
        assertThat(schema.paramsJson(eight)).isEqualTo("{\"mjd\":1,\"release\":\"dr17\",\"threads\":8}");
        assertThat(schema.fromJson(schema.paramsJson(eight))).isEqualTo(eight);
    }

    @Test
    void equalParametersGiveEqualIdsAndDifferentOnesDifferentIds() {
        assertThat(Tasks.id(new Reduce(1, "dr17", 4))).isEqualTo(Tasks.id(new Reduce(1, "dr17", 4)));
        assertThat(Tasks.id(new Reduce(1, "dr17", 4))).isNotEqualTo(Tasks.id(new Reduce(2, "dr17", 4)));
        assertThat(Tasks.id(new Reduce(1, "dr17", 4))).isNotEqualTo(Tasks.id(new Reduce(1, "dr18", 4)));
        // Summaries that collide after truncation and replacement still differ by hash.
        assertThat(Tasks.id(new Reduce(1, "a b", 4))).isNotEqualTo(Tasks.id(new Reduce(1, "a/b", 4)));

        TaskSchema schema = TaskSchema.of(EverythingClass.class);
        Task a = schema.build(TestTasks.everythingCli(), Map.of());
        Task b = schema.build(TestTasks.everythingCli(), Map.of());
        Map<String, String> other = TestTasks.everythingCli();
        other.put("weights", "{\"a\":1,\"b\":3}");
        assertThat(schema.id(a)).isEqualTo(schema.id(b));
        assertThat(schema.id(schema.build(other, Map.of()))).isNotEqualTo(schema.id(a));
    }

    @Test
    void idIsFamilyFirstThreeSignificantValuesAndAHashOfTheCanonicalJson() throws Exception {
        String hash = sha256("{\"family\":\"Reduce\",\"params\":{\"mjd\":59000,\"release\":\"dr17\"}}").substring(0, 10);
        assertThat(Tasks.id(new Reduce(59000, "dr17", 4))).isEqualTo("Reduce_59000_dr17_" + hash);

        String noParams = sha256("{\"family\":\"NoParams\",\"params\":{}}").substring(0, 10);
        assertThat(Tasks.id(new NoParams())).isEqualTo("NoParams__" + noParams);

        assertThat(Tasks.id(new Reduce(7, "a long release name/with slashes", 4)))
                .matches("Reduce_7_a_long_release_n_[0-9a-f]{10}");
        assertThat(Tasks.id(TaskSchema.of(Everything.class).build(TestTasks.everythingCli(), Map.of())))
                .matches("Everything_59000_12345678901_1_5_[0-9a-f]{10}");
    }

    @Test
    void taskNameGivesTheFamily() {
        assertThat(TaskSchema.of(Renamed.class).family()).isEqualTo("reduce-v2");
        assertThat(Tasks.id(new Renamed(3))).startsWith("reduce-v2_3_");
        assertThat(Tasks.id(new Renamed(3))).isEqualTo(Tasks.id(new RenamedAgain(3)));
        assertThat(TaskSchema.of(Reduce.class).family()).isEqualTo("Reduce");
    }

    @TaskName("reduce-v2")
    record RenamedAgain(int mjd) implements NoRun {}

    @Test
    void schemasAreCached() {
        assertThat(TaskSchema.of(Reduce.class)).isSameAs(TaskSchema.of(Reduce.class));
        assertThat(TaskSchema.of(Reduce.class).type()).isEqualTo(Reduce.class);
    }

    @Test
    void paramFindsByJavaNameOptionNameOrConfigKey() {
        TaskSchema schema = TaskSchema.of(Everything.class);
        assertThat(schema.param("boxedInt")).isEqualTo(schema.param("boxed-int")).isEqualTo(schema.param("boxed_int"))
                .isEqualTo(schema.param("--boxed-int")).isPresent();
        assertThat(schema.param("nope")).isEmpty();
    }

    @Test
    void aTaskWithNoParameters() {
        TaskSchema schema = TaskSchema.of(NoParams.class);
        assertThat(schema.params()).isEmpty();
        assertThat(schema.build(Map.of(), Map.of("anything", "x"))).isEqualTo(new NoParams());
        assertThat(schema.paramsJson(new NoParams())).isEqualTo("{}");
        assertThat(schema.fromJson("{}")).isEqualTo(new NoParams());
    }

    @Test
    void nullValuesAreRejected() {
        assertThatThrownBy(() -> Tasks.id(new Reduce(1, null, 4)))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("parameter --release is null; a task parameter needs a value");
    }

    @Test
    void aConstructorThatRejectsItsValuesGivesBadInput() {
        assertThatThrownBy(() -> TaskSchema.of(Positive.class).build(Map.of("n", "-1"), Map.of()))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessage("Positive rejected its parameters: n must be positive");
    }

    record Positive(int n) implements NoRun {
        Positive {
            if (n <= 0) {
                throw new IllegalArgumentException("n must be positive");
            }
        }
    }

    // ---- classes that are not valid tasks ----

    record NotATask(int n) {}

    record OptionalParam(Optional<String> release) implements NoRun {}

    record AbstractParam(Runnable r) implements NoRun {}

    static final class Opaque {
        Opaque(int a, int b) {}
    }

    record OpaqueParam(Opaque o) implements NoRun {}

    record GenericParam<T>(T value) implements NoRun {}

    record BadDefault(@Param(defaultValue = "abc") int n) implements NoRun {}

    static class NoNoArgConstructor implements NoRun {
        @Param int n;

        NoNoArgConstructor(int n) {
            this.n = n;
        }
    }

    class Inner implements NoRun {
        @Param int n;
    }

    abstract static class Abstract implements NoRun {}

    static class StaticParam implements NoRun {
        @Param static int n;
    }

    static class SameOption implements NoRun {
        @Param int minSnr;
        @Param int min_snr;
    }

    @TaskName("has space")
    record BadFamily() implements NoRun {}

    @ParameterizedTest
    @ValueSource(classes = {
        NotATask.class, OptionalParam.class, AbstractParam.class, OpaqueParam.class, GenericParam.class,
        BadDefault.class, NoNoArgConstructor.class, Inner.class, Abstract.class, StaticParam.class,
        SameOption.class, BadFamily.class, String.class
    })
    void invalidTaskClassesAreRejectedNamingTheClass(Class<?> type) {
        assertThatThrownBy(() -> TaskSchema.of(type))
                .isInstanceOf(AstraException.BadInput.class)
                .hasMessageStartingWith(type.getName() + " is not a valid task class: ");
    }

    @Test
    void invalidTaskClassesSayWhatIsWrong() {
        assertThat(problem(NotATask.class)).isEqualTo("it does not implement astra.core.Task");
        assertThat(problem(OptionalParam.class)).startsWith("parameter release has the unsupported type Optional<String>: ");
        assertThat(problem(AbstractParam.class)).contains("parameter r").contains("abstract type Runnable");
        assertThat(problem(OpaqueParam.class)).contains("parameter o").contains("no constructor Jackson can use");
        assertThat(problem(GenericParam.class)).contains("parameter value").contains("type variable");
        assertThat(problem(BadDefault.class)).isEqualTo("bad @Param default: parameter --n: 'abc' is not an int");
        assertThat(problem(NoNoArgConstructor.class)).isEqualTo("it has no no-arg constructor");
        assertThat(problem(Inner.class)).isEqualTo("it has no no-arg constructor (an inner class must be static)");
        assertThat(problem(Abstract.class)).isEqualTo("it is abstract");
        assertThat(problem(StaticParam.class)).isEqualTo("@Param field n is static");
        assertThat(problem(SameOption.class)).isEqualTo("two parameters are both named --min-snr");
        assertThat(problem(BadFamily.class)).startsWith("its family name 'has space' is not");
        Task lambda = ctx -> {};
        assertThat(problem(lambda.getClass())).contains("lambda");
    }

    private static String problem(Class<?> type) {
        try {
            TaskSchema.of(type);
        } catch (AstraException.BadInput e) {
            return e.getMessage().substring((type.getName() + " is not a valid task class: ").length());
        }
        throw new AssertionError(type + " was accepted");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
