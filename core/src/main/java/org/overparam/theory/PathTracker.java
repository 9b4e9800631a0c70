package org.overparam.theory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.overparam.InputError;
import org.overparam.kernel.EmpiricalNtk;
import org.overparam.kernel.OutputMode;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Network;
import org.overparam.nn.Workspace;
import org.overparam.train.Loss;
import org.overparam.train.Optimizer;
import org.overparam.train.StepColumns;
import org.overparam.train.StepRecord;
import org.overparam.train.TrainObserver;
import org.overparam.train.TrainSpec;

/**
 * What the papers plot, measured along the user's run at its record steps ({@code train --track}):
 * <ul>
 * <li>{@code neurons}: ‖w_r(t) − w_r(0)‖ over the first layer's units r, in the trained variables — max, median
 * and 90th percentile (Du, Zhai, Póczos &amp; Singh 2019, Fig. 1c);</li>
 * <li>{@code patterns}: the fraction of (training input, first-layer unit) pairs whose pre-activation sign differs
 * from initialization (their Fig. 1b);</li>
 * <li>{@code kernel}: the empirical NTK G(t) = J Jᵀ (all outputs, (nk)×(nk)) at its own, coarser interval —
 * {@code kernel_drift} = ‖G(t) − G(0)‖₂/‖G(0)‖₂ and {@code kernel_lambda_min} = λmin(G(t));</li>
 * <li>{@code linearization}: the network against its linearization at w_0 trained alongside with the same steps
 * (Lee et al. 2019): for GD on our mse the linear model's outputs follow f ← f − (η_k/n)Θ_0(f − y) exactly, and on
 * test points f_test ← f_test − (η_k/n)Θ_0(test, train)(f − y); {@code linearization_gap_train/_test} =
 * ‖f(t) − f_lin(t)‖/‖f(t)‖;</li>
 * <li>{@code pl}: {@code pl_ratio} = ‖∇L‖²/L at the record steps against {@code pl_mu_kernel} = 2λmin(G(t))/n, the
 * PL constant of the square loss at w_t (Liu, Zhu &amp; Belkin: ‖∇L‖² ≥ (2λmin(JJᵀ)/n)·L for our mse).</li>
 * </ul>
 * Cost per record step: neurons O(m·d), patterns one forward pass; per kernel step a kernel, O(n²·P) with P
 * trained parameters, and its eigenvalues; linearization one kernel at start and O((n + n_test)·n·k²) per step.
 */
public final class PathTracker implements TrainObserver, StepColumns, AutoCloseable {
    /** What can be tracked. */
    public enum Track {
        NEURONS, PATTERNS, KERNEL, LINEARIZATION, PL;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** A comma list such as {@code neurons,patterns,kernel,linearization,pl}. */
        public static Set<Track> parseList(String s) {
            Set<Track> t = EnumSet.noneOf(Track.class);
            for (String part : s.split(",")) {
                String p = part.trim().toLowerCase(Locale.ROOT);
                if (p.isEmpty()) {
                    continue;
                }
                Track found = Arrays.stream(values()).filter(v -> v.cliName().equals(p)).findFirst().orElseThrow(
                        () -> new InputError("unknown --track '" + part.trim() + "'; use any of neurons, patterns, "
                                + "kernel, linearization, pl (comma-separated)"));
                t.add(found);
            }
            return t;
        }
    }

    private final Set<Track> tracks;
    private final Matrix x;
    private final Matrix y;
    private final Matrix testX;
    private final Loss loss;
    private final long kernelEveryAsked;
    private final Map<Long, Map<String, Double>> values = new HashMap<>();
    private long kernelEvery;
    private long total;
    private Matrix w0First;
    private boolean[] sign0;
    private double[] g0;
    private double g0Norm;
    private int nk;
    private double[] theta;
    private double[] thetaTest;
    private double[] fLin;
    private double[] fLinTest;
    private double[] yv;

    /**
     * @param tracks      what to measure
     * @param x           training inputs (n × d), y their targets (n × k)
     * @param testX       test inputs (or null)
     * @param kernelEvery steps between kernels (0: ten times the record interval)
     */
    public PathTracker(Set<Track> tracks, Matrix x, Matrix y, Matrix testX, Loss loss, long kernelEvery) {
        if (kernelEvery < 0) {
            throw new InputError("--kernel-every must be >= 0 (0 = ten times --record-every), got " + kernelEvery);
        }
        this.tracks = EnumSet.copyOf(tracks);
        this.x = x;
        this.y = y;
        this.testX = testX;
        this.loss = loss;
        this.kernelEveryAsked = kernelEvery;
    }

    private boolean kernelNeeded() {
        return tracks.contains(Track.KERNEL) || tracks.contains(Track.PL) && loss == Loss.MSE;
    }

