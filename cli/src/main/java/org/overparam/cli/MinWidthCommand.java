package org.overparam.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.overparam.experiment.MinWidthReport;
import org.overparam.experiment.MinimalWidth;
import org.overparam.experiment.ResultsStore;
import org.overparam.experiment.RunConfig;
import org.overparam.io.Json;
import org.overparam.nn.ArchTemplate;
import org.overparam.experiment.ConfigField;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overparam min-width}: the smallest width at which GD fits n points, against n, beside the theory. */
@Command(name = "min-width", header = "The minimal width m*(n) at which GD fits n points, its log-log exponent and the theory's.",
        mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"For each n of --n: train nets of width m (--depth hidden layers of width m,",
                "or the network --arch with its placeholder m filled in)",
                "with full-batch GD on the data --dataset with n points, --seeds seeds",
                "(0..S-1, initialization only) per width. A width succeeds when at least",
                "ceil((1 - delta) S) seeds reach training loss <= eps within --steps T steps",
                "(a run stops at the first such step; a diverged run fails). Widths: m0,",
                "ceil(m0 r^k), ... up to --max-width (probed last) until one succeeds, then",
                "bisection between the last failure and the first success until they are",
                "within max(1, resolution x m). Success is not monotone in m in general: m*",
                "is the smallest width found by this search. If the cap fails, m* is 'not",
                "reached' for that n.",
                "",
                "Then: least squares of ln m* on ln n over the n where m* was bracketed (95%%",
                "interval, Student t with points - 2 dof; 'not enough points' below 3),",
                "beside the exponents of n in the theorems' widths (Du et al. n^6, Song-Yang",
                "n^2, Oymak-Soltanolkotabi n^2, Zou-Gu n^8 L^12, Kawaguchi-Huang n, Song et",
                "al. n^1.5, Chen et al. polylog; order only; L counts the hidden layers, as",
                "in Zou-Gu's L-hidden-layer nets: L = --depth, the same L as certify's",
                "width-demanded), and the memorizing constructions (yun, zhang) on the same",
                "data beside GD's parameter count at m*.",
                "",
                "Loss conventions as for train: mse = (1/(2n)) sum_i ||h(x_i) - y_i||^2.",
                "Parameterization ntk: W ~ N(0,1), forward sigma_w/sqrt(fan_in) W h; without",
                "--bias the nets have no biases. Every probe run is stored in --db (DuckDB,",
                "as for sweep): rerunning the same search reads them back instead of",
                "training, so a killed search resumes.",
                "",
                "Writes DIR/min-width.json, DIR/m-star.svg (.png, .pdf), report.html (and",
                "config.json).",
                ""})
public final class MinWidthCommand implements Callable<Integer>, TakesConfig {
    /** The training options every probe shares, from the configuration table. */
    static final java.util.Set<ConfigField> FIELDS = java.util.EnumSet.of(ConfigField.ACTIVATION,
            ConfigField.PARAMETERIZATION, ConfigField.SIGMA_W, ConfigField.SIGMA_B, ConfigField.BIAS, ConfigField.LOSS,
            ConfigField.LR, ConfigField.STEPS);

    /** min-width's own defaults: ntk nets without biases, trained with a large step (η = 10). */
    static final Map<ConfigField, String> DEFAULTS = Map.of(ConfigField.PARAMETERIZATION, "ntk", ConfigField.SIGMA_B,
            "0.1", ConfigField.BIAS, "false", ConfigField.LR, "10");

    @Override
    public java.util.Set<ConfigField> configFields() {
        return FIELDS;
    }

    @Override
    public Map<ConfigField, String> defaults() {
        return DEFAULTS;
    }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "SPEC", defaultValue = "sphere:d=10",
            description = "Data template without n, as for train (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--n", paramLabel = "N,...", split = ",", defaultValue = "8,16,32,64",
            description = "Sample sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> ns;

    @Option(names = "--depth", paramLabel = "L", defaultValue = "1",
            description = "Hidden layers, each of width m; with --arch, L in its *L (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--arch", paramLabel = "TEMPLATE", description = {
            "Search the width of any network: the --arch language with m for the channels or units that vary",
            "(conv:m:K, dense:m) and optionally *L after a layer or [group] (repeated --depth times), e.g.",
            "conv:m:3,relu,res[conv:m:3,relu]*L,gap,dense:1 on image data (sphere:d=16,image=1x4x4). Replaces",
            "--activation."})
    String arch;

