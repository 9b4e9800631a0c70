package org.overparam.theory;

/**
 * The outcome of a {@link TheoremCheck}, printed with exactly these labels:
 * <ul>
 * <li>{@code holds}: the hypothesis is met and the measured quantities satisfy the bound;</li>
 * <li>{@code violated}: the hypothesis is met and the bound fails beyond the stated tolerance — reserved for
 * statements that must hold by algebra on the measured quantities (a violation is a bug);</li>
 * <li>{@code hypothesis not met}: the theorem does not apply to this setup (nothing is claimed);</li>
 * <li>{@code inconclusive}: the bound was missed, but the constants it uses could only be estimated (e.g.
 * sampled along a path instead of bounded over a region), so the miss does not refute the theorem.</li>
 * </ul>
 */
public enum Verdict {
    HOLDS("holds"), VIOLATED("violated"), HYPOTHESIS_NOT_MET("hypothesis not met"), INCONCLUSIVE("inconclusive");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
