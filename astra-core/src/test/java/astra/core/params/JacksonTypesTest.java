package astra.core.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import astra.core.Tasks;
import astra.core.params.TestTasks.NoRun;
import astra.core.params.TestTasks.Window;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Types without a codec of their own, read and written as JSON through Jackson. */
class JacksonTypesTest {

    record JsonTypes(
            int[] numbers,
            Set<String> names,
            JsonNode tree,
            BigDecimal amount,
            Object anything,
            List<Window> windows,
            Map<String, Set<Integer>> nested,
            Where where) implements NoRun {}

    record Where(Path dir, Instant at, Duration timeout, LocalDate night) {}

    private static final Where WHERE = new Where(Path.of("out", "x"), Instant.EPOCH, Duration.ofSeconds(1), LocalDate.EPOCH);

    private static ParamSpec spec(String name) {
        return TaskSchema.of(JsonTypes.class).param(name).orElseThrow();
    }

    static Stream<Arguments> values() {
        return Stream.of(
                arguments("numbers", "[3, 1]", "[3,1]"),
                arguments("names", "[\"b\",\"a\",\"c\"]", "[\"a\",\"b\",\"c\"]"),
                arguments("tree", "{\"z\": [1, {\"b\":1,\"a\":2}], \"a\": null}", "{\"a\":null,\"z\":[1,{\"a\":2,\"b\":1}]}"),
                arguments("amount", "1.50", "1.5"),
                arguments("amount", "100", "100"),
                arguments("anything", "{\"b\":[1,2.50],\"a\":\"x\"}", "{\"a\":\"x\",\"b\":[1,2.5]}"),
                arguments("windows", "[{\"lo\":1,\"hi\":2},{\"lo\":0,\"hi\":1}]",
                        "[{\"hi\":2.0,\"lo\":1.0},{\"hi\":1.0,\"lo\":0.0}]"),
                arguments("nested", "{\"y\":[3,1,2],\"x\":[]}", "{\"x\":[],\"y\":[1,2,3]}"),
                // Relative paths stay relative (Jackson's default writes an absolute file: URI).
                arguments("where", "{\"dir\":\"out/x\",\"at\":\"2024-01-31T14:00:00+02:00\",\"timeout\":\"PT90M\",\"night\":\"2024-01-31\"}",
                        "{\"at\":\"2024-01-31T12:00:00Z\",\"dir\":\"out/x\",\"night\":\"2024-01-31\",\"timeout\":\"PT1H30M\"}"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("values")
    void canonicalJsonRoundTrips(String param, String input, String canonical) {
        ParamSpec spec = spec(param);
        assertThat(spec.format(spec.parse(input))).isEqualTo(canonical);
        assertThat(spec.format(spec.parse(canonical))).isEqualTo(canonical);
    }

    @Test
    void typeNamesAreSimpleNames() {
        assertThat(spec("numbers").typeName()).isEqualTo("int[]");
        assertThat(spec("names").typeName()).isEqualTo("Set<String>");
        assertThat(spec("windows").typeName()).isEqualTo("List<Window>");
        assertThat(spec("nested").typeName()).isEqualTo("Map<String, Set<Integer>>");
    }

    @Test
    void equalSetsGiveEqualIdsWhateverTheirIterationOrder() {
        Set<String> forward = new LinkedHashSet<>(List.of("a", "b", "c"));
        Set<String> backward = new LinkedHashSet<>(List.of("c", "b", "a"));
        Set<Integer> small = new HashSet<>(List.of(1, 17));
        Set<Integer> large = new HashSet<>(64);
        large.addAll(List.of(17, 1));
        JsonTypes one = new JsonTypes(new int[] {1}, forward, tree(), BigDecimal.ONE, 1, List.of(), Map.of("k", small), WHERE);
        JsonTypes two = new JsonTypes(new int[] {1}, backward, tree(), BigDecimal.ONE, 1, List.of(), Map.of("k", large), WHERE);
        assertThat(Tasks.id(one)).isEqualTo(Tasks.id(two));
        assertThat(TaskSchema.of(JsonTypes.class).paramsJson(one)).isEqualTo(TaskSchema.of(JsonTypes.class).paramsJson(two));
    }

    @Test
    void rebuildsFromParamsJson() {
        TaskSchema schema = TaskSchema.of(JsonTypes.class);
        JsonTypes task = new JsonTypes(new int[] {2, 1}, Set.of("x"), tree(), new BigDecimal("2.50"), List.of("a"),
                List.of(new Window(0, 1)), Map.of("k", Set.of(3)),
                WHERE);
        JsonTypes rebuilt = (JsonTypes) schema.fromJson(schema.paramsJson(task));
        assertThat(rebuilt.numbers()).containsExactly(2, 1);
        assertThat(rebuilt.names()).containsExactly("x");
        assertThat(rebuilt.amount()).isEqualByComparingTo("2.5");
        assertThat(rebuilt.anything()).isEqualTo(List.of("a"));
        assertThat(rebuilt.windows()).containsExactly(new Window(0, 1));
        assertThat(rebuilt.nested()).isEqualTo(Map.of("k", Set.of(3)));
        assertThat(rebuilt.tree()).isEqualTo(tree());
        assertThat(rebuilt.where()).isEqualTo(task.where());
        assertThat(schema.id(rebuilt)).isEqualTo(schema.id(task));
    }

    private static JsonNode tree() {
        return JsonNodeFactory.instance.objectNode().put("k", 1);
    }
}
