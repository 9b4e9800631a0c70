package org.overparam.kernel;

import java.util.ArrayList;
import java.util.List;
import org.overparam.InputError;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;
import org.overparam.nn.Activation;
import org.overparam.nn.Arch;
import org.overparam.nn.DualKernel;
import org.overparam.nn.QuadratureDual;
import org.overparam.nn.Shape;

/**
 * The infinite-width NNGP and NTK of an {@link Arch} network under the ntk parameterization, channels and units taken
 * to infinity, with neural-tangents' conventions (Novak et al. 2019, "Bayesian deep convolutional networks with many
 * channels are Gaussian processes"; Arora et al. 2019, "On exact computation with an infinitely wide neural net",
 * CNTK): the kernel of a pair of inputs is carried per pair of pixels (p, q),
 * <ul>
 * <li>input: K[p, q] = (1/C)·Σ_c x[c, p]·x'[c, q], Θ = 0 (a vector input: K = x·x'/d);</li>
 * <li>conv (K×K, stride, zero padding; fan_in = C·K²): K'[p, q] = σ_w²·(1/K²)·Σ_δ K[p·s + δ, q·s + δ] + σ_b² (padded
 * pixels contribute 0), Θ' = K' + σ_w²·(the same average of Θ);</li>
 * <li>an activation, per pixel pair: K' = E[φ(u)φ(v)], Θ' = E[φ'(u)φ'(v)]·Θ with (u, v) ~ N(0, [[K_xx[p, p],
 * K[p, q]], [K[p, q], K_x'x'[q, q]]]) — the same dual maps as the fully connected kernel;</li>
 * <li>avgpool: the averages of K and Θ over pairs of windows; gap: the average over all pixel pairs;</li>
 * <li>flatten then dense (fan_in = C·H·W): K' = σ_w²·mean_p K[p, p] + σ_b², Θ' = K' + σ_w²·mean_p Θ[p, p];</li>
 * <li>res:C[branch]: K' = K + C²·K_branch, Θ' = Θ + C²·Θ_branch (neural-tangents' FanOut/FanInSum: the cross terms
 * vanish because the branch ends in a layer with fresh zero-mean weights; a branch ending in an activation, as
 * Du et al.'s x + c·σ(Wx), has a correlated skip and is refused).</li>
 * </ul>
 * Only same-position pairs (p, p) are carried when nothing pools (a Flatten readout needs the diagonal only):
 * O(n²·pixels·K²·depth); with avgpool or gap every pixel pair: O(n²·pixels²·K²·depth) time, pixels² doubles per
 * pair in flight.
 */
public final class ConvKernel {
    private final Arch arch;
    private final Shape input;
    private final double sigmaW;
    private final double sigmaB;
    private final boolean full;

    public ConvKernel(Arch arch, Shape input, double sigmaW, double sigmaB) {
        if (!(sigmaW > 0) || !Double.isFinite(sigmaW) || !(sigmaB >= 0) || !Double.isFinite(sigmaB)) {
            throw new InputError("sigma_w must be positive and sigma_b non-negative, got " + sigmaW + ", " + sigmaB);
        }
        Shape out = arch.outputShape(input);
        if (out.image()) {
            throw new InputError("--arch " + arch + " ends in a " + out + " image; end it with flatten or gap and a "
                    + "dense layer for a kernel between inputs");
        }
        checkBranches(arch);
        this.arch = arch;
        this.input = input;
        this.sigmaW = sigmaW;
        this.sigmaB = sigmaB;
        this.full = pools(arch);
        long pixels = (long) input.height() * input.width();
        if (full && pixels * pixels > 1L << 26) {
            throw new InputError("--arch " + arch + " pools, so its kernel carries every pair of the " + pixels
                    + " pixels (" + pixels * pixels + " per pair of inputs); use smaller images (e.g. mnist pool=2) or "
                    + "a flatten readout without pooling");
        }
    }

    /** True when the kernel carries every pixel pair (some layer pools), false for same-position pairs only. */
    public boolean allPixelPairs() {
        return full;
    }

