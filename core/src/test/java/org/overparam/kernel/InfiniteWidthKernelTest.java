package org.overparam.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.overparam.InputError;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Rank;
import org.overparam.nn.Activation;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.Workspace;

class InfiniteWidthKernelTest {
    static double relFrobenius(Matrix a, Matrix b) {
        double num = 0;
        double den = 0;
        for (long k = 0; k < a.size(); k++) {
            double d = a.at(k) - b.at(k);
            num += d * d;
            den += b.at(k) * b.at(k);
        }
        return Math.sqrt(num / den);
    }

    /** (e) L = 0: NTK = NNGP = σ_w² X Xᵀ/d + σ_b², the linear model's kernel. */
    @Test
    void depthZeroIsTheLinearModel() {
        Matrix x = gaussian(7, 5, 1);
        double sw = 1.7;
        double sb = 0.4;
        try (Kernel k = new InfiniteWidthKernel(0, Activations.RELU, sw, sb).compute(x)) {
            for (int i = 0; i < 7; i++) {
                for (int j = 0; j < 7; j++) {
                    double dot = 0;
                    for (int c = 0; c < 5; c++) {
                        dot += x.get(i, c) * x.get(j, c);
                    }
                    double expect = sw * sw * dot / 5 + sb * sb;
                    assertEquals(expect, k.ntk().get(i, j), 1e-13 * Math.abs(expect));
                    assertEquals(expect, k.nngp().get(i, j), 1e-13 * Math.abs(expect));
                }
                assertEquals(k.nngp().get(i, i), k.diag1()[i], 1e-14 * k.diag1()[i]);
            }
        }
    }

