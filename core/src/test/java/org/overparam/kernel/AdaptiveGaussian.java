package org.overparam.kernel;

import java.util.PriorityQueue;
import java.util.function.DoubleUnaryOperator;

/**
 * An independent reference for Gaussian expectations: globally adaptive Gauss–Kronrod (7/15 points, as QUADPACK's
 * QAG) in z-space, bisecting the interval of largest error estimate until the total estimate is below
 * {@code tol}·∫|h| + 1e-300, nested for E[f(u)g(v)] with v = c·u + s·y. Shares no code or node placement with
 * {@link org.overparam.nn.QuadratureDual}: it is told only that activations bend around z = 0
 * and refines where its error estimate says.
 */
final class AdaptiveGaussian {
    private static final double[] XK = {
        0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
        0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
        0.207784955007898467600689403773245, 0.000000000000000000000000000000000};
    private static final double[] WK = {
        0.022935322010529224963732008058970, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
        0.140653259715525918745189590510238, 0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
        0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
    private static final double[] WG = {
        0.129484966168869693270611432679082, 0.279705391489276667901467771423780, 0.381830050505118944950369775488975,
        0.417959183673469387755102040816327};

    private AdaptiveGaussian() {
    }

    private record Piece(double a, double b, double value, double error, double abs) {
    }

    private static Piece kronrod(DoubleUnaryOperator h, double a, double b) {
        double c = 0.5 * (a + b);
        double r = 0.5 * (b - a);
        double fc = h.applyAsDouble(c);
        double k = WK[7] * fc;
        double g = WG[3] * fc;
        double abs = WK[7] * Math.abs(fc);
        for (int i = 0; i < 7; i++) {
            double f1 = h.applyAsDouble(c - r * XK[i]);
            double f2 = h.applyAsDouble(c + r * XK[i]);
            k += WK[i] * (f1 + f2);
            abs += WK[i] * (Math.abs(f1) + Math.abs(f2));
            if (i % 2 == 1) {
                g += WG[i / 2] * (f1 + f2);
            }
        }
        return new Piece(a, b, k * r, Math.abs((k - g) * r), abs * r);
    }

    /** ∫_a^b h with global adaptive bisection. */
    static double integrate(DoubleUnaryOperator h, double a, double b, double tol) {
        PriorityQueue<Piece> q = new PriorityQueue<>((p1, p2) -> Double.compare(p2.error, p1.error));
        // a few initial pieces so that a narrow spike cannot hide between the first 15 nodes
        int n0 = 16;
        double value = 0;
        double error = 0;
        double abs = 0;
        for (int i = 0; i < n0; i++) {
            Piece p = kronrod(h, a + (b - a) * i / n0, a + (b - a) * (i + 1) / n0);
            q.add(p);
            value += p.value;
            error += p.error;
            abs += p.abs;
        }
        for (int it = 0; it < 2000 && error > tol * abs + 1e-300; it++) {
            Piece p = q.poll();
            double m = 0.5 * (p.a + p.b);
            Piece l = kronrod(h, p.a, m);
            Piece r = kronrod(h, m, p.b);
            value += l.value + r.value - p.value;
            error += l.error + r.error - p.error;
            abs += l.abs + r.abs - p.abs;
            q.add(l);
            q.add(r);
        }
        return value;
    }

    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double RANGE = 12;

    /** E[h(m + σY)], Y ~ N(0, 1). */
    static double mean(DoubleUnaryOperator h, double m, double sigma, double tol) {
        if (sigma == 0) {
            return h.applyAsDouble(m);
        }
        DoubleUnaryOperator dy = y -> h.applyAsDouble(m + sigma * y) * INV_SQRT_2PI * Math.exp(-0.5 * y * y);
        // split where z = 0, the centre of every activation's bend, so a spike narrower than the pieces sits at an
        // endpoint, where the error estimate sees it
        double y0 = -m / sigma;
        if (y0 > -RANGE && y0 < RANGE) {
            return integrate(dy, -RANGE, y0, tol) + integrate(dy, y0, RANGE, tol);
        }
        return integrate(dy, -RANGE, RANGE, tol);
    }

    /** E[f(u)g(v)] for (u, v) ~ N(0, [[k11, k12], [k12, k22]]), k11 &gt; 0. */
    static double expect(DoubleUnaryOperator f, DoubleUnaryOperator g, double k11, double k22, double k12, double tol) {
        double su = Math.sqrt(k11);
        double c = k12 / k11;
        double s = Math.sqrt(Math.max(0, k22 - k12 * k12 / k11));
        return mean(u -> {
            double fu = f.applyAsDouble(u);
            return fu == 0 ? 0 : fu * mean(g, c * u, s, tol);
        }, 0, su, tol);
    }
}
