package org.overparam.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.overparam.InputError;
import org.overparam.linalg.Matrix;
import org.overparam.nn.ArchTemplate;
import org.overparam.nn.LayerNet;
import org.overparam.nn.Shape;
import org.overparam.report.HtmlReport;
import org.overparam.report.PaperChart;
import org.overparam.train.Loss;

/**
 * Deep against wide at matched parameter counts (the lecture's open problem: width helps in theory, depth
 * in practice). For each data set (a panel), depth L and target parameter count P, the uniform width that
 * gives about P parameters ({@link UniformWidth}; the actual count is reported) is trained until it fits
 * (100 % training accuracy on class or ±1 labels, the target loss on regression labels) or the step
 * budget runs out; per depth we report the steps to fit and the test error against P, and the smallest P
 * of the grid at which at least a fraction 1 − delta of the seeds fit the n training points.
 */
public final class DeepWideStudy implements Study {

    /**
     * The options of {@code overparam deep-vs-wide}; validated on construction. {@code arch} is null for uniform-width
     * fully connected nets (depth = hidden layers); else the network at a depth L and width m is this template with
     * both filled in.
     */
    public record Options(List<String> datasets, List<String> testDatasets, double testSplit, List<Long> params,
            List<Integer> depths, double targetLoss, double delta, StudyTraining training, ArchTemplate arch) {
        /** Fully connected nets. */
        public Options(List<String> datasets, List<String> testDatasets, double testSplit, List<Long> params,
                List<Integer> depths, double targetLoss, double delta, StudyTraining training) {
            this(datasets, testDatasets, testSplit, params, depths, targetLoss, delta, training, null);
        }

        public Options {
            if (arch != null) {
                arch.requireWidth("deep-vs-wide").requireDepth("deep-vs-wide");
            }
            if (datasets == null || datasets.isEmpty()) {
                throw new InputError("give at least one --dataset, e.g. --dataset margin:n=200,d=20,gamma=0.1");
            }
            testDatasets = testDatasets == null ? List.of() : List.copyOf(testDatasets);
            if (!testDatasets.isEmpty() && testDatasets.size() != datasets.size()) {
                throw new InputError("give one --test-dataset per --dataset (" + datasets.size() + "), or none and "
                        + "--test-split");
            }
            if (!testDatasets.isEmpty() && testSplit > 0) {
                throw new InputError("--test-split cannot be combined with --test-dataset");
            }
            if (!(testSplit >= 0 && testSplit < 1)) {
                throw new InputError("--test-split must be a fraction in [0, 1), got " + testSplit);
            }
            if (params == null || params.isEmpty()) {
                throw new InputError("--params needs at least one parameter count, e.g. --params 2000,8000,32000");
            }
            if (depths == null || depths.isEmpty()) {
                throw new InputError("--depths needs at least one depth, e.g. --depths 1,2,3,4");
            }
            for (long p : params) {
                StudyTraining.requireRange("--params", p, 1, 10_000_000_000L);
            }
            for (int d : depths) {
                StudyTraining.requireRange("--depths", d, 1, 100);
            }
            if (!(targetLoss > 0) || !Double.isFinite(targetLoss)) {
                throw new InputError("--target-loss must be a positive number, got " + targetLoss);
            }
            if (!(delta >= 0 && delta < 1)) {
                throw new InputError("--delta must be a fraction in [0, 1), got " + delta);
            }
            datasets = List.copyOf(datasets);
            params = params.stream().distinct().sorted().toList();
            depths = depths.stream().distinct().sorted().toList();
        }
    }

    /** A data set as loaded once to size the networks: its loss, input shape and output dimension, n. */
    record Panel(String name, RunConfig base, Shape input, int k, int nTrain, int nTest) {
        int d() {
            return input.size();
        }
    }

    private final Options o;
    private List<Panel> panels;
    /** Grid cells skipped because the target is below the count of width 1 (filled by {@link #points}). */
    private final List<String> unreachable = new ArrayList<>();

