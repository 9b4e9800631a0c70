package org.overparam.memorization;

import org.overparam.linalg.Matrix;
import org.overparam.nn.Network;

/**
 * The two-layer construction of Zhang, Bengio, Hardt, Recht &amp; Vinyals, <i>Understanding deep learning
 * requires rethinking generalization</i> (ICLR 2017), Theorem 1: a ReLU network with n hidden units and
 * 2n + d weights represents any labels on n distinct points in R^d.
 *
 * <p><b>Construction.</b> Choose a ∈ R^d with distinct projections z_i = aᵀx_i (a Gaussian direction does
 * this almost surely; {@link Memorization#project} takes the best of a few and scales a so the z span 1).
 * Sort them, z_(1) &lt; … &lt; z_(n), and interleave biases b_1 &lt; z_(1) &lt; b_2 &lt; z_(2) &lt; … &lt;
 * b_n &lt; z_(n): here b_1 = z_(1) − 1 and b_j = (z_(j−1) + z_(j))/2. The network is
 * f(x) = Σ_j w_j relu(aᵀx − b_j) + m (hidden unit j: weight row a, bias −b_j).
 *
 * <p><b>Proof.</b> Let A_ij = relu(z_(i) − b_j). For j &gt; i, b_j &gt; z_(j−1) ≥ z_(i), so A_ij = 0; and
 * A_ii = z_(i) − b_i &gt; 0. A is lower triangular with a positive diagonal, hence invertible, and
 * f(x_(i)) = (A w)_i + m. Forward substitution w_i = (y_(i) − m − Σ_{j&lt;i} A_ij w_j)/A_ii solves
 * A w = y − m exactly, so f interpolates. With k outputs the hidden layer is shared and each output column
 * solves its own triangular system. ∎
 *
 * <p><b>Conditioning.</b> f is the piecewise-linear function with kinks at the b_j through the points; w_j
 * are its slope changes, of order |Δy|/gap, so relative errors grow like (range/smallest gap)·ε. The labels
 * are first rescaled to [−1, 1] per column (centre m, half-range h; the output layer multiplies by h).
 *
 * <p><b>Counts.</b> Free weights: a (d), the n biases, and n·k output weights: 2n + d for one output (the
 * output bias is the labels' centre, not counted, as in the theorem). Stored numbers: n·d (a is stored in
 * every row of the first layer) + n + n·k + k, i.e. n·d + 2n + 1 for one output.
 */
public final class ZhangConstruction {
    private ZhangConstruction() {
    }

    /** Fits x (n × d) to y (n × k); duplicate inputs with equal labels are allowed, with different labels refused. */
    public static MemorizationResult fit(Matrix x, Matrix y, long seed) {
        Memorization.Points p = Memorization.distinct(x, y);
        Memorization.Projection proj = Memorization.project(p, seed);
        int n = p.n();
        int d = p.d();
        int k = p.k();
        double[] z = proj.sorted();
        double[] b = new double[n];
        b[0] = z[0] - 1.0;
        for (int j = 1; j < n; j++) {
            b[j] = 0.5 * (z[j - 1] + z[j]);
        }
        double[][] scale = Memorization.scaling(p.y());
        double[][] w1 = new double[n][];
        double[] b1 = new double[n];
        for (int j = 0; j < n; j++) {
            w1[j] = proj.a().clone();
            b1[j] = -b[j];
        }
        double[][] w2 = new double[k][n];
        double[] b2 = scale[0].clone();
        for (int c = 0; c < k; c++) {
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                double target = (p.y()[proj.order()[i]][c] - scale[0][c]) / scale[1][c];
                double s = 0;
                for (int j = 0; j < i; j++) {
                    s += Math.max(0.0, z[i] - b[j]) * w[j];
                }
                w[i] = (target - s) / (z[i] - b[i]);
            }
            for (int j = 0; j < n; j++) {
                w2[c][j] = scale[1][c] * w[j];
            }
        }
        Network net = Memorization.network(d, new int[] {n}, k, new double[][][] {w1, w2}, new double[][] {b1, b2});
        return Memorization.measure("zhang", net, x, y, (long) d + n + (long) n * k);
    }
}
