package org.overparam.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.overparam.InputError;
import org.overparam.data.DatasetSpec;
import org.overparam.report.PaperChart;

/**
 * The randomization tests of Zhang, Bengio, Hardt, Recht and Vinyals (ICLR 2017), Sec. 2 and Fig. 1, on
 * real images (MNIST IDX or CIFAR-10 binary files): the same network trained to 100 % training accuracy
 * on true labels, on labels of which a fraction p is randomized (their Fig. 1b "time to fit" and 1c test
 * error against p), and on shuffled pixels, random pixels and Gaussian inputs (drawn as labelled lines
 * across the p axis). The test set comes from the same files, is split off before any randomization and
 * its labels are never corrupted.
 *
 * <p>Where we differ from the paper: an MLP on a small subset instead of Inception/AlexNet on CIFAR-10 and
 * ImageNet; plain SGD at a constant step size; "fit" is 100 % training accuracy, checked at record steps;
 * exactly round(p·n) labels are redrawn (uniformly, so some keep their class) instead of each label
 * independently with probability p ({@link org.overparam.data.Transforms#corruptLabels}); each seed draws
 * its own train/test split, corruption, permutation and initialization.
 */
public final class RandomizationStudy implements Study {
    static final String CORRUPTED = "corrupted labels";
    static final String SHUFFLED = "shuffled pixels";
    static final String RANDOM = "random pixels";
    static final String GAUSSIAN = "Gaussian inputs";

    /** The options of {@code overparam randomization}; validated on construction. */
    public record Options(Path dataDir, String format, int n, int testN, String classes, String hidden,
            List<Double> ps, StudyTraining training, String arch) {
        public Options(Path dataDir, String format, int n, int testN, String classes, String hidden, List<Double> ps,
                StudyTraining training) {
            this(dataDir, format, n, testN, classes, hidden, ps, training, null);
        }

        public Options {
            if (arch != null) {
                org.overparam.nn.Arch.parse(arch); // a malformed --arch is reported before any file is read
            }
            if (dataDir == null || !Files.isDirectory(dataDir)) {
                throw new InputError("--data-dir " + dataDir + " is not a folder; point it at the folder holding the "
                        + (format.equals("cifar10") ? "CIFAR-10 binary batches" : "MNIST IDX files"));
            }
            if (!format.equals("mnist") && !format.equals("cifar10")) {
                throw new InputError("--format must be mnist or cifar10, got '" + format + "'");
            }
            StudyTraining.requireRange("--n", n, 1, 1_000_000);
            StudyTraining.requireRange("--test-n", testN, 1, 1_000_000);
            if (ps == null || ps.isEmpty()) {
                throw new InputError("--p needs at least one corruption fraction, e.g. --p 0,0.2,0.4,0.6,0.8,1");
            }
            for (double p : ps) {
                if (!(p >= 0 && p <= 1)) {
                    throw new InputError("--p: " + p + " is not a fraction in [0, 1]");
                }
            }
            if (classes != null) {
                DatasetSpec.parseClasses(classes);
            }
            ps = List.copyOf(ps);
        }

        /** The number of classes: those listed in --classes, else all 10. */
        public int classCount() {
            return classes == null ? 10 : DatasetSpec.parseClasses(classes).length;
        }
    }

    private final Options o;

    public RandomizationStudy(Options options) {
        this.o = options;
    }

    @Override
    public String name() {
        return "randomization";
    }

    @Override
    public String title() {
        return "Randomization tests (Zhang et al. 2017, Fig. 1) on " + o.format();
    }

    @Override
    public String xName() {
        return "p";
    }

    /** The run every condition starts from: true labels, stop at 100 % training accuracy. */
    RunConfig base() {
        String spec = o.format() + ":dir=" + o.dataDir() + ",n=" + (o.n() + o.testN()) + ",seed=0"
                + (o.classes() == null ? "" : ",classes=" + o.classes());
        Map<String, Object> m = new LinkedHashMap<>(o.training().config());
        m.put("dataset", spec);
        m.put("test_split", o.testN() / (double) (o.n() + o.testN()));
        m.put("loss", "cross_entropy");
        m.put("classes", o.classCount());
        m.put("hidden", o.hidden());
        if (o.arch() != null) {
            m.put("arch", o.arch());
        }
        m.put("stop_at_fit", true);
        return RunConfig.defaults().with(m, "randomization");
    }

    @Override
    public List<GridPoint> points() {
        RunConfig base = base();
        DataLoader.load(base); // the files, sizes and classes are checked here, before any run starts
        List<Double> ps = new ArrayList<>();
        ps.add(0.0); // true labels
        for (double p : o.ps()) {
            if (!ps.contains(p)) {
                ps.add(p);
            }
        }
        ps.sort(Double::compare);
        List<GridPoint> out = new ArrayList<>();
        for (double p : ps) {
            seeds(out, CORRUPTED, p, base.with(Map.of("corrupt_labels", p), name()));
        }
        seeds(out, SHUFFLED, Double.NaN, base.with(Map.of("shuffle_pixels", true), name()));
        seeds(out, RANDOM, Double.NaN, base.with(Map.of("random_pixels", true), name()));
        seeds(out, GAUSSIAN, Double.NaN, base.with(Map.of("gaussian_inputs", true), name()));
        return out;
    }

