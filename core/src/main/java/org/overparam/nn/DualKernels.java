package org.overparam.nn;

/**
 * Closed-form dual kernels (see {@link DualKernel}) of the activations that have one. Each is checked against
 * neural-tangents' {@code neural_tangents/_src/stax/elementwise.py} (commit c17e770, March 2024) and, in
 * {@code DualKernelTest}, against a high-accuracy 2-D numerical integration.
 *
 * <p>Angles are computed as θ = atan2(√(k11k22 − k12²), k12) ∈ [0, π] with the determinant clamped at 0, which
 * is θ = arccos(k12/√(k11k22)) with the cosine clamped to [−1, 1] (the form neural-tangents uses,
 * {@code _arctan2(_sqrt(prod - nngp**2), nngp)}); the determinant is formed with fused multiply-adds so that
 * near-parallel pairs keep their digits. The angle itself is {@link #angle(double, double, double, double)}: two
 * half-angle steps and fdlibm's atan polynomial, within 4 ulp of {@link StrictMath#atan2}, with no table or branch,
 * so that the kernel passes run it over arrays as vector instructions ({@link #angles}).
 *
 * <p>Zero variances (an input x = 0 with no bias) are resolved as exact expectations with u ≡ 0 under the
 * project's activation conventions (relu'(0) = 0, leaky_relu'(0) = α, step(0) = 1), never as NaN.
 * neural-tangents instead fills θ = π/2 there (its {@code fill_zero=jnp.pi / 2}); the two differ only in the
 * NTK factor of such a pair, which multiplies an NTK entry that is itself 0, so kernels agree.
 */
public final class DualKernels {
    private static final double TWO_PI = 2.0 * Math.PI;

    private DualKernels() {
    }

    /** Determinants below this fraction of k11·k22 are rounding noise of parallel pairs and read as 0. */
    public static final double PARALLEL_SNAP = 16 * Math.ulp(1.0);

    /**
     * k11·k22 − k12², with the rounding error of k12² compensated (two FMAs), and 0 when it is below
     * {@link #PARALLEL_SNAP}·k11·k22. Why the snap: covariances carry relative rounding errors of a few ε, so
     * for (anti)parallel inputs the computed determinant is ~ε·k11k22 instead of 0, and θ ≈ √(det/k12²) comes out
     * ~1e-8 instead of 0 — enough to lift the smallest eigenvalue of a kernel with two parallel inputs to
     * ~1e-8·λ_max. Angles under √(16ε) ≈ 6e-8 are below their own noise floor; reading them as 0 changes
     * (π − θ)/(2π) by at most 1e-8.
     */
    public static double determinant(double k11, double k22, double k12) {
        return snapped(rawDeterminant(k11, k22, k12), k11, k22);
    }

    /** k11·k22 − k12² with the rounding error of k12² compensated, before the snap (branch-free, so loops vectorize). */
    static double rawDeterminant(double k11, double k22, double k12) {
        double p = k12 * k12;
        double err = Math.fma(k12, k12, -p);
        return Math.fma(k11, k22, -p) - err;
    }

    /**
     * {@link #PARALLEL_SNAP}: det is read as 0 unless det·(1/k11)·(1/k22) &gt; PARALLEL_SNAP (so a NaN reads 0). The
     * ratio is formed with the reciprocals, in this order, because {@link #angles} forms it so from per-index
     * reciprocals (no division per entry) and must agree bit for bit.
     */
    static double snapped(double det, double k11, double k22) {
        return det * (1.0 / k11) * (1.0 / k22) > PARALLEL_SNAP ? det : 0.0;
    }

    /**
     * The angle θ ∈ [0, π] between the two Gaussian coordinates: arccos of the clamped correlation. Positive finite
     * variances outside the {@link #staged} range are first brought into [1, 4) ({@link Rescaled}): the angle does not
     * change under k11 → 4^−a·k11, k22 → 4^−b·k22, k12 → 2^−(a+b)·k12, and powers of two change no digit, whereas
     * k11·k22 − k12² itself would underflow or overflow (at variances of 1e−160 it is subnormal).
     */
    public static double angle(double k11, double k22, double k12) {
        Rescaled r = Rescaled.of(k11, k22, k12);
        if (r != null) {
            return angle(r.k11(), r.k22(), r.k12());
        }
        return angle(Math.sqrt(determinant(k11, k22, k12)), k11, k22, k12);
    }

    /**
     * det/k11 = k22 − k12²/k11, the conditional variance of v given u, from the compensated {@link #determinant}
     * and without its underflow or overflow at far-out scales (rescaled as {@link #angle} does: det/k11 = 4^b·det'/k11').
     */
    public static double conditionalVariance(double k11, double k22, double k12) {
        Rescaled r = Rescaled.of(k11, k22, k12);
        if (r != null) {
            return Math.scalb(determinant(r.k11(), r.k22(), r.k12()) / r.k11(), 2 * r.b());
        }
        return determinant(k11, k22, k12) / k11;
    }