    public DeepWideStudy(Options options) {
        this.o = options;
    }

    @Override
    public String name() {
        return "deep-vs-wide";
    }

    @Override
    public String title() {
        return "Deep against wide at matched parameter counts";
    }

    @Override
    public String xName() {
        return "target parameters";
    }

    /** Loads every data set once (checking it) and picks its loss from its labels. */
    List<Panel> panels() {
        if (panels == null) {
            List<Panel> out = new ArrayList<>();
            for (int i = 0; i < o.datasets().size(); i++) {
                Map<String, Object> m = new LinkedHashMap<>(o.training().config());
                m.put("dataset", o.datasets().get(i));
                m.put("test_dataset", o.testDatasets().isEmpty() ? null : o.testDatasets().get(i));
                m.put("test_split", o.testSplit());
                if (o.arch() != null) { // the loader keeps the image shape for --arch networks only
                    m.putAll(network(o.depths().get(0), new UniformWidth(1, 0)));
                }
                RunConfig c = RunConfig.defaults().with(m, name());
                LoadedData data = DataLoader.load(c);
                Loss loss = lossFor(data.y());
                Map<String, Object> fit = new LinkedHashMap<>();
                fit.put("loss", loss.cliName());
                if (loss == Loss.CROSS_ENTROPY) {
                    // every seed's split must see the same number of classes, hence the same network size
                    fit.put("classes", Math.max(loss.outputDim(data.y(), 0),
                            data.testY() == null ? 0 : loss.outputDim(data.testY(), 0)));
                }
                fit.put("stop_at_fit", loss != Loss.MSE);
                fit.put("target_loss", loss == Loss.MSE ? o.targetLoss() : 0.0);
                c = c.with(fit, name());
                out.add(new Panel(o.datasets().get(i), c, data.shape(), loss.outputDim(data.y(), c.data().classes()),
                        data.x().rows(),
                        data.testX() == null ? 0 : data.testX().rows()));
            }
            panels = List.copyOf(out);
        }
        return panels;
    }

    /**
     * ±1 labels: logistic loss; class indices 0, 1, ...: cross-entropy; anything else (regression targets):
     * mse, fit meaning the target loss.
     */
    static Loss lossFor(Matrix y) {
        boolean signs = y.cols() == 1;
        boolean classes = y.cols() == 1;
        for (long i = 0; i < y.size(); i++) {
            double v = y.at(i);
            signs &= v == 1 || v == -1;
            classes &= v >= 0 && v == Math.rint(v);
        }
        return signs ? Loss.LOGISTIC : classes ? Loss.CROSS_ENTROPY : Loss.MSE;
    }

    @Override
    public List<GridPoint> points() {
        List<GridPoint> out = new ArrayList<>();
        unreachable.clear();
        for (Panel p : panels()) {
            int before = out.size();
            for (int depth : o.depths()) {
                LongUnaryOperator count = parametersAt(p, depth);
                for (long target : o.params()) {
                    long atWidthOne = count.applyAsLong(1);
                    if (target < atWidthOne) {
                        unreachable.add(p.name() + " depth " + depth + ": " + target + " < " + atWidthOne);
                        continue;
                    }
                    UniformWidth w = UniformWidth.closest(count, target, "depth " + depth + " on " + p.name());
                    RunConfig c = p.base().with(network(depth, w), name());
                    for (int s = 0; s < o.training().seeds(); s++) {
                        out.add(new GridPoint(p.name(), curve(depth), target, c.with(Map.of("seed", s), name())));
                    }
                }
            }
            if (out.size() == before) {
                throw new InputError("--params: every count is below what width 1 already has on " + p.name()
                        + " (" + parametersAt(p, o.depths().get(0)).applyAsLong(1) + " at depth " + o.depths().get(0)
                        + "); give larger counts");
            }
        }
        return out;
    }

