package org.overparam.memorization;

import org.overparam.linalg.Matrix;
import org.overparam.nn.Network;

/**
 * A three-layer ReLU network with two hidden layers of width O(√n) that fits n points with distinct
 * inputs, in the spirit of Yun, Sra &amp; Jadbabaie, <i>Small ReLU networks are powerful memorizers: a
 * tight analysis of memorization capacity</i> (NeurIPS 2019), whose Theorem 3.1 shows that widths d_1, d_2
 * with 4⌊d_1/4⌋⌊d_2/(4d_y)⌋ ≥ n suffice. This is not the paper's exact weight assignment but our own
 * construction with the same orders of width (d_1 = 2m − 1, d_2 = 2·s·k for m ≈ √n blocks of at most s
 * points and k outputs) and O(n) weights besides the input layer (d_1·d_2 ≈ 4n·k); its proof follows.
 *
 * <p><b>Construction.</b> Project: z_i = aᵀx_i distinct, scaled to span 1 ({@link Memorization#project}),
 * sorted z_(1) &lt; … &lt; z_(n). Cut the sorted list into m = round(√n) blocks B_0, …, B_{m−1} of consecutive
 * points; each cut is placed at the largest gap within ±n/(4m) of the even cut k·n/m (large gaps keep the
 * coefficients below small). Let L_g, R_g be the last point of block g−1 and the first of block g, and
 * β^a_g = L_g + (R_g − L_g)/3, β^b_g = L_g + 2(R_g − L_g)/3, β_0 = z_(1) − 1.
 * <ul>
 * <li>Layer 1 (width 2m − 1): u_0 = relu(aᵀx − β_0), and per gap g = 1..m−1 the pair
 * u^a_g = relu(aᵀx − β^a_g), u^b_g = relu(aᵀx − β^b_g).</li>
 * <li>Within each block, for each output c, the Zhang construction on the block's points t_0 &lt; … &lt;
 * t_{ℓ−1} with rescaled targets: kinks κ_0 = t_0 − max(span, 1/n), κ_r = (t_{r−1} + t_r)/2, and slope
 * changes w_r from the lower-triangular system Σ_r w_r relu(t_i − κ_r) = target_i (see
 * {@link ZhangConstruction}).</li>
 * <li>Layer 2 (width 2sk): for each output c and slot r &lt; s a "plus" and a "minus" unit. On block k the
 * plus unit is meant to compute the affine function T(z) = w_r(z − κ_r) when w_r &gt; 0, the minus unit
 * T(z) = |w_r|(z − κ_r) when w_r &lt; 0; every other (unit, block) pair — the other sign, w_r = 0, or a slot
 * beyond the block's size — gets T ≡ −1. The unit's weights realize these per-block targets T_0, …, T_{m−1}:
 * coefficient σ_0 on u_0 and bias τ_0 + σ_0β_0 (where T_0(z) = σ_0 z + τ_0), and at gap g, with
 * D_g = T_g − T_{g−1} (affine), c^a_g = D_g(β^b_g)/(β^b_g − β^a_g) on u^a_g and
 * c^b_g = (σ_g − σ_{g−1}) − c^a_g on u^b_g.</li>
 * <li>Output c: h_c·(Σ_r relu(plus_r) − relu(minus_r)) + m_c (labels rescaled to [−1, 1]: centre m_c,
 * half-range h_c).</li>
 * </ul>
 *
 * <p><b>Proof.</b> (1) <i>Each layer-2 pre-activation equals T_k on block k.</i> For a point z in block
 * k: u_0 = z − β_0 (z ≥ z_(1) &gt; β_0). For a gap g ≤ k, z ≥ R_g &gt; β^b_g &gt; β^a_g, so both units are
 * active and contribute c^a_g(z − β^a_g) + c^b_g(z − β^b_g) = (σ_g − σ_{g−1})(z − β^b_g) +
 * c^a_g(β^b_g − β^a_g) = (σ_g − σ_{g−1})(z − β^b_g) + D_g(β^b_g) = D_g(z), since D_g is affine with slope
 * σ_g − σ_{g−1}. For a gap g &gt; k, z ≤ L_g &lt; β^a_g &lt; β^b_g and both units are 0. The pre-activation is
 * therefore σ_0(z − β_0) + τ_0 + σ_0β_0 + Σ_{g=1..k} (T_g − T_{g−1})(z) = T_k(z): the sum telescopes.
 * (2) <i>The output interpolates.</i> On block k, relu(w(z − κ)) = w·relu(z − κ) for w &gt; 0, so for the
 * slot r with w_r &gt; 0 the plus unit gives w_r relu(z − κ_r) and the minus unit relu(−1) = 0; with
 * w_r &lt; 0 the plus unit gives 0 and the minus unit |w_r| relu(z − κ_r), which enters with sign −1. In every
 * case relu(plus_r) − relu(minus_r) = w_r relu(z − κ_r), and the sum over r is the block's Zhang
 * interpolant, which equals the rescaled target at each of the block's points (lower-triangular system,
 * positive diagonal t_r − κ_r &gt; 0). Scaling by h_c and adding m_c returns y. Outputs do not interact:
 * unit (c, r, ±) feeds output c only. ∎
 *
 * <p><b>Counts.</b> Free weights: a (d), the d_1 layer-1 biases (layer 1's rows all equal a), the d_1·d_2
 * weights and d_2 biases of layer 2, and one ±h_c output weight per layer-2 unit (d_2); the output bias is
 * the labels' centre and the zero weights to other outputs are not counted. Stored numbers: every weight and
 * bias, d·d_1 + d_1 + d_1·d_2 + d_2 + d_2·k + k.
 *
 * <p><b>Conditioning.</b> The slopes w_r are of order 1/(smallest gap inside a block) and the transition
 * coefficients of order w·span/(gap between blocks); the pre-activations are sums of such terms that cancel
 * to O(w·span), so rounding errors grow like ε·n^{5/2} for gaps ~ 1/n² — about 1e-10 at n = 300.
 */
