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

    /**
     * The statement's central formula in plain ASCII math ({@code ||grad L||^2 >= mu L}; the notation is report's
     * MathMl's), which the HTML reports render as MathML.
     */
    String formula();

    /** Citation with theorem or equation number. */
    String paper();

    CheckResult run(Setup setup);

    /**
     * True when the theorem is stated for any differentiable network (PL of least squares, PL ⇒ linear rate, the
     * step size from the kernel, SGD's bound): it then runs on convolutional and residual nets unchanged. False (the
     * default) for theorems about fully connected nets (two-layer ReLU nets, Soudry &amp; Carmon's layer ranks,
     * Chen et al.'s deep ReLU nets): on another network they report their hypothesis unmet and why.
     */
    default boolean generalNetworks() {
        return false;
    }

    /** The result of a check stated for fully connected nets on a network that is not one: hypothesis not met. */
    default CheckResult notFullyConnected(Setup setup) {
        return new CheckResult(id(), claim(), paper(), new CheckResult.Hypothesis("a fully connected network (the "
                + "theorem's setting)", false), java.util.Map.of(), new CheckResult.Bound("stated for fully connected "
                        + "networks", Double.NaN), Conclusion.UNDECIDED, "the theorem is stated for fully connected "
                        + "networks; this run trains " + setup.net().describe());
    }

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
