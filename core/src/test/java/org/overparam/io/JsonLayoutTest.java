package org.overparam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact text of {@link Json#write} and {@link Json#writeCompact} for every kind of value they accept: layout
 * (flat number vectors, nested arrays one element per line, empty containers), number formatting (doubles by
 * {@link Double#toString}, floats widened to double, non-finite doubles as strings, longs, big numbers), string
 * escapes, enums by name and nulls kept.
 */
class JsonLayoutTest {
    enum Kind { FIRST_KIND }

    static Map<String, Object> sample() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", 2L);
        m.put("long_max", Long.MAX_VALUE);
        m.put("d", 0.1 + 0.2);
        m.put("tiny", 1e-300);
        m.put("big", 1e21);
        m.put("whole", 3.0);
        m.put("neg_zero", -0.0);
        m.put("float", 0.1f);
        m.put("nan", Double.NaN);
        m.put("inf", Double.POSITIVE_INFINITY);
        m.put("ninf", Double.NEGATIVE_INFINITY);
        m.put("bigdec", new BigDecimal("1.50"));
        m.put("bigint", new BigInteger("123456789012345678901234567890"));
        m.put("short", (short) 7);
        m.put("string", "q\"b\\s\n\r\t\b\f\u0001é/");
        m.put("char", 'c');
        m.put("bool", true);
        m.put("null", null);
        m.put("enum", Kind.FIRST_KIND);
        m.put("doubles", new double[] {1.0, Double.NaN, -2.5e-8});
        m.put("ints", new int[] {1, 2});
        m.put("longs", new long[] {3L});
        m.put("objects", new Object[] {"x", 1});
        m.put("mixed_flat", java.util.Arrays.asList(1, null, true, 2.0));
        m.put("strings", List.of("a", "b"));
        m.put("nested", List.of(List.of(1, 2), Map.of("k", List.of())));
        m.put("empty_map", new LinkedHashMap<>());
        m.put("empty_list", new ArrayList<>());
        m.put("empty_doubles", new double[0]);
        Map<Object, Object> keys = new LinkedHashMap<>();
        keys.put(3, "int key");
        keys.put(Kind.FIRST_KIND, "enum key");
        m.put("keys", keys);
        return m;
    }

    @Test
    void prettyText() {
        String expected = String.join("\n",
                "{",
                "  \"z\": 1,",
                "  \"a\": 2,",
                "  \"long_max\": 9223372036854775807,",
                "  \"d\": 0.30000000000000004,",
                "  \"tiny\": 1.0E-300,",
                "  \"big\": 1.0E21,",
                "  \"whole\": 3.0,",
                "  \"neg_zero\": -0.0,",
                "  \"float\": 0.10000000149011612,",
                "  \"nan\": \"NaN\",",
                "  \"inf\": \"Infinity\",",
                "  \"ninf\": \"-Infinity\",",
                "  \"bigdec\": 1.50,",
                "  \"bigint\": 123456789012345678901234567890,",
                "  \"short\": 7,",
                "  \"string\": \"q\\\"b\\\\s\\n\\r\\t\\b\\f\\u0001é/\",",
                "  \"char\": \"c\",",
                "  \"bool\": true,",
                "  \"null\": null,",
                "  \"enum\": \"FIRST_KIND\",",
                "  \"doubles\": [1.0, \"NaN\", -2.5E-8],",
                "  \"ints\": [1, 2],",
                "  \"longs\": [3],",
                "  \"objects\": [",
                "    \"x\",",
                "    1",
                "  ],",
                "  \"mixed_flat\": [1, null, true, 2.0],",
                "  \"strings\": [",
                "    \"a\",",
                "    \"b\"",
                "  ],",
                "  \"nested\": [",
                "    [1, 2],",
                "    {",
                "      \"k\": []",
                "    }",
                "  ],",
                "  \"empty_map\": {},",
                "  \"empty_list\": [],",
                "  \"empty_doubles\": [],",
                "  \"keys\": {",
                "    \"3\": \"int key\",",
                "    \"FIRST_KIND\": \"enum key\"",
                "  }",
                "}");
        assertEquals(expected, Json.write(sample()));
    }

    @Test
    void compactText() {
        String expected = "{\"z\":1,\"a\":2,\"long_max\":9223372036854775807,\"d\":0.30000000000000004,"
                + "\"tiny\":1.0E-300,\"big\":1.0E21,\"whole\":3.0,\"neg_zero\":-0.0,\"float\":0.10000000149011612,"
                + "\"nan\":\"NaN\",\"inf\":\"Infinity\",\"ninf\":\"-Infinity\",\"bigdec\":1.50,"
                + "\"bigint\":123456789012345678901234567890,\"short\":7,"
                + "\"string\":\"q\\\"b\\\\s\\n\\r\\t\\b\\f\\u0001é/\",\"char\":\"c\",\"bool\":true,\"null\":null,"
                + "\"enum\":\"FIRST_KIND\",\"doubles\":[1.0,\"NaN\",-2.5E-8],\"ints\":[1,2],\"longs\":[3],"
                + "\"objects\":[\"x\",1],\"mixed_flat\":[1,null,true,2.0],\"strings\":[\"a\",\"b\"],"
                + "\"nested\":[[1,2],{\"k\":[]}],\"empty_map\":{},\"empty_list\":[],\"empty_doubles\":[],"
                + "\"keys\":{\"3\":\"int key\",\"FIRST_KIND\":\"enum key\"}}";
        assertEquals(expected, Json.writeCompact(sample()));
    }

    @Test
    void topLevelScalars() {
        assertEquals("null", Json.write(null));
        assertEquals("\"NaN\"", Json.writeCompact(Double.NaN));
        assertEquals("[]", Json.write(List.of()));
        assertEquals("{}", Json.writeCompact(Map.of()));
    }
}
