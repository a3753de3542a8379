package astra.core.params;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code List} of a scalar type, read from a JSON array or from comma-separated text. Its
 * canonical string is the comma-separated form when that reads back unchanged, else the JSON
 * array.
 */
record ListCodec(ParamCodec element) implements ParamCodec {

    @Override
    public String typeName() {
        String name = switch (element.typeName()) {
            case "int" -> "Integer";
            case "long" -> "Long";
            case "double" -> "Double";
            case "boolean" -> "Boolean";
            default -> element.typeName();
        };
        int choices = name.indexOf(" (");
        // "List<Band> (G|R|I)" reads better than "List<Band (G|R|I)>".
        return choices < 0 ? "List<" + name + ">"
                : "List<" + name.substring(0, choices) + ">" + name.substring(choices);
    }

    @Override
    public Object parse(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return List.of();
        }
        if (t.startsWith("[")) {
            return fromJson(CanonicalJson.read(t));
        }
        List<Object> values = new ArrayList<>();
        for (String part : t.split(",", -1)) {
            values.add(element.parse(part.strip()));
        }
        return List.copyOf(values);
    }

    @Override
    public Object fromJson(JsonNode node) {
        if (node.isTextual()) {
            return parse(node.textValue());
        }
        if (!node.isArray()) {
            throw new BadValue(node.toString(), "is not a JSON array");
        }
        List<Object> values = new ArrayList<>();
        for (JsonNode e : node) {
            if (e.isNull()) {
                throw new BadValue(node.toString(), "has a null element");
            }
            values.add(element.fromJson(e));
        }
        return List.copyOf(values);
    }

    @Override
    public String format(Object value) {
        List<String> parts = new ArrayList<>();
        for (Object e : (List<?>) value) {
            String s = element.format(e);
            boolean survivesSplit = !s.isEmpty() && s.indexOf(',') < 0 && s.equals(s.strip())
                    && !(parts.isEmpty() && s.startsWith("["));
            if (!survivesSplit) {
                return CanonicalJson.write(toJson(value));
            }
            parts.add(s);
        }
        return String.join(",", parts);
    }

    @Override
    public JsonNode toJson(Object value) {
        ArrayNode array = CanonicalJson.MAPPER.createArrayNode();
        for (Object e : (List<?>) value) {
            array.add(element.toJson(e));
        }
        return array;
    }
}
