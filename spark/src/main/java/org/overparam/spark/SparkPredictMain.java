package org.overparam.spark;

import java.io.PrintWriter;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.overparam.InputError;
import org.overparam.cli.PredictCommand;
import org.overparam.experiment.PredictRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code overparam-spark predict}: {@code overparam predict --centres M} with K_nM on a Spark cluster
 * ({@link SparkCentresKernel}): the executors compute its row blocks of the analytic kernel and keep them, and each
 * conjugate-gradient iteration is one Spark job returning the blocks' M-vectors. Everything else (options, the
 * centres drawn, the CG on the driver, the output folder) is {@code overparam predict}'s, so the answer is the
 * in-process one.
 */
@Command(name = "overparam-spark predict", header = "Kernel regression past memory on Spark: overparam predict --centres M.",
        mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"'overparam predict --centres M --steps inf' with K_nM (n training points",
                "x M centres) computed and held by Spark's executors in row blocks of 8192,",
                "never on the driver: each CG iteration is one Spark job whose tasks return",
                "K_b^T K_b u for their block, summed on the driver in block order (the",
                "in-process sum). A lost executor's blocks are computed again by the task",
                "that needs them. Same options and outputs as 'overparam predict', plus",
                "--master.", ""})
public final class SparkPredictMain extends PredictCommand {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N], local[*], spark://HOST:PORT, yarn, k8s://... (default: the one"
                    + " spark-submit gives, else local[*]).")
    String master;

    @Override
    protected PredictRun.Result run(PredictRun.Spec s) {
        if (master != null && !SparkSweepMain.MASTER.matcher(master).matches()) {
            throw new InputError("--master '" + master + "' is not a Spark master URL; use local[N], local[*],"
                    + " spark://HOST:PORT, yarn or k8s://HOST:PORT");
        }
        if (s.centres() <= 0) {
            throw new InputError("overparam-spark predict runs the --centres M solver on Spark; give --centres "
                    + "(or use 'overparam predict' for the exact, in-memory path)");
        }
        SparkConf conf = SparkSweep.conf(master, "overparam predict");
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            return PredictRun.execute(s, SparkCentresKernel.on(spark));
        }
    }

    /** Runs {@code overparam-spark predict ARGS} (tests call this; {@code main} is {@link SparkSweepMain}'s). */
    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        String[] all = new String[args.length + 1];
        all[0] = "predict";
        System.arraycopy(args, 0, all, 1, args.length);
        return SparkSweepMain.execute(all, out, err);
    }
}
