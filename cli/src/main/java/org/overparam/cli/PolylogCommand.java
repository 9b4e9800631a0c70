package org.overparam.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.overparam.InputError;
import org.overparam.experiment.PolylogConfig;
import org.overparam.experiment.PolylogRun;
import org.overparam.experiment.ResultsStore;
import org.overparam.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overparam polylog}: the width GD needs against n under a margin (Chen, Cao, Zou & Gu 2021). */
@Command(name = "polylog", header = "Width GD needs vs n under a margin (Chen, Cao, Zou & Gu 2021).",
        mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Width GD needs vs n under a margin (Chen, Cao, Zou & Gu, ICLR 2021).", "",
                "Data: margin:n=N,d=D,gamma=G (unit sphere, linearly separable with",
                "margin G); the training sets are the first n points of one pool, the",
                "test set the next --test points.",
                "Model: chen2021, f = sqrt(m) W_L relu(... relu(W_1 x)), W_1..W_{L-1} ~",
                "N(0,2/m), W_L ~ N(0,1/m), no bias. GD on (1/n) sum log(1+exp(-y f)) with",
                "eta = lr/(L m).",
                "For each n the widths 4, 4*sqrt2, ... are tried until every seed reaches",
                "--target training loss within --steps, then bisected to 10 %%: m*(n) is the",
                "smallest width this search found. Fits log m* against log log n",
                "(polylog) and log n (power) with 95 %% intervals and R^2 ('no trend' when",
                "both R^2 < 0.5) and prints the power exponent's upper end as a bound on",
                "the growth; prints eps_NTRF(R) (Definition 3.1, with a certified gap) and",
                "the Theorem 3.5 bound 2 eps + 4^L L^2 R/sqrt(n) + sqrt(log(1/delta)/n)",
                "(constants 1: order only) beside the measured test error.",
                "",
                "Every probe is --seeds ordinary training runs (as train would run them),",
                "trained by the sweep engine on --workers threads, the probes of every",
                "unfinished n in one batch, and stored in --db (DuckDB, as for sweep and",
                "min-width): rerunning the same search reads them back instead of",
                "training, so a killed search resumes.",
                "",
                "Writes DIR/polylog.json, polylog-width.svg (.png, .pdf), polylog-error.svg.", ""})
