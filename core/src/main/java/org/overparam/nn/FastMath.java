package org.overparam.nn;

/**
 * atan and atan2 in plain Java, following fdlibm 5.3 ({@code s_atan.c} and {@code e_atan2.c}) step for step, with its
 * constants. On this JDK (17) {@link Math#atan2} goes through the native fdlibm in {@link StrictMath} at about
 * 40 ns a call, which dominates the closed-form dual kernels (one angle per entry and layer); these take about a
 * quarter of that, and as the same algorithm in the same IEEE double operations they return the same bits as
 * {@code StrictMath.atan2} (checked in {@code FastMathTest} on millions of random and edge arguments; fdlibm's
 * own error bound is below 1 ulp).
 *
 * <p>atan(x): the argument is reduced to |t| ≤ 7/16 with the breakpoints 7/16, 11/16, 19/16, 39/16 and
 * atan(x) = atan(c) + atan((x − c)/(1 + c·x)) for c = 0.5, 1, 1.5, ∞ (atan(c) held as a hi + lo pair), then
 * atan(t) = t − t·(a₀t² + a₁t⁴ + … + a₁₀t²²), a degree-23 odd polynomial evaluated as two interleaved halves.
 *
 * <p>The constants and the algorithm are fdlibm's, whose notice reads: "Copyright (C) 1993 by Sun Microsystems,
 * Inc. All rights reserved. Developed at SunSoft, a Sun Microsystems, Inc. business. Permission to use, copy,
 * modify, and distribute this software is freely granted, provided that this notice is preserved."
 */
public final class FastMath {
    private FastMath() {
    }

    // atan(0.5), atan(1), atan(1.5), atan(inf) = π/2 as hi + lo
    private static final double ATAN_HI0 = 4.63647609000806093515e-01; // 0x3FDDAC67 0561BB4F
    private static final double ATAN_HI1 = 7.85398163397448278999e-01; // 0x3FE921FB 54442D18
    private static final double ATAN_HI2 = 9.82793723247329054082e-01; // 0x3FEF730B D281F69B
    private static final double ATAN_HI3 = 1.57079632679489655800e+00; // 0x3FF921FB 54442D18
    private static final double ATAN_LO0 = 2.26987774529616870924e-17; // 0x3C7A2B7F 222F65E2
    private static final double ATAN_LO1 = 3.06161699786838301793e-17; // 0x3C81A626 33145C07
    private static final double ATAN_LO2 = 1.39033110312309984516e-17; // 0x3C700788 7AF0CBBD
    private static final double ATAN_LO3 = 6.12323399573676603587e-17; // 0x3C91A626 33145C07

    private static final double AT0 = 3.33333333333329318027e-01; // 0x3FD55555 5555550D
    private static final double AT1 = -1.99999999998764832476e-01; // 0xBFC99999 9998EBC4
    private static final double AT2 = 1.42857142725034663711e-01; // 0x3FC24924 920083FF
    private static final double AT3 = -1.11111104054623557880e-01; // 0xBFBC71C6 FE231671
    private static final double AT4 = 9.09088713343650656196e-02; // 0x3FB745CD C54C206E
    private static final double AT5 = -7.69187620504482999495e-02; // 0xBFB3B0F2 AF749A6D
    private static final double AT6 = 6.66107313738753120669e-02; // 0x3FB10D66 A0D03D51
    private static final double AT7 = -5.83357013379057348645e-02; // 0xBFADDE2D 52DEFD9A
    private static final double AT8 = 4.97687799461593236017e-02; // 0x3FA97B4B 24760DEB
    private static final double AT9 = -3.65315727442169155270e-02; // 0xBFA2B444 2C6A6C2F
    private static final double AT10 = 1.62858201153657823623e-02; // 0x3F90AD3A E322DA11

    private static final double PI_O_4 = 7.8539816339744827900E-01; // 0x3FE921FB 54442D18
    private static final double PI_O_2 = 1.5707963267948965580E+00; // 0x3FF921FB 54442D18
    private static final double PI = 3.1415926535897931160E+00; // 0x400921FB 54442D18
    private static final double PI_LO = 1.2246467991473531772E-16; // 0x3CA1A626 33145C07

    private static int high(double x) {
        return (int) (Double.doubleToRawLongBits(x) >>> 32);
    }

    private static int low(double x) {
        return (int) Double.doubleToRawLongBits(x);
    }

