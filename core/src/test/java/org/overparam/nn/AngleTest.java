package org.overparam.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DualKernels#angle}: the half-angle form against fdlibm's atan2 ({@link StrictMath#atan2}, an independent
 * computation of the same angle), and {@link DualKernels#angles} (the staged, vectorizable loops) against the
 * scalar form bit for bit, so the fused kernel pass and the layer-by-layer one agree exactly.
 */
class AngleTest {
    /** A variance pair and a covariance: random correlations, with near-parallel and near-antiparallel pairs mixed in. */
    private static double[] pair(SplittableRandom r) {
        double k11 = Math.scalb(0.5 + r.nextDouble(), r.nextInt(-20, 20));
        double k22 = Math.scalb(0.5 + r.nextDouble(), r.nextInt(-20, 20));
        double c = switch (r.nextInt(5)) {
            case 0 -> Math.copySign(1 - Math.scalb(r.nextDouble(), -r.nextInt(1, 60)), r.nextDouble() - 0.5);
            case 1 -> Math.scalb(r.nextDouble() - 0.5, -r.nextInt(0, 40)); // nearly orthogonal
            case 2 -> r.nextBoolean() ? 1.0 : -1.0; // exactly (anti)parallel
            default -> 2 * r.nextDouble() - 1;
        };
        return new double[] {k11, k22, c * Math.sqrt(k11 * k22)};
    }

    @Test
    void halfAngleFormIsWithinFourUlpOfFdlibm() {
        SplittableRandom r = new SplittableRandom(21);
        double worst = 0;
        for (int i = 0; i < 2_000_000; i++) {
            double[] p = pair(r);
            double s = Math.sqrt(DualKernels.determinant(p[0], p[1], p[2]));
            double expect = StrictMath.atan2(s, p[2]);
            double got = DualKernels.angle(p[0], p[1], p[2]);
            double ulps = Math.abs(got - expect) / Math.ulp(expect == 0 ? Double.MIN_NORMAL : expect);
            worst = Math.max(worst, ulps);
            assertTrue(ulps <= 4, "angle(" + p[0] + ", " + p[1] + ", " + p[2] + ") = " + got + ", atan2 " + expect);
        }
        assertTrue(worst >= 1, "a test that never sees a difference from atan2 pins nothing: worst " + worst);
        // the ends and the middle exactly
        assertEquals(0.0, DualKernels.angle(2.0, 8.0, 4.0));
        assertEquals(Math.PI, DualKernels.angle(2.0, 8.0, -4.0));
        assertEquals(Math.PI / 2, DualKernels.angle(2.0, 8.0, 0.0), Math.ulp(Math.PI / 2));
        // zero variances fall back to atan2
        assertEquals(StrictMath.atan2(0.0, 0.0), DualKernels.angle(0.0, 1.0, 0.0));
    }

    @Test
    void stagedAnglesEqualTheScalarOnesBitForBit() {
        SplittableRandom r = new SplittableRandom(22);
        int w = 37;
        double[] k22 = new double[w];
        double[] r2 = new double[w];
        double[] ik22 = new double[w];
        double[] k = new double[w];
        double[] s = new double[w];
        double[] theta = new double[w];
        double[] tmp = new double[w];
        int snapped = 0;
        for (int round = 0; round < 20_000; round++) {
            double k11 = pair(r)[0];
            int len = 1 + r.nextInt(w);
            for (int q = 0; q < len; q++) {
                double[] p = pair(r);
                k22[q] = p[1];
                r2[q] = Math.sqrt(p[1]);
                ik22[q] = 1.0 / p[1];
                k[q] = p[2] / Math.sqrt(p[0]) * Math.sqrt(k11);
            }
            DualKernels.angles(k11, Math.sqrt(k11), 1.0 / k11, k22, r2, ik22, k, len, s, theta, tmp);
            for (int q = 0; q < len; q++) {
                double det = DualKernels.determinant(k11, k22[q], k[q]);
                snapped += det == 0 ? 1 : 0;
                double sq = Math.sqrt(det);
                assertEquals(Double.doubleToRawLongBits(sq), Double.doubleToRawLongBits(s[q]), "s at " + q);
                assertEquals(Double.doubleToRawLongBits(DualKernels.angle(k11, k22[q], k[q])),
                        Double.doubleToRawLongBits(theta[q]), "theta at " + q);
            }
        }
        // the branch-free snap is pinned only if both of its outcomes occur
        assertTrue(snapped > 1000, "snapped determinants: " + snapped);
    }

    @Test
    void snapReadsNearParallelPairsAsParallel() {
        // a determinant within rounding of 0 (relative 1e-17 of k11·k22) reads 0; one at 1e-12 is kept
        double k11 = 3.0;
        double k22 = 5.0;
        double c = Math.sqrt(k11 * k22);
        assertEquals(0.0, DualKernels.determinant(k11, k22, c));
        assertEquals(0.0, DualKernels.determinant(k11, k22, -c));
        double k12 = Math.sqrt(k11 * k22 * (1 - 1e-12));
        assertEquals(k11 * k22 * 1e-12, DualKernels.determinant(k11, k22, k12), 1e-3 * k11 * k22 * 1e-12);
        assertTrue(DualKernels.staged(1.0) && !DualKernels.staged(0.0) && !DualKernels.staged(1e-200)
                && !DualKernels.staged(Double.NaN) && !DualKernels.staged(1e200));
    }

    @Test
    void variancesFarOutOfRangeAreRescaledExactly() {
        // k11·k22 − k12² is subnormal at variances of 1e-160 and infinite at 1e160; the angle is not: scaling by
        // powers of four must give the same bits, and the relu NNGP and the conditional variance (Gauss–Hermite's)
        // must scale by the same power of two
        SplittableRandom r = new SplittableRandom(23);
        org.overparam.nn.DualKernel relu = Activations.RELU.dual();
        for (int i = 0; i < 10_000; i++) {
            double[] p = pair(r);
            double theta = DualKernels.angle(p[0], p[1], p[2]);
            double nngp = relu.nngp(p[0], p[1], p[2]);
            double cv = DualKernels.conditionalVariance(p[0], p[1], p[2]);
            for (int a : new int[] {-450, -300, 300, 450}) { // inputs stay normal doubles: nothing lost before the call
                double k11 = Math.scalb(p[0], 2 * a);
                double k22 = Math.scalb(p[1], 2 * a);
                double k12 = Math.scalb(p[2], 2 * a);
                assertEquals(theta, DualKernels.angle(k11, k22, k12), 0.0, "a = " + a);
                assertEquals(nngp, Math.scalb(relu.nngp(k11, k22, k12), -2 * a), 0.0, "a = " + a);
                assertEquals(cv, Math.scalb(DualKernels.conditionalVariance(k11, k22, k12), -2 * a), 0.0, "a = " + a);
            }
        }
    }
}
