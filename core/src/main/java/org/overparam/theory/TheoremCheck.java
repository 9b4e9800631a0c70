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

    /** The check's parameters by name (step, length, tolerances, ...), as the certificate shows them; none by default. */
    default java.util.Map<String, Object> parameters() {
        return java.util.Map.of();
    }

    /** An ordered parameter map from name, value pairs. */
    static java.util.Map<String, Object> p(Object... nameValue) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], nameValue[i + 1]);
        }
        return m;
    }

    /**
     * What to draw beside this result on this setup (measured series and the theory's curve), computed here
     * because the check knows what its theorem predicts; none by default.
     */
    default java.util.List<Figure> figures(CheckResult result, Setup setup) {
        return java.util.List.of();
    }
}
