package astra.core.params;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.type.CollectionType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * Jackson serializers that keep values of JSON-mapped parameter types canonical: equal values
 * must give equal JSON, in any JVM and any working directory.
 */
final class CanonicalModule {

    private CanonicalModule() {}

    /**
     * Unordered sets sorted, and paths as written: Jackson's default for a path is a file URI,
     * which makes a relative path absolute against the working directory.
     */
    static SimpleModule create() {
        return new SimpleModule("astra-canonical")
                .setSerializerModifier(new SortedSets())
                .addSerializer(Path.class, ToStringSerializer.instance);
    }

    /**
     * Writes every unordered {@link Set} as a JSON array sorted by each element's canonical
     * JSON, since two equal sets may iterate in different orders (insertion order, capacity).
     */
    private static final class SortedSets extends BeanSerializerModifier {

        @Override
        public JsonSerializer<?> modifyCollectionSerializer(SerializationConfig config, CollectionType type,
                                                            BeanDescription description, JsonSerializer<?> serializer) {
            Class<?> raw = type.getRawClass();
            return Set.class.isAssignableFrom(raw) && !SortedSet.class.isAssignableFrom(raw) ? new Sorting() : serializer;
        }

        @SuppressWarnings({"rawtypes", "unchecked"})
        private static final class Sorting extends StdSerializer<Set<?>> {

            Sorting() {
                super((Class) Set.class);
            }

            @Override
            public void serialize(Set<?> set, JsonGenerator gen, SerializerProvider provider) throws IOException {
                List<Map.Entry<String, JsonNode>> elements = new ArrayList<>();
                for (Object e : set) {
                    JsonNode node = CanonicalJson.canonical(CanonicalJson.MAPPER.valueToTree(e));
                    elements.add(Map.entry(CanonicalJson.MAPPER.writeValueAsString(node), node));
                }
                elements.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
                gen.writeStartArray(set, elements.size());
                for (Map.Entry<String, JsonNode> e : elements) {
                    gen.writeTree(e.getValue());
                }
                gen.writeEndArray();
            }
        }
    }
}
