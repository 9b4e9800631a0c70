package org.overparam.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.overparam.experiment.FitCell;
import org.overparam.experiment.Study;
import org.overparam.experiment.StudyRun;
import org.overparam.experiment.StudyTraining;
import org.overparam.experiment.SweepRun;
import org.overparam.io.Json;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * What every preset study command shares: how runs train, workers, the results store, --json, and running
 * the study ({@link StudyRun}) with its printout.
 */
final class StudyOptions {
    @Option(names = "--activation", paramLabel = "A", defaultValue = "relu", description = "Activation (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--optimizer", paramLabel = "O", defaultValue = "sgd", description = "sgd | gd (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "ETA", defaultValue = "0.1", description = "Step size (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "50", description = "SGD minibatch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--max-steps", paramLabel = "T", defaultValue = "5000",
            description = "Step budget; a run that has not fit by then is reported as 'did not fit' (default: ${DEFAULT-VALUE}).")
    long maxSteps;

    @Option(names = "--record-every", paramLabel = "K", defaultValue = "10",
            description = "Check the fit every K steps (sgd; steps to fit are known to within K; default: ${DEFAULT-VALUE}).")
    int recordEvery;

    @Option(names = "--seeds", paramLabel = "S", defaultValue = "3", description = "Seeds per cell (default: ${DEFAULT-VALUE}).")
    int seeds;

    @picocli.CommandLine.Mixin
    WorkersOption workersOption;

    @Option(names = "--db", paramLabel = "FILE",
            description = "The DuckDB results store; runs already in it are skipped, so rerunning resumes (default: OUT/results.duckdb).")
    Path db;

    @Option(names = "--json", description = "Print exactly one JSON object on standard output (the study's results).")
    boolean json;

    StudyTraining training() {
        return new StudyTraining(activation, optimizer, lr, batch, maxSteps, recordEvery, seeds);
    }

    /** Runs the study into {@code out}; exit code 0, or 2 when runs failed (the report is written anyway). */
    int run(Study study, Path out, CommandSpec spec) {
        var err = spec.commandLine().getErr();
        var o = spec.commandLine().getOut();
        Path store = db != null ? db : out.resolve("results.duckdb");
        StudyRun.Result r = StudyRun.execute(study, store, workersOption.count(), out, line -> {
            synchronized (err) {
                err.println(line);
                err.flush();
            }
        });
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>(r.json());
            m.put("output_folder", r.folder().toString());
            o.println(Json.writeCompact(m));
        } else {
            o.printf("%-22s %-12s %-10s %s | %s%n", "condition", study.xName(), "params", "steps to fit", "test error");
            for (FitCell c : r.cells()) {
                o.printf("%-22s %-12s %-10d %s | %s%n", c.key().panel().isEmpty() ? c.key().curve()
                        : c.key().curve() + " @ " + c.key().panel(), Double.isNaN(c.key().x()) ? "" : StudyRun.number(c.key().x()),
                        c.parameters(), c.stepsText(), c.testErrorText());
            }
            o.println("wrote " + r.folder().resolve("report.html") + " and " + study.name() + ".json ("
                    + r.counts().run() + " runs trained now, " + r.counts().skipped() + " already in " + store + ")");
        }
        o.flush();
        List<SweepRun.Failure> failed = r.counts().failed();
        if (!failed.isEmpty()) {
            err.println("overparam: error: " + failed.size() + " of " + r.counts().total() + " runs failed; first: "
                    + failed.get(0).reason());
            err.flush();
            return Main.BAD_INPUT;
        }
        return 0;
    }
}
