package org.overparam.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.overparam.io.NdArray;
import org.overparam.io.Npz;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;

/**
 * The closed forms against independent computations: k explicit GD steps of the linear model in function space
 * (f ← f − (η/n)Θ(f − y) on the training set, the test outputs moved by −(η/n)Θ(x, X)(f − y)), gradient flow against
 * many small steps, k = ∞ against a linear solve, a singular kernel without NaN, the ensemble covariance at ∞ against
 * the GP posterior K** − K*X K⁻¹ KX*, and neural-tangents' normalization (a numpy re-implementation of its
 * gradient_descent_mse, fixtures/predict) with learning_rate = η·k.
 */
class GdPredictionTest {
    static Matrix random(int r, int c, long seed) {
        SplittableRandom g = new SplittableRandom(seed);
        Matrix m = Matrix.zeros(r, c);
        for (long i = 0; i < m.size(); i++) {
            m.setAt(i, g.nextGaussian());
        }
        return m;
    }

    /** A PSD kernel over n + t points: Z Zᵀ/d (rank d), plus a small multiple of I when {@code full}. */
    static Matrix kernel(int n, int d, long seed, boolean full) {
        try (Matrix z = random(n, d, seed)) {
            Matrix k = Blas.multiply(z, false, z, true);
            for (int i = 0; i < n; i++) {
                k.set(i, i, k.get(i, i) + (full ? 0.5 : 0));
            }
            return k;
        }
    }

    static Matrix block(Matrix g, int r0, int r1, int c0, int c1) {
        Matrix out = Matrix.zeros(r1 - r0, c1 - c0);
        for (int i = r0; i < r1; i++) {
            for (int j = c0; j < c1; j++) {
                out.set(i - r0, j - c0, g.get(i, j));
            }
        }
        return out;
    }

    @Test
    void discreteStepsEqualExplicitGdInFunctionSpace() {
        int n = 10;
        int t = 4;
        int k = 2;
        double eta = 0.9;
        try (Matrix all = kernel(n + t, 6, 1, true); Matrix th = block(all, 0, n, 0, n);
                Matrix ts = block(all, n, n + t, 0, n); Matrix y = random(n, k, 2); Matrix f0 = random(n, k, 3);
                Matrix ft0 = random(t, k, 4); GdPrediction p = new GdPrediction(th, n, eta, 0.0)) {
            Matrix f = f0.copy();
            Matrix fs = ft0.copy();
            for (int step = 1; step <= 37; step++) {
                Matrix r = f.copy();
                org.overparam.linalg.Vectors.axpy(-1.0, y, r);
                Blas.gemm(false, false, -eta / n, ts, r, 1.0, fs);
                Blas.gemm(false, false, -eta / n, th, r, 1.0, f);
                r.close();
                if (step == 1 || step == 37) {
                    try (Matrix a = p.train(f0, y, GdPrediction.When.step(step));
                            Matrix b = p.test(ts, ft0, f0, y, GdPrediction.When.step(step))) {
                        assertTrue(a.maxAbsDiff(f) < 1e-12 * (1 + f.frobenius()), "train at step " + step + ": " + a.maxAbsDiff(f));
                        assertTrue(b.maxAbsDiff(fs) < 1e-12 * (1 + fs.frobenius()), "test at step " + step + ": " + b.maxAbsDiff(fs));
                    }
                }
            }
            f.close();
            fs.close();
        }
    }

