package org.overparam.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * σ'(z) from σ(z) (the quadrature's shortcut) against σ'(z) computed directly, over a wide range of z: within a few
 * ulp, or 1e-16 absolute where gelu's Φ(z) + zφ(z) cancels (near z = −0.75) in both forms.
 */
class DerivativeGivenValueTest {
    @ParameterizedTest
    @ValueSource(strings = {"relu", "tanh", "sigmoid", "softplus", "gelu", "erf", "linear", "leaky_relu:0.1"})
    void agreesWithTheDerivative(String name) {
        Activation a = Activation.parse(name);
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            double z = (r.nextDouble() - 0.5) * Math.pow(10, r.nextDouble(-3, 2.7));
            double d = a.derivative(z);
            assertEquals(d, a.derivativeGivenValue(z, a.value(z)), 4e-15 * Math.abs(d) + 1e-16, name + " at " + z);
        }
        assertEquals(a.derivative(0.0), a.derivativeGivenValue(0.0, a.value(0.0)), 0.0, name + " at 0");
    }
}
