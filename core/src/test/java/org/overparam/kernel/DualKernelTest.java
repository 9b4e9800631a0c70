package org.overparam.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.overparam.nn.Activation;
import org.overparam.nn.DualKernel;
import org.overparam.nn.QuadratureDual;

/** Every closed-form dual map against an independent 2-D numerical integration ({@link GaussianIntegral}). */
class DualKernelTest {
    /** (k11, k22, k12): orthogonal, generic, negative, near-parallel, parallel, anti-parallel, tiny and large. */
    static final double[][] TRIPLES = {
        {1, 1, 0}, {1, 1, 0.5}, {2, 0.5, -0.7}, {1.3, 0.8, 0.999999 * Math.sqrt(1.3 * 0.8)},
        {1, 4, 2 * (1 - 1e-12)}, {1, 1, 1}, {2, 2, -2}, {0.01, 3, 0.1}, {5, 5, 4.9}, {0.3, 7, -1.2},
    };

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (String a : new String[] {"relu", "leaky_relu:0.1", "leaky_relu:-0.5", "linear", "erf", "step"}) {
            for (double[] t : TRIPLES) {
                b.add(Arguments.of(a, t[0], t[1], t[2]));
            }
        }
        return b.build();
    }

    static double tol(double v) {
        return 1e-8 * Math.max(1, Math.abs(v));
    }

    @ParameterizedTest(name = "{0} at ({1}, {2}, {3})")
    @MethodSource("cases")
    void closedFormMatchesIntegration(String name, double k11, double k22, double k12) {
        Activation a = Activation.parse(name);
        DualKernel d = a.dual();
        double nngp = GaussianIntegral.expect(a::value, a::value, k11, k22, k12);
        double factor = GaussianIntegral.expect(a::derivative, a::derivative, k11, k22, k12);
        assertEquals(nngp, d.nngp(k11, k22, k12), tol(nngp), "E[phi(u)phi(v)]");
        assertEquals(factor, d.ntkFactor(k11, k22, k12), tol(factor), "E[phi'(u)phi'(v)]");
        double[] f = new double[1];
        assertEquals(d.nngp(k11, k22, k12), d.nngpAndFactor(k11, k22, k12, f), 1e-15 * Math.max(1, Math.abs(nngp)));
        assertEquals(d.ntkFactor(k11, k22, k12), f[0], 1e-15);
        double diag = GaussianIntegral.expect(a::value, a::value, k11, k11, k11);
        assertEquals(diag, d.diagonal(k11), tol(diag), "E[phi(u)^2]");
        // symmetric in (u, v)
        assertEquals(d.nngp(k11, k22, k12), d.nngp(k22, k11, k12), 1e-14 * Math.max(1, Math.abs(nngp)));
    }

    @Test
    void onlySmoothActivationsLackAClosedForm() {
        for (String s : new String[] {"tanh", "softplus", "sigmoid", "gelu"}) {
            assertNull(Activation.parse(s).dual(), s);
        }
    }

    /** Zero variances (x = 0, no bias) give the exact expectations with u ≡ 0, never NaN. */
    @Test
    void zeroVariancesAreFinite() {
        for (String s : new String[] {"relu", "leaky_relu:0.2", "linear", "erf", "step", "tanh", "gelu", "softplus"}) {
            Activation a = Activation.parse(s);
            DualKernel d = a.dual() != null ? a.dual() : new QuadratureDual(a);
            for (double[] t : new double[][] {{0, 0, 0}, {0, 2, 0}, {3, 0, 0}}) {
                double v = d.nngp(t[0], t[1], t[2]);
                double f = d.ntkFactor(t[0], t[1], t[2]);
                assertTrue(Double.isFinite(v) && Double.isFinite(f) && Double.isFinite(d.diagonal(t[0])), s);
                // with u ≡ 0: E[φ(0)φ(v)] and E[φ'(0)φ'(v)]
                double k22 = t[0] == 0 ? t[1] : t[0];
                double e = a.value(0) * (k22 == 0 ? a.value(0) : GaussianIntegral.expect(z -> 1, a::value, 1, k22, 0));
                double ef = a.derivative(0)
                        * (k22 == 0 ? a.derivative(0) : GaussianIntegral.expect(z -> 1, a::derivative, 1, k22, 0));
                assertEquals(e, v, 1e-8, s + " nngp " + java.util.Arrays.toString(t));
                assertEquals(ef, f, 1e-8, s + " factor " + java.util.Arrays.toString(t));
            }
        }
    }
}
