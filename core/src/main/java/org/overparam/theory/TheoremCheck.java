package org.overparam.theory;

/**
 * One theorem of the optimization theory of over-parameterized nets, checked numerically on a {@link Setup}.
 * Parameters specific to a check (step size, number of steps, L*) are constructor arguments of the
 * implementing class; {@link #run} never modifies the setup's network (checks that train work on a copy).
 */
public interface TheoremCheck {
    /** A short stable id, e.g. {@code pl-least-squares}. */
    String id();

    /** The statement checked, in words. */
    String claim();

    /** Citation with theorem or equation number. */
    String paper();

    CheckResult run(Setup setup);

    /**
     * What to draw beside this result on this setup (measured series and the theory's curve), computed here
     * because the check knows what its theorem predicts; none by default.
     */
    default java.util.List<Figure> figures(CheckResult result, Setup setup) {
        return java.util.List.of();
    }
}
