package org.overparam.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.overparam.nn.Activation;
import org.overparam.nn.QuadratureDual;

/**
 * The numerical duals of the activations without a closed form against an independent adaptive Gauss–Kronrod
 * integration ({@link AdaptiveGaussian}), at standard deviations from 1e-3 to 1e3 (input norms from 1e-3 to 1e3
 * at σ_w = 1), correlations from −1 to 1 and unequal variances.
 */
class QuadratureDualTest {
    static Stream<String> smooth() {
        return Stream.of("tanh", "softplus", "sigmoid", "gelu");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smooth")
    void matchesAdaptiveQuadratureAtEveryScale(String name) {
        Activation a = Activation.parse(name);
        QuadratureDual d = new QuadratureDual(a);
        double worst = 0;
        String where = "";
        double[] f = new double[1];
        for (double sd : new double[] {1e-3, 0.3, 0.31, 0.5, 1, 2.3, 2.6, 10, 1e3}) {
            for (double ratio : new double[] {1, 0.05}) {
                for (double rho : new double[] {0, -0.7, 0.9999, 1}) {
                    double k11 = sd * sd;
                    double k22 = ratio * ratio * k11;
                    double k12 = rho * sd * sd * ratio;
                    double nngp = d.nngpAndFactor(k11, k22, k12, f);
                    double refN = AdaptiveGaussian.expect(a::value, a::value, k11, k22, k12, 1e-11);
                    double refF = AdaptiveGaussian.expect(a::derivative, a::derivative, k11, k22, k12, 1e-11);
                    // the error is measured against the diagonal scale √(E[f(u)²]·E[f(v)²]) (entries may be 0)
                    double scaleN = Math.sqrt(d.diagonal(k11) * d.diagonal(k22));
                    double scaleF = Math.sqrt(d.ntkFactor(k11, k11, k11) * d.ntkFactor(k22, k22, k22));
                    double e = Math.max(Math.abs(nngp - refN) / scaleN, Math.abs(f[0] - refF) / scaleF);
                    if (e > worst) {
                        worst = e;
                        where = String.format("sd %g ratio %g rho %g: nngp %.15g vs %.15g, factor %.15g vs %.15g",
                                sd, ratio, rho, nngp, refN, f[0], refF);
                    }
                }
            }
            double refD = AdaptiveGaussian.mean(z -> a.value(z) * a.value(z), 0, sd, 1e-13);
            assertEquals(refD, d.diagonal(sd * sd), 1e-10 * refD, name + " E[phi^2] at sd " + sd);
        }
        assertEquals(0, worst, 1e-10, name + " worst at " + where);
    }
}
