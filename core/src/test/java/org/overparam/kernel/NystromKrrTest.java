package org.overparam.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.overparam.data.Synthetic;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Cholesky;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;
import org.overparam.nn.Activations;

/**
 * The Falkon-style solver: its preconditioned CG answer equals the dense solve of the same Nyström problem; with every
 * training point as a centre it is exact kernel ridge regression (GdPrediction at step ∞ with the same ridge); and its
 * test error approaches the exact kernel's as the number of centres grows.
 */
class NystromKrrTest {
    static final InfiniteWidthKernel IK = new InfiniteWidthKernel(2, Activations.RELU, 1.2, 0.1);
    static final BiFunction<Matrix, Matrix, Matrix> NTK = (a, b) -> {
        try (Kernel k = IK.compute(a, b)) {
            return k.ntk().copy();
        }
    };

    static Matrix sphere(int n, int d, long seed) {
        return Matrix.of(n, d, Synthetic.sphere(n, d, seed).data());
    }

    /** A smooth target: y = sin(3 x_0) + x_1 x_2, so more centres can only help. */
    static Matrix target(Matrix x) {
        Matrix y = Matrix.zeros(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            y.set(i, 0, Math.sin(3 * x.get(i, 0)) + x.get(i, 1) * x.get(i, 2));
        }
        return y;
    }

    /** n past one row block of K_nM (CentresKernel.BLOCK), so that the blocks' sums are exercised. */
    @Test
    void cgEqualsTheDenseNystromSolve() {
        double ridge = 1e-3;
        try (Matrix x = sphere(CentresKernel.BLOCK + 900, 6, 1); Matrix y = target(x); Matrix c = x.rowBlock(0, 60).copy();
                NystromKrr s = new NystromKrr(NTK, x, c, ridge)) {
            NystromKrr.Solve cg = s.solve(y, 1e-12, 500);
            try (Matrix dense = denseNystrom(x, c, y, ridge)) {
                double err = cg.alpha().maxAbsDiff(dense) / dense.frobenius();
                assertTrue(err < 1e-8, "relative difference " + err + " after " + cg.iterations() + " iterations");
            }
            assertTrue(cg.iterations() < 60, "the preconditioner keeps CG short: " + cg.iterations());
            cg.alpha().close();
        }
    }

    @Test
    void everyPointACentreIsExactKernelRidgeRegression() {
        double ridge = 1e-2;
        try (Matrix x = sphere(150, 5, 2); Matrix xt = sphere(30, 5, 3); Matrix y = target(x);
                NystromKrr s = new NystromKrr(NTK, x, x, ridge); Matrix kxx = NTK.apply(x, x);
                Matrix ktx = NTK.apply(xt, x); GdPrediction exact = new GdPrediction(kxx, x.rows(), 1.0, ridge);
                Matrix z = Matrix.zeros(x.rows(), 1); Matrix zt = Matrix.zeros(xt.rows(), 1)) {
            NystromKrr.Solve cg = s.solve(y, 1e-13, 2000);
            try (Matrix f = NystromKrr.predict(NTK, xt, x, cg.alpha());
                    Matrix want = exact.test(ktx, zt, z, y, GdPrediction.When.step(Double.POSITIVE_INFINITY))) {
                assertTrue(f.maxAbsDiff(want) < 1e-7 * (1 + want.frobenius()), "M = n: " + f.maxAbsDiff(want));
            }
            cg.alpha().close();
        }
    }

    @Test
    void testErrorApproachesTheExactKernelsAsCentresGrow() {
        double ridge = 1e-3;
        int n = 800;
        try (Matrix x = sphere(n, 4, 4); Matrix xt = sphere(200, 4, 5); Matrix y = target(x); Matrix yt = target(xt);
                Matrix kxx = NTK.apply(x, x); Matrix ktx = NTK.apply(xt, x);
                GdPrediction exact = new GdPrediction(kxx, n, 1.0, ridge); Matrix z = Matrix.zeros(n, 1);
                Matrix zt = Matrix.zeros(xt.rows(), 1);
                Matrix fe = exact.test(ktx, zt, z, y, GdPrediction.When.step(Double.POSITIVE_INFINITY))) {
            double full = mse(fe, yt);
            double[] gaps = new double[3];
            int[] ms = {10, 40, 320};
            for (int i = 0; i < 3; i++) {
                try (Matrix c = x.rowBlock(0, ms[i]).copy(); NystromKrr s = new NystromKrr(NTK, x, c, ridge)) {
                    NystromKrr.Solve cg = s.solve(y, 1e-10, 1000);
                    try (Matrix f = NystromKrr.predict(NTK, xt, c, cg.alpha())) {
                        gaps[i] = Math.abs(mse(f, yt) - full);
                    }
                    cg.alpha().close();
                }
            }
            assertTrue(gaps[0] > gaps[1] && gaps[1] > gaps[2] && gaps[2] < 0.01 * gaps[0], "test-mse gaps to the exact kernel's "
                    + full + " at M = 10, 40, 320: " + java.util.Arrays.toString(gaps));
        }
    }

    /** (K_nMᵀK_nM + ridge·K_MM)⁻¹K_nMᵀy formed and solved densely: the reference, independent of the solver. */
    static Matrix denseNystrom(Matrix x, Matrix c, Matrix y, double ridge) {
        try (Matrix knm = NTK.apply(x, c); Matrix kmm = NTK.apply(c, c);
                Matrix h = Blas.multiply(knm, true, knm, false); Matrix rhs = Blas.multiply(knm, true, y, false)) {
            Vectors.axpy(ridge, kmm, h);
            Cholesky f = Lapack.cholesky(h);
            try (Matrix lower = f.lower()) {
                return f.solve(rhs);
            }
        }
    }

    static double mse(Matrix f, Matrix y) {
        double s = 0;
        for (int i = 0; i < f.rows(); i++) {
            double d = f.get(i, 0) - y.get(i, 0);
            s += d * d;
        }
        return s / (2 * f.rows());
    }
}
