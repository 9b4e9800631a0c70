package org.overparam.cli;

import java.util.concurrent.Callable;
import org.overparam.InputError;
import org.overparam.experiment.SweepRun;
import org.overparam.experiment.SweepSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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

    @Mixin
    SweepOptions sweep;

    @picocli.CommandLine.Mixin
    WorkersOption workersOption;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        SweepSpec s = SweepSpec.read(sweep.specFile);
        int workers = workersOption.count();
        // expanded once: checked before the store is opened or anything printed, then run
        java.util.List<org.overparam.experiment.RunConfig> configs = s.expand(sweep.out);
        org.overparam.experiment.SweepRun.checkDistinctFiles(configs);
        err.println("sweep: " + s.size() + " runs, " + workers + " worker(s), 1 BLAS thread each");
        err.flush();
        SweepRun.Counts c = SweepRun.execute(configs, s.metrics(), sweep.db, workers, SweepOptions.progress(err));
        return sweep.report(c, spec.commandLine().getOut(), err, "overparam");
    }
}
