package org.overparam.experiment;

import org.overparam.theory.WidthSearch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.overparam.InputError;
import org.overparam.data.DatasetSpec;
import org.overparam.linalg.Matrix;
import org.overparam.memorization.Memorization;
import org.overparam.memorization.MemorizationResult;
import org.overparam.nn.ArchTemplate;
import org.overparam.stats.LogLogFit;
import org.overparam.theory.WidthDemanded;
import org.overparam.train.Loss;

/**
 * The minimal width m*(n): for each n, the smallest width found by a {@link WidthSearch} (geometric grid, then
 * bisection) at which GD reaches training loss ≤ ε within T steps in at least ⌈(1 − δ)·S⌉ of S seeds; a
 * log-log fit of m* against n ({@link LogLogFit}, 95 % interval) beside the exponents of the theorems'
 * widths ({@link WidthDemanded#scalings}); and the parameter counts of the memorizing constructions
 * ({@link Memorization}: Yun et al., Zhang et al.) on the same data beside GD's at m*.
 *
 * <p>Every probe is S ordinary training runs ({@link RunConfig} with {@code target_loss = ε}, so a run stops
 * at the first step with training loss ≤ ε; {@code steps = T}) trained by {@link SweepRun} on the workers and
 * stored in the {@link ResultsStore} ({@link StoredProbes}): the probes of every unfinished n go out in one
 * batch, and a probe already in the store is read back, not retrained, so a killed search resumes where it
 * stopped. A run
 * succeeds when it completed (did not diverge) and reached ε ({@code steps_to_target} set). Seeds 0…S−1
 * vary the initialization (and nothing else); the data set is the same for every seed.
 */
public final class MinimalWidth {
    private MinimalWidth() {
    }

    /** Below this R² a fit explains too little of ln m* to say how m* grows: no statement is made from it. */
    public static final double MIN_R2 = 0.5;

    /** Whether a fit may be read as a trend: at least 3 measured points and R² ≥ {@link #MIN_R2}. */
    public static boolean trendSupported(LogLogFit f) {
        return f != null && f.points() >= 3 && f.rSquared() >= MIN_R2;
    }

    /** The confidence level of the exponent's interval. */
    public static final double LEVEL = 0.95;
    /** A construction "fits" when its relative error, measured with its own forward pass, is at most this. */
    public static final double FIT_TOLERANCE = 1e-8;