    /**
     * A covariance brought into the {@link #staged} range exactly: k11 = 4^a·k11', k22 = 4^b·k22', k12 =
     * 2^(a+b)·k12' with k11', k22' ∈ [1, 4). Powers of two change no digit, and θ is the same for both triples.
     */
    record Rescaled(double k11, double k22, double k12, int a, int b) {
        /** The rescaled triple when both variances are positive and finite but not both staged; null otherwise. */
        static Rescaled of(double k11, double k22, double k12) {
            if (!(k11 > 0 && k22 > 0 && k11 < Double.POSITIVE_INFINITY && k22 < Double.POSITIVE_INFINITY)
                    || (staged(k11) && staged(k22))) {
                return null;
            }
            int a = quarterExponent(k11);
            int b = quarterExponent(k22);
            return new Rescaled(Math.scalb(k11, -2 * a), Math.scalb(k22, -2 * b), Math.scalb(k12, -(a + b)), a, b);
        }

        /** a with 4^a ≤ k &lt; 4^(a+1) for a positive finite k (subnormals included). */
        private static int quarterExponent(double k) {
            int e = k < Double.MIN_NORMAL ? Math.getExponent(k * 0x1p54) - 54 : Math.getExponent(k);
            return Math.floorDiv(e, 2);
        }
    }

    /**
     * θ = atan2(s, k12) ∈ [0, π] for s = √{@link #determinant} ≥ 0, by two half-angle steps instead of atan2's
     * table-driven range reduction: with r = √k11·√k22 (the hypotenuse √(s² + k12²)), a = r + |k12| and
     * φ ∈ [0, π/2] the angle to the axis of |k12|, tan(φ/2) = u = s/a ∈ [0, 1] and tan(φ/4) = u/(1 + √(1 + u²)) =
     * s/(a + √(a² + s²)) ∈ [0, tan π/8] (one division, one root), inside the |x| ≤ 7/16 range of fdlibm's atan
     * polynomial ({@link FastMath#atanOddTerms}); then φ = 4·atan(tan(φ/4)) and θ = φ for k12 ≥ 0, π − φ
     * otherwise. No step cancels (only sums of non-negative terms), and none needs a table or a branch, so
     * {@link #angles} runs each over a whole array as vector instructions. Within 4 ulp of
     * {@link StrictMath#atan2} (pinned in {@code AngleTest}). Variances outside the {@link #staged} range (zero
     * ones included, where a² could also overflow or underflow) take {@link FastMath#atan2}.
     */
    public static double angle(double s, double k11, double k22, double k12) {
        if (!staged(k11) || !staged(k22)) {
            return FastMath.atan2(s, k12);
        }
        double t = quarterTangent(s, Math.sqrt(k11) * Math.sqrt(k22), k12);
        return signedAngle(quarterToAngle(t, FastMath.atanOddTerms(t), FastMath.atanEvenTerms(t)), k12);
    }

    /** tan(φ/4) from s, r = √k11·√k22 and k12 (see {@link #angle(double, double, double, double)}). */
    private static double quarterTangent(double s, double r, double k12) {
        double a = r + Math.abs(k12);
        return s / (a + Math.sqrt(a * a + s * s));
    }

    /** φ = 4·atan(t) from fdlibm's two polynomial halves at t. */
    private static double quarterToAngle(double t, double odd, double even) {
        return 4.0 * (t - t * (odd + even));
    }

    private static double signedAngle(double phi, double k12) {
        return k12 < 0 ? Math.PI - phi : phi;
    }

    /** The variances {@link #angles} takes: within these bounds k11·k22, 1/k and √k neither overflow nor go subnormal. */
    public static final double STAGED_MIN = 1e-150;
    /** See {@link #STAGED_MIN}. */
    public static final double STAGED_MAX = 1e150;

    /** Whether a variance is in the domain of {@link #angles}: STAGED_MIN ≤ k ≤ STAGED_MAX (false for NaN). */
    public static boolean staged(double k) {
        return k >= STAGED_MIN && k <= STAGED_MAX;
    }

