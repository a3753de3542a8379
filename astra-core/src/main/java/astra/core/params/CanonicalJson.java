package astra.core.params;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;

/**
 * The package's one ObjectMapper, and the canonical form of JSON: object keys sorted, no
 * whitespace, decimals without trailing zeros. Task ids hash this form, so nothing in it may
 * depend on the JVM's locale, time zone or hash iteration order.
 */
final class CanonicalJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(CanonicalModule.create())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .defaultLocale(Locale.ROOT)
            .defaultTimeZone(TimeZone.getTimeZone("UTC"))
            .build();

    private CanonicalJson() {}

    /** A copy of {@code node} with every object's keys sorted and decimals stripped of trailing zeros. */
    static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                sorted.put(e.getKey(), canonical(e.getValue()));
            }
            ObjectNode out = MAPPER.createObjectNode();
            out.setAll(sorted);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = MAPPER.createArrayNode();
            node.forEach(e -> out.add(canonical(e)));
            return out;
        }
        if (node.isBigDecimal()) {
            return DecimalNode.valueOf(node.decimalValue().stripTrailingZeros());
        }
        return node;
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(canonical(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads JSON text; BadValue with Jackson's one-line reason if it is not JSON. */
    static JsonNode read(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new BadValue(text, "is not JSON: it is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadValue(text, "is not JSON: " + firstLine(e.getOriginalMessage()));
        }
    }

    static String sha256Hex(String text) {
        return sha256Hex(text, 64);
    }

    /** The first {@code chars} hex digits of the SHA-256 of the text's UTF-8 bytes. */
    static String sha256Hex(String text, int chars) {
        MessageDigest digest = SHA_256.get();
        byte[] hash = digest.digest(text.getBytes(StandardCharsets.UTF_8));
        String hex = HexFormat.of().formatHex(hash, 0, (chars + 1) / 2);
        return hex.length() == chars ? hex : hex.substring(0, chars);
    }

    /** One digest per thread: looking one up costs more than hashing a task's parameters. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    });

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
