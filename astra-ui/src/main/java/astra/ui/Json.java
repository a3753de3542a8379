package astra.ui;

import astra.core.store.DisabledFamily;
import astra.core.store.StateCount;
import astra.core.store.TaskRecord;
import astra.core.store.TaskState;
import astra.core.store.TaskStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The pieces the API's answers are made of, in the CLI's {@code --json} style (snake_case keys, ISO-8601 times). */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    /** Counts by state, every state present (0 when none), and their total. */
    static ObjectNode counts(Collection<StateCount> counts) {
        Map<TaskState, Long> byState = new EnumMap<>(TaskState.class);
        counts.forEach(c -> byState.merge(c.state(), c.count(), Long::sum));
        return counts(byState);
    }

    /** {@link #counts(Collection)} from counts by state. */
    static ObjectNode counts(Map<TaskState, Long> byState) {
        ObjectNode o = object();
        long total = 0;
        for (TaskState s : TaskState.values()) {
            long n = byState.getOrDefault(s, 0L);
            o.put(s.name().toLowerCase(Locale.ROOT), n);
            total += n;
        }
        return o.put("total", total);
    }

    /** An edge of a graph: {@code from} requires {@code to}; ordered by both, for a stable answer. */
    record Arrow(String from, String to) implements Comparable<Arrow> {
        @Override
        public int compareTo(Arrow o) {
            int c = from.compareTo(o.from);
            return c != 0 ? c : to.compareTo(o.to);
        }
    }

    /** Edges as the API writes them: {@code [{"from": ..., "to": ...}]}. */
    static ArrayNode arrows(Collection<Arrow> edges) {
        ArrayNode out = array();
        edges.forEach(e -> out.add(object().put("from", e.from()).put("to", e.to())));
        return out;
    }

    /** Counts by family, in family order. */
    static Map<String, List<StateCount>> byFamily(List<StateCount> counts) {
        Map<String, List<StateCount>> byFamily = new TreeMap<>();
        counts.forEach(c -> byFamily.computeIfAbsent(c.family(), f -> new ArrayList<>()).add(c));
        return byFamily;
    }

    static ArrayNode taskRows(List<TaskRecord> rows) {
        ArrayNode out = array();
        rows.forEach(t -> out.add(taskRow(t)));
        return out;
    }

    static ObjectNode taskRow(TaskRecord t) {
        ObjectNode o = object();
        o.put("task_id", t.taskId());
        o.put("family", t.family());
        o.put("state", t.state().name());
        o.set("params", params(t.paramsJson()));
        o.put("attempts", t.attempts());
        o.put("run_id", t.runId());
        o.put("worker", t.worker());
        o.put("started_at", text(t.startedAt()));
        o.put("finished_at", text(t.finishedAt()));
        o.put("error", t.error());
        return o;
    }

    private static JsonNode params(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return MAPPER.getNodeFactory().textNode(json);
        }
    }

    static Set<String> disabledFamilies(TaskStore store) {
        Set<String> names = new TreeSet<>();
        store.disabledFamilies().stream().map(DisabledFamily::family).forEach(names::add);
        return names;
    }
}
