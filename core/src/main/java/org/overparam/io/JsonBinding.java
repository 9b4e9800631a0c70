package org.overparam.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one configured Jackson {@link ObjectMapper} that binds overparam's results to JSON: records by their
 * components in declaration order, named in snake_case ({@code finalLoss} becomes {@code final_loss};
 * {@code @JsonProperty} where a key is spelled otherwise); maps in their insertion order; nulls written unless a
 * record says {@code @JsonInclude(NON_NULL)} (an optional key absent); enums by name unless they carry
 * {@code @JsonValue} (the CLI names). Jackson builds the tree; {@link JsonLayout} prints it, so the text (layout
 * and number formatting) is what overparam has always written.
 */
public final class JsonBinding {

    private static final ObjectMapper MAPPER = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            // BigDecimal values keep their scale (1.50 stays 1.50), as the hand-written writer had it
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .addModule(new SimpleModule("overparam").addSerializer(new OptionalValue()))
            .build();

    private JsonBinding() {
    }

    /** The shared mapper (thread-safe once configured; do not reconfigure it). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A value (record, map, list, array, scalar) as Jackson's tree. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * A record (or any value that binds to a JSON object) as an insertion-ordered map of plain Java values, for
     * the callers that read a result by key (the sweep store, the CLI's human-readable lines). Numbers keep their
     * kind: integral values as Integer or Long, others as Double (NaN and infinities included).
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(Object value) {
        Map<String, Object> m = MAPPER.convertValue(value, LinkedHashMap.class);
        return m;
    }
}