    // the reduction t = (A·|x| − B)/(C + D·|x|) and atan(c) = HI + LO for id = −1, 0, 1, 2, 3 (index id + 1):
    // x itself; (2x − 1)/(2 + x); (x − 1)/(x + 1); (x − 1.5)/(1 + 1.5x); −1/x — each the same IEEE operations as
    // fdlibm's branch (1·x, 0·x and x − 0 are exact), so table lookups replace its data-dependent branches
    private static final double[] RA = {1.0, 2.0, 1.0, 1.0, 0.0};
    private static final double[] RB = {0.0, 1.0, 1.0, 1.5, 1.0};
    private static final double[] RC = {1.0, 2.0, 1.0, 1.0, 0.0};
    private static final double[] RD = {0.0, 1.0, 1.0, 1.5, 1.0};
    private static final double[] HI = {0.0, ATAN_HI0, ATAN_HI1, ATAN_HI2, ATAN_HI3};
    private static final double[] LO = {0.0, ATAN_LO0, ATAN_LO1, ATAN_LO2, ATAN_LO3};

    /** The arc tangent in [−π/2, π/2], as fdlibm {@code atan} (and {@link StrictMath#atan}). */
    public static double atan(double x) {
        int hx = high(x);
        int ix = hx & 0x7fffffff;
        if (ix >= 0x44100000) { // |x| ≥ 2^66, or NaN
            if (ix > 0x7ff00000 || (ix == 0x7ff00000 && low(x) != 0)) {
                return x + x; // NaN
            }
            return hx > 0 ? ATAN_HI3 + ATAN_LO3 : -ATAN_HI3 - ATAN_LO3;
        }
        if (ix < 0x3e200000) { // |x| < 2^-29
            return x;
        }
        double z = atanReduced(Math.abs(x), ix);
        return hx < 0 ? -z : z;
    }

    /**
     * atan(ax) for 2^-29 ≤ ax &lt; 2^66 with ix its high word: fdlibm's reduction to |t| ≤ 7/16 at the breakpoints
     * 7/16 (id −1: t = ax), 11/16, 19/16, 39/16, then its polynomial. For id −1 fdlibm returns t − t·p; here
     * 0 − ((t·p − 0) − t), which is the same double (−(a − b) = b − a exactly, and t ≠ 0).
     */
    private static double atanReduced(double ax, int ix) {
        int id = reductionIndex(ix);
        return atanPolynomial(id, reduced(id, ax));
    }

    /** id + 1 = how many of the breakpoints a high word ix reaches, branch-free: (c − 1 − ix) >>> 31 is 1 when ix ≥ c. */
    private static int reductionIndex(int ix) {
        return ((0x3fdc0000 - 1 - ix) >>> 31) + ((0x3fe60000 - 1 - ix) >>> 31) + ((0x3ff30000 - 1 - ix) >>> 31)
                + ((0x40038000 - 1 - ix) >>> 31);
    }

    /** The reduced argument t = (A·ax − B)/(C + D·ax) of breakpoint id + 1. */
    private static double reduced(int id, double ax) {
        return (RA[id] * ax - RB[id]) / (RC[id] + RD[id] * ax);
    }

    /** atan(c_id) + atan(x) for the reduced argument x, |x| ≤ 7/16. */
    private static double atanPolynomial(int id, double x) {
        return HI[id] - ((x * (atanOddTerms(x) + atanEvenTerms(x)) - LO[id]) - x);
    }

    /**
     * fdlibm's polynomial of atan(x) = x − x·(s1 + s2) for |x| ≤ 7/16: s1 = Σ aT[2i]·z^(2i+1), z = x², its first
     * half (the terms of odd powers of z). In its own method so that a loop over many x can take the two halves
     * in two passes, each short enough for the JIT to vectorize.
     */
    static double atanOddTerms(double x) {
        double z = x * x;
        double w = z * z;
        return z * (AT0 + w * (AT2 + w * (AT4 + w * (AT6 + w * (AT8 + w * AT10)))));
    }

    /** The second half, s2 = Σ aT[2i+1]·z^(2i+2), of {@link #atanOddTerms}'s polynomial. */
    static double atanEvenTerms(double x) {
        double z = x * x;
        double w = z * z;
        return w * (AT1 + w * (AT3 + w * (AT5 + w * (AT7 + w * AT9))));
    }

