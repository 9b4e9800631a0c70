package org.overparam.theory;

/**
 * The outcome of a {@link TheoremCheck}, printed with exactly these labels, and always {@link #of} the two
 * separate answers (is the hypothesis met; is the {@link Conclusion} observed on this run):
 * <ul>
 * <li>{@code holds}: the hypothesis is met and the conclusion observed;</li>
 * <li>{@code violated}: the hypothesis is met and the conclusion not observed beyond the stated tolerance;</li>
 * <li>{@code hypothesis not met}: the theorem does not apply to this setup, so nothing is claimed — the
 * conclusion is still reported (it may be observed at a width far below the theorem's);</li>
 * <li>{@code inconclusive}: the hypothesis is met but the run cannot decide (too short a horizon, too few
 * points).</li>
 * </ul>
 */
public enum Verdict {
    HOLDS("holds"), VIOLATED("violated"), HYPOTHESIS_NOT_MET("hypothesis not met"), INCONCLUSIVE("inconclusive");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /** The verdict that follows from the hypothesis and the conclusion. */
    public static Verdict of(boolean hypothesisMet, Conclusion conclusion) {
        if (!hypothesisMet) {
            return HYPOTHESIS_NOT_MET;
        }
        return switch (conclusion) {
            case OBSERVED -> HOLDS;
            case NOT_OBSERVED -> VIOLATED;
            case UNDECIDED -> INCONCLUSIVE;
        };
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