    private void seeds(List<GridPoint> out, String curve, double x, RunConfig c) {
        for (int s = 0; s < o.training().seeds(); s++) {
            out.add(new GridPoint("", curve, x, c.with(Map.of("seed", s), name())));
        }
    }

    @Override
    public String setup() {
        return String.format(Locale.ROOT, "%s files in %s: %d training and %d test examples of %d classes (%s), "
                + "one fixed pool of %d drawn with seed 0 and split anew by each seed; the test split is taken before "
                + "any randomization and its labels are never corrupted (shuffled pixels apply the same permutation "
                + "to the test images, as in Zhang et al. Sec. 2; for random pixels and Gaussian inputs the test "
                + "images are real, so their test error says only whether anything transferred). Network: %s, "
                + "standard parameterization, cross-entropy; %s; stop at 100%% training accuracy. "
                + "%d seeds per condition; p = 0 is the true labels. Differences from Zhang et al.: %s on a small "
                + "subset instead of Inception/AlexNet on CIFAR-10/ImageNet, constant step size, exactly round(p n) "
                + "labels redrawn uniformly (some keep their class) instead of each with probability p.",
                o.format(), o.dataDir(), o.n(), o.testN(), o.classCount(), o.classes() == null ? "all" : o.classes(),
                o.n() + o.testN(), o.arch() != null ? "--arch " + o.arch() : "hidden widths " + o.hidden() + ", "
                        + o.training().activation(), o.training().describe(), o.training().seeds(),
                o.arch() != null ? "a small CNN" : "an MLP");
    }

    @Override
    public List<Figure> figures(List<FitCell> cells) {
        List<FitCell> curve = FitCurves.curve(cells, "", CORRUPTED);
        String seeds = FitCurves.seedCount(cells);
        String what = "median over " + seeds;
        String fixed = fixed(cells);
        PaperChart steps = PaperChart.of("Time to fit against label corruption (cf. Zhang et al. Fig. 1b), " + fixed,
                "fraction p of labels randomized", "steps to 100% training accuracy");
        FitCurves.steps(steps, "corrupted labels", curve, FitCurves::gridX);
        PaperChart test = PaperChart.of("Test error against label corruption (cf. Zhang et al. Fig. 1c), " + fixed,
                "fraction p of labels randomized", "test error (1 − accuracy)");
        FitCurves.testError(test, "corrupted labels", curve, FitCurves::gridX);
        test.addReference("chance, 1 − 1/" + o.classCount(), 1 - 1.0 / o.classCount());
        // the other randomizations have no p: each is a level across the p axis, in its own colour; one that did not
        // fit is drawn as a level at the step budget with its triangles at the ends (at least that many steps)
        double[] across = {curve.get(0).key().x(), curve.get(curve.size() - 1).key().x()};
        for (String other : List.of(SHUFFLED, RANDOM, GAUSSIAN)) {
            for (FitCell c : FitCurves.curve(cells, "", other)) {
                double s = c.steps().median();
                if (Double.isFinite(s)) {
                    steps.addLevel(other + ", " + what + ": " + StudyRun.number(s), s);
                } else {
                    steps.add(other + ": median did not fit (≥ " + c.budget() + " steps)", across,
                            new double[] {c.budget(), c.budget()}, PaperChart.Kind.AT_LEAST);
                }
                String testNote = other.equals(SHUFFLED) ? " (test images permuted alike)" : " (real test images)";
                test.addLevel(other + testNote + ", " + what, c.testError().median());
            }
        }
        return List.of(new Figure("steps-to-fit", steps), new Figure("test-error", test));
    }

    /**
     * What every run of the figures shares, for their titles: n and the widths, or for an --arch net its kind and
     * parameter count (its layers, in the setup, would run past the figure's edge).
     */
    private String fixed(List<FitCell> cells) {
        if (o.arch() == null) {
            return String.format(Locale.ROOT, "n=%d, hidden %s", o.n(), o.hidden());
        }
        String kind = o.arch().contains("conv") ? "CNN" : "--arch net";
        long params = cells.isEmpty() ? 0 : cells.get(0).parameters();
        return params > 0 ? String.format(Locale.ROOT, "n=%d, %s of %,d parameters", o.n(), kind, params)
                : String.format(Locale.ROOT, "n=%d, %s", o.n(), kind);
    }

    @Override
    public Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data_dir", o.dataDir().toString());
        m.put("format", o.format());
        m.put("n", o.n());
        m.put("test_n", o.testN());
        m.put("classes", o.classes());
        m.put("hidden", o.hidden());
        if (o.arch() != null) {
            m.put("arch", o.arch());
        }
        m.put("p", o.ps());
        m.putAll(o.training().toMap());
        return m;
    }
}
