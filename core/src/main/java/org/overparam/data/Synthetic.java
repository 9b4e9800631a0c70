package org.overparam.data;

import java.util.SplittableRandom;

import org.overparam.InputError;
import org.overparam.io.NdArray;

/**
 * Synthetic data for the theory experiments: points on the unit sphere (the setting of Du et al. 2019,
 * "Gradient descent provably optimizes over-parameterized neural networks", which assumes ‖x‖ = 1),
 * Gaussian inputs, random labels, and a two-class set separated by a margin (as in the margin-based
 * analyses of Ji and Telgarsky 2020).
 *
 * <p>Determinism: every generator draws from a {@link SplittableRandom} seeded with
 * {@code seed} mixed with a per-generator constant, so results depend only on (generator, arguments,
 * seed) and are identical on every JVM, and {@code sphere(n, d, 7)} and {@code randomSignLabels(n, 7)}
 * are independent streams rather than the same numbers in disguise. Gaussians are drawn with the
 * Marsaglia polar method on {@link SplittableRandom#nextDouble()} (not the JDK's
 * {@code nextGaussian()}, whose algorithm is not specified across versions).
 */
public final class Synthetic {

    private Synthetic() {
    }

    /** A random stream for generator {@code name} and {@code seed}. */
    static SplittableRandom rng(long seed, String name) {
        long salt = 0x9E3779B97F4A7C15L * (name.hashCode() + 1L);
        return new SplittableRandom(seed ^ salt);
    }

    /** A standard normal draw (Marsaglia polar method). */
    public static double gaussian(SplittableRandom r) {
        while (true) {
            double u = 2 * r.nextDouble() - 1;
            double v = 2 * r.nextDouble() - 1;
            double s = u * u + v * v;
            if (s > 0 && s < 1) {
                return u * Math.sqrt(-2 * Math.log(s) / s);
            }
        }
    }

    /** {@code n} points uniform on the unit sphere S^{d−1} (normalised Gaussian vectors); shape (n, d). */
    public static NdArray sphere(int n, int d, long seed) {
        SplittableRandom r = rng(seed, "sphere");
        double[] x = gaussianData(n, d, r);
        for (int i = 0; i < n; i++) {
            normalize(x, i * d, d, r);
        }
        return NdArray.of(x, n, d);
    }

    /** {@code n} points with i.i.d. N(0, 1) coordinates; shape (n, d). */
    public static NdArray gaussian(int n, int d, long seed) {
        return NdArray.of(gaussianData(n, d, rng(seed, "gaussian")), n, d);
    }

    /** {@code n} labels ±1, each with probability 1/2; shape (n,). */
    public static NdArray randomSignLabels(int n, long seed) {
        checkSize(n, 1);
        SplittableRandom r = rng(seed, "sign");
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextBoolean() ? 1 : -1;
        }
        return NdArray.of(y, n);
    }

    /** {@code n × k} i.i.d. N(0, 1) targets; shape (n, k). */
    public static NdArray randomNormalLabels(int n, int k, long seed) {
        return NdArray.of(gaussianData(n, k, rng(seed, "normal")), n, k);
    }

    /** {@code n} class labels uniform in 0..classes−1; shape (n,). */
    public static NdArray randomClassLabels(int n, int classes, long seed) {
        checkSize(n, 1);
        if (classes < 1) {
            throw new InputError("number of classes must be at least 1, got " + classes);
        }
        SplittableRandom r = rng(seed, "classes");
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return NdArray.of(y, n);
    }

    /**
     * Two classes ±1 on the unit sphere separated by margin {@code gamma} along a random unit direction
     * u: every point satisfies y·⟨u, x⟩ ≥ γ and ‖x‖ = 1. Construction: draw x₀ uniform on the sphere and
     * a label y = ±1 with probability 1/2; write x₀ = t₀u + w; the output is x = t u + √(1−t²) w/‖w‖
     * with t = y(γ + (1−γ)|t₀|), i.e. the component along u is moved into [γ, 1] on the label's side
     * while the orthogonal direction stays uniform. The direction u is not returned; it is drawn from
     * the same seed.
     */
    public static Dataset twoClassMargin(int n, int d, double gamma, long seed) {
        checkSize(n, d);
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new InputError("margin gamma must be in [0, 1] for points on the unit sphere, got " + gamma);
        }
        SplittableRandom r = rng(seed, "margin");
        double[] u = new double[d];
        for (int j = 0; j < d; j++) {
            u[j] = gaussian(r);
        }
        normalize(u, 0, d, r);
        double[] x = new double[n * d];
        double[] y = new double[n];
        double[] w = new double[d];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextBoolean() ? 1 : -1;
            double wn;
            double t0;
            do {
                for (int j = 0; j < d; j++) {
                    w[j] = gaussian(r);
                }
                normalize(w, 0, d, r);
                t0 = dot(w, u);
                for (int j = 0; j < d; j++) {
                    w[j] -= t0 * u[j];
                }
                wn = Math.sqrt(dot(w, w));
            } while (d > 1 && wn < 1e-8);
            double t = y[i] * (gamma + (1 - gamma) * Math.abs(t0));
            double s = d > 1 ? Math.sqrt(Math.max(0, 1 - t * t)) / wn : 0;
            if (d == 1) {
                t = y[i] * u[0] * u[0]; // the sphere is {−1, 1}: x = y·u
            }
            for (int j = 0; j < d; j++) {
                x[i * d + j] = t * u[j] + s * w[j];
            }
            normalize(x, i * d, d, r);
        }
        return new Dataset(NdArray.of(x, n, d), NdArray.of(y, n),
                "margin:n=" + n + ",d=" + d + ",gamma=" + gamma + ",seed=" + seed);
    }

    // ------------------------------------------------------------------ helpers

    private static double[] gaussianData(int n, int d, SplittableRandom r) {
        checkSize(n, d);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = gaussian(r);
        }
        return x;
    }

    static void checkSize(int n, int d) {
        if (n < 1 || d < 1) {
            throw new InputError("sizes must be positive, got n=" + n + ", d=" + d);
        }
        if ((long) n * d > Integer.MAX_VALUE - 16) {
            throw new InputError("n×d = " + ((long) n * d) + " values do not fit in one array; use smaller n or d");
        }
    }

    /** Normalises x[off, off+d) to unit length; redraws a Gaussian vector in the (measure-zero) zero case. */
    static void normalize(double[] x, int off, int d, SplittableRandom fallback) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += x[off + j] * x[off + j];
        }
        while (s == 0) {
            for (int j = 0; j < d; j++) {
                x[off + j] = gaussian(fallback);
                s += x[off + j] * x[off + j];
            }
        }
        double inv = 1 / Math.sqrt(s);
        for (int j = 0; j < d; j++) {
            x[off + j] *= inv;
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}