public final class YunConstruction {
    private YunConstruction() {
    }

    /** Fits x (n × d) to y (n × k); duplicate inputs with equal labels are allowed, with different labels refused. */
    public static MemorizationResult fit(Matrix x, Matrix y, long seed) {
        Memorization.Points p = Memorization.distinct(x, y);
        Memorization.Projection proj = Memorization.project(p, seed);
        int n = p.n();
        int d = p.d();
        int k = p.k();
        double[] z = proj.sorted();
        int[] starts = blocks(z);
        int m = starts.length - 1;
        int s = 0;
        for (int b = 0; b < m; b++) {
            s = Math.max(s, starts[b + 1] - starts[b]);
        }
        // Layer 1: thresholds β_0, then β^a_g, β^b_g per gap.
        int d1 = 2 * m - 1;
        double[] beta = new double[d1];
        beta[0] = z[0] - 1.0;
        for (int g = 1; g < m; g++) {
            double lo = z[starts[g] - 1];
            double hi = z[starts[g]];
            beta[2 * g - 1] = lo + (hi - lo) / 3.0;
            beta[2 * g] = lo + 2.0 * (hi - lo) / 3.0;
        }
        double[][] w1 = new double[d1][];
        double[] b1 = new double[d1];
        for (int u = 0; u < d1; u++) {
            w1[u] = proj.a().clone();
            b1[u] = -beta[u];
        }
        double[][] scale = Memorization.scaling(p.y());
        int d2 = 2 * s * k;
        // Per-block targets T(z) = sigma·z + tau of every layer-2 unit: [unit][block].
        double[][] sigma = new double[d2][m];
        double[][] tau = new double[d2][m];
        for (double[] row : tau) {
            java.util.Arrays.fill(row, -1.0);
        }
        for (int b = 0; b < m; b++) {
            int from = starts[b];
            int len = starts[b + 1] - from;
            double span = z[from + len - 1] - z[from];
            double[] kink = new double[len];
            kink[0] = z[from] - Math.max(span, 1.0 / n);
            for (int r = 1; r < len; r++) {
                kink[r] = 0.5 * (z[from + r - 1] + z[from + r]);
            }
            for (int c = 0; c < k; c++) {
                double[] w = new double[len];
                for (int i = 0; i < len; i++) {
                    double target = (p.y()[proj.order()[from + i]][c] - scale[0][c]) / scale[1][c];
                    double acc = 0;
                    for (int r = 0; r < i; r++) {
                        acc += Math.max(0.0, z[from + i] - kink[r]) * w[r];
                    }
                    w[i] = (target - acc) / (z[from + i] - kink[i]);
                }
                for (int r = 0; r < len; r++) {
                    if (w[r] == 0) {
                        continue;
                    }
                    int unit = 2 * (c * s + r) + (w[r] > 0 ? 0 : 1);
                    double slope = Math.abs(w[r]);
                    sigma[unit][b] = slope;
                    tau[unit][b] = -slope * kink[r];
                }
            }
        }
        double[][] w2 = new double[d2][d1];
        double[] b2 = new double[d2];
        for (int j = 0; j < d2; j++) {
            w2[j][0] = sigma[j][0];
            b2[j] = tau[j][0] + sigma[j][0] * beta[0];
            for (int g = 1; g < m; g++) {
                double ds = sigma[j][g] - sigma[j][g - 1];
                double dt = tau[j][g] - tau[j][g - 1];
                if (ds == 0 && dt == 0) {
                    continue;
                }
                double ba = beta[2 * g - 1];
                double bb = beta[2 * g];
                double ca = (ds * bb + dt) / (bb - ba);
                w2[j][2 * g - 1] = ca;
                w2[j][2 * g] = ds - ca;
            }
        }
        double[][] w3 = new double[k][d2];
        double[] b3 = scale[0].clone();
        for (int c = 0; c < k; c++) {
            for (int r = 0; r < s; r++) {
                w3[c][2 * (c * s + r)] = scale[1][c];
                w3[c][2 * (c * s + r) + 1] = -scale[1][c];
            }
        }
        Network net = Memorization.network(d, new int[] {d1, d2}, k, new double[][][] {w1, w2, w3},
                new double[][] {b1, b2, b3});
        long free = (long) d + d1 + (long) d1 * d2 + d2 + d2;
        return Memorization.measure("yun", net, x, y, free);
    }

    /**
     * Block starts (ascending, ending with n): m = round(√n) blocks, each cut at the largest gap within
     * ±n/(4m) of its even position.
     */
    static int[] blocks(double[] z) {
        int n = z.length;
        int m = Math.max(1, (int) Math.round(Math.sqrt(n)));
        int window = Math.max(0, n / (4 * m));
        int[] starts = new int[m + 1];
        int count = 1;
        for (int b = 1; b < m; b++) {
            int even = (int) Math.round((double) b * n / m);
            int best = -1;
            for (int q = Math.max(starts[count - 1] + 1, even - window); q <= Math.min(n - 1, even + window); q++) {
                if (best < 0 || z[q] - z[q - 1] > z[best] - z[best - 1]) {
                    best = q;
                }
            }
            if (best > starts[count - 1]) {
                starts[count++] = best;
            }
        }
        starts[count] = n;
        return java.util.Arrays.copyOf(starts, count + 1);
    }
}
