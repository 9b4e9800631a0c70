package org.overparam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.io.Fixtures.inputError;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesAllValueKinds() {
        Object v = Json.parse(" {\"a\": [1, -2.5, 3e2, true, false, null, \"x\\u00e9\\n\"], \"b\": {}, \"c\": []} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("a", "b", "c"), List.copyOf(m.keySet()));
        List<?> a = (List<?>) m.get("a");
        assertEquals(1L, a.get(0));
        assertEquals(-2.5, a.get(1));
        assertEquals(300.0, a.get(2));
        assertEquals(Boolean.TRUE, a.get(3));
        assertNull(a.get(5));
        assertEquals("xé\n", a.get(6));
        assertEquals(12345678901234567890.0, Json.parse("12345678901234567890"));
    }

    @Test
    void strict() {
        for (String bad : new String[] {"", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "NaN", "'a'",
            "{\"a\":1 \"b\":2}", "[1] 2", "\"tab\there\"", "{\"a\":1,\"a\":2}", "tru", "\"\\x\"", "-",
            "// c\n1", "[1e]"}) {
            inputError(() -> Json.parse(bad, "t.json"));
        }
    }

    @Test
    void depthGuard() {
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        String m = inputError(() -> Json.parse(deep, "deep.json"));
        assertTrue(m.contains("nesting"), m);
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(ok);
        inputError(() -> Json.parse("[".repeat(100_000), "deeper.json"));
    }

    @Test
    void writesPrettyAndRoundTrips() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "run \"1\"\n");
        m.put("loss", new double[] {0.1, 1.0 / 3, 1e-300});
        m.put("nested", Map.of("k", List.of(Map.of("x", 1))));
        m.put("n", 42);
        m.put("none", null);
        String s = Json.write(m);
        assertTrue(s.startsWith("{\n  \"name\": "), s);
        Map<String, Object> back = Json.parseObject(s, "w");
        assertEquals(Arrays.asList(0.1, 1.0 / 3, 1e-300), back.get("loss"));
        assertEquals("run \"1\"\n", back.get("name"));
        assertEquals(42L, back.get("n"));
        assertTrue(back.containsKey("none"));
        assertEquals(m.keySet(), back.keySet());
    }

    @Test
    void nonFiniteDoublesBecomeStrings() {
        assertEquals("[\"NaN\", \"Infinity\", \"-Infinity\", 1.5]",
                Json.write(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", new int[] {1, 2});
        m.put("b", Map.of("c", "d"));
        assertEquals("{\"a\":[1,2],\"b\":{\"c\":\"d\"}}", Json.writeCompact(m));
    }
}