    /**
     * What to search.
     *
     * @param base            the training options every probe shares (activation, parameterization, loss, lr,
     *                        steps T, record_every, …); dataset, hidden, seed, target_loss, out and threads are set
     *                        per probe
     * @param datasetTemplate a dataset spec without n, e.g. {@code sphere:d=10}; probe data is {@code sphere:n=N,d=10}
     * @param ns              the sample sizes, distinct, ≥ 2
     * @param depth           hidden layers, each of width m
     * @param seeds           S, initialization seeds 0…S−1 per probe
     * @param delta           δ ∈ [0, 1): a width succeeds when ≥ ⌈(1 − δ)S⌉ seeds reach ε
     * @param epsilon         ε &gt; 0, the training-loss target
     * @param m0              the first width
     * @param growth          the grid's ratio
     * @param maxWidth        the cap
     * @param resolution      the bisection's relative resolution (see {@link WidthSearch})
     * @param stepsExponent   e ≥ 0: the step budget at n is T·(n/n_min)^e (0: the same T at every n). Du et al.'s
     *                        iteration count O(log(1/ε)/(η λ0)) with η = O(λ0/n²) grows like n² (e = 2): a fixed T
     *                        makes m* a function of the budget as much as of n
     * @param arch            null for fully connected nets of {@code depth} hidden layers of width m; else the
     *                        network at width m is this template with m filled in (and L = {@code depth})
     */
    public record Spec(RunConfig base, String datasetTemplate, List<Integer> ns, int depth, int seeds, double delta,
            double epsilon, int m0, double growth, int maxWidth, double resolution, double stepsExponent,
            ArchTemplate arch) {

        /** A search of fully connected nets with the same step budget at every n. */
        public Spec(RunConfig base, String datasetTemplate, List<Integer> ns, int depth, int seeds, double delta,
                double epsilon, int m0, double growth, int maxWidth, double resolution) {
            this(base, datasetTemplate, ns, depth, seeds, delta, epsilon, m0, growth, maxWidth, resolution, 0.0, null);
        }

        /** A search of fully connected nets. */
        public Spec(RunConfig base, String datasetTemplate, List<Integer> ns, int depth, int seeds, double delta,
                double epsilon, int m0, double growth, int maxWidth, double resolution, double stepsExponent) {
            this(base, datasetTemplate, ns, depth, seeds, delta, epsilon, m0, growth, maxWidth, resolution, stepsExponent,
                    null);
        }

        /** The step budget at n: T·(n/n_min)^e, at least 1. */
        public long steps(int n) {
            long t = base.training().steps();
            if (stepsExponent == 0) {
                return t;
            }
            int nMin = ns.stream().mapToInt(Integer::intValue).min().orElse(n);
            double v = Math.rint(t * Math.pow((double) n / nMin, stepsExponent));
            if (!(v < 1e15)) {
                throw new InputError("--steps-growth " + stepsExponent + " asks for " + v + " steps at n = " + n
                        + "; use a smaller exponent or fewer sample sizes");
            }
            return Math.max(1, (long) v);
        }

        public Spec {
            ns = List.copyOf(ns);
            if (ns.isEmpty()) {
                throw new InputError("--n needs at least one sample size, e.g. --n 8,16,32,64");
            }
            if (ns.stream().anyMatch(n -> n < 2) || ns.stream().distinct().count() != ns.size()) {
                throw new InputError("--n must list distinct sample sizes >= 2, got " + ns);
            }
            if (base.network().arch() != null) {
                throw new IllegalArgumentException("the probes' network comes from the template: base has no arch");
            }
            if (depth < 1 || depth > 64) {
                throw new InputError("--depth must be between 1 and 64 hidden layers, got " + depth);
            }
            if (arch != null) {
                arch.requireWidth("min-width");
                if (!arch.hasDepth() && depth != 1) {
                    throw new InputError("--depth " + depth + " fills in *L of --arch, and '" + arch + "' has none; "
                            + "mark what repeats with *L or drop --depth");
                }
            }
            if (seeds < 1 || seeds > 1000) {
                throw new InputError("--seeds must be between 1 and 1000, got " + seeds);
            }
            if (!(delta >= 0 && delta < 1)) {
                throw new InputError("--delta must be a fraction in [0, 1) (0 = every seed must reach eps), got " + delta);
            }
            if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
                throw new InputError("--eps must be a finite training loss > 0, got " + epsilon);
            }
            new WidthSearch(m0, growth, maxWidth, resolution); // validates the grid
            if (!(stepsExponent >= 0 && stepsExponent <= 8)) {
                throw new InputError("--steps-growth must be an exponent in [0, 8], got " + stepsExponent);
            }
            if (datasetTemplate == null || datasetTemplate.isBlank()) {
                throw new InputError("--dataset needs a template without n, e.g. sphere:d=10");
            }
            int colon = datasetTemplate.indexOf(':');
            if (colon >= 0 && java.util.Arrays.stream(datasetTemplate.substring(colon + 1).split(","))
                    .anyMatch(p -> p.trim().startsWith("n="))) {
                throw new InputError("--dataset " + datasetTemplate + " already sets n; give the sample sizes with --n");
            }
            DatasetSpec.parse(dataset(datasetTemplate, ns.get(0))); // the kind must take n
        }

        /** The nets searched, in words: "1 hidden layer(s) of width m, activation relu" or "--arch conv:m:3,..." */
        public String network() {
            return arch == null ? depth + " hidden layer(s) of width m, activation " + base.network().activations().text()
                    : "--arch " + arch + (arch.hasDepth() ? " with L = " + depth : "");
        }

        /** ⌈(1 − δ)·S⌉, the seeds that must reach ε (the 1e-9 absorbs rounding in (1 − δ)·S). */
        public int requiredSuccesses() {
            return (int) Math.ceil((1 - delta) * seeds - 1e-9);
        }