    /**
     * For q &lt; w: {@code s[q]} = √{@link #determinant}(k11, k22[q], k[q]) and {@code theta[q]} = {@link
     * #angle}(s[q], k11, k22[q], k[q]), the same bits, for k11 and every k22[q] {@link #staged}, given their roots
     * r1 = √k11, r2[q] = √k22[q] and reciprocals ik11 = 1/k11, ik22[q] = 1/k22[q] (per index, so that no entry
     * divides or takes a root for them). Computed stage by stage over the arrays, every stage a loop without
     * branches that the JIT turns into vector instructions. The snap is branch-free: with d = det·ik11·ik22,
     * min(1, max(0, (d − PARALLEL_SNAP)·1e300)) is 1 when d &gt; PARALLEL_SNAP (the difference is then at least
     * an ulp of PARALLEL_SNAP, ~4e-31) and 0 otherwise, and multiplies |det|. {@code tmp} is scratch of length ≥ w.
     */
    public static void angles(double k11, double r1, double ik11, double[] k22, double[] r2, double[] ik22,
            double[] k, int w, double[] s, double[] theta, double[] tmp) {
        for (int q = 0; q < w; q++) {
            double det = rawDeterminant(k11, k22[q], k[q]);
            double keep = Math.min(1.0, Math.max(0.0, (det * ik11 * ik22[q] - PARALLEL_SNAP) * 1e300));
            s[q] = Math.sqrt(Math.abs(det) * keep);
        }
        for (int q = 0; q < w; q++) {
            theta[q] = quarterTangent(s[q], r1 * r2[q], k[q]);
        }
        for (int q = 0; q < w; q++) {
            tmp[q] = FastMath.atanOddTerms(theta[q]);
        }
        for (int q = 0; q < w; q++) {
            theta[q] = quarterToAngle(theta[q], tmp[q], FastMath.atanEvenTerms(theta[q]));
        }
        for (int q = 0; q < w; q++) {
            theta[q] = signedAngle(theta[q], k[q]);
        }
    }

    /**
     * φ(z) = a·min(z, 0) + b·max(z, 0): neural-tangents' {@code ABRelu(a, b)} (relu is a = 0, b = 1; leaky_relu
     * is a = α, b = 1; see {@code ABRelu.kernel_fn.nngp_ntk_fn}): with s = √(k11k22 − k12²),
     * E[φφ] = (a − b)²/(2π)·s + [(a² + b²)/2 − (a − b)²θ/(2π)]·k12, E[φ'φ'] = (a² + b²)/2 − (a − b)²θ/(2π),
     * E[φ²] = (a² + b²)/2·k11. For relu this is the arc-cosine kernel of order 1 (Cho &amp; Saul 2009):
     * (s + (π − θ)k12)/(2π) and (π − θ)/(2π). {@code derivativeAtZero} is φ'(0), used only for zero variances.
     */
    public static DualKernel abRelu(double a, double b, double derivativeAtZero, String name) {
        return new ABRelu(a, b, derivativeAtZero, name);
    }

    /**
     * The {@link #abRelu} maps as a class, so that the fused kernel passes can recognize them and evaluate
     * {@link #nngpAndFactor} inline with the coefficients {@link #slope()} = (a − b)²/(2π) and
     * {@link #half()} = (a² + b²)/2: for k11, k22 &gt; 0, with s = √{@link #determinant} and
     * θ = {@link #angle(double, double, double, double)}, E[φ'φ'] = half − slope·θ and E[φφ] = slope·s + E[φ'φ']·k12.
     */
    public static final class ABRelu implements DualKernel {
        private final double a;
        private final double b;
        private final double f;
        private final double half;
        private final double meanDerivative;
        private final double derivativeAtZero;
        private final String name;

        ABRelu(double a, double b, double derivativeAtZero, String name) {
            this.a = a;
            this.b = b;
            this.f = (a - b) * (a - b) / TWO_PI;
            this.half = (a * a + b * b) / 2;
            this.meanDerivative = (a + b) / 2;
            this.derivativeAtZero = derivativeAtZero;
            this.name = name;
        }

        /** (a − b)²/(2π). */
        public double slope() {
            return f;
        }

        /** (a² + b²)/2. */
        public double half() {
            return half;
        }

        @Override
        public double nngp(double k11, double k22, double k12) {
            if (!(k11 > 0) || !(k22 > 0)) {
                return 0.0; // u ≡ 0 or v ≡ 0, and φ(0) = 0
            }
            if (Rescaled.of(k11, k22, k12) != null) {
                return nngpAndFactor(k11, k22, k12, new double[1]);
            }
            double s = Math.sqrt(determinant(k11, k22, k12));
            double theta = angle(s, k11, k22, k12);
            return f * s + (half - f * theta) * k12;
        }

        @Override
        public double ntkFactor(double k11, double k22, double k12) {
            if (!(k11 > 0) || !(k22 > 0)) {
                return (k11 > 0 ? meanDerivative : derivativeAtZero) * (k22 > 0 ? meanDerivative : derivativeAtZero);
            }
            return half - f * angle(k11, k22, k12);
        }

