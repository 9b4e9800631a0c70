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
import org.overparam.report.PaperChart;
import org.overparam.theory.Figure;
import org.overparam.train.Loss;
import org.overparam.train.Optimizer;
import org.overparam.train.TrainSpec;
import org.overparam.train.Trainer;
import org.overparam.theory.CheckResult;
import org.overparam.theory.CheckSettings;
import org.overparam.theory.NonlinearLeastSquaresPl;
import org.overparam.theory.PlImpliesLinearRate;
import org.overparam.theory.Preset;
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

    /**
     * A check as registered: its factory for a user's run (the id is the check's own), its built-in parameters for
     * presets that bring none, and its presets.
     */
    record Registered(String id, Function<CheckSettings, TheoremCheck> forRun, Supplier<TheoremCheck> presetDefault,
            List<Preset> presets) {
        static Registered of(Function<CheckSettings, TheoremCheck> forRun, Supplier<TheoremCheck> presetDefault,
                List<Preset> presets) {
            return new Registered(presetDefault.get().id(), forRun, presetDefault, presets);
        }
    }

    /** The registered checks, in report order: each brings its own parameters and presets. */
    static final List<Registered> CHECKS = List.of(
            Registered.of(org.overparam.theory.PlImpliesLinearRate::forRun, org.overparam.theory.PlImpliesLinearRate::presetDefault,
                    org.overparam.theory.PlImpliesLinearRate.presets()),
            Registered.of(org.overparam.theory.NonlinearLeastSquaresPl::forRun, org.overparam.theory.NonlinearLeastSquaresPl::presetDefault,
                    org.overparam.theory.NonlinearLeastSquaresPl.presets()),
            Registered.of(org.overparam.theory.StepSizeFromKernel::forRun, org.overparam.theory.StepSizeFromKernel::presetDefault,
                    org.overparam.theory.StepSizeFromKernel.presets()),
            Registered.of(org.overparam.theory.FullRankJacobian::forRun, org.overparam.theory.FullRankJacobian::presetDefault,
                    org.overparam.theory.FullRankJacobian.presets()),
            Registered.of(org.overparam.theory.LinearActivationRank::forRun, org.overparam.theory.LinearActivationRank::presetDefault,
                    org.overparam.theory.LinearActivationRank.presets()),
            Registered.of(org.overparam.theory.LastLayerConvex::forRun, org.overparam.theory.LastLayerConvex::presetDefault,
                    org.overparam.theory.LastLayerConvex.presets()),
            Registered.of(org.overparam.theory.LazyTraining::forRun, org.overparam.theory.LazyTraining::presetDefault,
                    org.overparam.theory.LazyTraining.presets()),
            Registered.of(org.overparam.theory.SgdNonConvex::forRun, org.overparam.theory.SgdNonConvex::presetDefault,
                    org.overparam.theory.SgdNonConvex.presets()),
            Registered.of(org.overparam.theory.FineGrainedDynamics::forRun, org.overparam.theory.FineGrainedDynamics::presetDefault,
                    org.overparam.theory.FineGrainedDynamics.presets()),
            Registered.of(org.overparam.theory.Linearization::forRun, org.overparam.theory.Linearization::presetDefault,
                    org.overparam.theory.Linearization.presets()),
            Registered.of(org.overparam.theory.WidthDemanded::forRun, org.overparam.theory.WidthDemanded::presetDefault,
                    org.overparam.theory.WidthDemanded.presets()),
            Registered.of(org.overparam.theory.NtrfGeneralization::forRun, org.overparam.theory.NtrfGeneralization::presetDefault,
                    org.overparam.theory.NtrfGeneralization.presets()),
            Registered.of(org.overparam.theory.DepthResNet::forRun, org.overparam.theory.DepthResNet::presetDefault,
                    org.overparam.theory.DepthResNet.presets()));

    public static List<String> checkIds() {
        return CHECKS.stream().map(Registered::id).toList();
    }

    /** Every registered check's id and claim, in registry order (for --help: the list cannot omit one). */
    public static Map<String, String> checkClaims() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (Registered r : CHECKS) {
            m.put(r.id(), r.presetDefault().get().claim());
        }
        return m;
    }

    /**
     * @param checks  the check ids to run on {@code config}'s run, or null with {@code all}
     * @param config  the user's run, as train's configuration: data, network and training (step, length, seed);
     *                every check that trains trains with these settings (ignored with {@code all})
     */
    public static CertifyReport execute(boolean all, List<String> checks, RunConfig config, String out, int threads) {
        return execute(all, checks, config, "options", out, threads, CheckSettings.DEFAULT_TREND_WIDTHS);
    }

    /** As above; {@code source} says where the run came from (a run folder given to {@code certify --run}). */
    public static CertifyReport execute(boolean all, List<String> checks, RunConfig config, String source, String out,
            int threads, List<Integer> trendWidths) {
        return execute(all, checks, config, source, out, threads, trendWidths, line -> { });
    }

    /** As above, with a progress line per check on {@code log} ("check 2/5 lazy-training: ..., ETA ..."). */
    public static CertifyReport execute(boolean all, List<String> checks, RunConfig config, String source, String out,
            int threads, List<Integer> trendWidths, java.util.function.Consumer<String> log) {
        if (threads < 1) {
            throw new InputError("--threads must be positive");
        }
        Blas.setThreads(threads);
        Parallel.setThreads(threads);
        if (out == null || out.isBlank()) {
            throw new InputError("--out must name an output folder");
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
        CheckSettings settings = all ? null : settings(config, user.n(), trendWidths);
        HtmlReport report = new HtmlReport("overparam certificate", all ? "Every check on its built-in presets: for "
                + "each, one setup where the hypothesis holds and, where one exists, one where it fails."
                : "The run certified: " + source);
        if (!all) {
            report.setupTable(setupRows(config, settings, source));
        }
        List<CertifiedCheck> rows = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (Registered r : selected) {
                if (all) {
                    for (Preset p : r.presets()) {
                        Setup s = p.setup().get();
                        try {
                            runOne(p.check() != null ? p.check().apply(s) : r.presetDefault().get(), s, p.name(), rows,
                                    report);
                        } finally {
                            close(s);
                        }
                    }
                } else {
                    runOne(r.forRun().apply(settings), user, "user setup", rows, report);
                    CertifiedCheck last = rows.get(rows.size() - 1);
                    log.accept("check " + last.id() + ": " + last.summary() + " ["
                            + Eta.of(rows.size(), selected.size(), (System.nanoTime() - started) * 1e-9) + "]");
                }
            }
        } finally {
            if (user != null) {
                close(user);
            }
        }
        CertifiedRun run = all ? null : new CertifiedRun(source, config.toMap(), settings);
        CertifyReport certificate = new CertifyReport(run, rows, Provenance.of(threads, all ? null : config.seed()), null);
        try (OutputFolder folder = new OutputFolder(Path.of(out))) {
            Path dir = folder.dir();
            // ordered maps: Map.of's iteration order changes from one JVM to the next
            Map<String, Object> certify = new LinkedHashMap<>();
            certify.put("all", all);
            certify.put("checks", all ? checkIds() : checks);
            certify.put("run_settings", settings);
            Map<String, Object> configJson = new LinkedHashMap<>();
            configJson.put("certify", certify);
            configJson.put("config", all ? Map.of() : config.toMap());
            Json.write(configJson, dir.resolve("config.json"));
            Json.write(certificate, dir.resolve("certificate.json"));
            Files.writeString(dir.resolve("report.html"), report.toHtml());
            folder.commit();
            return certificate.in(folder.target().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void runOne(TheoremCheck check, Setup s, String setupName, List<CertifiedCheck> rows,
            HtmlReport report) {
        // a theorem about fully connected nets is not measured on a CNN or ResNet: its hypothesis is unmet, said why
        boolean applies = s.fullyConnected() || check.generalNetworks();
        CheckResult r = applies ? check.run(s) : check.notFullyConnected(s);
        rows.add(CertifiedCheck.of(r, setupName, check.parameters()));
        report.add(r, setupName, check.formula(), applies ? firstDrawings(report, setupName, check.figures(r, s))
                : List.of());
    }

    /**
     * The figures not yet in the report for this setup: two checks often draw the same thing (the spectrum of JJᵀ
     * at w_0), and a report draws each figure once.
     */
    private static List<org.overparam.report.SvgFigure> firstDrawings(HtmlReport report, String setupName,
            List<Figure> figures) {
        java.util.Set<String> drawn = new java.util.HashSet<>();
        for (HtmlReport.Entry e : report.entries()) {
            if (e.setup().equals(setupName)) {
                e.plots().forEach(p -> drawn.add(p.title()));
            }
        }
        return figures.stream().filter(f -> !drawn.contains(f.title())).map(CertifyRun::chart)
                .map(c -> (org.overparam.report.SvgFigure) c).toList();
    }

    /**
     * A check's figure drawn for a paper ({@link PaperChart}), each series as its style says: measurements with
     * markers (dense curves as lines), predictions dashed, bounds dotted, one-sided points as triangles; reference
     * values as dotted lines.
     */
    static PaperChart chart(Figure f) {
        PaperChart c = PaperChart.of(f.title(), f.xLabel(), f.yLabel());
        if (f.logX()) {
            c = c.logX();
        }
        if (f.logY()) {
            c = c.logY();
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Figure.Series s : f.series()) {
            PaperChart.Kind kind = switch (s.style()) {
                case MEASURED -> s.x().length > 30 ? PaperChart.Kind.CURVE : PaperChart.Kind.MEASURED;
                case PREDICTION -> PaperChart.Kind.PREDICTION;
                case BOUND -> PaperChart.Kind.BOUND;
                case AT_MOST -> PaperChart.Kind.CENSORED;
                case AT_LEAST -> PaperChart.Kind.AT_LEAST;
            };
            if (s.colourOf() != null) {
                c.addInColourOf(s.colourOf(), s.name(), s.x(), s.y(), kind);
            } else {
                c.add(s.name(), s.x(), s.y(), kind);
            }
            for (double v : s.x()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        for (Figure.Reference r : f.references()) {
            c.addReference(r.name(), r.value());
        }
        // depths, widths, steps, a theorem's number: label integers only (a log axis: the values drawn, not 1..10)
        boolean integers = f.series().stream().flatMapToDouble(x -> java.util.Arrays.stream(x.x()))
                .allMatch(v -> v == Math.rint(v));
        return integers && !f.series().isEmpty() ? c.integerX() : c;
    }

    /** The run as a readable table: where it came from, what the checks trained with, and every field given. */
    static List<List<String>> setupRows(RunConfig c, CheckSettings s, String source) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("run", source));
        rows.add(List.of("checks train with", String.format(java.util.Locale.ROOT, "step %s, %d steps, batch %d, "
                + "seed %d; trend widths %s", c.training().lr(), s.steps(), s.batch(), s.seed(), s.trendWidths())));
        RunConfig d = RunConfig.defaults();
        Map<String, Object> dm = d.toMap();
        for (Map.Entry<String, Object> e : c.toMap().entrySet()) {
            Object v = e.getValue();
            if (c.network().arch() != null && List.of("hidden", "activation").contains(e.getKey())) {
                continue; // --arch replaces them: showing their defaults would describe another network
            }
            // the fields that say something: given, and not the defaults of the output and machine sections
            if (v != null && !ResultsStore.NOT_HASHED.contains(e.getKey()) && !e.getKey().equals("out")
                    && (!v.equals(dm.get(e.getKey())) || List.of("hidden", "activation", "parameterization", "loss",
                            "optimizer", "lr", "steps").contains(e.getKey()))) {
                rows.add(List.of(e.getKey().replace('_', ' '), String.valueOf(v)));
            }
        }
        return rows;
    }

    /** The user's training settings for the checks: η, T (steps, or epochs over n samples), batch and seed. */
    static CheckSettings settings(RunConfig c, int n, List<Integer> trendWidths) {
        TrainingConfig t = c.training();
        long steps = t.stepsFor(n);
        if (steps < 1) {
            throw new InputError("certify needs a run of at least one step; give --steps T");
        }
        return new CheckSettings(t.lr(), steps, Math.max(1, Math.min(t.batch(), n)), t.seed(), trendWidths);
    }

    static Setup userSetup(RunConfig c) {
        Loss loss = c.training().loss().value();
        LoadedData data = DataLoader.load(c);
        TrainRun.Built b = TrainRun.buildNetwork(c, data);
        return new Setup(b.net(), data.x(), data.y(), loss);
    }

    private static void close(Setup s) {
        s.net().close();
    }
}