        WidthSearch newSearch() {
            return new WidthSearch(m0, growth, maxWidth, resolution);
        }
    }

    /** The dataset spec for n: the template's kind with {@code n=N} first, then the template's parameters. */
    public static String dataset(String template, int n) {
        int colon = template.indexOf(':');
        return colon < 0 ? template + ":n=" + n : template.substring(0, colon) + ":n=" + n + "," + template.substring(colon + 1);
    }

    /** One probe request: width m at sample size n (all S seeds). */
    public record Request(int n, int width) {
    }

    /** Trains (or looks up) a batch of probes and returns, per request, how many seeds reached ε. */
    public interface Prober {
        int[] successes(List<Request> batch);
    }

    /** A memorizing construction on the data of one n. */
    public record Memorizer(String construction, List<Integer> hidden, long freeWeights, long storedNumbers,
            double relativeError, boolean fits) {
    }

    /** Everything found at one n. GD's counts are those of the net at m* (null when m* was not found). */
    public record AtN(int n, WidthSearch.Status status, Integer minimalWidth, Integer lastFailure,
            List<WidthSearch.Probe> probes, Long gdParameters, Long gdTrainableParameters, List<Memorizer> memorizers) {
    }

    /**
     * The outcome: per n, the fit over the n with status {@link WidthSearch.Status#FOUND} (null with
     * {@code fitNote} saying why when fewer than 3), the theorems' exponents, the runs trained now and read
     * from the store, and the wall time.
     */
    public record Result(Spec spec, List<AtN> perN, LogLogFit fit, String fitNote, List<WidthDemanded.Scaling> theory,
            int trained, int fromStore, double seconds) {
    }

    /**
     * The lockstep search: every unfinished n's next width goes into one batch for {@code prober}; a width
     * succeeds when its successes reach {@link Spec#requiredSuccesses()}.
     */
    public static Map<Integer, WidthSearch> search(List<Integer> ns, Supplier<WidthSearch> fresh, int seeds,
            int required, Prober prober, Consumer<String> log) {
        Map<Integer, WidthSearch> searches = new LinkedHashMap<>();
        for (int n : ns) {
            searches.put(n, fresh.get());
        }
        while (true) {
            List<Request> batch = new ArrayList<>();
            searches.forEach((n, s) -> s.next().ifPresent(m -> batch.add(new Request(n, m))));
            if (batch.isEmpty()) {
                return searches;
            }
            int[] ok = prober.successes(batch);
            for (int i = 0; i < batch.size(); i++) {
                Request r = batch.get(i);
                WidthSearch.Probe p = new WidthSearch.Probe(r.width(), ok[i], seeds, ok[i] >= required);
                searches.get(r.n()).record(p);
                log.accept(String.format("n = %d, m = %d: %d/%d seeds reached eps -> %s", r.n(), r.width(), ok[i], seeds,
                        p.success() ? "success" : "failure"));
            }
        }
    }

    /**
     * Runs the search with real training runs in {@code store} ({@code runsDir/<hash prefix>} their folders),
     * then the memorizers and the fit.
     */
    public static Result execute(Spec spec, ResultsStore store, int workers, Path runsDir, Consumer<String> log) {
        long start = System.nanoTime();
        Map<Integer, Matrix[]> data = new LinkedHashMap<>();
        List<AtN> perN = new ArrayList<>();
        StoredProbes probes = new StoredProbes(store, workers, spec.seeds(),
                (r, seed) -> probe(spec, r.n(), r.width(), seed, runsDir));
        try {
            for (int n : spec.ns()) { // loads (and so checks) every data set and network before any training
                RunConfig c = probe(spec, n, spec.m0(), 0, runsDir);
                LoadedData d = DataLoader.load(c);
                data.put(n, new Matrix[] {d.x(), d.y()});
                TrainRun.buildNetwork(c, d).net().close();
            }
            Map<Integer, WidthSearch> searches = search(spec.ns(), spec::newSearch, spec.seeds(), spec.requiredSuccesses(),
                    probes::successes, log);
            for (int n : spec.ns()) {
                WidthSearch s = searches.get(n);
                Long params = null;
                Long trainable = null;
                OptionalInt m = s.minimalWidth();
                if (m.isPresent()) {
                    RunConfig c = probe(spec, n, m.getAsInt(), 0, runsDir);
                    Map<String, Object> summary = store.summaries(List.of(ResultsStore.configHash(c))).get(ResultsStore.configHash(c));
                    params = ((Number) summary.get("parameters")).longValue();
                    trainable = ((Number) summary.get("trainable_parameters")).longValue();
                }
                Matrix[] xy = data.get(n);
                perN.add(new AtN(n, s.status(), m.isPresent() ? m.getAsInt() : null,
                        s.lastFailure().isPresent() ? s.lastFailure().getAsInt() : null, s.probes(), params, trainable,
                        memorizers(xy[0], xy[1], spec.base().training().loss().value())));
            }
        } finally {
            for (Matrix[] xy : data.values()) {
                xy[0].close();
                xy[1].close();
            }
        }
        List<AtN> found = perN.stream().filter(a -> a.status() == WidthSearch.Status.FOUND).toList();
        LogLogFit fit = null;
        String note;
        if (found.size() < 3) {
            note = "not enough points: m* was bracketed at " + found.size() + " n (need 3 for a slope with an interval)";
        } else {
            fit = LogLogFit.of(found.stream().mapToDouble(AtN::n).toArray(),
                    found.stream().mapToDouble(AtN::minimalWidth).toArray(), LEVEL);
            note = String.format(java.util.Locale.ROOT, "least squares of ln m* on ln n over the %d n where m* was "
                    + "bracketed; %.0f %% interval b +- t(%d dof) se(b), assuming independent normal errors of ln m*",
                    found.size(), 100 * LEVEL, found.size() - 2);
            if (!trendSupported(fit)) {
                note += String.format(java.util.Locale.ROOT, "; R^2 = %.2f < %.1f: no trend is claimed from this fit",
                        fit.rSquared(), MIN_R2);
            }
        }
        int excluded = perN.size() - found.size();
        if (excluded > 0) {
            note += "; " + excluded + " n left out (m* not reached, or only an upper bound because m0 succeeded)";
        }
        return new Result(spec, List.copyOf(perN), fit, note, WidthDemanded.scalings(spec.depth()), probes.trained(),
                probes.fromStore(), (System.nanoTime() - start) / 1e9);
    }

    /** A run succeeds when it completed and reached ε: TrainRun sets steps_to_target then. */
    static boolean reached(Map<String, Object> summary) {
        return "completed".equals(summary.get("status")) && summary.get("steps_to_target") != null;
    }

    /** The training run of one seed of one probe, its folder {@code runsDir/<first 16 hex digits of its hash>}. */
    static RunConfig probe(Spec spec, int n, int width, int seed, Path runsDir) {
        Map<String, Object> m = spec.base().toMap();
        m.put("dataset", dataset(spec.datasetTemplate(), n));
        if (spec.arch() == null) {
            m.put("hidden", String.join(",", java.util.Collections.nCopies(spec.depth(), Integer.toString(width))));
        } else {
            m.put("hidden", null); // the template replaces the hidden widths
            m.put("arch", spec.arch().at(width, spec.depth()).spelling());
        }
        m.put("seed", (long) seed);
        m.put("target_loss", spec.epsilon());
        m.put("steps", spec.steps(n));
        m.put("threads", 1);
        RunConfig c = RunConfig.fromMap(m, "min-width");
        m.put("out", runsDir.resolve(ResultsStore.configHash(c).substring(0, 16)).toString());
        return RunConfig.fromMap(m, "min-width");
    }

    /** Yun's and Zhang's constructions on (x, y) (one-hot targets for cross_entropy), counted and checked. */
    static List<Memorizer> memorizers(Matrix x, Matrix y, Loss loss) {
        List<Memorizer> out = new ArrayList<>();
        try (Matrix targets = loss == Loss.CROSS_ENTROPY ? Memorization.oneHot(y) : y.copy()) {
            for (String c : List.of("yun", "zhang")) {
                MemorizationResult r = Memorization.fit(c, x, targets, 0);
                try (var net = r.network()) {
                    out.add(new Memorizer(c, java.util.Arrays.stream(r.hidden()).boxed().toList(), r.freeWeights(),
                            r.storedNumbers(), r.relativeError(), r.relativeError() <= FIT_TOLERANCE));
                }
            }
        }
        return out;
    }
}
