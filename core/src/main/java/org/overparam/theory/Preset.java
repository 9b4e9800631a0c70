package org.overparam.theory;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A built-in setup for {@code certify --all}: a name, the setup, and optionally the check's parameters for it (e.g.
 * a step size derived from the setup); null uses the check's default for the step count.
 */
public record Preset(String name, Supplier<Setup> setup, Function<Setup, TheoremCheck> check) {
    public Preset(String name, Supplier<Setup> setup) {
        this(name, setup, null);
    }
}
