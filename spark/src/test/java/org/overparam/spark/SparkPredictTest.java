package org.overparam.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.io.NdArray;
import org.overparam.io.Npz;

/**
 * {@code overparam-spark predict} on Spark {@code local[2]} against {@code overparam predict} in this process, on the
 * same problem: n past one row block of K_nM (two blocks, so the blocks' sum is exercised), its predictions equal.
 */
class SparkPredictTest {
    /** n_train = 9000 > one block of 8192 rows; M = 40 centres. */
    static final String[] COMMON = {"--kind", "ntk", "--depth", "2", "--dataset", "sphere:n=10000,d=5",
        "--test-split", "0.1", "--steps", "inf", "--ridge", "0.001", "--centres", "40"};

    @TempDir
    Path tmp;

    @BeforeAll
    static void noUi() {
        System.setProperty("spark.ui.enabled", "false");
    }

    @AfterAll
    static void restore() {
        System.clearProperty("spark.ui.enabled");
    }

    record Run(int code, String out, String err) {
    }

    static Run spark(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = SparkPredictMain.execute(args, new PrintWriter(o, true), new PrintWriter(e, true));
        return new Run(code, o.toString(), e.toString());
    }

    static Run inProcess(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = org.overparam.cli.Main.execute(args, new PrintWriter(o, true), new PrintWriter(e, true));
        return new Run(code, o.toString(), e.toString());
    }

    static String[] with(String[] head, String... more) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void theClustersPredictionsAreTheInProcessOnes() throws Exception {
        Run local = inProcess(with(with(new String[] {"predict"}, COMMON), "--out", tmp.resolve("local").toString()));
        assertEquals(0, local.code(), local.err());
        Run onSpark = spark(with(COMMON, "--master", "local[2]", "--out", tmp.resolve("spark").toString()));
        assertEquals(0, onSpark.code(), onSpark.err());
        assertTrue(onSpark.out().contains("solver.iterations"), onSpark.out());
        assertSamePredictions(tmp.resolve("local/predictions.npz"), tmp.resolve("spark/predictions.npz"));
    }

    /**
     * Bit for bit: every block's contribution is computed by the same BLAS calls on the same numbers on both sides
     * (OpenBLAS splits a matrix-vector product between threads by whole rows or columns, so the thread count does not
     * change a dot product), and the contributions are summed in block order on both sides.
     */
    static void assertSamePredictions(Path a, Path b) throws Exception {
        Map<String, NdArray> x = Npz.read(a);
        Map<String, NdArray> y = Npz.read(b);
        for (String key : List.of("train_mean", "test_mean", "centres")) {
            double[] u = x.get(key).data();
            double[] v = y.get(key).data();
            assertEquals(u.length, v.length, key);
            for (int i = 0; i < u.length; i++) {
                assertEquals(u[i], v[i], 0.0, key + "[" + i + "]");
            }
        }
    }

    @Test
    void withoutCentresOrWithABadMasterItIsOneLineAndExitTwo() {
        for (String[] args : new String[][] {
            {"--dataset", "sphere:n=20,d=3", "--test-split", "0.2", "--steps", "inf", "--master", "local[1]", "--out",
                tmp.resolve("a").toString()},
            with(COMMON, "--master", "mesos://x", "--out", tmp.resolve("b").toString())}) {
            Run r = spark(args);
            assertEquals(2, r.code(), r.err());
            List<String> errors = r.err().lines().filter(l -> l.contains("error")).toList();
            assertEquals(1, errors.size(), r.err());
            assertTrue(errors.get(0).startsWith("overparam-spark predict: error: "), r.err());
        }
    }
}
