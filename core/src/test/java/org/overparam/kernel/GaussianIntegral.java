package org.overparam.kernel;

import java.util.function.DoubleUnaryOperator;

/**
 * An independent, high-accuracy E[f(u)g(v)] for (u, v) ~ N(0, [[k11, k12], [k12, k22]]), for testing the dual
 * kernels: u = √k11·z1, v = (k12/√k11)·z1 + s·z2 with s = √(k22 − k12²/k11); nested composite 10-point
 * Gauss–Legendre over z1, z2 ∈ [−10, 10] (tail mass 1.5e-23), split at the kinks of relu/step-like f and g
 * (z1 = 0, and z2 where v = 0), with panels graded geometrically towards z1 = 0 where the inner integral
 * bends sharply for near-parallel pairs.
 */
final class GaussianIntegral {
    private static final double L = 10.0;
    private static final double[] GX = new double[10];
    private static final double[] GW = new double[10];

    static {
        // Gauss–Legendre nodes on [−1, 1] by Newton's method on P_10
        int n = 10;
        for (int i = 0; i < n; i++) {
            double x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            for (int it = 0; it < 100; it++) {
                double p0 = 1;
                double p1 = x;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                double dp = n * (x * p1 - p0) / (x * x - 1);
                double dx = p1 / dp;
                x -= dx;
                if (Math.abs(dx) < 1e-16) {
                    break;
                }
            }
            double p0 = 1;
            double p1 = x;
            for (int k = 2; k <= n; k++) {
                double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            double dp = n * (x * p1 - p0) / (x * x - 1);
            GX[i] = x;
            GW[i] = 2 / ((1 - x * x) * dp * dp);
        }
    }

    private GaussianIntegral() {
    }

    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    /** ∫_a^b h(z)·φ(z) dz with panels of width ≤ 0.5. */
    private static double panels(DoubleUnaryOperator h, double a, double b) {
        if (b <= a) {
            return 0;
        }
        int m = (int) Math.ceil((b - a) / 0.5);
        double w = (b - a) / m;
        double sum = 0;
        for (int p = 0; p < m; p++) {
            sum += gl(h, a + p * w, a + (p + 1) * w);
        }
        return sum;
    }

    private static double gl(DoubleUnaryOperator h, double a, double b) {
        double c = (a + b) / 2;
        double r = (b - a) / 2;
        double s = 0;
        for (int i = 0; i < GX.length; i++) {
            double z = c + r * GX[i];
            s += GW[i] * h.applyAsDouble(z) * INV_SQRT_2PI * Math.exp(-0.5 * z * z);
        }
        return s * r;
    }

    /** ∫_0^L h(z)φ(z) dz with 40 geometric panels inside [0, 0.5]. */
    private static double graded(DoubleUnaryOperator h, double sign) {
        double sum = 0;
        double hi = 0.5;
        for (int k = 0; k < 40; k++) {
            double lo = hi / 2;
            sum += gl(z -> h.applyAsDouble(sign * z), lo, hi);
            hi = lo;
        }
        sum += gl(z -> h.applyAsDouble(sign * z), 0, hi);
        return sum + panels(z -> h.applyAsDouble(sign * z), 0.5, L);
    }

    static double expect(DoubleUnaryOperator f, DoubleUnaryOperator g, double k11, double k22, double k12) {
        double su = Math.sqrt(k11);
        double slope = k12 / su;
        double s = Math.sqrt(Math.max(k22 - k12 * k12 / k11, 0));
        DoubleUnaryOperator outer = z1 -> {
            double fu = f.applyAsDouble(su * z1);
            if (fu == 0) {
                return 0;
            }
            double m = slope * z1;
            if (s == 0) {
                return fu * g.applyAsDouble(m);
            }
            double c = Math.max(-L, Math.min(L, -m / s));
            DoubleUnaryOperator inner = z2 -> g.applyAsDouble(m + s * z2);
            return fu * (panels(inner, -L, c) + panels(inner, c, L));
        };
        return graded(outer, 1.0) + graded(outer, -1.0);
    }
}
