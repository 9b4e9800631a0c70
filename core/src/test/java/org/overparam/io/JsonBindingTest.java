package org.overparam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How results bind: records in component order and snake_case, optional keys, unwrapped parts, maps of them. */
class JsonBindingTest {
    enum Mode {
        FULL_GRAM;

        @JsonValue
        String cliName() {
            return "full";
        }
    }

    record Part(Integer rank, Double tol) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Result(int nTrain, double finalLoss, Double absent, Optional<Long> stepsToFit, Optional<Long> notAsked,
            @JsonProperty("java") String javaVersion, Mode mode, @JsonUnwrapped Part part, double[] vector, long lambda0) {
    }

    @Test
    void recordsBindByComponentInOrder() {
        Result r = new Result(3, Double.NaN, null, Optional.empty(), null, "17", Mode.FULL_GRAM, new Part(null, null),
                new double[] {1.0, 2.5}, 7L);
        assertEquals("{\"n_train\":3,\"final_loss\":\"NaN\",\"steps_to_fit\":null,\"java\":\"17\",\"mode\":\"full\","
                + "\"rank\":null,\"tol\":null,\"vector\":[1.0,2.5],\"lambda0\":7}", Json.writeCompact(r));
        Result some = new Result(3, 0.5, 1e-3, Optional.of(12L), null, "17", Mode.FULL_GRAM, null, new double[0], 0);
        assertEquals("{\"n_train\":3,\"final_loss\":0.5,\"absent\":0.001,\"steps_to_fit\":12,\"java\":\"17\","
                + "\"mode\":\"full\",\"vector\":[],\"lambda0\":0}", Json.writeCompact(some));
    }

    @Test
    void recordsInsideMapsAndTheirMaps() {
        Result r = new Result(3, Double.NEGATIVE_INFINITY, null, Optional.empty(), null, "17", Mode.FULL_GRAM, null,
                new double[] {1.0}, 7L);
        Map<String, Object> holder = new java.util.LinkedHashMap<>();
        holder.put("result", r);
        holder.put("list", List.of(r));
        assertEquals("{\"result\":" + Json.writeCompact(r) + ",\"list\":[" + Json.writeCompact(r) + "]}",
                Json.writeCompact(holder));
        Map<String, Object> m = JsonBinding.toMap(r);
        assertEquals(List.of("n_train", "final_loss", "steps_to_fit", "java", "mode", "vector", "lambda0"),
                List.copyOf(m.keySet()));
        assertEquals(Double.NEGATIVE_INFINITY, m.get("final_loss"));
        assertTrue(m.containsKey("steps_to_fit") && m.get("steps_to_fit") == null);
        assertEquals(Json.writeCompact(r), Json.writeCompact(m));
    }
}