    @Override
    public List<String> columns() {
        List<String> c = new ArrayList<>();
        if (tracks.contains(Track.NEURONS)) {
            c.addAll(List.of("neuron_movement_max", "neuron_movement_q50", "neuron_movement_q90"));
        }
        if (tracks.contains(Track.PATTERNS)) {
            c.add("pattern_change_fraction");
        }
        if (tracks.contains(Track.KERNEL)) {
            c.addAll(List.of("kernel_drift", "kernel_lambda_min"));
        }
        if (tracks.contains(Track.LINEARIZATION)) {
            c.add("linearization_gap_train");
            if (testX != null) {
                c.add("linearization_gap_test");
            }
        }
        if (tracks.contains(Track.PL)) {
            c.add("pl_ratio");
            if (loss == Loss.MSE) {
                c.add("pl_mu_kernel");
            }
        }
        return c;
    }

    @Override
    public Map<String, Double> at(long step) {
        return values.getOrDefault(step, Map.of());
    }

    @Override
    public void onStart(org.overparam.nn.Model model, TrainSpec spec, long totalSteps) {
        // neurons, patterns and the factorized kernel are stated for fully connected nets (Du et al. 2019's w_r)
        if (!(model instanceof Network net)) {
            throw new InputError("--track " + tracks + " is measured on fully connected networks only (neurons and "
                    + "activation patterns of the first hidden layer); drop --track for --arch networks");
        }
        total = totalSteps;
        kernelEvery = kernelEveryAsked > 0 ? kernelEveryAsked : 10L * spec.recordEvery();
        if ((tracks.contains(Track.NEURONS) || tracks.contains(Track.PATTERNS)) && net.layers() < 2) {
            throw new InputError("--track neurons/patterns measure the first hidden layer; this network has none");
        }
        if (tracks.contains(Track.LINEARIZATION) && (spec.optimizer() != Optimizer.GD || spec.loss() != Loss.MSE
                || spec.momentum() != 0)) {
            throw new InputError("--track linearization trains the linear model alongside in closed form, which needs "
                    + "full-batch gd on mse without momentum; drop it or use --optimizer gd --loss mse");
        }
        if (tracks.contains(Track.NEURONS)) {
            w0First = net.weight(0).copy();
        }
        if (tracks.contains(Track.PATTERNS)) {
            sign0 = signs(net);
        }
        int n = x.rows();
        int k = net.widths()[net.layers()];
        nk = n * k;
        if (kernelNeeded() || tracks.contains(Track.LINEARIZATION)) {
            boolean withTest = tracks.contains(Track.LINEARIZATION) && testX != null;
            double[] all;
            int rows = withTest ? (n + testX.rows()) * k : nk;
            try (Matrix both = withTest ? stack(x, testX) : null;
                    Matrix g = EmpiricalNtk.compute(net, withTest ? both : x, null, OutputMode.FULL)) {
                all = g.toArray();
            }
            g0 = block(all, rows, 0, nk, 0, nk);
            g0Norm = spectralNorm(g0, nk);
            if (tracks.contains(Track.LINEARIZATION)) {
                theta = g0;
                thetaTest = withTest ? block(all, rows, nk, rows, 0, nk) : null;
                try (Matrix f = net.predict(x)) {
                    fLin = f.toArray();
                }
                if (withTest) {
                    try (Matrix f = net.predict(testX)) {
                        fLinTest = f.toArray();
                    }
                }
                yv = y.toArray();
            }
        }
    }

    @Override
    public void atRecord(long step, org.overparam.nn.Model model) {
        Network net = (Network) model; // onStart refused any other
        Map<String, Double> m = values.computeIfAbsent(step, s -> new LinkedHashMap<>());
        if (tracks.contains(Track.NEURONS)) {
            double[] d = unitMovement(net.weight(0), w0First);
            Arrays.sort(d);
            m.put("neuron_movement_max", d[d.length - 1]);
            m.put("neuron_movement_q50", quantile(d, 0.5));
            m.put("neuron_movement_q90", quantile(d, 0.9));
        }
        if (tracks.contains(Track.PATTERNS)) {
            boolean[] s = signs(net);
            long changed = 0;
            for (int i = 0; i < s.length; i++) {
                if (s[i] != sign0[i]) {
                    changed++;
                }
            }
            m.put("pattern_change_fraction", (double) changed / s.length);
        }
        if (kernelNeeded() && (step % kernelEvery == 0 || step == total)) {
            double[] g;
            try (Matrix gm = EmpiricalNtk.compute(net, x, null, OutputMode.FULL)) {
                g = gm.toArray();
            }
            double lambdaMin;
            try (Matrix gm = Matrix.of(nk, nk, g)) {
                lambdaMin = Lapack.symmetricEigenvalues(gm)[0];
            }
            if (tracks.contains(Track.KERNEL)) {
                double[] diff = new double[g.length];
                for (int i = 0; i < g.length; i++) {
                    diff[i] = g[i] - g0[i];
                }
                m.put("kernel_drift", spectralNorm(diff, nk) / g0Norm);
                m.put("kernel_lambda_min", lambdaMin);
            }
            if (tracks.contains(Track.PL)) {
                m.put("pl_mu_kernel", 2 * lambdaMin / x.rows());
            }
        }
        if (tracks.contains(Track.LINEARIZATION)) {
            try (Matrix f = net.predict(x)) {
                m.put("linearization_gap_train", relativeGap(f.toArray(), fLin));
            }
            if (fLinTest != null) {
                try (Matrix f = net.predict(testX)) {
                    m.put("linearization_gap_test", relativeGap(f.toArray(), fLinTest));
                }
            }
        }
    }

