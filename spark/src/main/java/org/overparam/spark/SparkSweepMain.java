package org.overparam.spark;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.overparam.InputError;
import org.overparam.cli.Main;
import org.overparam.cli.SweepOptions;
import org.overparam.experiment.SweepRun;
import org.overparam.experiment.SweepSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overparam-spark}: {@code overparam sweep} on Apache Spark ({@link SparkSweep}). Launched by
 * {@code spark/overparam-spark} (local, Spark's jars from the Maven build) or by
 * {@code spark-submit --class org.overparam.spark.SparkSweepMain overparam-spark.jar} on a cluster. Exit codes
 * and messages as {@code overparam}'s: 0 ok, 2 bad input or a failed run (one line), 1 anything else.
 */
@Command(name = "overparam-spark", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = SparkSweepMain.Version.class,
        description = {"Run an 'overparam sweep' spec on Apache Spark: each run is one Spark",
                "task on one BLAS thread, and each finished run goes into the same DuckDB",
                "store (on the driver) as soon as it finishes. Runs already in --db are",
                "skipped, so rerunning resumes, on Spark or with 'overparam sweep'. The",
                "runs' folders under --out are written by the executors: on a cluster, a",
                "folder every worker can write.",
                "'overparam-spark predict ...' runs 'overparam predict --centres M' with",
                "K_nM's blocks on the executors (see 'overparam-spark predict --help').", ""})
public final class SparkSweepMain implements Callable<Integer> {
    /** The master URLs Spark 4 accepts; checked here so that a typo is one line, not Spark's stack trace. */
    static final Pattern MASTER = Pattern.compile("local(\\[(\\*|[1-9]\\d*)(,[1-9]\\d*)?\\])?|local-cluster\\[.+\\]"
            + "|spark://.+|yarn|k8s://.+");

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    SweepOptions sweep;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N], local[*], spark://HOST:PORT, yarn, k8s://... (default: the one"
                    + " spark-submit gives, else local[*]).")
    String master;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (master != null && !MASTER.matcher(master).matches()) {
            throw new InputError("--master '" + master + "' is not a Spark master URL; use local[N], local[*],"
                    + " spark://HOST:PORT, yarn or k8s://HOST:PORT");
        }
        SweepSpec s = SweepSpec.read(sweep.specFile); // before Spark starts: a bad spec costs no startup
        SweepRun.checkDistinctFiles(s.expand(sweep.out)); // also refuses grids too large to run, before Spark starts
        SparkConf conf = SparkSweep.conf(master);
        err.println("spark sweep: " + s.size() + " runs on " + conf.get("spark.master") + ", one task and 1 BLAS thread per run");
        err.flush();
        SweepRun.Counts c;
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            c = SparkSweep.execute(spark, s, sweep.db, sweep.out, SweepOptions.progress(err));
        }
        return sweep.report(c, spec.commandLine().getOut(), err, "overparam-spark");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line and returns the exit code (tests call this instead of main). A first word
     * {@code predict} selects {@link SparkPredictMain}: one jar and one main class serve spark-submit for both.
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length > 0 && args[0].equals("predict")) {
            return Main.execute(Main.commandLine(new SparkPredictMain()), java.util.Arrays.copyOfRange(args, 1,
                    args.length), out, err);
        }
        return Main.execute(new CommandLine(new SparkSweepMain()), args, out, err);
    }

    /** --version: overparam's and Spark's. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"overparam-spark " + org.overparam.experiment.TrainRun.VERSION,
                    "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()};
        }
    }
}
