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
 * @param hypothesis the hypothesis and whether this setup meets it (false whenever a width requirement exceeds the
 *                   width used or cannot be evaluated, e.g. unstated constants; the text says which)
 * @param measured   named measured numbers, in insertion order
 * @param bound      the bound in words (with the normalization conversion where relevant) and its value
 * @param conclusion whether the theorem's conclusion is observed on this run
 * @param verdict    {@link Verdict#of} the two: never set independently of them
 * @param why        one line explaining the verdict
 */
public record CheckResult(String id, String claim, String paper, Hypothesis hypothesis, Map<String, Double> measured,
        Bound bound, Conclusion conclusion, Verdict verdict, String why) {

    /** A theorem's hypothesis and whether the setup meets it. */
    public record Hypothesis(String text, boolean met) {
    }

    /** The bound being checked: how it is computed and its value here (NaN when not computed). */
    public record Bound(String text, double value) {
    }

    public CheckResult {
        measured = Collections.unmodifiableMap(new LinkedHashMap<>(measured));
        if (verdict != Verdict.of(hypothesis.met(), conclusion)) {
            throw new IllegalArgumentException(verdict + " does not follow from hypothesis met = " + hypothesis.met()
                    + " and conclusion " + conclusion);
        }
    }

    /** A result whose verdict follows from the hypothesis and the conclusion ({@link Verdict#of}). */
    public CheckResult(String id, String claim, String paper, Hypothesis hypothesis, Map<String, Double> measured,
            Bound bound, Conclusion conclusion, String why) {
        this(id, claim, paper, hypothesis, measured, bound, conclusion, Verdict.of(hypothesis.met(), conclusion), why);
    }

    /**
     * The verdict in words with, when the hypothesis is not met, what was seen anyway: "hypothesis not met;
     * conclusion observed".
     */
    public String summary() {
        return verdict == Verdict.HYPOTHESIS_NOT_MET ? verdict.label() + "; conclusion " + conclusion.label()
                : verdict.label();
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
        sb.append(id).append(": ").append(summary()).append('\n');
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