        @Override
        public double nngpAndFactor(double k11, double k22, double k12, double[] factor) {
            if (!(k11 > 0) || !(k22 > 0)) {
                factor[0] = ntkFactor(k11, k22, k12);
                return 0.0;
            }
            Rescaled r = Rescaled.of(k11, k22, k12);
            if (r != null) {
                // E[φφ] is homogeneous: scaling u by 2^−a and v by 2^−b scales it by 2^−(a+b); E[φ'φ'] is invariant
                return Math.scalb(nngpAndFactor(r.k11(), r.k22(), r.k12(), factor), r.a() + r.b());
            }
            double s = Math.sqrt(determinant(k11, k22, k12));
            double dot = half - f * angle(s, k11, k22, k12);
            factor[0] = dot;
            return f * s + dot * k12;
        }

        @Override
        public double diagonal(double k11) {
            return half * k11;
        }

        @Override
        public String describe() {
            return name + ": closed form of neural-tangents ABRelu(a=" + a + ", b=" + b + ") (arc-cosine kernel)";
        }
    }

    /** φ(z) = z: E[uv] = k12, E[1·1] = 1, E[u²] = k11. */
    public static final DualKernel LINEAR = new DualKernel() {
        public double nngp(double k11, double k22, double k12) {
            return k12;
        }

        public double ntkFactor(double k11, double k22, double k12) {
            return 1.0;
        }

        public double diagonal(double k11) {
            return k11;
        }

        public String describe() {
            return "linear: identity maps";
        }
    };

    /**
     * φ(z) = erf(z), Williams (1997): E[φφ] = (2/π)·arcsin(2k12/√((1+2k11)(1+2k22))), computed as
     * (2/π)·atan2(2k12, √((1+2k11)(1+2k22) − 4k12²)); E[φ'φ'] = (4/π)/√((1+2k11)(1+2k22) − 4k12²);
     * E[φ²] = (2/π)·arcsin(2k11/(1+2k11)). Neural-tangents' {@code Erf(a=1, b=1, c=0).kernel_fn} (its
     * {@code nngp_ntk_fn}: {@code factor * jnp.arctan2(2 * nngp, square_root)} and {@code dot_sigma =
     * 2 * factor / square_root}, factor = 2/π). The radicand is ≥ 1 for any covariance, so no degenerate case.
     */
    public static final DualKernel ERF = new DualKernel() {
        public double nngp(double k11, double k22, double k12) {
            return 2 / Math.PI * FastMath.atan2(2 * k12, Math.sqrt(radicand(k11, k22, k12)));
        }

        public double ntkFactor(double k11, double k22, double k12) {
            return 4 / Math.PI / Math.sqrt(radicand(k11, k22, k12));
        }

        public double nngpAndFactor(double k11, double k22, double k12, double[] factor) {
            double r = Math.sqrt(radicand(k11, k22, k12));
            factor[0] = 4 / Math.PI / r;
            return 2 / Math.PI * FastMath.atan2(2 * k12, r);
        }

        public double diagonal(double k11) {
            return 2 / Math.PI * Math.asin(2 * k11 / (1 + 2 * k11));
        }

        private double radicand(double k11, double k22, double k12) {
            // (1 + 2k11)(1 + 2k22) − 4k12² = 1 + 2k11 + 2k22 + 4(k11k22 − k12²) ≥ 1
            return 1 + 2 * k11 + 2 * k22 + 4 * determinant(k11, k22, k12);
        }

        public String describe() {
            return "erf: closed form (Williams 1997; neural-tangents Erf)";
        }
    };

    /**
     * φ(z) = 1{z ≥ 0}: the arc-cosine kernel of order 0 (Cho &amp; Saul 2009), E[φφ] = P(u ≥ 0, v ≥ 0) =
     * (π − θ)/(2π), E[φ²] = 1/2; the NTK factor is 0 because φ' = 0 almost everywhere, as in the project's
     * backpropagation (neural-tangents has no step; its {@code Sign} layer, φ = 2·step − 1 a.e., has
     * {@code nngp = 1 - angles * 2 / jnp.pi} and {@code ntk = jnp.zeros_like(ntk)}, the same maps). With a
     * zero variance step(0) = 1, so E = 1 or 1/2 by the other coordinate.
     */
    public static final DualKernel STEP = new DualKernel() {
        public double nngp(double k11, double k22, double k12) {
            if (!(k11 > 0) || !(k22 > 0)) {
                return (k11 > 0 ? 0.5 : 1.0) * (k22 > 0 ? 0.5 : 1.0);
            }
            return (Math.PI - angle(k11, k22, k12)) / TWO_PI;
        }

        public double ntkFactor(double k11, double k22, double k12) {
            return 0.0;
        }

        public double diagonal(double k11) {
            return k11 > 0 ? 0.5 : 1.0;
        }

        public String describe() {
            return "step: arc-cosine kernel of order 0, NTK factor 0";
        }
    };
}