    private static boolean pools(Arch a) {
        for (Arch.Layer l : a.layers()) {
            if (l instanceof Arch.AvgPool || l instanceof Arch.GlobalAvgPool
                    || (l instanceof Arch.Residual r && pools(r.branch()))) {
                return true;
            }
        }
        return false;
    }

    private static void checkBranches(Arch a) {
        for (Arch.Layer l : a.layers()) {
            if (l instanceof Arch.Residual r) {
                checkBranches(r.branch());
                Arch.Layer last = null;
                for (Arch.Layer b : r.branch().layers()) {
                    if (!(b instanceof Arch.AvgPool || b instanceof Arch.GlobalAvgPool || b instanceof Arch.Flatten)) {
                        last = b;
                    }
                }
                if (!(last instanceof Arch.Conv || last instanceof Arch.Dense)) {
                    throw new InputError("the infinite-width kernel of " + l.spelling() + " needs its branch to end in "
                            + "conv or dense (fresh zero-mean weights make the skip and the branch independent, "
                            + "neural-tangents' FanInSum); a branch ending in an activation correlates with the skip. "
                            + "Add a conv at the end of the branch, or use the empirical kernel (overparam ntk --arch)");
                }
            }
        }
    }

    /** NNGP and NTK of X with itself (n × n). */
    public Kernel compute(Matrix x) {
        return compute(x, null);
    }