    @Test
    void flowIsTheLimitOfSmallStepsAndInfinityIsKernelRegression() {
        int n = 8;
        int t = 3;
        double eta = 1.0;
        try (Matrix all = kernel(n + t, 5, 5, true); Matrix th = block(all, 0, n, 0, n);
                Matrix ts = block(all, n, n + t, 0, n); Matrix y = random(n, 1, 6); Matrix f0 = random(n, 1, 7);
                Matrix ft0 = random(t, 1, 8); GdPrediction p = new GdPrediction(th, n, eta, 0.0)) {
            // time T by 2^16 steps of eta/2^16 each: the flow, to O(1/steps)
            int steps = 1 << 16;
            double time = 3.0;
            try (GdPrediction fine = new GdPrediction(th, n, eta * time / steps, 0.0);
                    Matrix a = p.test(ts, ft0, f0, y, GdPrediction.When.time(time));
                    Matrix b = fine.test(ts, ft0, f0, y, GdPrediction.When.step(steps))) {
                assertTrue(a.maxAbsDiff(b) < 1e-4 * (1 + b.frobenius()), "flow vs small steps " + a.maxAbsDiff(b));
            }
            // k = ∞: f0(x) + Θ(x,X) Θ⁻¹ (y − f0(X)), by LAPACK's Cholesky solve
            try (Matrix r = y.copy()) {
                org.overparam.linalg.Vectors.axpy(-1.0, f0, r);
                Matrix sol = org.overparam.linalg.Lapack.cholesky(th).solve(r);
                Matrix want = ft0.copy();
                Blas.gemm(false, false, 1.0, ts, sol, 1.0, want);
                try (Matrix got = p.test(ts, ft0, f0, y, GdPrediction.When.step(Double.POSITIVE_INFINITY));
                        Matrix train = p.train(f0, y, GdPrediction.When.step(Double.POSITIVE_INFINITY))) {
                    assertTrue(got.maxAbsDiff(want) < 1e-10 * (1 + want.frobenius()), "inf: " + got.maxAbsDiff(want));
                    assertTrue(train.maxAbsDiff(y) < 1e-10, "the training set is fit at inf");
                }
                sol.close();
                want.close();
            }
        }
    }

    @Test
    void aSingularKernelGivesFiniteOutputsAndSaysSo() {
        int n = 9;
        try (Matrix th = kernel(n, 3, 9, false); Matrix y = random(n, 1, 10); Matrix f0 = Matrix.zeros(n, 1);
                GdPrediction p = new GdPrediction(th, n, 0.5, 0.0)) {
            assertTrue(p.droppedEigenvalues >= n - 3, "rank 3 of 9: " + p.droppedEigenvalues);
            for (double k : new double[] {1, 1000, Double.POSITIVE_INFINITY}) {
                try (Matrix f = p.test(th, f0, f0, y, GdPrediction.When.step(k))) {
                    for (double v : f.toArray()) {
                        assertTrue(Double.isFinite(v));
                    }
                }
            }
        }
    }

