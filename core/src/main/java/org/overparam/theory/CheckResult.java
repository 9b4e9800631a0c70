package org.overparam.theory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one {@link TheoremCheck} found.
 *
 * @param id         the check's short id (e.g. {@code pl-least-squares})
 * @param claim      the statement being checked, in words
 * @param paper      citation with theorem / equation number
 * @param hypothesis the hypothesis and whether this setup meets it
 * @param measured   named measured numbers, in insertion order
 * @param bound      the bound in words (with the normalization conversion where relevant) and its value
 * @param verdict    see {@link Verdict}
 * @param why        one line explaining the verdict
 */
public record CheckResult(String id, String claim, String paper, Hypothesis hypothesis, Map<String, Double> measured,
        Bound bound, Verdict verdict, String why) {

    /** A theorem's hypothesis and whether the setup meets it. */
    public record Hypothesis(String text, boolean met) {
    }

    /** The bound being checked: how it is computed and its value here (NaN when not computed). */
    public record Bound(String text, double value) {
    }

    public CheckResult {
        measured = Collections.unmodifiableMap(new LinkedHashMap<>(measured));
    }

    /** A measured number by name; throws when it was not measured (a typo in a test should fail loudly). */
    public double get(String name) {
        Double v = measured.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no measurement '" + name + "' in " + id + "; have " + measured.keySet());
        }
        return v;
    }

    /** A human-readable multi-line report. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(id).append(": ").append(verdict.label()).append('\n');
        sb.append("  claim:      ").append(claim).append('\n');
        sb.append("  paper:      ").append(paper).append('\n');
        sb.append("  hypothesis: ").append(hypothesis.text()).append(hypothesis.met() ? " (met)" : " (NOT met)")
                .append('\n');
        for (Map.Entry<String, Double> e : measured.entrySet()) {
            sb.append("  measured:   ").append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
        }
        sb.append("  bound:      ").append(bound.text()).append(" = ").append(bound.value()).append('\n');
        sb.append("  why:        ").append(why).append('\n');
        return sb.toString();
    }
}
