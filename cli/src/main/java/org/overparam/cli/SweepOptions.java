package org.overparam.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.overparam.experiment.SweepRun;
import org.overparam.io.Json;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What every way of running a sweep shares: the spec, the results store, the runs' folder, --json, and how the
 * outcome is reported. Used by {@code overparam sweep} and by {@code overparam-spark} (module spark).
 */
public final class SweepOptions {
    @Parameters(index = "0", paramLabel = "SPEC", description = "The sweep, a YAML file.")
    public Path specFile;

    @Option(names = "--db", paramLabel = "FILE", defaultValue = "results.duckdb",
            description = "The results database (created if absent; default: ${DEFAULT-VALUE}).")
    public Path db;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "sweep-runs",
            description = "Folder of the runs' output folders, one per run named by its config hash (default: ${DEFAULT-VALUE}).")
    public Path out;

    @Option(names = "--json", description = "Print exactly one JSON object on standard output (the counts and per-run results).")
    public boolean json;

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
     * Prints a sweep's counts (one JSON object with --json, else a line and the failures) and returns the exit
     * code: {@link Main#BAD_INPUT} when a run failed, with one line "NAME: error: ..." on {@code err}.
     */
    public int report(SweepRun.Counts c, PrintWriter o, PrintWriter err, String name) {
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