    /**
     * One hidden relu layer written out by hand from the scalar formulas: K¹ = σ_w²xᵀy/d + σ_b²,
     * K² = σ_w²κ₁(K¹) + σ_b², Θ = K² + σ_w²·κ₀(K¹)·K¹ (Θ uses the updated K: neural-tangents'
     * {@code ntk = nngp + W_std**2 * ntk} after {@code nngp} went through {@code _affine}).
     */
    @Test
    void oneHiddenReluLayerByHand() {
        double[] x = {0.3, -1.2, 0.8};
        double[] y = {1.1, 0.4, -0.5};
        double sw = 1.3;
        double sb = 0.2;
        double d = 3;
        double kxx = sw * sw * dot(x, x) / d + sb * sb;
        double kyy = sw * sw * dot(y, y) / d + sb * sb;
        double kxy = sw * sw * dot(x, y) / d + sb * sb;
        double theta = Math.acos(kxy / Math.sqrt(kxx * kyy));
        double k2 = sw * sw * (Math.sqrt(kxx * kyy - kxy * kxy) + (Math.PI - theta) * kxy) / (2 * Math.PI) + sb * sb;
        double ntk = k2 + sw * sw * (Math.PI - theta) / (2 * Math.PI) * kxy;
        try (Matrix m = Matrix.ofRows(new double[][] {x, y});
                Kernel k = new InfiniteWidthKernel(1, Activations.RELU, sw, sb).compute(m)) {
            assertEquals(k2, k.nngp().get(0, 1), 1e-14);
            assertEquals(ntk, k.ntk().get(0, 1), 1e-14);
            assertEquals(ntk, k.ntk().get(1, 0), 1e-14);
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * Without bias the relu kernels are homogeneous, K(cX) = c²K(X) and Θ(cX) = c²Θ(X). At c = 1e±80 the variances
     * (~1e±160) leave the range of the staged angle loops ({@link org.overparam.nn.DualKernels#staged}) and every
     * entry takes the scalar general path: it must agree with the staged one to rounding.
     */
    @Test
    void unstagedScalesTakeTheGeneralPathAndAgree() {
        Matrix x = gaussian(300, 9, 12);
        InfiniteWidthKernel ik = new InfiniteWidthKernel(3, Activations.RELU, 1.4, 0.0);
        try (Matrix ref = ik.ntk(x)) {
            for (double c : new double[] {1e-80, 1e80}) {
                try (Matrix xc = x.copy()) {
                    org.overparam.linalg.Vectors.scale(c, xc);
                    try (Matrix got = ik.ntk(xc)) {
                        double m = 0;
                        for (int i = 0; i < 300; i++) {
                            for (int j = 0; j < 300; j++) {
                                m = Math.max(m, Math.abs(got.get(i, j) / (c * c) - ref.get(i, j)));
                            }
                        }
                        assertTrue(m < 1e-13 * ref.frobenius(), "c = " + c + ": differs by " + m);
                    }
                }
            }
        }
    }

    /** The fused in-place path equals the value-semantics layer steps, and the cross kernel equals the blocks. */
    @Test
    void fusedPathEqualsLayerByLayerAndCrossKernel() {
        Matrix x = gaussian(300, 9, 2); // 300² entries: above Parallel.MIN_PARALLEL, so the parallel split runs
        List<Activation> acts = List.of(Activations.RELU, Activations.ERF, Activation.parse("leaky_relu:0.2"));
        InfiniteWidthKernel ik = new InfiniteWidthKernel(3, acts, 1.4, 0.3);
        try (Kernel fused = ik.compute(x)) {
            Kernel k = Kernel.ofInputs(x).dense(1.4, 0.3);
            for (int l = 0; l < 3; l++) {
                Kernel a = k.activate(acts.get(l).dual());
                k.close();
                k = a.dense(1.4, 0.3);
                a.close();
            }
            assertTrue(fused.nngp().maxAbsDiff(k.nngp()) < 1e-13 * fused.nngp().frobenius(),
                    "nngp " + fused.nngp().maxAbsDiff(k.nngp()));
            assertTrue(fused.ntk().maxAbsDiff(k.ntk()) < 1e-13 * fused.ntk().frobenius(),
                    "ntk " + fused.ntk().maxAbsDiff(k.ntk()));
            for (int i = 0; i < 300; i++) {
                for (int j = 0; j < i; j++) {
                    assertEquals(fused.ntk().get(j, i), fused.ntk().get(i, j), 0.0);
                }
            }
            k.close();
            // one kernel alone, in place in one matrix: the same doubles
            try (Matrix ntk = ik.ntk(x); Matrix nngp = ik.nngp(x)) {
                assertArrayEquals(fused.ntk().toArray(), ntk.toArray(), 0.0);
                assertArrayEquals(fused.nngp().toArray(), nngp.toArray(), 0.0);
            }
            try (Matrix x1 = x.rowBlock(0, 120).copy(); Matrix x2 = x.rowBlock(120, 300).copy();
                    Kernel cross = ik.compute(x1, x2)) {
                assertEquals(120, cross.rows());
                assertEquals(180, cross.cols());
                double m = 0;
                for (int i = 0; i < 120; i++) {
                    for (int j = 0; j < 180; j++) {
                        m = Math.max(m, Math.abs(cross.ntk().get(i, j) - fused.ntk().get(i, 120 + j)));
                        m = Math.max(m, Math.abs(cross.nngp().get(i, j) - fused.nngp().get(i, 120 + j)));
                    }
                }
                assertTrue(m < 1e-13 * fused.ntk().frobenius(), "cross kernel differs by " + m);
            }
        }
    }

    /**
     * (b) Monte Carlo NNGP: E[f(x_i)f(x_j)] over S random NTK-parameterized networks against the analytic NNGP.
     * For Gaussian outputs E‖K̂ − K‖²_F = (1/S)Σ_ij (K_ii K_jj + K_ij²); the test allows 3 such standard errors
     * (neural-tangents' own stax tests use a fixed relative tolerance of 0.041 at width 1024).
     */
    @ParameterizedTest(name = "{0}, L={1}, width {2}, {3} networks")
    @CsvSource({"relu, 2, 512, 200", "relu, 1, 1024, 3000", "leaky_relu:-0.4, 1, 512, 3000", "erf, 1, 512, 3000",
        "step, 1, 512, 3000", "tanh, 1, 512, 3000", "erf, 2, 256, 600"})
    void monteCarloNngp(String act, int depth, int width, int nets) {
        int n = 6;
        int d = 4;
        Matrix x = gaussian(n, d, 3);
        x.set(1, 0, 0.5 * x.get(0, 0)); // mixed: one row nearly aligned with another
        double sw = 1.5;
        double sb = 0.3;
        Activation a = Activation.parse(act);
        int[] hidden = new int[depth];
        java.util.Arrays.fill(hidden, width);
        Matrix emp = Matrix.zeros(n, n);
        NetworkSpec spec = NetworkSpec.ntk(d, hidden, 1, a, sw, sb, true);
        for (int s = 0; s < nets; s++) {
            try (Network net = Network.initialize(spec, 1000 + s); Matrix f = net.predict(x)) {
                Blas.gemm(false, true, 1.0 / nets, f, f, 1.0, emp);
            }
        }
        try (Kernel k = InfiniteWidthKernel.of(spec).compute(x)) {
            double var = 0;
            double norm = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double kij = k.nngp().get(i, j);
                    var += k.nngp().get(i, i) * k.nngp().get(j, j) + kij * kij;
                    norm += kij * kij;
                }
            }
            double se = Math.sqrt(var / nets / norm);
            double err = relFrobenius(emp, k.nngp());
            assertTrue(err < 3 * se, "relative Frobenius error " + err + " vs standard error " + se);
        }
    }

    /**
     * The NTK itself: the empirical tangent kernel J Jᵀ (J from the network's own backward pass, gradients in the
     * N(0,1) variables) of wide relu networks against the analytic Θ. At width w the empirical NTK fluctuates by
     * O(1/√w); averaged over 4 networks of width 1024 the relative error is a few percent, while the wrong Dense
     * order (Θ ← σ_w²Θ + K with the old K) is off by ~20 % here.
     */
    @Test
    void empiricalNtkOfWideNetworks() {
        int n = 5;
        int d = 4;
        Matrix x = gaussian(n, d, 4);
        double sw = 1.5;
        double sb = 0.3;
        NetworkSpec spec = NetworkSpec.ntk(d, new int[] {1024, 1024}, 1, Activations.RELU, sw, sb, true);
        int nets = 4;
        Matrix emp = Matrix.zeros(n, n);
        for (int s = 0; s < nets; s++) {
            try (Network net = Network.initialize(spec, 77 + s); Workspace ws = net.workspace(n);
                    Matrix jac = Matrix.zeros(n, (int) net.parameterCount())) {
                for (int i = 0; i < n; i++) {
                    net.forward(x, ws);
                    Matrix e = Matrix.zeros(n, 1);
                    e.set(i, 0, 1.0);
                    Matrix row = Matrix.view(jac.pointer(), (long) i * jac.cols(), (int) net.parameterCount(), 1);
                    net.backward(x, ws, e, row, 1.0, 0.0);
                    e.close();
                }
                Blas.syrk(false, 1.0 / nets, jac, 1.0, emp);
            }
        }
        try (Kernel k = InfiniteWidthKernel.of(spec).compute(x)) {
            double err = relFrobenius(emp, k.ntk());
            assertTrue(err < 0.05, "relative Frobenius error of the empirical NTK " + err);
        }
    }

    /**
     * (d) Bias-free relu and step kernels are positively homogeneous (degree 1 and 0 in each argument), so
     * x_j = c·x_i makes row j = c^deg·row i: |λ_min| below the rank tolerance n·ε·λ_max and the project's rank rule
     * ({@link Rank}, numpy's matrix_rank) finds rank n − 1. Without parallel pairs λ_min exceeds 1000× that tolerance and the rank is n.
     */
    @ParameterizedTest(name = "{0}, L={1}")
    @CsvSource({"relu, 1", "relu, 3", "step, 1", "step, 2", "leaky_relu:0.1, 2"})
    void parallelInputsMakeTheKernelSingular(String act, int depth) {
        int n = 10;
        int d = 8;
        Matrix x = gaussian(n, d, 5);
        InfiniteWidthKernel ik = new InfiniteWidthKernel(depth, Activation.parse(act), 1.2, 0.0);
        try (Kernel k = ik.compute(x)) {
            for (Matrix m : new Matrix[] {k.ntk(), k.nngp()}) {
                double[] ev = Lapack.symmetricEigenvalues(m);
                double tol = Rank.defaultTolerance(n, n, ev[n - 1]);
                assertTrue(ev[0] > 1e3 * tol, act + " lambda_min " + ev[0] + " of " + ev[n - 1]);
                assertEquals(n, Rank.of(m, 0).rank());
            }
        }
        for (int c = 0; c < d; c++) {
            x.set(7, c, 3.7 * x.get(2, c));
        }
        try (Kernel k = ik.compute(x)) {
            for (Matrix m : new Matrix[] {k.ntk(), k.nngp()}) {
                double[] ev = Lapack.symmetricEigenvalues(m);
                double tol = Rank.defaultTolerance(n, n, ev[n - 1]);
                assertTrue(Math.abs(ev[0]) < tol, act + " lambda_min " + ev[0] + " of " + ev[n - 1]);
                Rank.Result r = Rank.of(m, 0);
                assertEquals(n - 1, r.rank(), r.describe());
            }
        }
    }

    @Test
    void badInputsAreInputErrors() {
        assertThrows(InputError.class, () -> new InfiniteWidthKernel(-1, Activations.RELU, 1, 0));
        assertThrows(InputError.class, () -> new InfiniteWidthKernel(2, Activations.RELU, 0, 0));
        assertThrows(InputError.class, () -> new InfiniteWidthKernel(2, List.of(Activations.RELU, Activations.ERF,
                Activations.TANH), 1, 0));
        Matrix x = gaussian(3, 2, 1);
        x.set(1, 1, Double.NaN);
        assertThrows(InputError.class, () -> new InfiniteWidthKernel(1, Activations.RELU, 1, 0).compute(x));
        assertThrows(InputError.class, () -> new InfiniteWidthKernel(1, Activations.RELU, 1, 0)
                .compute(gaussian(3, 2, 1), gaussian(3, 4, 1)));
    }
}