    @Option(names = {"--target-loss", "--eps"}, paramLabel = "EPS", defaultValue = "1e-3", description = "Target training loss (default: ${DEFAULT-VALUE}).")
    double eps;

    @Option(names = "--steps-growth", paramLabel = "E", defaultValue = "0", description = {
            "Step budget T*(n/n_min)^E at sample size n (default: ${DEFAULT-VALUE} = the same T at every n);",
            "Du et al.'s iteration count grows like n^2 (E = 2): with a fixed T, m* partly measures the budget."})
    double stepsGrowth;

    @Option(names = "--seeds", paramLabel = "S", defaultValue = "5", description = "Seeds per width (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--delta", paramLabel = "D", defaultValue = "0.2",
            description = "Allowed failing fraction: success needs ceil((1 - D) S) seeds (default: ${DEFAULT-VALUE}).")
    double delta;

    @Option(names = "--m0", paramLabel = "M", defaultValue = "1", description = "First width (default: ${DEFAULT-VALUE}).")
    int m0;

    @Option(names = "--growth", paramLabel = "R", defaultValue = "2", description = "Ratio of the width grid (default: ${DEFAULT-VALUE}).")
    double growth;

    @Option(names = "--max-width", paramLabel = "M", defaultValue = "4096", description = "Cap of the search (default: ${DEFAULT-VALUE}).")
    int maxWidth;

    @Option(names = "--resolution", paramLabel = "F", defaultValue = "0.05",
            description = "Bisection stops within max(1, F x m*) (0 = one unit) (default: ${DEFAULT-VALUE}).")
    double resolution;

    @picocli.CommandLine.Mixin
    WorkersOption workers;

    @Option(names = "--db", paramLabel = "FILE", defaultValue = "results.duckdb",
            description = "The results database of the probe runs (default: ${DEFAULT-VALUE}).")
    Path db;

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "min-width-runs",
            description = "Folder of the probe runs' output folders (default: ${DEFAULT-VALUE}).")
    Path runs;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "min-width", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Print exactly one JSON object on standard output (min-width.json).")
    boolean json;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var o = spec.commandLine().getOut();
        Map<String, Object> base = RunConfig.defaults().toMap();
        base.putAll(ConfigOptions.values(spec.commandLine().getParseResult(), FIELDS, DEFAULTS));
        RunConfig given = TrainCommand.fromOptions(base);
        long steps = given.training().steps();
        if (!given.network().bias()) {
            base.put("sigma_b", 0.0); // no biases: no bias scale either (as every stored probe has it)
        }
        base.put("record_every", (int) Math.max(1, Math.min(steps, Integer.MAX_VALUE)));
        MinimalWidth.Spec s = new MinimalWidth.Spec(TrainCommand.fromOptions(base), dataset, ns, depth,
                seeds, delta, eps, m0, growth, maxWidth, resolution, stepsGrowth,
                arch == null ? null : ArchTemplate.parse(arch));
        int w = workers.count();
        err.println(String.format(Locale.ROOT, "min-width: n = %s, %d seeds per width (success: >= %d reach loss <= %s in %d "
                + "steps), %d worker(s)", ns, seeds, s.requiredSuccesses(), eps, steps, w));
        err.flush();
        MinimalWidth.Result r;
        try (ResultsStore store = ResultsStore.open(db)) {
            r = MinimalWidth.execute(s, store, w, runs, line -> {
                err.println(line);
                err.flush();
            });
        }
        MinWidthReport.write(r, out);
        Map<String, Object> m = MinWidthReport.toMap(r);
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>(m);
            j.put("out", out.toString());
            o.println(Json.writeCompact(j));
        } else {
            o.println(MinWidthReport.convention(s));
            for (MinimalWidth.AtN a : r.perN()) {
                o.println(MinWidthReport.line(a));
            }
            o.println(MinWidthReport.fitLine(r));
            o.println(String.format(Locale.ROOT, "%d runs trained, %d read from %s; %.1f s; wrote %s/report.html",
                    r.trained(), r.fromStore(), db, r.seconds(), out));
        }
        o.flush();
        return 0;
    }
}