    /** Whether (y, x) takes {@link #atan2}'s common path: both normal and finite, |exponent difference| ≤ 60, x ≠ 1. */
    private static boolean commonCase(long by, long bx) {
        int ix = (int) (bx >>> 32) & 0x7fffffff;
        int iy = (int) (by >>> 32) & 0x7fffffff;
        int k = (iy - ix) >> 20;
        return ix >= 0x00100000 && ix < 0x7ff00000 && iy >= 0x00100000 && iy < 0x7ff00000 && k <= 60 && k >= -60
                && bx != 0x3ff0000000000000L;
    }

    /** The quadrant step of the common path: z = atan(|y/x|) to the angle of (x, y). */
    private static double quadrant(double z, double y, double x) {
        double r = x < 0 ? PI - (z - PI_LO) : z;
        return y < 0 ? -r : r;
    }

    /**
     * The angle of the point (x, y) in [−π, π], as fdlibm {@code __ieee754_atan2} (and {@link StrictMath#atan2}),
     * special cases (zeros, infinities, NaN) included.
     */
    public static double atan2(double y, double x) {
        // the common case, small enough to inline: both normal and finite, |exponent difference| ≤ 60, x ≠ 1;
        // fdlibm's z = atan(|y/x|) and its quadrant formulas (π − (z − π_lo) for x &lt; 0, the sign of y last:
        // (z − π_lo) − π = −(π − (z − π_lo)) exactly)
        if (commonCase(Double.doubleToRawLongBits(y), Double.doubleToRawLongBits(x))) {
            double q = Math.abs(y / x);
            int iq = high(q);
            double z = iq < 0x3e200000 ? q : atanReduced(q, iq);
            return quadrant(z, y, x);
        }
        return atan2Full(y, x);
    }

    private static double atan2Full(double y, double x) {
        long bx = Double.doubleToRawLongBits(x);
        long by = Double.doubleToRawLongBits(y);
        int hx = (int) (bx >>> 32);
        int hy = (int) (by >>> 32);
        int ix = hx & 0x7fffffff;
        int iy = hy & 0x7fffffff;
        int lx = (int) bx;
        int ly = (int) by;
        if (x != x || y != y) {
            return x + y;
        }
        if (bx == 0x3ff0000000000000L) { // x = 1
            return atan(y);
        }
        int m = ((hy >>> 31) & 1) | ((hx >>> 30) & 2); // 2·sign(x) + sign(y)
        if ((iy | ly) == 0) { // y = ±0
            switch (m) {
                case 0:
                case 1:
                    return y; // atan(±0, +anything) = ±0
                case 2:
                    return PI; // atan(+0, −anything) = π
                default:
                    return -PI; // atan(−0, −anything) = −π
            }
        }
        if ((ix | lx) == 0) { // x = ±0
            return hy < 0 ? -PI_O_2 : PI_O_2;
        }
        if (ix == 0x7ff00000) { // x = ±∞
            if (iy == 0x7ff00000) {
                switch (m) {
                    case 0:
                        return PI_O_4;
                    case 1:
                        return -PI_O_4;
                    case 2:
                        return 3.0 * PI_O_4;
                    default:
                        return -3.0 * PI_O_4;
                }
            }
            switch (m) {
                case 0:
                    return 0.0;
                case 1:
                    return -0.0;
                case 2:
                    return PI;
                default:
                    return -PI;
            }
        }
        if (iy == 0x7ff00000) { // y = ±∞
            return hy < 0 ? -PI_O_2 : PI_O_2;
        }
        double z;
        int k = (iy - ix) >> 20;
        if (k > 60) { // |y/x| > 2^60
            z = PI_O_2 + 0.5 * PI_LO;
        } else if (hx < 0 && k < -60) { // |y|/x < −2^60
            z = 0.0;
        } else {
            double q = Math.abs(y / x);
            int iq = high(q);
            z = iq < 0x3e200000 ? q : atanReduced(q, iq); // q < 2^66 here: |y/x| ≤ 2^61
        }
        if (m == 0 || m == 2) { // y > 0: the kernel's case; a select rather than a branch on the sign of x
            double left = PI - (z - PI_LO);
            return m == 0 ? z : left;
        }
        switch (m) {
            case 0:
                return z; // atan(+, +)
            case 1:
                return -z; // atan(−, +)
            case 2:
                return PI - (z - PI_LO); // atan(+, −)
            default:
                return (z - PI_LO) - PI; // atan(−, −)
        }
    }
}
