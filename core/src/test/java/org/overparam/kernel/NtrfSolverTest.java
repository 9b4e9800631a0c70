package org.overparam.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.overparam.InputError;
import org.overparam.data.Dataset;
import org.overparam.data.Synthetic;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.nn.FiniteDifference;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.train.Loss;

/**
 * The NTRF solver (Chen et al. 2021, Definition 3.1) against independent computations: J·v and Jᵀ·r against the
 * materialized Jacobian and finite differences; ε_NTRF against plain projected gradient on the materialized J; the
 * known cases R = 0 (the loss of f(W0)) and large R on separable data (towards 0); the constraint; monotonicity in R.
 */
class NtrfSolverTest {
    static Matrix unitRows(Matrix x) {
        for (int i = 0; i < x.rows(); i++) {
            double s = 0;
            for (int j = 0; j < x.cols(); j++) {
                s += x.get(i, j) * x.get(i, j);
            }
            for (int j = 0; j < x.cols(); j++) {
                x.set(i, j, x.get(i, j) / Math.sqrt(s));
            }
        }
        return x;
    }

    static Matrix signs(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Matrix y = Matrix.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            y.set(i, 0, rng.nextBoolean() ? 1 : -1);
        }
        return y;
    }

    @Test
    void jvpAndVjpMatchTheMaterializedJacobianAndFiniteDifferences() {
        Matrix x = unitRows(gaussian(8, 3, 1));
        try (Network net = Network.initialize(NetworkSpec.chen2021(3, 6, 3), 2); LinearizedNet lin = new LinearizedNet(net, x)) {
            Matrix j = Jacobian.compute(net, x, null);
            Matrix v = gaussian((int) net.parameterCount(), 1, 3);
            Matrix r = gaussian(8, 1, 4);
            Matrix jv = Matrix.zeros(8, 1);
            lin.jvp(v, jv);
            Matrix ref = Blas.multiply(j, v);
            assertTrue(jv.maxAbsDiff(ref) <= 1e-12 * ref.frobenius(), "Jv " + jv.maxAbsDiff(ref));
            Matrix jtr = net.newParameterVector();
            lin.vjp(r, jtr);
            Matrix refT = Blas.multiply(j, true, r, false);
            assertTrue(jtr.maxAbsDiff(refT) <= 1e-12 * refT.frobenius(), "J^T r " + jtr.maxAbsDiff(refT));
            Matrix fd = Matrix.zeros(8, 1);
            FiniteDifference.directionalVector(net.parameters(), v, 1e-6, out -> out.copyFrom(net.predict(x)), fd);
            for (int i = 0; i < 8; i++) {
                assertTrue(FiniteDifference.relativeError(jv.at(i), fd.at(i), 1e-8) < 1e-6, "row " + i);
            }
        }
    }

    /** Projected gradient with step 1/L, L = λmax(JJᵀ)/(4n), on the materialized J, run to a tiny gap. */
    static double reference(Matrix j, Matrix f0, Matrix y, int[] blocks, double tau) {
        int n = j.rows();
        int p = j.cols();
        double lip = Lapack.symmetricEigenvalues(Blas.multiply(j, false, j, true))[n - 1] / (4.0 * n);
        Matrix v = Matrix.zeros(p, 1);
        Matrix out = Matrix.zeros(n, 1);
        Matrix d = Matrix.zeros(n, 1);
        double value = 0;
        for (int it = 0; it < 200_000; it++) {
            out.copyFrom(f0);
            Blas.gemv(false, 1.0, j, v, 1.0, out);
            value = Loss.LOGISTIC.gradient(out, y, d);
            Matrix g = Blas.multiply(j, true, d, false);
            for (int k = 0; k < p; k++) {
                v.setAt(k, v.at(k) - g.at(k) / lip);
            }
            int from = 0;
            for (int len : blocks) {
                double s = 0;
                for (int k = from; k < from + len; k++) {
                    s += v.at(k) * v.at(k);
                }
                if (Math.sqrt(s) > tau) {
                    for (int k = from; k < from + len; k++) {
                        v.setAt(k, v.at(k) * tau / Math.sqrt(s));
                    }
                }
                from += len;
            }
        }
        return value;
    }

    @Test
    void matchesProjectedGradientOnTheMaterializedJacobianWithinTheCertifiedGap() {
        Matrix x = unitRows(gaussian(10, 3, 5));
        Matrix y = signs(10, 6);
        try (Network net = Network.initialize(NetworkSpec.chen2021(3, 5, 3), 7); LinearizedNet lin = new LinearizedNet(net, x)) {
            Matrix j = Jacobian.compute(net, x, null);
            int[] blocks = {(int) net.layerLength(0), (int) net.layerLength(1), (int) net.layerLength(2)};
            NtrfSolver solver = new NtrfSolver(1e-7, 20_000);
            for (double r : new double[] {0.3, 1.5}) {
                NtrfResult res = solver.solve(lin, y, r, null);
                double ref = reference(j, lin.f0(), y, blocks, r / Math.sqrt(5));
                System.out.printf("NTRF R=%.1f: solver %.10f (gap %.2e, %d it) reference %.10f%n", r, res.objective(),
                        res.gap(), res.iterations(), ref);
                assertTrue(res.converged(), res.toString());
                // ε_NTRF lies in [objective − gap, objective]; the reference is an upper bound converged to ~1e-12
                assertTrue(ref >= res.objective() - res.gap() - 1e-9 && ref <= res.objective() + 1e-9,
                        res + " vs reference " + ref);
                assertEquals(ref, res.objective(), 1e-7);
            }
        }
    }

    @Test
    void zeroRadiusIsTheLossAtInitialization() {
        Matrix x = unitRows(gaussian(12, 4, 8));
        Matrix y = signs(12, 9);
        try (Network net = Network.initialize(NetworkSpec.chen2021(4, 16, 2), 10); LinearizedNet lin = new LinearizedNet(net, x)) {
            NtrfResult res = NtrfSolver.defaults().solve(lin, y, 0.0, null);
            assertEquals(Loss.LOGISTIC.value(net.predict(x), y), res.objective(), 1e-15);
            assertEquals(0.0, res.maxLayerNorm());
            assertTrue(res.converged());
        }
    }

    @Test
    void constraintHoldsObjectiveFallsWithRAndSeparableDataGoesTowardsZero() {
        Dataset data = Synthetic.twoClassMargin(60, 5, 0.2, 11);
        Matrix x = Matrix.of(60, 5, data.x().data());
        Matrix y = Matrix.of(60, 1, data.y().data());
        int m = 64;
        try (Network net = Network.initialize(NetworkSpec.chen2021(5, m, 2), 12); LinearizedNet lin = new LinearizedNet(net, x)) {
            NtrfSolver solver = new NtrfSolver(1e-5, 5000);
            Matrix delta = net.newParameterVector();
            double previous = Double.POSITIVE_INFINITY;
            NtrfResult last = null;
            for (double r : new double[] {0, 0.5, 1, 2, 4, 8, 16}) {
                NtrfResult res = solver.solve(lin, y, r, delta);
                System.out.printf("margin data, m=%d: eps_NTRF(%.1f) = %.6f (gap %.1e, %d it, acc %.3f)%n", m, r,
                        res.objective(), res.gap(), res.iterations(), res.accuracy());
                assertTrue(res.converged(), res.toString());
                double tau = r / Math.sqrt(m);
                for (int l = 0; l < 2; l++) {
                    assertTrue(lin.layerBlock(delta, l).frobenius() <= tau * (1 + 1e-12), "layer " + l + " outside the ball");
                }
                // convexity: the balls are nested, so the minimum cannot rise (up to the certified gaps)
                assertTrue(res.objective() <= previous + 1e-5, "eps_NTRF rose with R: " + res.objective() + " > " + previous);
                previous = res.objective();
                last = res;
            }
            assertTrue(last.objective() < 0.05 && last.accuracy() == 1.0, "large R on separable data: " + last);
        }
    }

    @Test
    void radiusInOtherUnitsIsRefused() {
        Matrix x = unitRows(gaussian(4, 3, 13));
        try (Network net = Network.initialize(NetworkSpec.du2019(3, 8, org.overparam.nn.Activations.RELU), 1);
                LinearizedNet lin = new LinearizedNet(net, x)) {
            assertThrows(InputError.class, () -> NtrfSolver.defaults().solve(lin, signs(4, 1), 1.0, null));
        }
    }
}
