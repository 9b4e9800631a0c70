package org.overparam.theory;

/**
 * Whether a theorem's conclusion is seen on the measured run, asked separately from whether its hypothesis is met
 * (issue 13): a conclusion can be observed at a width far below the one a theorem needs, and a horizon too short
 * to decide says so instead of passing.
 */
public enum Conclusion {
    /** the measured numbers satisfy the conclusion (within the check's stated tolerance) */
    OBSERVED("observed"),
    /** the measured numbers contradict it */
    NOT_OBSERVED("not observed"),
    /** this run cannot decide: too short a horizon, too few points, or nothing measured */
    UNDECIDED("undecided");

    private final String label;

    Conclusion(String label) {
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
