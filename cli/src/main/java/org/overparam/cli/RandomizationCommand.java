package org.overparam.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.overparam.experiment.RandomizationStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overparam randomization}: Zhang et al. 2017's randomization tests (Fig. 1) on real images. */
@Command(name = "randomization", header = "Randomization tests (Zhang et al. 2017, Fig. 1) on MNIST or CIFAR-10.",
        mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Trains one network to 100%% training accuracy on true labels, on labels",
                "of which a fraction p is randomized, and on shuffled pixels, random pixels",
                "and Gaussian inputs, over several seeds, through the sweep machinery",
                "(DuckDB store; rerunning resumes). Writes OUT/randomization.json,",
                "OUT/steps-to-fit.svg, OUT/test-error.svg (each also .png and .pdf) and",
                "OUT/report.html: steps to fit and test error against p (median over seeds,",
                "their range shaded), the other randomizations as labelled lines, and",
                "a table with every condition's median, range and the runs that did not fit",
                "in the budget. The test set is split off the same files first and is never",
                "corrupted.",
                ""})
public final class RandomizationCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", required = true,
            description = "Folder with MNIST IDX files (train-* preferred, else t10k-*) or CIFAR-10 binary batches.")
    Path dataDir;

    @Option(names = "--format", paramLabel = "F", defaultValue = "mnist", description = "mnist | cifar10 (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--classes", paramLabel = "C", description = "Keep these classes, e.g. 0-9 or 3/5 (default: all 10).")
    String classes;

    @Option(names = "--n", paramLabel = "N", defaultValue = "500", description = "Training examples (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--test-n", paramLabel = "M", defaultValue = "200", description = "Held-out test examples (default: ${DEFAULT-VALUE}).")
    int testN;

    @Option(names = "--hidden", paramLabel = "W1,...", defaultValue = "512", description = "Hidden widths (default: ${DEFAULT-VALUE}).")
    String hidden;

    @Option(names = "--arch", paramLabel = "LAYERS", description = {"A convolutional net instead of --hidden, e.g. the "
            + "small CNN " + RandomizationCommand.SMALL_CNN + " (--arch cnn is that one); images come from the data set."})
    String arch;

    /** The small CNN of the randomization preset on MNIST (two conv blocks, about 20,500 parameters at 28x28). */
    static final String SMALL_CNN = "conv:16:3,relu,avgpool:2,conv:32:3,relu,avgpool:2,flatten,dense:10";

    @Option(names = "--p", paramLabel = "P,...", split = ",", defaultValue = "0,0.2,0.4,0.6,0.8,1",
            description = "Fractions of labels randomized (default: ${DEFAULT-VALUE}); p = 0, the true labels, is always run.")
    List<Double> ps;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "overparam-randomization",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    StudyOptions study;

    @Override
    public Integer call() {
        String a = "cnn".equals(arch) ? SMALL_CNN : arch;
        return study.run(new RandomizationStudy(new RandomizationStudy.Options(dataDir, format, n, testN, classes, hidden,
                ps, study.training(), a)), out, spec);
    }
}
