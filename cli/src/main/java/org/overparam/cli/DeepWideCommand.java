package org.overparam.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.overparam.experiment.DeepWideStudy;
import org.overparam.nn.ArchTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overparam deep-vs-wide}: steps to fit and test error at matched parameter counts over depth. */
@Command(name = "deep-vs-wide", header = "Deep against wide at matched parameter counts.",
        mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"For every data set, depth and target parameter count, trains the",
                "uniform-width network (or the --arch template at depth L and width m)",
                "whose parameter count is closest to the target until",
                "it fits (100%% training accuracy on class or +-1 labels, --target-loss on",
                "regression labels) or --max-steps runs out, over several seeds, through the",
                "sweep machinery (DuckDB store; rerunning resumes). Writes",
                "OUT/deep-vs-wide.json, SVG plots and OUT/report.html: steps to fit and test",
                "error against the parameter count per depth, one panel per data set side by",
                "side, and the smallest parameter count that fits the n training points.",
                ""})
public final class DeepWideCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "SPEC", required = true,
            description = {"Training data by name, as for train; repeat for side-by-side panels, e.g.",
                    "--dataset mnist:dir=D,n=300,classes=0-9,seed=0 --dataset margin:n=300,d=20,gamma=0.1"})
    List<String> datasets;

    @Option(names = "--test-dataset", paramLabel = "SPEC", description = "Held-out data, one per --dataset (or use --test-split).")
    List<String> testDatasets;

    @Option(names = "--test-split", paramLabel = "F", defaultValue = "0",
            description = "Hold out this fraction of each data set as its test set (default: ${DEFAULT-VALUE}).")
    double testSplit;

    @Option(names = "--params", paramLabel = "P,...", split = ",", defaultValue = "2000,4000,8000,16000,32000",
            description = "Target parameter counts (default: ${DEFAULT-VALUE}).")
    List<Long> params;

    @Option(names = "--depths", paramLabel = "L,...", split = ",", defaultValue = "1,2,3,4",
            description = "Numbers of hidden layers (default: ${DEFAULT-VALUE}).")
    List<Integer> depths;

    @Option(names = "--arch", paramLabel = "TEMPLATE", description = {
            "Any network instead of uniform-width fully connected ones: the --arch language with m for the",
            "channels or units solved for each --params count (conv:m:K, dense:m) and *L after the layer or",
            "[group] repeated L times for each of --depths, e.g. conv:m:3,relu,[conv:m:3,relu]*L,gap,dense:2",
            "on image data (mnist:..., image=CxHxW). Replaces --activation."})
    String arch;

    @Option(names = "--delta", paramLabel = "D", defaultValue = "0",
            description = "A count fits when at least 1 - D of its seeds fit (default: ${DEFAULT-VALUE}).")
    double delta;

    @Option(names = "--target-loss", paramLabel = "EPS", defaultValue = "1e-3",
            description = "Fit criterion on regression labels: training loss <= EPS (default: ${DEFAULT-VALUE}).")
    double targetLoss;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "overparam-deep-vs-wide",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    StudyOptions study;

    @Override
    public Integer call() {
        return study.run(new DeepWideStudy(new DeepWideStudy.Options(datasets, testDatasets, testSplit, params, depths,
                targetLoss, delta, study.training(), arch == null ? null : ArchTemplate.parse(arch))), out, spec);
    }
}
