package org.overparam.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Rank;
import org.overparam.nn.Activations;

class LectureLimitsTest {
    /** n points uniform on the unit sphere S^{d−1}. */
    static Matrix sphere(int n, int d, long seed) {
        Matrix x = gaussian(n, d, seed);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int c = 0; c < d; c++) {
                s += x.get(i, c) * x.get(i, c);
            }
            for (int c = 0; c < d; c++) {
                x.set(i, c, x.get(i, c) / Math.sqrt(s));
            }
        }
        return x;
    }

    /**
     * (c) H^∞ and the relu random-features kernel against Monte Carlo over w ~ N(0, I), 200 000 draws: every entry
     * within 5 standard errors (estimated from the same draws).
     */
    @Test
    void closedFormsMatchMonteCarloOverW() {
        int n = 5;
        int d = 3;
        Matrix x = gaussian(n, d, 11);
        x.set(4, 0, 2 * x.get(3, 0)); // not unit norm, one pair at a small angle
        int m = 200_000;
        double[][] sumH = new double[n][n];
        double[][] sqH = new double[n][n];
        double[][] sumK = new double[n][n];
        double[][] sqK = new double[n][n];
        SplittableRandom rng = new SplittableRandom(5);
        double[] z = new double[n];
        for (int s = 0; s < m; s++) {
            double[] w = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            for (int i = 0; i < n; i++) {
                z[i] = w[0] * x.get(i, 0) + w[1] * x.get(i, 1) + w[2] * x.get(i, 2);
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double dot = x.get(i, 0) * x.get(j, 0) + x.get(i, 1) * x.get(j, 1) + x.get(i, 2) * x.get(j, 2);
                    double h = z[i] >= 0 && z[j] >= 0 ? dot : 0;
                    double k = Math.max(z[i], 0) * Math.max(z[j], 0);
                    sumH[i][j] += h;
                    sqH[i][j] += h * h;
                    sumK[i][j] += k;
                    sqK[i][j] += k * k;
                }
            }
        }
        try (Matrix h = LectureLimits.hInfinity(x); Matrix k = LectureLimits.randomFeatures(x, Activations.RELU)) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    check(h.get(i, j), sumH[i][j], sqH[i][j], m, "H");
                    check(k.get(i, j), sumK[i][j], sqK[i][j], m, "K");
                }
            }
        }
    }

    static void check(double exact, double sum, double sq, int m, String what) {
        double mean = sum / m;
        double se = Math.sqrt(Math.max(sq / m - mean * mean, 0) / m);
        assertTrue(Math.abs(mean - exact) <= 5 * se + 1e-12, what + ": " + exact + " vs MC " + mean + " ± " + se);
    }

    /** H^∞ for unit inputs is the NTK factor of a bias-free one-hidden-layer relu kernel at σ_w = 1, times XXᵀ. */
    @Test
    void hInfinityIsTheReluNtkFactorTimesTheGram() {
        Matrix x = sphere(6, 4, 3);
        try (Matrix h = LectureLimits.hInfinity(x)) {
            for (int i = 0; i < 6; i++) {
                assertEquals(0.5, h.get(i, i), 1e-15); // ‖x‖² (π − 0)/(2π)
                for (int j = 0; j < 6; j++) {
                    if (j == i) {
                        continue; // acos of a rounded 1 is ~1e-8, not 0: checked exactly above
                    }
                    double dot = 0;
                    for (int c = 0; c < 4; c++) {
                        dot += x.get(i, c) * x.get(j, c);
                    }
                    double theta = Math.acos(Math.max(-1, Math.min(1, dot)));
                    assertEquals(dot * (Math.PI - theta) / (2 * Math.PI), h.get(i, j), 1e-14);
                    assertEquals(h.get(i, j), h.get(j, i), 0.0);
                }
            }
        }
    }

    /**
     * (d) The lecture's full-rank claim (Du et al. 2019, Theorem 3.1): no two inputs parallel ⇒ λ0 = λ_min(H^∞) &gt; 0;
     * with x_j = c·x_i (c &gt; 0) H^∞ is singular: |λ_min| below the rank tolerance n·ε·λ_max and rank n − 1 by
     * {@link Rank} (numpy's matrix_rank rule). Antiparallel pairs (c &lt; 0) do not break it.
     */
    @Test
    void lambda0IsPositiveUnlessTwoInputsAreParallel() {
        int n = 30;
        Matrix x = sphere(n, 10, 7);
        for (int c = 0; c < 10; c++) {
            x.set(9, c, -x.get(4, c)); // antiparallel pair: still full rank
        }
        double lambda0 = LectureLimits.lambda0(x);
        try (Matrix h = LectureLimits.hInfinity(x)) {
            double top = Lapack.largestEigenvalues(h, 1)[0];
            assertTrue(lambda0 > 1e3 * Rank.defaultTolerance(n, n, top), "lambda0 " + lambda0);
            assertEquals(n, Rank.of(h, 0).rank());
        }
        for (int c = 0; c < 10; c++) {
            x.set(20, c, 2.3 * x.get(3, c));
        }
        try (Matrix h = LectureLimits.hInfinity(x)) {
            double top = Lapack.largestEigenvalues(h, 1)[0];
            double l0 = LectureLimits.smallestEigenvalue(h);
            assertTrue(Math.abs(l0) < Rank.defaultTolerance(n, n, top), "lambda_min " + l0 + " of " + top);
            Rank.Result r = Rank.of(h, 0);
            assertEquals(n - 1, r.rank(), r.describe());
        }
    }
}