    @Override
    public void onStep(StepRecord r, org.overparam.nn.Model net) {
        if (tracks.contains(Track.PL) && r.full() && !Double.isNaN(r.gradNormSq()) && r.loss() > 0) {
            values.computeIfAbsent(r.step(), s -> new LinkedHashMap<>()).put("pl_ratio", r.gradNormSq() / r.loss());
        }
        if (fLin != null) {
            // the linear model's GD step with this step's η: f <- f - (η/n) Θ0 (f - y), and the test outputs
            double c = r.lr() / x.rows();
            double[] res = new double[nk];
            for (int i = 0; i < nk; i++) {
                res[i] = fLin[i] - yv[i];
            }
            step(fLin, theta, res, c);
            if (fLinTest != null) {
                step(fLinTest, thetaTest, res, c);
            }
        }
    }

    /** f -= c · K res, K row-major (f.length × res.length). */
    private static void step(double[] f, double[] k, double[] res, double c) {
        int cols = res.length;
        for (int i = 0; i < f.length; i++) {
            double s = 0;
            int o = i * cols;
            for (int j = 0; j < cols; j++) {
                s += k[o + j] * res[j];
            }
            f[i] -= c * s;
        }
    }

    /** Pre-activation signs of the first layer on the training inputs (z > 0), row-major n × m. */
    private boolean[] signs(Network net) {
        try (Workspace ws = net.workspace(x.rows())) {
            net.forward(x, ws);
            double[] z = ws.preActivation(0).toArray();
            boolean[] s = new boolean[z.length];
            for (int i = 0; i < z.length; i++) {
                s[i] = z[i] > 0;
            }
            return s;
        }
    }

    /** ‖w_r − w_r(0)‖ for every unit r (row of the first layer's weight matrix). */
    static double[] unitMovement(Matrix w, Matrix w0) {
        int units = w.rows();
        int d = w.cols();
        double[] a = w.toArray();
        double[] b = w0.toArray();
        double[] out = new double[units];
        for (int r = 0; r < units; r++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double e = a[r * d + j] - b[r * d + j];
                s += e * e;
            }
            out[r] = Math.sqrt(s);
        }
        return out;
    }

    /** The q-quantile of sorted values, linearly interpolated (numpy's default). */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double relativeGap(double[] f, double[] lin) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < f.length; i++) {
            num += (f[i] - lin[i]) * (f[i] - lin[i]);
            den += f[i] * f[i];
        }
        return Math.sqrt(num / den);
    }

    /** ‖A‖₂ of a symmetric matrix: its largest absolute eigenvalue. */
    private static double spectralNorm(double[] a, int n) {
        try (Matrix m = Matrix.of(n, n, a)) {
            double[] ev = Lapack.symmetricEigenvalues(m);
            return Math.max(Math.abs(ev[0]), Math.abs(ev[ev.length - 1]));
        }
    }

    private static double[] block(double[] a, int cols, int r0, int r1, int c0, int c1) {
        double[] out = new double[(r1 - r0) * (c1 - c0)];
        for (int i = r0; i < r1; i++) {
            System.arraycopy(a, i * cols + c0, out, (i - r0) * (c1 - c0), c1 - c0);
        }
        return out;
    }

    private static Matrix stack(Matrix a, Matrix b) {
        double[] va = a.toArray();
        double[] vb = b.toArray();
        double[] all = Arrays.copyOf(va, va.length + vb.length);
        System.arraycopy(vb, 0, all, va.length, vb.length);
        return Matrix.of(a.rows() + b.rows(), a.cols(), all);
    }

    @Override
    public void onEnd(org.overparam.train.TrainResult result, org.overparam.nn.Model net) {
        close();
    }

    @Override
    public void close() {
        if (w0First != null) {
            w0First.close();
            w0First = null;
        }
    }
}
