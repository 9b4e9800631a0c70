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
import org.overparam.theory.Figure;
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
        report.add(r, setupName, plots(check, r, s));
    }

    /** The check's figures, rendered: the check decides what to draw ({@link TheoremCheck#figures}). */
    static List<LinePlot> plots(TheoremCheck check, CheckResult r, Setup s) {
        List<LinePlot> out = new ArrayList<>();
        for (Figure f : check.figures(r, s)) {
            LinePlot.Builder b = LinePlot.builder().title(f.title()).xLabel(f.xLabel()).yLabel(f.yLabel())
                    .logX(f.logX()).logY(f.logY());
            for (Figure.Series series : f.series()) {
                b.series(series.name(), series.x(), series.y());
            }
            for (Figure.Reference ref : f.references()) {
                b.referenceLine(ref.name(), ref.value());
            }
            out.add(b.build());
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