    /** NNGP and NTK between the rows of x1 and of x2 (x2 null: x1 with itself, symmetric). */
    public Kernel compute(Matrix x1, Matrix x2) {
        boolean sym = x2 == null;
        Matrix b = sym ? x1 : x2;
        for (Matrix m : sym ? List.of(x1) : List.of(x1, x2)) {
            if (m.cols() != input.size()) {
                throw new InputError("data has " + m.cols() + " values per example but --arch on " + input + " expects "
                        + input.size());
            }
        }
        int n1 = x1.rows();
        int n2 = b.rows();
        // each input's own variances at every activation (in traversal order), from its pass with itself
        List<List<double[]>> var1 = selfVariances(x1);
        List<List<double[]>> var2 = sym ? var1 : selfVariances(b);
        Matrix nngp = Matrix.zeros(n1, n2);
        Matrix ntk = Matrix.zeros(n1, n2);
        var nb = nngp.buffer();
        var tb = ntk.buffer();
        double[] diag1 = new double[n1];
        double[] diag2 = sym ? diag1 : new double[n2];
        Parallel.forRange(n1, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int j = sym ? i : 0; j < n2; j++) {
                    State s = run(row(x1, i), row(b, j), new Vars(var1.get(i), var2.get(j)));
                    nb.put(i * n2 + j, s.k[0]);
                    tb.put(i * n2 + j, s.t[0]);
                    if (sym) {
                        nb.put(j * n2 + i, s.k[0]);
                        tb.put(j * n2 + i, s.t[0]);
                    }
                }
            }
        });
        for (int i = 0; i < n1; i++) {
            diag1[i] = selfValue(var1.get(i));
        }
        if (!sym) {
            for (int j = 0; j < n2; j++) {
                diag2[j] = selfValue(var2.get(j));
            }
        }
        for (long q = 0; q < nngp.size(); q++) {
            if (!Double.isFinite(nngp.at(q)) || !Double.isFinite(ntk.at(q))) {
                nngp.close();
                ntk.close();
                throw new InputError("the kernel overflowed (non-finite values): the inputs or sigma_w are too large; "
                        + "rescale the data (e.g. --normalize)");
            }
        }
        return new Kernel(nngp, ntk, diag1, diag2, sym);
    }

    /** The last recorded entry holds the output NNGP of the input with itself. */
    private static double selfValue(List<double[]> vars) {
        double[] last = vars.get(vars.size() - 1);
        return last[0];
    }

    private static double[] row(Matrix x, int i) {
        return x.row(i);
    }

    /** Per input: the pixel variances at each activation, then (last) its output NNGP with itself. */
    private List<List<double[]>> selfVariances(Matrix x) {
        List<List<double[]>> out = new ArrayList<>();
        for (int i = 0; i < x.rows(); i++) {
            out.add(null);
        }
        Parallel.forRange(x.rows(), 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                double[] xi = row(x, i);
                Vars v = new Vars(null, null);
                State s = run(xi, xi, v);
                v.recorded.add(new double[] {s.k[0]});
                out.set(i, v.recorded);
            }
        });
        return out;
    }

    /** The variances an activation reads: recorded ones (a cross pair), or its own diagonal (self pass, recorded). */
    private static final class Vars {
        final List<double[]> a;
        final List<double[]> b;
        final List<double[]> recorded = new ArrayList<>();
        int next;

        Vars(List<double[]> a, List<double[]> b) {
            this.a = a;
            this.b = b;
        }

        boolean self() {
            return a == null;
        }
    }

    /** NNGP and NTK of one pair of inputs at one layer: per pixel pair, h×w pixels, flattened or not. */
    private final class State {
        final int h;
        final int w;
        final boolean image;
        final double[] k;
        final double[] t;

        State(int h, int w, boolean image) {
            this.h = h;
            this.w = w;
            this.image = image;
            int m = size(h * w);
            this.k = new double[m];
            this.t = new double[m];
        }

        int at(int p, int q) {
            return full ? p * h * w + q : p;
        }

        /** The index of the diagonal entry (p, p). */
        int diag(int p) {
            return full ? p * h * w + p : p;
        }
    }

    private int size(int pixels) {
        return full ? pixels * pixels : pixels;
    }

    private State run(double[] x1, double[] x2, Vars v) {
        State s;
        if (input.image()) {
            int c = input.channels();
            int hw = input.pixels();
            s = new State(input.height(), input.width(), true);
            for (int p = 0; p < hw; p++) {
                for (int q = full ? 0 : p; q < (full ? hw : p + 1); q++) {
                    double sum = 0;
                    for (int ch = 0; ch < c; ch++) {
                        sum += x1[ch * hw + p] * x2[ch * hw + q];
                    }
                    s.k[s.at(p, q)] = sum / c;
                }
            }
        } else {
            s = new State(1, 1, false);
            double sum = 0;
            for (int i = 0; i < x1.length; i++) {
                sum += x1[i] * x2[i];
            }
            s.k[0] = sum / x1.length;
        }
        return apply(arch, s, v);
    }

    private State apply(Arch a, State s, Vars v) {
        for (Arch.Layer l : a.layers()) {
            if (l instanceof Arch.Conv c) {
                s = conv(s, c);
            } else if (l instanceof Arch.Dense) {
                s = dense(s);
            } else if (l instanceof Arch.Act act) {
                s = activate(s, act.activation(), v);
            } else if (l instanceof Arch.AvgPool p) {
                s = pool(s, p.window(), p.window(), false);
            } else if (l instanceof Arch.GlobalAvgPool) {
                s = pool(s, s.h, s.w, true);
            } else if (l instanceof Arch.Flatten) {
                State f = new State(s.h, s.w, false);
                System.arraycopy(s.k, 0, f.k, 0, s.k.length);
                System.arraycopy(s.t, 0, f.t, 0, s.t.length);
                s = f;
            } else if (l instanceof Arch.Residual r) {
                State b = apply(r.branch(), s, v);
                State out = new State(s.h, s.w, s.image);
                double c2 = r.scale() * r.scale();
                for (int i = 0; i < s.k.length; i++) {
                    out.k[i] = s.k[i] + c2 * b.k[i];
                    out.t[i] = s.t[i] + c2 * b.t[i];
                }
                s = out;
            }
        }
        return s;
    }

    private State conv(State s, Arch.Conv c) {
        int ho = c.outSize(s.h);
        int wo = c.outSize(s.w);
        int pt = c.padBefore(s.h);
        int pl = c.padBefore(s.w);
        int k = c.kernel();
        int st = c.stride();
        State o = new State(ho, wo, true);
        double w2 = sigmaW * sigmaW;
        double b2 = sigmaB * sigmaB;
        double inv = 1.0 / (k * k);
        int pixels = ho * wo;
        for (int p = 0; p < pixels; p++) {
            int py = p / wo;
            int px = p % wo;
            for (int q = full ? 0 : p; q < (full ? pixels : p + 1); q++) {
                int qy = q / wo;
                int qx = q % wo;
                double sk = 0;
                double stt = 0;
                for (int dy = 0; dy < k; dy++) {
                    int ay = py * st + dy - pt;
                    int by = qy * st + dy - pt;
                    if (ay < 0 || ay >= s.h || by < 0 || by >= s.h) {
                        continue;
                    }
                    for (int dx = 0; dx < k; dx++) {
                        int ax = px * st + dx - pl;
                        int bx = qx * st + dx - pl;
                        if (ax < 0 || ax >= s.w || bx < 0 || bx >= s.w) {
                            continue;
                        }
                        int idx = s.at(ay * s.w + ax, by * s.w + bx);
                        sk += s.k[idx];
                        stt += s.t[idx];
                    }
                }
                int at = o.at(p, q);
                o.k[at] = w2 * inv * sk + b2;
                o.t[at] = o.k[at] + w2 * inv * stt;
            }
        }
        return o;
    }

    private State dense(State s) {
        int pixels = s.h * s.w;
        double mk = 0;
        double mt = 0;
        for (int p = 0; p < pixels; p++) {
            mk += s.k[s.diag(p)];
            mt += s.t[s.diag(p)];
        }
        State o = new State(1, 1, false);
        o.k[0] = sigmaW * sigmaW * mk / pixels + sigmaB * sigmaB;
        o.t[0] = o.k[0] + sigmaW * sigmaW * mt / pixels;
        return o;
    }

    private State pool(State s, int wy, int wx, boolean global) {
        int ho = s.h / wy;
        int wo = s.w / wx;
        State o = global ? new State(1, 1, false) : new State(ho, wo, true);
        int pixels = ho * wo;
        double inv = 1.0 / ((double) wy * wx * wy * wx);
        for (int p = 0; p < pixels; p++) {
            int py = p / wo;
            int px = p % wo;
            for (int q = full ? 0 : p; q < (full ? pixels : p + 1); q++) {
                int qy = q / wo;
                int qx = q % wo;
                double sk = 0;
                double stt = 0;
                for (int ay = 0; ay < wy; ay++) {
                    for (int ax = 0; ax < wx; ax++) {
                        int a = (py * wy + ay) * s.w + px * wx + ax;
                        for (int by = 0; by < wy; by++) {
                            for (int bx = 0; bx < wx; bx++) {
                                int bq = (qy * wy + by) * s.w + qx * wx + bx;
                                sk += s.k[s.at(a, bq)];
                                stt += s.t[s.at(a, bq)];
                            }
                        }
                    }
                }
                o.k[o.at(p, q)] = sk * inv;
                o.t[o.at(p, q)] = stt * inv;
            }
        }
        return o;
    }

    private State activate(State s, Activation act, Vars v) {
        DualKernel d = act.dual() != null ? act.dual() : new QuadratureDual(act);
        int pixels = s.h * s.w;
        double[] va;
        double[] vb;
        if (v.self()) {
            va = new double[pixels];
            for (int p = 0; p < pixels; p++) {
                va[p] = s.k[s.diag(p)];
            }
            v.recorded.add(va);
            vb = va;
        } else {
            va = v.a.get(v.next);
            vb = v.b.get(v.next);
            v.next++;
        }
        State o = new State(s.h, s.w, s.image);
        double[] factor = new double[1];
        for (int p = 0; p < pixels; p++) {
            for (int q = full ? 0 : p; q < (full ? pixels : p + 1); q++) {
                int at = s.at(p, q);
                o.k[at] = d.nngpAndFactor(va[p], vb[q], s.k[at], factor);
                o.t[at] = s.t[at] * factor[0];
            }
        }
        return o;
    }
}
