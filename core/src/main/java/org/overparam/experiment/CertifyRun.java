package org.overparam.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.overparam.InputError;
import org.overparam.data.Synthetic;
import org.overparam.io.Json;
import org.overparam.io.NdArray;
import org.overparam.kernel.EmpiricalNtk;
import org.overparam.kernel.OutputMode;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.report.HtmlReport;
import org.overparam.report.LinePlot;
import org.overparam.train.Loss;
import org.overparam.train.Optimizer;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;
import org.overparam.theory.CheckResult;
import org.overparam.theory.NonlinearLeastSquaresPl;
import org.overparam.theory.PlImpliesLinearRate;
import org.overparam.theory.Setup;
import org.overparam.theory.StepSizeFromKernel;
import org.overparam.theory.TheoremCheck;

/**
 * {@code overparam certify} as a library call: run theorem checks on a user's setup (the same data and
 * network options as {@code train}) or, with {@code all}, every check on its built-in presets — including
 * presets that show a failed hypothesis — and write {@code certificate.json} and {@code report.html}.
 */
public final class CertifyRun {
    private CertifyRun() {
    }

    /** A named check with a factory taking the run's step budget. */
    record Registered(String id, Function<Long, TheoremCheck> factory, List<Preset> presets) {
    }

    /**
     * A built-in setup for {@code --all}: a name and the setup, and optionally the check's parameters for it
     * (e.g. a step size derived from the setup); null uses the registered factory.
     */
    record Preset(String name, Supplier<Setup> setup, Function<Setup, TheoremCheck> check) {
        Preset(String name, Supplier<Setup> setup) {
            this(name, setup, null);
        }
    }