    /** The parameter count at width w and this depth on a panel's data: the formula, or the template's network. */
    private LongUnaryOperator parametersAt(Panel p, int depth) {
        NetworkConfig n = p.base().network();
        if (o.arch() == null) {
            return w -> UniformWidth.parameters(p.d(), p.k(), depth, w, n.bias());
        }
        return w -> LayerNet.parameterCount(new LayerNet.Spec(o.arch().at((int) w, depth), p.input(),
                n.parameterization().value(), n.sigmaW(), n.sigmaB(), n.bias()));
    }

    /** The config keys of the network at this depth and width. */
    private Map<String, Object> network(int depth, UniformWidth w) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (o.arch() == null) {
            m.put("hidden", w.hidden(depth));
        } else {
            m.put("hidden", null); // the template replaces the hidden widths
            m.put("arch", o.arch().at(w.width(), depth).spelling());
        }
        return m;
    }

    static String curve(int depth) {
        return "depth " + depth;
    }

    @Override
    public String setup() {
        StringBuilder b = new StringBuilder();
        for (Panel p : panels()) {
            b.append(String.format(Locale.ROOT, "%s: n = %d training points, %d test, d = %d, %d output(s), %s loss, "
                    + "fit = %s. ", p.name(), p.nTrain(), p.nTest(), p.d(), p.k(), p.base().training().loss().text(),
                    p.base().training().stopAtFit() ? "100% training accuracy" : "training loss <= " + o.targetLoss()));
        }
        b.append(String.format(Locale.ROOT, "%s with biases, standard parameterization, the "
                + "width solved for each target parameter count (actual counts in the table); %s; %d seeds per cell "
                + "(each seed its own initialization%s). Smallest fitting count: the smallest grid value at which at "
                + "least %s of the seeds fit.", o.arch() == null ? "Uniform-width " + o.training().activation()
                        + " networks" : "The networks --arch " + o.arch() + " (depth = L, width = m)",
                o.training().describe(),
                o.training().seeds(), o.testSplit() > 0 ? " and train/test split" : "", StudyRun.number(1 - o.delta())));
        if (!unreachable.isEmpty()) {
            b.append(" Not run, the target being below the count at width 1: ").append(String.join("; ", unreachable))
                    .append('.');
        }
        return b.toString();
    }

    @Override
    public List<Figure> figures(List<FitCell> cells) {
        List<Figure> steps = new ArrayList<>();
        List<Figure> test = new ArrayList<>();
        PaperChart smallest = PaperChart.of("Smallest fitting parameter count per depth (≥ "
                + StudyRun.number(1 - o.delta()) + " of the seeds fit)", o.arch() == null ? "depth (hidden layers)"
                        : "depth L (repeats of --arch's *L)", "parameters")
                .logY().integerX();
        Map<FitCell.Key, FitCell> fit = FitReduction.smallestFitting(cells, o.delta());
        int i = 0;
        for (Panel p : panels()) {
            i++;
            String data = shortName(p.name()) + ", n=" + p.nTrain();
            PaperChart s = PaperChart.of("Steps to fit against size, " + data, "parameters",
                    "steps to fit (" + (p.base().training().stopAtFit() ? "100% training accuracy"
                            : "training loss ≤ " + o.targetLoss()) + ")").logX().logY().integerX();
            PaperChart t = PaperChart.of("Test error against size, " + data, "parameters",
                    p.base().training().stopAtFit() ? "test error (1 − accuracy)" : "test loss (mse, 1/(2n) Σ (f − y)²)")
                    .logX().integerX();
            double[] depthX = new double[o.depths().size()];
            double[] minP = new double[depthX.length];
            List<double[]> noneFits = new ArrayList<>();
            int j = 0;
            for (int depth : o.depths()) {
                List<FitCell> curve = FitCurves.curve(cells, p.name(), curve(depth));
                String name = curve(depth);
                FitCurves.steps(s, name, curve, c -> c.parameters());
                FitCurves.testError(t, name, curve, c -> c.parameters());
                FitCell best = fit.get(new FitCell.Key(p.name(), curve(depth), Double.NaN));
                depthX[j] = depth;
                minP[j++] = best == null ? Double.NaN : best.parameters();
                if (best == null && !curve.isEmpty()) {
                    // none of the grid fits: the smallest fitting count lies above the largest one tried
                    noneFits.add(new double[] {depth, curve.stream().mapToLong(FitCell::parameters).max().getAsLong()});
                }
            }
            smallest.add(shortName(p.name()), depthX, minP, PaperChart.Kind.MEASURED);
            if (!noneFits.isEmpty()) {
                smallest.addInColourOf(shortName(p.name()), shortName(p.name()) + ": none in the grid fits (> largest)",
                        noneFits.stream().mapToDouble(v -> v[0]).toArray(), noneFits.stream().mapToDouble(v -> v[1])
                                .toArray(), PaperChart.Kind.AT_LEAST);
            }
            steps.add(new Figure("steps-to-fit-" + i, s));
            test.add(new Figure("test-error-" + i, t));
        }
        List<Figure> all = new ArrayList<>(steps);
        all.addAll(test);
        all.add(new Figure("smallest-fitting", smallest));
        return all;
    }

    private static String shortName(String spec) {
        String s = spec.replaceAll("dir=[^,]*,?", "");
        return s.endsWith(",") || s.endsWith(":") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public List<HtmlReport.Section> sections(List<FitCell> cells) {
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> m : smallest(cells)) {
            rows.add(List.of(String.valueOf(m.get("data")), String.valueOf(m.get("n_train")), "depth " + m.get("depth"),
                    m.get("parameters") == null ? "none in the grid fits" : m.get("parameters") + " (target "
                            + m.get("target_parameters") + ", width " + m.get("hidden") + ")",
                    m.get("parameters") == null ? "" : m.get("fitted") + " of " + m.get("seeds")));
        }
        return List.of(HtmlReport.Section.of("Smallest parameter count that fits n points",
                "Per data set and depth, the smallest grid count at which at least " + StudyRun.number(1 - o.delta())
                        + " of the seeds reached the fit within " + o.training().maxSteps() + " steps (a grid search, not a "
                        + "bisection: the true threshold lies between it and the next smaller grid value).",
                List.of("data", "n", "depth", "smallest fitting parameter count", "seeds that fit"), rows, List.of()));
    }

    private List<Map<String, Object>> smallest(List<FitCell> cells) {
        Map<FitCell.Key, FitCell> fit = FitReduction.smallestFitting(cells, o.delta());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Panel p : panels()) {
            for (int depth : o.depths()) {
                FitCell c = fit.get(new FitCell.Key(p.name(), curve(depth), Double.NaN));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("data", p.name());
                m.put("n_train", p.nTrain());
                m.put("depth", depth);
                m.put("target_parameters", c == null ? null : (long) c.key().x());
                m.put("parameters", c == null ? null : c.parameters());
                m.put("hidden", c == null ? null : c.hidden());
                m.put("fitted", c == null ? null : c.fitted());
                m.put("seeds", c == null ? null : c.seeds());
                out.add(m);
            }
        }
        return out;
    }

    @Override
    public Map<String, Object> extraResults(List<FitCell> cells) {
        return Map.of("smallest_fitting", smallest(cells), "not_run_below_width_one", List.copyOf(unreachable));
    }

    @Override
    public Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("datasets", o.datasets());
        m.put("test_datasets", o.testDatasets());
        m.put("test_split", o.testSplit());
        m.put("params", o.params());
        m.put("depths", o.depths());
        m.put("arch", o.arch() == null ? null : o.arch().spelling());
        m.put("target_loss", o.targetLoss());
        m.put("delta", o.delta());
        m.putAll(o.training().toMap());
        return m;
    }
}
