package org.overparam.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.overparam.experiment.reproduce.Reproduce;
import org.overparam.experiment.reproduce.Reproduction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code overparam reproduce}: the papers' figures from overparam's own runs. */
@Command(name = "reproduce", header = "Regenerate the papers' figures from overparam's own runs.",
        mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Without an id: list the figures (paper, full run time). With an id (or --all):",
                "train the runs and write DIR/ID/: each figure as SVG, PNG (300 dpi) and PDF, the",
                "plotted numbers as CSV, and README.md (the paper's setup and finding, and what",
                "was found here); with --all also DIR/gallery.md. --quick runs each in under a",
                "minute on 2 cores. Figures are drawn by XChart (Okabe-Ito palette).", ""})
public final class ReproduceCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "The figure to regenerate (see the list).")
    String id;

    @Option(names = "--all", description = "Every figure, and DIR/gallery.md.")
    boolean all;

    @Option(names = "--quick", description = "Smaller versions (under a minute each), for a first look and for CI.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "overparam-figures",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--mnist", paramLabel = "DIR", defaultValue = "../shared/data/mnist",
            description = "Folder of the MNIST IDX files, for the figures on MNIST (default: ${DEFAULT-VALUE}).")
    Path mnist;

    @Option(names = "--threads", paramLabel = "T", description = "OpenBLAS threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() {
        var o = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (id == null && !all) {
            o.printf("%-14s %-28s %s%n", "id", "full run time", "paper");
            for (Reproduction r : Reproduce.ALL) {
                o.printf("%-14s %-28s %s%n", r.id(), r.fullTime(), r.paper());
            }
            o.println("run one with 'overparam reproduce ID [--quick]', or all with 'overparam reproduce --all'");
            o.flush();
            return 0;
        }
        if (id != null && all) {
            throw new org.overparam.InputError("give an id or --all, not both");
        }
        List<Reproduction> which = all ? Reproduce.ALL : List.of(Reproduce.byId(id));
        org.overparam.experiment.reproduce.Reproduce.mnist(mnist);
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        List<Reproduce.Done> done = Reproduce.run(which, out, quick, t, line -> {
            err.println(line);
            err.flush();
        });
        for (Reproduce.Done d : done) {
            o.printf("%s (%.0f s): %s%n  figures and numbers in %s%n", d.what().id(), d.seconds(),
                    d.outcome().comparison(), d.dir());
        }
        o.flush();
        return 0;
    }
}
