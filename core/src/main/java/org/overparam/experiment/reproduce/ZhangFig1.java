package org.overparam.experiment.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.overparam.InputError;
import org.overparam.report.PaperChart;
import org.overparam.stats.LogLogFit;

/**
 * Zhang, Bengio, Hardt, Recht &amp; Vinyals, ICLR 2017, Figure 1a–c on MNIST: the network that fits the true labels
 * also fits labels of which a fraction p is randomized, shuffled pixels, random pixels and Gaussian inputs to 100 %
 * training accuracy; the time to fit grows with p and the test error rises to chance. The conditions are the
 * randomization study's ({@code train --corrupt-labels P | --shuffle-pixels | --random-pixels | --gaussian-inputs},
 * see {@link org.overparam.experiment.RandomizationStudy}): the test split is drawn before any randomization and its
 * labels are never corrupted; shuffled pixels permute the test images alike.
 */
final class ZhangFig1 implements Reproduction {
    private record Size(int n, int testN, int m, List<Double> ps, int seeds, long steps, int recordEvery) {
    }

    private static final Size QUICK = new Size(200, 200, 512, List.of(0.0, 0.25, 0.5, 0.75, 1.0), 1, 3000, 10);
    private static final Size FULL = new Size(1000, 1000, 512, List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), 2, 5000, 20);

    /** Full-batch GD's step size on the cross-entropy (1/n)Σ(logsumexp h − h_y), standard parameterization. */
    static final double LR = 0.5;
    static final int CLASSES = 10;

    /** The randomizations other than label corruption: name, config.json key, file tag. */
    private static final String[][] INPUTS = {{"shuffled pixels", "shuffle_pixels", "shuffled"},
        {"random pixels", "random_pixels", "random-pixels"}, {"Gaussian inputs", "gaussian_inputs", "gaussian"}};

    /** One training run's outcome: steps to fit (NaN when it did not fit within the budget) and test error. */
    record Cell(String condition, double p, int seed, double stepsToFit, double testError, double finalLoss,
            long stepsRun, boolean diverged) {
        boolean fitted() {
            return !Double.isNaN(stepsToFit);
        }
    }

    @Override
    public String id() {
        return "zhang2017";
    }

    @Override
    public String paper() {
        return "Zhang, Bengio, Hardt, Recht & Vinyals (2017), Understanding deep learning requires rethinking "
                + "generalization, ICLR, Figure 1a-c";
    }

    @Override
    public String finding() {
        return "The network that fits the true labels fits random labels, shuffled pixels, random pixels and Gaussian "
                + "inputs to zero training error too: randomization slows training down only by a small factor, the "
                + "time to fit grows with the fraction of labels corrupted, and the test error rises steadily to "
                + "chance (0.9 on 10 classes) as the labels become random.";
    }

    private static Size size(boolean quick) {
        return quick ? QUICK : FULL;
    }

    private static String dataset(Size s) {
        return "mnist:dir=" + AroraFig.mnist + ",n=" + (s.n() + s.testN()) + ",seed=0,pool=2";
    }

    @Override
    public String setup(boolean quick) {
        Size s = size(quick);
        return String.format(Locale.ROOT, "MNIST test set (the t10k files), all %d classes, a pool of %d images drawn "
                + "with seed 0, 14×14 average-pooled (196 inputs, pixels in [0, 1]), split by each seed into n = %d "
                + "training and %d test images before any randomization (test labels never corrupted; shuffled pixels "
                + "permute the test images alike; random pixels and Gaussian inputs are tested on real images). One "
                + "hidden relu layer of width %d, standard parameterization with biases, every layer trained; "
                + "full-batch GD with η = %.1f on the cross-entropy (1/n)Σ_i (logsumexp h(x_i) − h(x_i)_{y_i}), at "
                + "most T = %d steps, stopped at the first step with 100%% training accuracy (checked every step: "
                + "steps to fit); test error measured every %d steps and at the end. Label corruption p = %s "
                + "(exactly round(p n) labels redrawn uniformly from the 10 classes, so some keep theirs); also "
                + "shuffled pixels (one permutation for all images), random pixels (one per image) and Gaussian inputs "
                + "(the images' scalar mean and variance). %d seed%s per condition (initialization, split and "
                + "randomization)%s. Shuffled pixels only relabel the input coordinates, which a fully connected net "
                + "with i.i.d. initialization cannot tell apart in distribution: its curve lies near the true labels'. "
                + "Differences from the paper: an MLP on %d MNIST images instead of Inception on "
                + "CIFAR-10, full-batch GD at a constant step size instead of SGD.", CLASSES, s.n() + s.testN(),
                s.n(), s.testN(), s.m(), LR, s.steps(), s.recordEvery(), Trend.fmt(s.ps().stream()
                        .mapToDouble(Double::doubleValue).toArray(), "%.2g"), s.seeds(), s.seeds() == 1 ? "" : "s",
                s.seeds() == 1 ? "" : " (mean ± sd over seeds in figures b and c; the loss curves are seed 0's)",
                s.n());
    }

    @Override
    public String fullTime() {
        return "about 5 min on 2 cores";
    }

    @Override
    public String missingData() {
        return Files.isDirectory(AroraFig.mnist) ? null : "zhang2017 uses MNIST: " + AroraFig.mnist + " does not exist; "
                + "give the folder of the MNIST IDX files with --mnist DIR";
    }

    @Override
    public Outcome run(Path dir, boolean quick, int threads, Consumer<String> log) {
        if (missingData() != null) {
            throw new InputError(missingData());
        }
        Size s = size(quick);
        List<Cell> cells = new ArrayList<>();
        // seed 0's loss curves of the paper's Fig. 1a conditions: true labels, random labels, the three input ones
        Map<String, double[][]> curves = new LinkedHashMap<>();
        for (int seed = 0; seed < s.seeds(); seed++) {
            for (double p : s.ps()) {
                String name = p == 0 ? "true labels" : p == 1 ? "random labels" : "labels, p = " + p;
                Map<String, Object> c = base(s, seed);
                c.put("corrupt_labels", p);
                Cell cell = train(c, name, p, seed, dir.resolve("runs").resolve("p" + p + "-seed" + seed), threads, log,
                        seed == 0 && (p == 0 || p == 1) ? curves : null);
                cells.add(cell);
            }
            for (String[] in : INPUTS) {
                Map<String, Object> c = base(s, seed);
                c.put(in[1], true);
                cells.add(train(c, in[0], Double.NaN, seed, dir.resolve("runs").resolve(in[2] + "-seed" + seed),
                        threads, log, seed == 0 ? curves : null));
            }
        }
        try {
            return draw(dir, s, cells, curves);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> base(Size s, int seed) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("dataset", dataset(s));
        c.put("test_split", s.testN() / (double) (s.n() + s.testN()));
        c.put("loss", "cross_entropy");
        c.put("classes", CLASSES);
        c.put("hidden", Integer.toString(s.m()));
        c.put("lr", LR);
        c.put("steps", s.steps());
        c.put("record_every", s.recordEvery());
        c.put("stop_at_fit", true);
        c.put("seed", (long) seed);
        return c;
    }

    private Cell train(Map<String, Object> c, String name, double p, int seed, Path folder, int threads,
            Consumer<String> log, Map<String, double[][]> curves) {
        log.accept(id() + ": training on " + name + ", seed " + seed);
        Runs.Run run = Runs.train(c, folder, threads);
        Map<String, Object> sum = run.summary();
        boolean diverged = !"completed".equals(sum.get("status"));
        double fit = !diverged && sum.get("steps_to_fit") instanceof Number v ? v.doubleValue() : Double.NaN;
        double acc = sum.get("final_test_accuracy") instanceof Number v ? v.doubleValue() : Double.NaN;
        double loss = sum.get("final_loss") instanceof Number v ? v.doubleValue() : Double.NaN;
        long ran = sum.get("steps_run") instanceof Number v ? v.longValue() : 0;
        if (curves != null) {
            curves.put(name, run.series("loss"));
        }
        return new Cell(name, p, seed, fit, 1 - acc, loss, ran, diverged);
    }

    /** At most this many points of a loss curve are drawn (every k-th step, and the last). */
    static final int CURVE_POINTS = 1000;

    static double[][] thin(double[][] curve) {
        int len = curve[0].length;
        int stride = Math.max(1, (int) Math.ceil(len / (double) CURVE_POINTS));
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < len; i += stride) {
            keep.add(i);
        }
        if (len > 0 && keep.get(keep.size() - 1) != len - 1) {
            keep.add(len - 1);
        }
        return new double[][] {keep.stream().mapToDouble(i -> curve[0][i]).toArray(),
            keep.stream().mapToDouble(i -> curve[1][i]).toArray()};
    }

    private Outcome draw(Path dir, Size s, List<Cell> cells, Map<String, double[][]> curves) throws IOException {
        String fixed = String.format(Locale.ROOT, "MNIST, n=%d, width %d, GD η=%.1f", s.n(), s.m(), LR);
        // Fig. 1a: the loss curves; every run stops at its fit, so a curve's end is its time to fit
        PaperChart a = PaperChart.of("Training loss until 100% training accuracy, " + fixed, "GD step k",
                "training loss (1/n)Σ cross-entropy");
        List<String> header = new ArrayList<>();
        List<double[]> cols = new ArrayList<>();
        int rows = 0;
        for (var e : curves.entrySet()) {
            rows = Math.max(rows, thin(e.getValue())[0].length);
        }
        for (var e : curves.entrySet()) {
            double[][] t = thin(e.getValue());
            a.add(e.getKey(), t[0], t[1], PaperChart.Kind.CURVE);
            String tag = e.getKey().replace(' ', '_').toLowerCase(Locale.ROOT);
            header.add(tag + "_step");
            header.add(tag + "_loss");
            cols.add(pad(t[0], rows));
            cols.add(pad(t[1], rows));
        }
        a.write(dir.resolve("zhang2017-fig1a-loss"));
        Runs.csv(dir.resolve("zhang2017-fig1a-loss.csv"), header, cols);

        // Fig. 1b and 1c: against p, mean ± sd over seeds; runs that did not fit are drawn at the budget
        List<Double> ps = s.ps();
        int k = ps.size();
        double[] px = ps.stream().mapToDouble(Double::doubleValue).toArray();
        double[] stepsMean = new double[k];
        double[] stepsSd = new double[k];
        double[] fitCount = new double[k];
        double[] errMean = new double[k];
        double[] errSd = new double[k];
        List<double[]> allFit = new ArrayList<>(); // (p, steps) of single seeds where another seed did not fit
        List<double[]> censored = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            double p = px[i];
            List<Cell> at = cells.stream().filter(c -> c.p() == p).toList();
            double[] st = at.stream().filter(Cell::fitted).mapToDouble(Cell::stepsToFit).toArray();
            double[] er = at.stream().mapToDouble(Cell::testError).toArray();
            fitCount[i] = st.length;
            boolean all = st.length == at.size();
            stepsMean[i] = all ? DuFig1.mean(st) : Double.NaN;
            stepsSd[i] = all ? DuFig1.sd(st) : Double.NaN;
            errMean[i] = DuFig1.mean(er);
            errSd[i] = DuFig1.sd(er);
            for (Cell c : at) {
                if (!c.fitted()) {
                    censored.add(new double[] {p, s.steps()});
                } else if (!all) {
                    allFit.add(new double[] {p, c.stepsToFit()});
                }
            }
        }
        String over = s.seeds() == 1 ? "measured, seed 0" : "measured, mean ± sd over " + s.seeds() + " seeds";
        PaperChart b = PaperChart.of("Time to fit against label corruption, " + fixed, "fraction p of labels "
                + "randomized", "GD steps to 100% training accuracy")
                .add(over, px, stepsMean, s.seeds() == 1 ? null : stepsSd, PaperChart.Kind.MEASURED);
        if (!allFit.isEmpty()) {
            b.add("single seeds where another did not fit", allFit.stream().mapToDouble(v -> v[0]).toArray(),
                    allFit.stream().mapToDouble(v -> v[1]).toArray(), PaperChart.Kind.POINTS);
        }
        if (!censored.isEmpty()) {
            b.add("no fit within T = " + s.steps() + " steps (lower bound)", censored.stream().mapToDouble(v -> v[0])
                    .toArray(), censored.stream().mapToDouble(v -> v[1]).toArray(), PaperChart.Kind.AT_LEAST);
        }
        b.write(dir.resolve("zhang2017-fig1b-time-to-fit"));
        double chance = 1 - 1.0 / CLASSES;
        PaperChart.of("Test error against label corruption, " + fixed, "fraction p of labels randomized",
                "test error (1 − accuracy), true test labels")
                .add(over, px, errMean, s.seeds() == 1 ? null : errSd, PaperChart.Kind.MEASURED)
                .add(String.format(Locale.ROOT, "chance, 1 − 1/%d = %.1f (reference)", CLASSES, chance),
                        new double[] {px[0], px[k - 1]}, new double[] {chance, chance}, PaperChart.Kind.BOUND)
                .write(dir.resolve("zhang2017-fig1c-test-error"));
        Runs.csv(dir.resolve("zhang2017-fig1bc.csv"), List.of("p", "seeds", "seeds_fit", "steps_to_fit_mean",
                "steps_to_fit_sd", "test_error_mean", "test_error_sd"), List.of(px, constant(k, s.seeds()), fitCount,
                stepsMean, stepsSd, errMean, errSd));
        writeRuns(dir.resolve("zhang2017-runs.csv"), cells, s.steps());
        return new Outcome(List.of("zhang2017-fig1a-loss", "zhang2017-fig1b-time-to-fit", "zhang2017-fig1c-test-error"),
                List.of("zhang2017-fig1a-loss.csv", "zhang2017-fig1bc.csv", "zhang2017-runs.csv"),
                comparison(s, cells, px, stepsMean, errMean, chance));
    }

    private static double[] pad(double[] v, int len) {
        double[] out = new double[len];
        java.util.Arrays.fill(out, Double.NaN);
        System.arraycopy(v, 0, out, 0, v.length);
        return out;
    }

    private static double[] constant(int k, double v) {
        double[] out = new double[k];
        java.util.Arrays.fill(out, v);
        return out;
    }

    /** Every run: condition, p (empty for the input randomizations), seed, steps to fit (empty: none), test error. */
    private static void writeRuns(Path file, List<Cell> cells, long budget) {
        StringBuilder b = new StringBuilder("condition,p,seed,fitted,steps_to_fit,steps_run,step_budget,final_loss,"
                + "test_error,diverged\n");
        for (Cell c : cells) {
            b.append(c.condition().replace(',', ';')).append(',').append(Double.isNaN(c.p()) ? "" : Double.toString(c.p()))
                    .append(',').append(c.seed()).append(',').append(c.fitted() ? 1 : 0).append(',')
                    .append(c.fitted() ? Long.toString((long) c.stepsToFit()) : "").append(',').append(c.stepsRun())
                    .append(',').append(budget).append(',').append(Double.isNaN(c.finalLoss()) ? "" : c.finalLoss())
                    .append(',').append(Double.isNaN(c.testError()) ? "" : c.testError()).append(',')
                    .append(c.diverged() ? 1 : 0).append('\n');
        }
        org.overparam.io.AtomicFile.write(file, tmp -> Files.writeString(tmp, b.toString()));
    }

    /**
     * The least-squares slope of y against p with its 95 % interval: the log-log fit of (e^p, e^y), since
     * ln e^v = v (so it is the ordinary straight-line fit of y on p).
     */
    static LogLogFit againstP(double[] p, double[] y) {
        return LogLogFit.of(java.util.Arrays.stream(p).map(Math::exp).toArray(),
                java.util.Arrays.stream(y).map(Math::exp).toArray(), 0.95);
    }

    static String interval(LogLogFit f) {
        return !Trend.hasInterval(f) ? String.format(Locale.ROOT, "%.3g (two points: no interval)", f.slope())
                : String.format(Locale.ROOT, "%.3g (95%% interval [%.3g, %.3g], %d runs)", f.slope(), f.ciLow(),
                        f.ciHigh(), f.points());
    }

    private static String comparison(Size s, List<Cell> cells, double[] px, double[] stepsMean, double[] errMean,
            double chance) {
        StringBuilder b = new StringBuilder();
        long fitted = cells.stream().filter(Cell::fitted).count();
        b.append(String.format(Locale.ROOT, "%d of %d runs reached 100%% training accuracy within T = %d steps",
                fitted, cells.size(), s.steps()));
        List<String> missed = cells.stream().filter(c -> !c.fitted()).map(c -> c.condition() + " (seed " + c.seed()
                + (c.diverged() ? ", diverged" : "") + ")").toList();
        b.append(missed.isEmpty() ? ". " : "; not: " + String.join(", ", missed) + ". ");
        String over = s.seeds() == 1 ? " (one seed: no spread measured)" : " (mean over " + s.seeds() + " seeds)";
        b.append("Steps to fit").append(over).append(": ");
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < px.length; i++) {
            parts.add(String.format(Locale.ROOT, "p = %.2g: %s", px[i], Double.isNaN(stepsMean[i]) ? "not all fit"
                    : String.format(Locale.ROOT, "%.0f", stepsMean[i])));
        }
        for (String[] in : INPUTS) {
            double[] st = cells.stream().filter(c -> c.condition().equals(in[0])).mapToDouble(Cell::stepsToFit).toArray();
            boolean all = java.util.Arrays.stream(st).noneMatch(Double::isNaN);
            parts.add(in[0] + ": " + (all ? String.format(Locale.ROOT, "%.0f", DuFig1.mean(st)) : "not all fit"));
        }
        b.append(String.join(", ", parts)).append(". ");
        // random labels slower than true ones in every seed: a run that did not fit took longer than the budget
        double trueSlowest = cells.stream().filter(c -> c.p() == 0).mapToDouble(c -> c.fitted() ? c.stepsToFit()
                : Double.POSITIVE_INFINITY).max().orElse(Double.NaN);
        double randomFastest = cells.stream().filter(c -> c.p() == 1).mapToDouble(c -> c.fitted() ? c.stepsToFit()
                : Double.POSITIVE_INFINITY).min().orElse(Double.NaN);
        boolean slower = randomFastest > trueSlowest;
        if (Double.isFinite(randomFastest) && Double.isFinite(trueSlowest)) {
            b.append(String.format(Locale.ROOT, "Random labels took %s the steps of true labels (%s). ",
                    s.seeds() == 1 ? String.format(Locale.ROOT, "%.1f×", randomFastest / trueSlowest)
                            : String.format(Locale.ROOT, "at least %.1f×", randomFastest / trueSlowest),
                    s.seeds() == 1 ? "one seed" : "fastest random-label seed against slowest true-label seed"));
        }
        boolean allFit = missed.isEmpty();
        // the trends over every run (one point per run): ln(steps to fit) and the test error against p
        List<Cell> labelRuns = cells.stream().filter(c -> !Double.isNaN(c.p())).toList();
        double[] rp = labelRuns.stream().mapToDouble(Cell::p).toArray();
        boolean labelsAllFit = labelRuns.stream().allMatch(Cell::fitted);
        LogLogFit stepsFit = labelsAllFit ? againstP(rp, labelRuns.stream().mapToDouble(c -> Math.log(c.stepsToFit()))
                .toArray()) : null;
        LogLogFit errFit = againstP(rp, labelRuns.stream().mapToDouble(Cell::testError).toArray());
        if (stepsFit != null) {
            b.append("Slope of ln(steps to fit) against p: ").append(interval(stepsFit)).append(
                    Trend.hasInterval(stepsFit) && stepsFit.ciLow() > 0 ? String.format(Locale.ROOT, ", a factor e^b = "
                            + "%.2g from p = 0 to 1. ", Math.exp(stepsFit.slope())) : ". ");
        } else {
            b.append("Some label runs did not fit: no slope of the time to fit is fitted (they are drawn at the budget). ");
        }
        int last = px.length - 1;
        int slowest = -1;
        for (int i = 0; i < px.length; i++) {
            if (!Double.isNaN(stepsMean[i]) && (slowest < 0 || stepsMean[i] > stepsMean[slowest])) {
                slowest = i;
            }
        }
        if (slowest >= 0 && slowest != last) {
            b.append(String.format(Locale.ROOT, "The slowest label level that fit was p = %.2g, not p = 1. ",
                    px[slowest]));
        }
        b.append(String.format(Locale.ROOT, "Test error %.3g at p = %.2g, %.3g at p = %.2g (chance %.1f; with p = 1 a "
                + "label still matches its image with probability 0.19, so slightly below chance is possible); slope "
                + "against p: %s. ", errMean[0], px[0], errMean[last], px[last], chance, interval(errFit)));
        boolean stepsGrow = stepsFit != null && Trend.hasInterval(stepsFit) && stepsFit.ciLow() > 0;
        boolean errGrows = Trend.hasInterval(errFit) && errFit.ciLow() > 0;
        // at p = 1 a redrawn label still equals the true one with probability 1/10, so a label matches its image
        // with probability 0.19, not 0.1: a net may end a little better than chance
        boolean nearChance = px[last] == 1 && Math.abs(errMean[last] - chance) <= 0.1;
        if (!Trend.hasInterval(errFit)) {
            b.append(Trend.TOO_FEW.replace("widths", "runs"));
        } else if (allFit && slower && stepsGrow && errGrows && nearChance) {
            b.append("As in the paper: every randomization was fit, random labels took longer than true labels in "
                    + "every seed, the time to fit rises with p in a log-linear fit (see above whether it is monotone) "
                    + "and the test error rises with p to within 0.1 of chance.");
        } else {
            List<String> not = new ArrayList<>();
            if (!allFit) {
                not.add("not every run fit within the budget");
            }
            if (!slower) {
                not.add("random labels were not slower than true labels in every seed");
            }
            if (!stepsGrow) {
                not.add("the time to fit does not grow with p at 95% confidence");
            }
            if (!errGrows) {
                not.add("the test error does not rise with p at 95% confidence");
            }
            if (!nearChance) {
                not.add("the test error at p = 1 is not within 0.1 of chance");
            }
            b.append("Not all as in the paper: ").append(String.join("; ", not)).append('.');
        }
        return b.toString();
    }
}
