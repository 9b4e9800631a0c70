package org.overparam.cli;

import static org.overparam.cli.CliRuns.json;
import static org.overparam.cli.CliRuns.run;
import org.overparam.cli.CliRuns.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.io.NdArray;
import org.overparam.io.Npy;

/** The ntk and kernel commands end to end: outputs, conventions against fixtures, refusals with exit 2. */
class KernelCliTest {
    @TempDir
    Path dir;

    static final Path TORCH = Path.of("../core/src/test/resources/fixtures/torch/mlp_relu_tanh");

    @Test
    void ntkOfATorchModelEqualsTorchAndReportsTheRequiredFields() throws Exception {
        Path g = dir.resolve("G.npy");
        Map<String, Object> r = json(run("ntk", "--model", TORCH.resolve("state.npz").toString(), "--activation",
                "relu,tanh", "--data", TORCH.resolve("X.npy").toString(), "--out", g.toString(), "--json", "--threads",
                "1"));
        for (String key : List.of("n", "params", "rank", "rank_tol", "rank_rule", "lambda_min", "lambda_max",
                "condition_number", "seconds")) {
            assertTrue(r.containsKey(key), key + " missing in " + r);
        }
        assertEquals(9L, r.get("n"));
        assertEquals(111L, r.get("params"));
        assertEquals(27L, r.get("rank")); // 3 outputs: the full 27x27 Gram, from the SVD of J
        NdArray ours = Npy.read(g);
        NdArray torch = Npy.read(TORCH.resolve("ntk_trace.npy"));
        double max = 0;
        double err = 0;
        for (int i = 0; i < torch.size(); i++) {
            max = Math.max(max, Math.abs(torch.data()[i]));
            err = Math.max(err, Math.abs(torch.data()[i] - ours.data()[i]));
        }
        assertTrue(err / max < 1e-10, "relative error " + err / max);
        // blocks are saved as (k, n, n)
        Path b = dir.resolve("B.npy");
        assertEquals(0, run("ntk", "--model", TORCH.resolve("state.npz").toString(), "--activation", "relu,tanh",
                "--data", TORCH.resolve("X.npy").toString(), "--outputs", "blocks", "--out", b.toString()).code());
        assertEquals(List.of(3, 9, 9), java.util.Arrays.stream(Npy.read(b).shape()).boxed().toList());
    }

    @Test
    void compareInfiniteShowsTheWidthDecayAndRefusesIncomparableNetworks() {
        Map<String, Object> r = json(run("ntk", "--hidden", "256", "--dataset", "sphere:n=12,d=4", "--compare-infinite",
                "--mc-samples", "3", "--mc-widths", "32,128,512", "--json", "--threads", "1"));
        @SuppressWarnings("unchecked")
        Map<String, Object> c = (Map<String, Object>) r.get("compare_infinite");
        double b = ((Number) c.get("fitted_exponent")).doubleValue();
        assertTrue(b < -0.25 && b > -0.8, "fitted exponent " + b + " far from -1/2");
        Run model = run("ntk", "--model", TORCH.resolve("state.npz").toString(), "--activation", "relu,tanh", "--data",
                TORCH.resolve("X.npy").toString(), "--compare-infinite");
        assertEquals(2, model.code());
        assertTrue(model.err().startsWith("overparam: error:") && model.err().contains("standard-form"), model.err());
        Run standard = run("ntk", "--hidden", "64", "--parameterization", "standard", "--dataset", "sphere:n=5,d=3",
                "--compare-infinite");
        assertEquals(2, standard.code());
        assertEquals(1, standard.err().strip().split("\n").length);
    }

    @Test
    void hInfinityIsSingularExactlyWhenTwoInputsAreParallel() throws Exception {
        double[] x = {1, 0, 0, 0, 1, 0, 0, 0, 1, 0.6, 0.8, 0, 2, 0, 0}; // last row = 2 * first row
        Path parallel = dir.resolve("par.npy");
        Npy.write(NdArray.of(x, 5, 3), parallel);
        Map<String, Object> r = json(run("kernel", "--kind", "hinf", "--data", parallel.toString(), "--json"));
        assertEquals(4L, r.get("rank"));
        Path distinct = dir.resolve("dist.npy");
        double[] y = x.clone();
        y[13] = 0.3; // no longer parallel
        Npy.write(NdArray.of(y, 5, 3), distinct);
        Map<String, Object> s = json(run("kernel", "--kind", "hinf", "--data", distinct.toString(), "--json"));
        assertEquals(5L, s.get("rank"));
        assertTrue(((Number) s.get("lambda0")).doubleValue() > 0);
        // the analytic NTK agrees in the same way (bias-free relu)
        Map<String, Object> k = json(run("kernel", "--kind", "ntk", "--depth", "2", "--data", parallel.toString(),
                "--json"));
        assertEquals(4L, k.get("rank"));
    }

    @Test
    void badInputIsOneLineAndExitCode2() {
        for (String[] args : List.of(
                new String[] {"kernel", "--kind", "banana", "--dataset", "sphere:n=5,d=3"},
                new String[] {"kernel", "--dataset", "sphere:n=5,d=3", "--out", dir.resolve("k.txt").toString()},
                new String[] {"kernel", "--depth", "-1", "--dataset", "sphere:n=5,d=3"},
                new String[] {"ntk", "--dataset", "sphere:n=5,d=3"},
                new String[] {"ntk", "--hidden", "8", "--data", dir.resolve("missing.npy").toString()},
                new String[] {"ntk", "--hidden", "8", "--dataset", "sphere:n=5,d=3", "--layers", "7"},
                new String[] {"ntk", "--hidden", "8", "--dataset", "sphere:n=5,d=3", "--outputs", "diag"})) {
            Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + " -> " + r.err());
            assertEquals(1, r.err().strip().split("\n").length, r.err());
            assertTrue(r.err().startsWith("overparam: error:"), r.err());
        }
    }

    @Test
    void ntkOnMnist() {
        Path mnist = Path.of("../../shared/data/mnist");
        Assumptions.assumeTrue(Files.isDirectory(mnist), "MNIST test set not present");
        Map<String, Object> r = json(run("ntk", "--hidden", "128", "--dataset", "mnist:dir=" + mnist + ",n=60",
                "--json", "--threads", "1"));
        assertEquals(60L, r.get("n"));
        assertEquals(60L, r.get("rank"));
        assertTrue(((Number) r.get("lambda_min")).doubleValue() > 0);
    }
}
