package astra.core.params;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads and writes the values of one parameter type: from a command-line or config string, to
 * its canonical string, and to and from its canonical JSON. Failures are {@link BadValue}s.
 */
interface ParamCodec {

    /** The type as shown in help, such as {@code int} or {@code Band (G|R|I)}. */
    String typeName();

    Object parse(String text);

    /** The canonical string: equal values give equal strings, and {@link #parse} reads it back. */
    String format(Object value);

    /** The canonical JSON: equal values give equal trees. */
    JsonNode toJson(Object value);

    /** Reads {@link #toJson}'s output; a JSON string is also read as if typed on the command line. */
    default Object fromJson(JsonNode node) {
        return parse(node.isTextual() ? node.textValue() : node.toString());
    }
}