    static final List<Registered> CHECKS = List.of(
            new Registered("pl-linear-rate", steps -> PlImpliesLinearRate.atInverseSmoothness(steps),
                    List.of(new Preset("interpolating least squares (linear model, n=4, d=8)",
                            () -> linearLeastSquares(4, 8, 1)),
                            new Preset("two-layer tanh net, n=6, d=3, width 64 (step 1/beta_hat at w0; beta_hat grows along "
                                    + "the path, so the hypothesis is expected to fail)", () -> smallNet("tanh", 6, 3, 64, 2)))),
            new Registered("pl-least-squares", steps -> new NonlinearLeastSquaresPl(),
                    List.of(new Preset("two-layer relu net, n=8, d=4, width 32", () -> smallNet("relu", 8, 4, 32, 3)),
                            new Preset("cross-entropy (hypothesis not met: PL-from-Jacobian is for squared loss)",
                                    () -> crossEntropyNet()))),
            new Registered("ntk-max-step", steps -> new StepSizeFromKernel(0.5, steps),
                    List.of(new Preset("wide ntk-parameterized tanh net, n=8, d=4, width 256",
                            () -> wideNtk("tanh", 8, 4, 256, 4)))),
            new Registered("full-rank-jacobian", steps -> new org.overparam.theory.FullRankJacobian(),
                    List.of(new Preset("leaky_relu:0.2 net, n=20, d=4, width 8 (d0*d1 = 32 >= n)",
                            () -> ntkNet("leaky_relu:0.2", 20, 4, 8, false, 103)),
                            new Preset("leaky_relu:0.2 net, n=20, d=4, width 3 (d0*d1 = 12 < n: hypothesis not met)",
                                    () -> ntkNet("leaky_relu:0.2", 20, 4, 3, false, 133)))),
            new Registered("linear-activation-rank", steps -> new org.overparam.theory.LinearActivationRank(),
                    List.of(new Preset("linear activation, n=6, d=8, width 6", () -> ntkNet("linear", 6, 8, 6, false, 203)),
                            new Preset("tanh (|sigma'| not bounded below: hypothesis not met)",
                                    () -> ntkNet("tanh", 6, 8, 6, false, 223)))),
            new Registered("last-layer-convex", steps -> new org.overparam.theory.LastLayerConvex(0.5, Math.max(steps, 3000)),
                    List.of(new Preset("random features, du2019 relu, n=20, d=5, width 64, last layer trained",
                            () -> lastLayerOnly(20, 5, 64, 301)),
                            new Preset("random features of width 8 < n = 20 (hypothesis not met)",
                                    () -> lastLayerOnly(20, 5, 8, 311)))),
            new Registered("lazy-training", steps -> new org.overparam.theory.LazyTraining(1.8, 300),
                    List.of(new Preset("Du et al. setting, n=6, d=5, width 512, eta = 1.8 (eta_eff = 0.3)",
                            () -> duNet(6, 5, 512, 402)),
                            new Preset("standard parameterization with biases (outside their setting)",
                                    () -> smallNet("relu", 6, 5, 256, 413)))),
            new Registered("sgd-nonconvex", steps -> new org.overparam.theory.SgdNonConvex(0.01, steps, 2, 4, Double.NaN, 4, 7),
                    List.of(new Preset("two-layer tanh net, n=8, d=3, batch 2, 4 seeds, eta = 0.5/beta_hat",
                            () -> smallNet("tanh", 8, 3, 16, 501), s -> new org.overparam.theory.SgdNonConvex(
                                    0.5 / org.overparam.theory.Smoothness.largestEigenvalue(s).beta(), 100, 2, 4,
                                    Double.NaN, 4, 7)),
                            new Preset("same net, eta = 3/beta_hat (hypothesis not met)", () -> smallNet("tanh", 8, 3, 16, 501),
                                    s -> new org.overparam.theory.SgdNonConvex(
                                            3 / org.overparam.theory.Smoothness.largestEigenvalue(s).beta(), 20, 2, 2,
                                            Double.NaN, 2, 7)))),
            new Registered("fine-grained", steps -> new org.overparam.theory.FineGrainedDynamics(2.4, 200, 0.05, 50, 804),
                    List.of(new Preset("Du et al. setting, n=8, d=5, width 1024, labels x_1 + x_2, eta_eff = 0.3",
                            () -> duStructured(8, 5, 1024, 803)),
                            new Preset("ntk-parameterized net (outside their setting)", () -> wideNtk("relu", 8, 5, 256, 805)))),
            new Registered("linearization", steps -> new org.overparam.theory.Linearization(0.5, 100, new int[] {64, 256, 1024}, 903, 3),
                    List.of(new Preset("ntk tanh net, n=8, d=3, width 256, widths 64/256/1024 x 3 seeds",
                            () -> ntkNet("tanh", 8, 3, 256, true, 903)),
                            new Preset("standard parameterization (no width limit to compare with)",
                                    () -> smallNet("tanh", 8, 3, 256, 913),
                                    s -> new org.overparam.theory.Linearization(0.5, 20, new int[] {64, 256, 1024}, 913, 1)))),
            new Registered("width-demanded", steps -> org.overparam.theory.WidthDemanded.defaults(),
                    List.of(new Preset("Du et al. setting, n=8, d=4, width 64 (bounds against the width GD needed)",
                            () -> duNet(8, 4, 64, 1003),
                            s -> new org.overparam.theory.WidthDemanded(0.1, 1e-3, 1500, Double.NaN, 512, 1004)),
                            new Preset("a repeated input (lambda0 = 0: hypothesis not met)", () -> duplicateInputs()))),
            new Registered("ntrf-generalization",
                    steps -> new org.overparam.theory.NtrfGeneralization(8, 0.1, 2.0, steps, 0.1, null, null),
                    List.of(new Preset("chen2021 net, L=2, width 128, margin data n=80, d=5, gamma=0.3, R=8, 200 test points",
                            () -> chenMargin(false), s -> {
                                Matrix[] test = chenMarginTest();
                                return new org.overparam.theory.NtrfGeneralization(8, 0.1, 2.0, 400, 0.1, test[0], test[1]);
                            }),
                            new Preset("same inputs, random labels (no NTRF margin: hypothesis not met)",
                                    () -> chenMargin(true), s -> new org.overparam.theory.NtrfGeneralization(8, 0.1, 2.0,
                                            400, 0.1, null, null)))));

    public static List<String> checkIds() {
        return CHECKS.stream().map(Registered::id).toList();
    }

