package org.overparam.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link FastMath} against the JDK's fdlibm ({@link StrictMath}, bit for bit) and {@link Math} (within 2 ulp, the
 * accuracy {@code Math.atan2} promises) on random arguments over the whole double range and on edge arguments.
 */
class FastMathTest {
    private static final int RANDOM = 1_500_000;

    /**
     * Bit for bit, except that a NaN only has to be a NaN: the sign and payload of a NaN differ between the
     * interpreter and JIT-compiled code (atan2(NaN, NaN) came out with either sign on a loaded machine), and Java
     * promises neither.
     */
    private static void same(double expect, double got, String what) {
        if (Double.isNaN(expect) || Double.isNaN(got)) {
            assertEquals(Double.isNaN(expect), Double.isNaN(got), what + " NaN");
            return;
        }
        if (Double.doubleToRawLongBits(expect) != Double.doubleToRawLongBits(got)) {
            assertEquals(expect, got, 0.0, what);
            // +0.0 vs −0.0 would pass assertEquals; reject it explicitly
            assertEquals(Double.doubleToRawLongBits(expect) < 0, Double.doubleToRawLongBits(got) < 0, what + " sign");
        }
    }

    private static double ulps(double expect, double got) {
        if (expect == got || (Double.isNaN(expect) && Double.isNaN(got))) {
            return 0;
        }
        return Math.abs(expect - got) / Math.ulp(expect);
    }

    /** A double spread over magnitudes 2^-60 … 2^60 (and sometimes far beyond), either sign. */
    private static double wide(SplittableRandom r) {
        double m = 1 + r.nextDouble();
        int e = r.nextInt(20) == 0 ? r.nextInt(-1070, 1024) : r.nextInt(-60, 61);
        double v = Math.scalb(m, e);
        return r.nextBoolean() ? v : -v;
    }

    private static final double[] EDGES = {0.0, -0.0, 1.0, -1.0, 0.4375, 11.0 / 16, 19.0 / 16, 39.0 / 16,
        Math.nextDown(0.4375), Math.nextDown(11.0 / 16), Math.nextDown(19.0 / 16), Math.nextDown(39.0 / 16),
        0.5, 1.5, 2.0, Math.scalb(1.0, -29), Math.nextDown(Math.scalb(1.0, -29)), Math.scalb(1.0, 66),
        Math.nextDown(Math.scalb(1.0, 66)), Math.scalb(1.0, 60), Math.scalb(1.0, -60), Double.MIN_VALUE,
        Double.MIN_NORMAL, Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1e-300,
        1e300, Math.PI, 1e-8, 3e-8, 6e-8};

    @Test
    void atanMatchesFdlibmBitForBit() {
        SplittableRandom r = new SplittableRandom(11);
        double worst = 0;
        for (int i = 0; i < RANDOM; i++) {
            double x = i % 2 == 0 ? wide(r) : (r.nextDouble() * 6 - 3); // the reduction intervals, densely
            same(StrictMath.atan(x), FastMath.atan(x), "atan(" + x + ")");
            worst = Math.max(worst, ulps(Math.atan(x), FastMath.atan(x)));
        }
        for (double e : EDGES) {
            same(StrictMath.atan(e), FastMath.atan(e), "atan(" + e + ")");
            same(StrictMath.atan(-e), FastMath.atan(-e), "atan(" + -e + ")");
        }
        assertTrue(worst <= 2, "worst " + worst + " ulp against Math.atan");
    }

    @Test
    void atan2MatchesFdlibmBitForBit() {
        SplittableRandom r = new SplittableRandom(12);
        double worst = 0;
        for (int i = 0; i < RANDOM; i++) {
            double y;
            double x;
            switch (i % 3) {
                case 0 -> { // independent magnitudes
                    y = wide(r);
                    x = wide(r);
                }
                case 1 -> { // the kernel's use: y = sqrt(det) ≥ 0 against a correlation k12 of either sign
                    x = r.nextDouble() * 2 - 1;
                    y = Math.sqrt(Math.max(0, 1 - x * x)) * (1 + r.nextDouble());
                }
                default -> { // nearly parallel or antiparallel pairs
                    x = r.nextBoolean() ? 1 : -1;
                    y = Math.scalb(r.nextDouble(), -r.nextInt(60));
                    x *= 1 + r.nextDouble();
                }
            }
            same(StrictMath.atan2(y, x), FastMath.atan2(y, x), "atan2(" + y + ", " + x + ")");
            worst = Math.max(worst, ulps(Math.atan2(y, x), FastMath.atan2(y, x)));
        }
        for (double y : EDGES) {
            for (double x : EDGES) {
                for (int s = 0; s < 4; s++) {
                    double yy = (s & 1) == 0 ? y : -y;
                    double xx = (s & 2) == 0 ? x : -x;
                    same(StrictMath.atan2(yy, xx), FastMath.atan2(yy, xx), "atan2(" + yy + ", " + xx + ")");
                }
            }
        }
        assertTrue(worst <= 2, "worst " + worst + " ulp against Math.atan2");
    }
}
