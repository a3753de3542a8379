package astra.core.params;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.AbstractDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import java.io.IOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Any other type, as JSON through Jackson: records, maps, lists of records, {@code JsonNode}. */
record JacksonCodec(JavaType type, String typeName) implements ParamCodec {

    /** The codec for {@code type}; IllegalArgumentException if Jackson could not rebuild its values. */
    static JacksonCodec of(Type type) {
        if (!concrete(type)) {
            throw new IllegalArgumentException("its type has a type variable or wildcard");
        }
        JavaType javaType = CanonicalJson.MAPPER.getTypeFactory().constructType(type);
        String raw = javaType.getRawClass().getName();
        if (raw.startsWith("java.util.Optional")) {
            throw new IllegalArgumentException("Optional is not supported: give the parameter a default instead");
        }
        String problem = deserializationProblem(javaType);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new JacksonCodec(javaType, simpleName(type));
    }

    @Override
    public Object parse(String text) {
        try {
            return CanonicalJson.MAPPER.readValue(text, type);
        } catch (JacksonException e) {
            throw new BadValue(text, "is not JSON for " + typeName + ": " + CanonicalJson.firstLine(e.getOriginalMessage()));
        }
    }

    @Override
    public Object fromJson(JsonNode node) {
        try {
            return CanonicalJson.MAPPER.readerFor(type).readValue(node);
        } catch (IOException | IllegalArgumentException e) {
            String reason = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
            throw new BadValue(node.toString(), "is not JSON for " + typeName + ": " + CanonicalJson.firstLine(reason));
        }
    }

    @Override
    public String format(Object value) {
        return CanonicalJson.write(toJson(value));
    }

    @Override
    public JsonNode toJson(Object value) {
        try {
            return CanonicalJson.canonical(CanonicalJson.MAPPER.valueToTree(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot write a " + typeName + " as JSON: "
                    + CanonicalJson.firstLine(e.getMessage()), e);
        }
    }

    private static boolean concrete(Type type) {
        if (type instanceof TypeVariable<?> || type instanceof WildcardType) {
            return false;
        }
        if (type instanceof ParameterizedType p) {
            return Arrays.stream(p.getActualTypeArguments()).allMatch(JacksonCodec::concrete);
        }
        if (type instanceof GenericArrayType a) {
            return concrete(a.getGenericComponentType());
        }
        return true;
    }

    /**
     * Jackson finds a deserializer for nearly anything and fails only when it meets a value, so
     * ask it up front whether it could create one: an interface without type information, or a
     * class with no usable constructor, is refused when the schema is built rather than at run time.
     */
    private static String deserializationProblem(JavaType type) {
        DeserializationConfig config = CanonicalJson.MAPPER.getDeserializationConfig();
        DefaultDeserializationContext ctxt = ((DefaultDeserializationContext) CanonicalJson.MAPPER
                .getDeserializationContext()).createInstance(config, null, null);
        try {
            JsonDeserializer<Object> deserializer = ctxt.findRootValueDeserializer(type);
            if (deserializer instanceof AbstractDeserializer) {
                return "Jackson cannot create the abstract type " + type.getRawClass().getSimpleName()
                        + " (it has no @JsonTypeInfo)";
            }
            if (deserializer instanceof BeanDeserializerBase bean && !bean.getValueInstantiator().canInstantiate()) {
                return "Jackson cannot create a " + type.getRawClass().getSimpleName()
                        + ": it has no constructor Jackson can use";
            }
            return null;
        } catch (JacksonException e) {
            return "Jackson cannot read it: " + CanonicalJson.firstLine(e.getOriginalMessage());
        }
    }

    /** {@code Map<String, List<Integer>>} rather than the fully qualified names. */
    static String simpleName(Type type) {
        if (type instanceof Class<?> c) {
            return c.getSimpleName();
        }
        if (type instanceof ParameterizedType p) {
            return simpleName(p.getRawType()) + Arrays.stream(p.getActualTypeArguments())
                    .map(JacksonCodec::simpleName).collect(Collectors.joining(", ", "<", ">"));
        }
        if (type instanceof GenericArrayType a) {
            return simpleName(a.getGenericComponentType()) + "[]";
        }
        return type.getTypeName();
    }
}