    /** Every registered check's id and claim, in registry order (for --help: the list cannot omit one). */
    public static Map<String, String> checkClaims() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (Registered r : CHECKS) {
            m.put(r.id(), r.factory().apply(1L).claim());
        }
        return m;
    }

    /**
     * @param checks  the check ids to run on {@code config}'s setup, or null with {@code all}
     * @param config  data and network options as for train (ignored with {@code all})
     */
    public static Map<String, Object> execute(boolean all, List<String> checks, RunConfig config, long steps, String out,
            int threads) {
        if (threads < 1) {
            throw new InputError("--threads must be positive");
        }
        Blas.setThreads(threads);
        Parallel.setThreads(threads);
        if (out == null || out.isBlank()) {
            throw new InputError("--out must name an output folder");
        }
        if (steps <= 0) {
            throw new InputError("--steps must be positive, got " + steps);
        }
        List<Registered> selected = new ArrayList<>();
        if (all) {
            selected.addAll(CHECKS);
        } else {
            if (checks == null || checks.isEmpty()) {
                throw new InputError("choose checks with --checks " + String.join(",", checkIds()) + " or run --all");
            }
            for (String id : checks) {
                selected.add(CHECKS.stream().filter(r -> r.id().equals(id.trim())).findFirst().orElseThrow(
                        () -> new InputError("unknown check '" + id + "'; known: " + String.join(", ", checkIds()))));
            }
        }
        // Validate the user's setup before anything is written.
        Setup user = all ? null : userSetup(config);
        HtmlReport report = new HtmlReport("overparam certificate", all ? "every check on its built-in presets"
                : "setup: " + config.toMap());
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            for (Registered r : selected) {
                TheoremCheck check = r.factory().apply(steps);
                if (all) {
                    for (Preset p : r.presets()) {
                        Setup s = p.setup().get();
                        try {
                            runOne(p.check() != null ? p.check().apply(s) : check, s, p.name(), rows, report);
                        } finally {
                            close(s);
                        }
                    }
                } else {
                    runOne(check, user, "user setup", rows, report);
                }
            }
        } finally {
            if (user != null) {
                close(user);
            }
        }
        Map<String, Object> certificate = new LinkedHashMap<>();
        certificate.put("checks", rows);
        certificate.put("provenance", Provenance.of(threads, all ? null : config.seed()).toMap());
        try (OutputFolder folder = new OutputFolder(Path.of(out))) {
            Path dir = folder.dir();
            Json.write(Map.of("certify", Map.of("all", all, "checks", all ? checkIds() : checks, "steps", steps),
                    "config", all ? Map.of() : config.toMap()), dir.resolve("config.json"));
            Json.write(certificate, dir.resolve("certificate.json"));
            Files.writeString(dir.resolve("report.html"), report.toHtml());
            folder.commit();
            certificate.put("output_folder", folder.target().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return certificate;
    }

    private static void runOne(TheoremCheck check, Setup s, String setupName, List<Map<String, Object>> rows,
            HtmlReport report) {
        CheckResult r = check.run(s);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", r.id());
        row.put("setup", setupName);
        row.put("claim", r.claim());
        row.put("paper", r.paper());
        row.put("hypothesis", r.hypothesis().text());
        row.put("hypothesis_met", r.hypothesis().met());
        row.put("measured", r.measured());
        row.put("bound", Map.of("text", r.bound().text(), "value", r.bound().value()));
        row.put("verdict", r.verdict().label());
        row.put("why", r.why());
        rows.add(row);
        report.add(r, setupName, plots(r, s, setupName));
    }

    /** The loss curve on a log scale with the check's predicted rate drawn over it, where the check has one. */
    static List<LinePlot> plots(CheckResult r, Setup s, String setupName) {
        List<LinePlot> out = new ArrayList<>();
        if (r.id().equals("pl-linear-rate") && r.measured().containsKey("rate") && r.hypothesis().met()) {
            double eta = r.get("eta");
            long steps = (long) r.get("steps_run");
            double lStar = r.get("L_star");
            double rho = r.get("rate");
            double[] k = new double[(int) steps + 1];
            double[] gap = new double[k.length];
            double[] bound = new double[k.length];
            try (Network net = s.net().copy()) {
                new Trainer(net, s.x(), s.y(), TrainSpec.gd(s.loss(), eta, steps, 0)).observe((rec, n) -> {
                    int i = (int) rec.step();
                    k[i] = i;
                    gap[i] = rec.loss() - lStar;
                }).run();
            }
            for (int i = 0; i < k.length; i++) {
                bound[i] = Math.pow(rho, i) * gap[0];
            }
            out.add(LinePlot.builder().title("L(w_k) - L* and the PL rate")
                    .xLabel("step k").yLabel("L(w_k) - L*").logY(true).series("GD at eta = 1/beta_hat", k, gap)
                    .series("bound (1 - 2 eta mu (1 - eta beta / 2))^k (L0 - L*)", k, bound).build());
        }
        if ((r.id().equals("lazy-training") || r.id().equals("fine-grained")) && r.hypothesis().met()
                && r.measured().containsKey("eta")) {
            // the measured loss of GD on a copy, with the theory's prediction drawn over it
            double eta = r.get("eta");
            int n = s.n();
            long steps = r.id().equals("lazy-training") ? 300 : 200;
            double[] k = new double[(int) steps + 1];
            double[] loss = new double[k.length];
            double[] predicted = new double[k.length];
            try (Network net = s.net().copy()) {
                Matrix u0 = net.predict(s.x());
                new Trainer(net, s.x(), s.y(), TrainSpec.gd(s.loss(), eta, steps, 0)).observe((rec, nn) -> {
                    k[(int) rec.step()] = rec.step();
                    loss[(int) rec.step()] = rec.loss();
                }).run();
                double etaEff = eta / n;
                if (r.id().equals("lazy-training")) {
                    double rho = 1 - etaEff * r.get("lambda0") / 2;
                    for (int i = 0; i < k.length; i++) {
                        predicted[i] = Math.pow(rho, i) * loss[0];
                    }
                } else {
                    // Arora et al. 2019: ||y - u(k)||^2 = sum_i (1 - eta_eff lambda_i)^{2k} (v_i^T (y - u(0)))^2
                    try (Matrix h = org.overparam.kernel.LectureLimits.hInfinity(s.x())) {
                        var eig = Lapack.symmetricEigen(h);
                        double[] proj = new double[n];
                        for (int i = 0; i < n; i++) {
                            double p = 0;
                            for (int j = 0; j < n; j++) {
                                p += eig.vectors().get(j, i) * (s.y().get(j, 0) - u0.get(j, 0));
                            }
                            proj[i] = p * p;
                        }
                        for (int t = 0; t < k.length; t++) {
                            double sum = 0;
                            for (int i = 0; i < n; i++) {
                                sum += Math.pow(1 - etaEff * eig.values()[i], 2.0 * t) * proj[i];
                            }
                            predicted[t] = sum / (2.0 * n);
                        }
                        eig.vectors().close();
                    }
                }
                u0.close();
            }
            String what = r.id().equals("lazy-training") ? "bound (1 - eta_eff lambda0 / 2)^k L_0 (Du et al.)"
                    : "predicted from H^inf's eigenpairs (Arora et al.)";
            out.add(LinePlot.builder().title("Loss against the theory").xLabel("step k").yLabel("loss")
                    .logY(true).series("GD (measured)", k, loss).series(what, k, predicted).build());
        }
        if (r.id().equals("full-rank-jacobian") && r.hypothesis().met() && s.net().layers() == 2) {
            // Soudry & Carmon's phase transition: rank J / n against d0·d1 / n over widths up to 2n/d0
            int n = s.n();
            int d0 = s.x().cols();
            int maxWidth = Math.max(2, (2 * n + d0 - 1) / d0);
            int[] widths = java.util.stream.IntStream.rangeClosed(1, maxWidth).toArray();
            var points = org.overparam.theory.FullRankJacobian.phaseTransition(s.x(), s.net().activation(0), widths, 7);
            double[] px = points.stream().mapToDouble(p -> p.parametersOverN()).toArray();
            double[] py = points.stream().mapToDouble(p -> p.rankOverN()).toArray();
            double[] theory = java.util.Arrays.stream(px).map(v -> Math.min(1.0, v)).toArray();
            out.add(LinePlot.builder().title("Phase transition of rank J (first layer)").xLabel("d0*d1 / n")
                    .yLabel("rank J / n").series("measured", px, py).series("min(1, d0 d1 / n)", px, theory).build());
        }
        if (r.id().equals("linearization") && r.measured().containsKey("log_log_slope")) {
            List<Double> widths = new ArrayList<>();
            List<Double> gaps = new ArrayList<>();
            for (var e : r.measured().entrySet()) {
                if (e.getKey().startsWith("gap_at_width_")) {
                    widths.add(Double.parseDouble(e.getKey().substring("gap_at_width_".length())));
                    gaps.add(e.getValue());
                }
            }
            out.add(LinePlot.builder().title(String.format(java.util.Locale.ROOT,
                    "Linearization gap against width (fitted slope %.2f; theory: at most ~m^-1/2)",
                    r.get("log_log_slope"))).xLabel("width m").yLabel("||f_T - f_T^lin|| / ||f_T||").logX(true).logY(true)
                    .series("measured (mean over seeds)", widths.stream().mapToDouble(Double::doubleValue).toArray(),
                            gaps.stream().mapToDouble(Double::doubleValue).toArray()).build());
        }
        if (r.id().equals("width-demanded") && r.measured().containsKey("m_du2019")) {
            String[] keys = {"m_kawaguchi_huang2019", "m_song2021", "m_oymak_soltanolkotabi2020", "m_song_yang2019",
                    "m_zou_gu2019", "m_du2019"};
            double[] idx = new double[keys.length];
            double[] m = new double[keys.length];
            for (int i = 0; i < keys.length; i++) {
                idx[i] = i + 1;
                m[i] = r.get(keys[i]);
            }
            LinePlot.Builder b = LinePlot.builder().title("Width each theorem demands")
                    .xLabel("1 Kawaguchi-Huang, 2 Song et al., 3 Oymak-Soltanolkotabi, 4 Song-Yang, 5 Zou-Gu, 6 Du et al.").yLabel("width").logY(true).series("demanded (order only)", idx, m)
                    .referenceLine("width used", r.get("width_used"));
            if (r.measured().containsKey("width_gd_needed") && r.get("width_gd_needed") > 0) {
                b.referenceLine("width GD needed (search)", r.get("width_gd_needed"));
            }
            out.add(b.build());
        }
        if (r.id().equals("pl-least-squares") || r.id().equals("ntk-max-step")) {
            if (s.loss() == Loss.MSE) {
                try (Matrix g = EmpiricalNtk.compute(s.net(), s.x(), s.trainedLayers(), OutputMode.FULL)) {
                    double[] ev = Lapack.symmetricEigenvalues(g);
                    double[] idx = new double[ev.length];
                    double[] desc = new double[ev.length];
                    for (int i = 0; i < ev.length; i++) {
                        idx[i] = i + 1;
                        desc[i] = ev[ev.length - 1 - i];
                    }
                    out.add(LinePlot.builder().title("Spectrum of J J^T at w0").xLabel("index")
                            .yLabel("eigenvalue").logY(true).series("lambda_i(J J^T)", idx, desc).build());
                }
            }
        }
        return out;
    }

    static Setup userSetup(RunConfig c) {
        Loss loss = Loss.parse(c.loss());
        LoadedData data = DataLoader.load(c);
        TrainRun.Built b = TrainRun.buildNetwork(c, data, loss, Optimizer.GD);
        return new Setup(b.net(), data.x(), data.y(), loss);
    }

    private static void close(Setup s) {
        s.net().close();
    }

    // ---- presets

    static Setup linearLeastSquares(int n, int d, long seed) {
        Matrix x = Matrix.of(n, d, Synthetic.gaussian(n, d, seed).data());
        Matrix y = Matrix.of(n, 1, Synthetic.randomNormalLabels(n, 1, seed).data());
        return new Setup(Network.initialize(NetworkSpec.standard(d, new int[0], 1, Activations.LINEAR), seed), x, y,
                Loss.MSE);
    }

    static Setup smallNet(String act, int n, int d, int width, long seed) {
        NdArray xs = Synthetic.sphere(n, d, seed);
        Matrix x = Matrix.of(n, d, xs.data());
        Matrix y = Matrix.of(n, 1, Synthetic.randomNormalLabels(n, 1, seed).data());
        return new Setup(Network.initialize(NetworkSpec.standard(d, new int[] {width}, 1,
                org.overparam.nn.Activation.parse(act)), seed), x, y, Loss.MSE);
    }

    static Setup wideNtk(String act, int n, int d, int width, long seed) {
        Matrix x = Matrix.of(n, d, Synthetic.sphere(n, d, seed).data());
        Matrix y = Matrix.of(n, 1, Synthetic.randomNormalLabels(n, 1, seed).data());
        return new Setup(Network.initialize(NetworkSpec.ntk(d, new int[] {width}, 1,
                org.overparam.nn.Activation.parse(act), 1.0, 0.0, true), seed), x, y, Loss.MSE);
    }

    static Setup ntkNet(String act, int n, int d, int width, boolean bias, long seed) {
        Matrix x = Matrix.of(n, d, Synthetic.gaussian(n, d, seed).data());
        Matrix y = Matrix.of(n, 1, Synthetic.randomNormalLabels(n, 1, seed).data());
        return new Setup(Network.initialize(NetworkSpec.ntk(d, new int[] {width}, 1,
                org.overparam.nn.Activation.parse(act), 1.0, 0.0, bias), seed), x, y, Loss.MSE);
    }

    static Setup lastLayerOnly(int n, int d, int width, long seed) {
        Matrix x = Matrix.of(n, d, Synthetic.sphere(n, d, seed).data());
        Matrix y = Matrix.of(n, 1, Synthetic.randomNormalLabels(n, 1, seed).data());
        return new Setup(Network.initialize(NetworkSpec.du2019(d, width, Activations.RELU)
                .withTrainable(org.overparam.nn.TrainableLayers.LAST), seed), x, y, Loss.MSE);
    }

    static Setup duNet(int n, int d, int width, long seed) {
        Matrix x = Matrix.of(n, d, Synthetic.sphere(n, d, seed).data());
        Matrix y = Matrix.of(n, 1, Synthetic.randomNormalLabels(n, 1, seed).data());
        return new Setup(Network.initialize(NetworkSpec.du2019(d, width, Activations.RELU), seed), x, y, Loss.MSE);
    }

    static Setup duStructured(int n, int d, int width, long seed) {
        Matrix x = Matrix.of(n, d, Synthetic.sphere(n, d, seed).data());
        Matrix y = Matrix.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            y.set(i, 0, x.get(i, 0) + x.get(i, 1));
        }
        return new Setup(Network.initialize(NetworkSpec.du2019(d, width, Activations.RELU), seed), x, y, Loss.MSE);
    }

    static Setup duplicateInputs() {
        Matrix x = Matrix.ofRows(new double[][] {{1, 0}, {0, 1}, {1, 0}});
        Matrix y = Matrix.ofRows(new double[][] {{1}, {-1}, {0}});
        return new Setup(Network.initialize(NetworkSpec.du2019(2, 64, Activations.RELU), 1023), x, y, Loss.MSE);
    }

    /** Chen et al.'s setting: ±1 classes with margin 0.3 on the unit sphere (the first 80 of one pool of 280). */
    static Setup chenMargin(boolean randomLabels) {
        org.overparam.data.Dataset all = Synthetic.twoClassMargin(280, 5, 0.3, 21);
        Matrix x = Matrix.of(80, 5, java.util.Arrays.copyOf(all.x().data(), 80 * 5));
        Matrix y = Matrix.of(80, 1, java.util.Arrays.copyOf(all.y().data(), 80));
        if (randomLabels) {
            java.util.SplittableRandom r = new java.util.SplittableRandom(23);
            for (int i = 0; i < 80; i++) {
                y.set(i, 0, r.nextBoolean() ? 1 : -1);
            }
        }
        return new Setup(Network.initialize(NetworkSpec.chen2021(5, 128, 2), 22), x, y, Loss.LOGISTIC);
    }

    /** The held-out 200 points of {@link #chenMargin}'s pool: inputs and labels. */
    static Matrix[] chenMarginTest() {
        org.overparam.data.Dataset all = Synthetic.twoClassMargin(280, 5, 0.3, 21);
        double[] x = all.x().data();
        double[] y = all.y().data();
        return new Matrix[] {Matrix.of(200, 5, java.util.Arrays.copyOfRange(x, 80 * 5, 280 * 5)),
            Matrix.of(200, 1, java.util.Arrays.copyOfRange(y, 80, 280))};
    }

    static Setup crossEntropyNet() {
        int n = 8;
        Matrix x = Matrix.of(n, 4, Synthetic.sphere(n, 4, 5).data());
        Matrix y = Matrix.of(n, 1, Synthetic.randomClassLabels(n, 3, 5).data());
        return new Setup(Network.initialize(NetworkSpec.standard(4, new int[] {16}, 3, Activations.RELU), 5), x, y,
                Loss.CROSS_ENTROPY);
    }
}
