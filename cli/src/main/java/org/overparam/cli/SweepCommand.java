package org.overparam.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.overparam.InputError;
import org.overparam.experiment.SweepRun;
import org.overparam.experiment.SweepSpec;
import org.overparam.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code overparam sweep}: run a YAML grid of train configurations into a DuckDB results store. */
@Command(name = "sweep", header = "Run a grid of training runs and store the results in DuckDB.", mixinStandardHelpOptions = true,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Run a grid of training runs and store the results in DuckDB.", "",
                "SPEC is YAML: base: (train options, config.json's snake_case keys),",
                "grid: (option -> list of values; the runs are the Cartesian product) and",
                "optional metrics: (summary keys to print per run). Each run trains on one",
                "BLAS thread; --workers runs train in parallel. Runs whose configuration is",
                "already in --db are skipped, so rerunning a sweep resumes it. Query the",
                "store with 'overparam results DB'.", ""})
public final class SweepCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "The sweep, a YAML file.")
    Path specFile;

    @Option(names = "--db", paramLabel = "FILE", defaultValue = "results.duckdb",
            description = "The results database (created if absent; default: ${DEFAULT-VALUE}).")
    Path db;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
            description = "Runs trained at once, one BLAS thread each (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "sweep-runs",
            description = "Folder of the runs' output folders, one per run named by its config hash (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Print exactly one JSON object on standard output (the counts and per-run results).")
    boolean json;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var o = spec.commandLine().getOut();
        SweepSpec s = SweepSpec.read(specFile);
        if (workers < 1 || workers > 1024) {
            throw new InputError("--workers must be between 1 and 1024, got " + workers);
        }
        err.println("sweep: " + s.size() + " runs, " + workers + " worker(s), 1 BLAS thread each");
        err.flush();
        SweepRun.Counts c = SweepRun.execute(s, db, workers, out, progress(err));
        return report(c, db, out, json, o, err, "overparam");
    }

    /** Progress lines, one per finished or failed run, from any thread. */
    public static Consumer<String> progress(PrintWriter err) {
        return line -> {
            synchronized (err) {
                err.println(line);
                err.flush();
            }
        };
    }

    /**
     * Prints a sweep's counts (one JSON object with {@code json}, else a line and the failures) and returns the
     * exit code: {@link Main#BAD_INPUT} when a run failed, with one line "NAME: error: ..." on {@code err}.
     * The Spark launcher (module spark) reports the same way.
     */
    public static int report(SweepRun.Counts c, Path db, Path out, boolean json, PrintWriter o, PrintWriter err,
            String name) {
        Map<String, Object> m = c.toMap();
        m.put("db", db.toString());
        m.put("out", out.toString());
        if (json) {
            o.println(Json.writeCompact(m));
        } else {
            o.println("runs: " + c.total() + " in the grid, " + c.run() + " run, " + c.skipped() + " skipped (already in "
                    + db + "), " + c.failed().size() + " failed");
            for (SweepRun.Failure f : c.failed()) {
                o.println("failed " + f.configHash().substring(0, 12) + ": " + f.reason());
            }
        }
        o.flush();
        if (!c.failed().isEmpty()) {
            err.println(name + ": error: " + c.failed().size() + " of " + c.total() + " runs failed; first: "
                    + c.failed().get(0).reason());
            err.flush();
            return Main.BAD_INPUT;
        }
        return 0;
    }
}