    /**
     * Asked for k = ∞ only, a well-conditioned kernel is solved by Cholesky and gives what the eigendecomposition
     * gives (training and test outputs, covariance); a singular one, where Cholesky would differ from the
     * pseudo-inverse, falls back to the eigendecomposition.
     */
    @Test
    void atInfinityOnlyCholeskyGivesTheEigendecompositionsAnswerAndStepsAsideWhenSingular() {
        int n = 40;
        int t = 6;
        GdPrediction.When inf = GdPrediction.When.step(Double.POSITIVE_INFINITY);
        try (Matrix all = kernel(n + t, 30, 21, true); Matrix th = block(all, 0, n, 0, n);
                Matrix ts = block(all, n, n + t, 0, n); Matrix tt = block(all, n, n + t, n, n + t);
                Matrix y = random(n, 2, 22); Matrix f0 = random(n, 2, 23); Matrix ft0 = random(t, 2, 24);
                GdPrediction chol = new GdPrediction(th, n, 1.0, 0.01, true);
                GdPrediction eig = new GdPrediction(th, n, 1.0, 0.01)) {
            assertTrue(chol.reciprocalCondition > 0 && Double.isNaN(eig.reciprocalCondition), "Cholesky served");
            try (Matrix a = chol.test(ts, ft0, f0, y, inf); Matrix b = eig.test(ts, ft0, f0, y, inf);
                    Matrix c = chol.train(f0, y, inf); Matrix d = eig.train(f0, y, inf);
                    Matrix e = chol.covariance(ts, tt, ts, th, inf); Matrix f = eig.covariance(ts, tt, ts, th, inf)) {
                assertTrue(a.maxAbsDiff(b) < 1e-10 * (1 + b.frobenius()), "test " + a.maxAbsDiff(b));
                assertTrue(c.maxAbsDiff(d) < 1e-10 * (1 + d.frobenius()), "train " + c.maxAbsDiff(d));
                assertTrue(e.maxAbsDiff(f) < 1e-10 * (1 + f.frobenius()), "covariance " + e.maxAbsDiff(f));
            }
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> chol.train(f0, y, GdPrediction.When.step(10)));
        }
        try (Matrix th = kernel(9, 3, 9, false); GdPrediction p = new GdPrediction(th, 9, 0.5, 0.0, true)) {
            assertTrue(Double.isNaN(p.reciprocalCondition), "rank 3 of 9: the eigendecomposition serves");
            assertTrue(p.droppedEigenvalues >= 6, "dropped " + p.droppedEigenvalues);
        }
    }

    @Test
    void ensembleCovarianceAtInfinityIsTheGpPosterior() {
        int n = 7;
        int t = 3;
        try (Matrix all = kernel(n + t, 5, 11, true); Matrix kxx = block(all, 0, n, 0, n);
                Matrix ktx = block(all, n, n + t, 0, n); Matrix ktt = block(all, n, n + t, n, n + t);
                GdPrediction p = new GdPrediction(kxx, n, 1.0, 0.0);
                Matrix cov = p.covariance(ktx, ktt, ktx, kxx, GdPrediction.When.time(Double.POSITIVE_INFINITY));
                Matrix kxt = ktx.transpose(); Matrix sol = org.overparam.linalg.Lapack.cholesky(kxx).solve(kxt)) {
            // NNGP as both kernels (the nngp kind): the Bayesian posterior K** − K*X K⁻¹ KX*
            Matrix want = ktt.copy();
            Blas.gemm(false, false, -1.0, ktx, sol, 1.0, want);
            assertTrue(cov.maxAbsDiff(want) < 1e-10, "posterior covariance " + cov.maxAbsDiff(want));
            want.close();
        }
    }

    @Test
    void neuralTangentsNormalizationConvertsByK() throws Exception {
        Map<String, NdArray> f = Npz.read(Path.of("src/test/resources/fixtures/predict/nt_predict.npz"));
        int n = f.get("y").shape()[0];
        int k = f.get("y").shape()[1];
        int t = f.get("k_test_train").shape()[0];
        double lrNt = f.get("learning_rate_nt").data()[0];
        double[] times = f.get("times").data();
        try (Matrix th = Matrix.of(n, n, f.get("k_train_train").data());
                Matrix ts = Matrix.of(t, n, f.get("k_test_train").data()); Matrix y = Matrix.of(n, k, f.get("y").data());
                Matrix f0 = Matrix.of(n, k, f.get("f0").data()); Matrix ft0 = Matrix.of(t, k, f.get("ftest0").data());
                GdPrediction p = new GdPrediction(th, n, lrNt / k, 0.0)) {
            double[] train = f.get("train").data();
            double[] test = f.get("test").data();
            for (int w = 0; w < times.length; w++) {
                try (Matrix a = p.train(f0, y, GdPrediction.When.time(times[w]));
                        Matrix b = p.test(ts, ft0, f0, y, GdPrediction.When.time(times[w]))) {
                    for (int i = 0; i < n * k; i++) {
                        assertEquals(train[w * n * k + i], a.at(i), 1e-10, "train, t = " + times[w]);
                    }
                    for (int i = 0; i < t * k; i++) {
                        assertEquals(test[w * t * k + i], b.at(i), 1e-10, "test, t = " + times[w]);
                    }
                }
            }
        }
    }
}
