package org.overparam.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictTest {
    @Test
    void labelsAreExactlyTheFourStrings() {
        assertEquals("holds", Verdict.HOLDS.label());
        assertEquals("violated", Verdict.VIOLATED.label());
        assertEquals("hypothesis not met", Verdict.HYPOTHESIS_NOT_MET.label());
        assertEquals("inconclusive", Verdict.INCONCLUSIVE.label());
        assertEquals(4, Verdict.values().length);
    }

    @Test
    void resultKeepsMeasurementOrderAndDescribesItself() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("b", 2.0);
        m.put("a", 1.0);
        CheckResult r = new CheckResult("x", "c", "p", new CheckResult.Hypothesis("h", false), m,
                new CheckResult.Bound("bound", 3.0), Conclusion.OBSERVED, "because");
        assertEquals("[b, a]", r.measured().keySet().toString());
        assertEquals(2.0, r.get("b"));
        assertThrows(IllegalArgumentException.class, () -> r.get("nope"));
        assertThrows(UnsupportedOperationException.class, () -> r.measured().put("z", 0.0));
        String d = r.describe();
        assertTrue(d.startsWith("x: hypothesis not met; conclusion observed"), d);
        assertEquals(Verdict.HYPOTHESIS_NOT_MET, r.verdict());
        assertTrue(d.contains("(NOT met)") && d.contains("because"), d);
    }

    /** Issue 13: the verdict follows from the two questions, and cannot be set against them. */
    @Test
    void theVerdictFollowsFromHypothesisAndConclusion() {
        assertEquals(Verdict.HOLDS, Verdict.of(true, Conclusion.OBSERVED));
        assertEquals(Verdict.VIOLATED, Verdict.of(true, Conclusion.NOT_OBSERVED));
        assertEquals(Verdict.INCONCLUSIVE, Verdict.of(true, Conclusion.UNDECIDED));
        for (Conclusion c : Conclusion.values()) {
            assertEquals(Verdict.HYPOTHESIS_NOT_MET, Verdict.of(false, c));
        }
        assertThrows(IllegalArgumentException.class, () -> new CheckResult("x", "c", "p",
                new CheckResult.Hypothesis("h", false), Map.of(), new CheckResult.Bound("b", 1.0), Conclusion.NOT_OBSERVED,
                Verdict.VIOLATED, "a violation needs the hypothesis met"));
    }
}