public final class PolylogCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--n", paramLabel = "N1,N2,...", defaultValue = "50,100,200,400,800,1600,3200",
            description = "Training-set sizes (default: ${DEFAULT-VALUE}).")
    String ns;

    @Option(names = "--d", paramLabel = "D", defaultValue = "10", description = "Input dimension (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--gamma", paramLabel = "G", defaultValue = "0.1", description = "Margin (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--depth", paramLabel = "H", defaultValue = "1", description = {
            "Hidden layers, each of width m (default: ${DEFAULT-VALUE}), as in every command; the paper's",
            "L, its number of weight matrices W_1..W_L, is H + 1."})
    int depth;

    @Option(names = "--start-width", paramLabel = "M0", defaultValue = "4", description = {
            "The first width tried (default: ${DEFAULT-VALUE}); a success there is only an upper bound on the",
            "width needed (censored: drawn as such and left out of the fits)."})
    int startWidth;

    @Option(names = "--seeds", paramLabel = "S", defaultValue = "2",
            description = "Initializations per width; all must reach the target (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--steps", paramLabel = "T", defaultValue = "400", description = "GD step budget (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--lr", paramLabel = "C", defaultValue = "2.0",
            description = "c in the step eta = c/(L m) (their eta = Theta(1/(L m))) (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = {"--target-loss", "--target"}, paramLabel = "LOSS", defaultValue = "0.05",
            description = "Training-loss goal (default: ${DEFAULT-VALUE}).")
    double target;

    @Option(names = "--radius", paramLabel = "R", defaultValue = "8",
            description = "NTRF radius R (ball ||W_l - W_l0||_F <= R/sqrt(m)) (default: ${DEFAULT-VALUE}).")
    double radius;

    @Option(names = "--test", paramLabel = "N", defaultValue = "1000", description = "Held-out points (default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--max-width", paramLabel = "M", defaultValue = "512",
            description = "Largest width tried (default: ${DEFAULT-VALUE}).")
    int maxWidth;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Data seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @picocli.CommandLine.Mixin
    WorkersOption workers;

    @Option(names = "--db", paramLabel = "FILE", defaultValue = "results.duckdb",
            description = "The results database of the probe runs (default: ${DEFAULT-VALUE}).")
    Path db;

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "polylog-runs",
            description = "Folder of the probe runs' output folders (default: ${DEFAULT-VALUE}).")
    Path runs;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "polylog-out",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Print exactly one JSON object on standard output (polylog.json's content).")
    boolean json;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var o = spec.commandLine().getOut();
        int[] sizes;
        try {
            sizes = Arrays.stream(ns.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new InputError("--n must be a comma-separated list of sizes such as 50,100,200, got '" + ns + "'");
        }
        if (depth < 1) {
            throw new InputError("--depth counts hidden layers and must be at least 1, got " + depth);
        }
        PolylogConfig c = new PolylogConfig(sizes, d, gamma, depth + 1, seeds, steps, lr, target, radius, test, 0.1, seed,
                startWidth, Math.sqrt(2), maxWidth);
        int w = workers.count();
        // the output folder is claimed (or refused) before any training: a user's folder is never written into
        org.overparam.experiment.OutputFolder.claimWorkingFolder(out, "polylog");
        long start = System.nanoTime();
        PolylogRun.Result r;
        try (ResultsStore store = ResultsStore.open(db)) {
            r = PolylogRun.execute(c, store, w, runs, line -> {
                err.println(line);
                err.flush();
            });
        }
        String counts = String.format(Locale.ROOT, "%d runs trained, %d read from %s; %.1f s", r.trained(),
                r.fromStore(), db, (System.nanoTime() - start) / 1e9);
        PolylogRun.write(r, out);
        if (json) {
            err.println(counts); // standard output holds the JSON object only
            err.flush();
            o.println(Json.writeCompact(r.toMap()));
        } else {
            o.printf("%8s %8s %11s %10s %10s %10s%n", "n", "m*(n)", "test_error", "eps_NTRF", "bound", "train_loss");
            for (PolylogRun.Point p : r.points()) {
                o.printf("%8d %8s %11.4f %10.4g %10.4g %10.4g%n", p.n(), (p.censored() ? "<=" : "") + p.width(),
                        p.testError(), p.epsNtrf(), p.bound(), p.trainLoss());
            }
            if (r.polylog() == null) {
                o.println("fits: fewer than two widths found; no polylog or power fit");
            } else {
                o.printf("polylog fit: m ~ (log n)^%.3f, 95%% CI [%.3f, %.3f], R^2 = %.4f%n", r.polylog().slope(),
                        r.polylog().ciLow(), r.polylog().ciHigh(), r.polylog().rSquared());
                o.printf("power fit:   m ~ n^%.3f, 95%% CI [%.3f, %.3f], R^2 = %.4f%n", r.power().slope(),
                        r.power().ciLow(), r.power().ciHigh(), r.power().rSquared());
            }
            o.println("better fit: " + r.better() + (r.better().equals("no trend") ? " (R^2 < " + PolylogRun.Result.MIN_R2
                    + " for both)" : "") + "; bound constants are order only (Chen et al. 2021, Thm 3.5); written to " + out);
            if (!Double.isNaN(r.powerExponentAtMost())) {
                o.printf("the widths grow no faster than n^%.3f (upper end of the power exponent's 95%% interval)%n",
                        r.powerExponentAtMost());
            }
            for (String warning : r.warnings()) {
                o.println("warning: " + warning);
            }
            o.println(counts);
        }
        o.flush();
        return 0;
    }
}
