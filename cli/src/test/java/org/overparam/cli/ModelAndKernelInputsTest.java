package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.cli.CliRuns.json;
import static org.overparam.cli.CliRuns.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.io.NdArray;
import org.overparam.io.Npy;
import org.overparam.io.Npz;

/** Issue 10: model files in a parameterization's variables, partial biases, and inputs that were silently misread. */
class ModelAndKernelInputsTest {
    @TempDir
    Path dir;

    static final Path TORCH = Path.of("../core/src/test/resources/fixtures/torch/mlp_relu_tanh");

    private static double maxRelDiff(NdArray a, NdArray b) {
        double max = 0;
        double err = 0;
        for (int i = 0; i < a.size(); i++) {
            max = Math.max(max, Math.abs(a.data()[i]));
            err = Math.max(err, Math.abs(a.data()[i] - b.data()[i]));
        }
        return err / max;
    }

    /**
     * A model file holds standard-form effective weights; with --parameterization ntk the kernel is the one in ntk
     * variables, equal to the same net built from --hidden with the same seed (it was λmax 69,525 vs 19.35).
     */
    @Test
    void aModelFileIsReadInTheGivenParameterization() throws Exception {
        for (String p : List.of("ntk", "du2019", "chen2021")) {
            Path out = dir.resolve("run-" + p);
            String sw = p.equals("ntk") ? "1.3" : "1.0";
            String bias = p.equals("ntk") ? "--sigma-b=0.2" : "--no-bias"; // du2019 and chen2021 have no biases
            CliRuns.Run t = run("train", "--dataset", "sphere:n=12,d=4", "--hidden", "32", "--parameterization", p,
                    "--sigma-w", sw, bias, "--steps", "0", "--seed", "5", "--lr", "1", "--out", out.toString());
            assertEquals(0, t.code(), t.err());
            Path fromModel = dir.resolve("m-" + p + ".npy");
            Path fromHidden = dir.resolve("h-" + p + ".npy");
            String sb = p.equals("ntk") ? "0.2" : "0";
            CliRuns.Run m = run("ntk", "--model", out.resolve("model.npz").toString(), "--parameterization", p,
                    "--sigma-w", sw, "--sigma-b", sb, "--dataset", "sphere:n=12,d=4", "--out", fromModel.toString());
            assertEquals(0, m.code(), m.err());
            CliRuns.Run h = run("ntk", "--hidden", "32", "--parameterization", p, "--sigma-w", sw, "--sigma-b", sb,
                    p.equals("ntk") ? "--threads=1" : "--no-bias", "--seed", "5", "--dataset", "sphere:n=12,d=4", "--out",
                    fromHidden.toString());
            assertEquals(0, h.code(), h.err());
            assertTrue(maxRelDiff(Npy.read(fromHidden), Npy.read(fromModel)) < 1e-12, p);
        }
        // the same file in standard variables is another kernel (the one PyTorch would compute)
        Path standard = dir.resolve("s.npy");
        assertEquals(0, run("ntk", "--model", dir.resolve("run-ntk/model.npz").toString(), "--dataset",
                "sphere:n=12,d=4", "--out", standard.toString()).code());
        assertTrue(maxRelDiff(Npy.read(standard), Npy.read(dir.resolve("m-ntk.npy"))) > 0.5);
    }

    @Test
    void scalesThatAModelFileIgnoresAreRefused() {
        String model = TORCH.resolve("state.npz").toString();
        for (String[] extra : List.of(new String[] {"--sigma-w", "2"}, new String[] {"--sigma-b", "0.1"},
                new String[] {"--no-bias"})) {
            List<String> args = new java.util.ArrayList<>(List.of("ntk", "--model", model, "--activation", "relu,tanh",
                    "--data", TORCH.resolve("X.npy").toString()));
            args.addAll(List.of(extra));
            CliRuns.Run r = run(args.toArray(new String[0]));
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith("overparam: error: " + extra[0]), r.err());
        }
    }

    /** A Linear(bias=False) after a biased Linear is a valid model: its missing bias adds nothing to the NTK. */
    @Test
    void aModelWithBiasesOnSomeLayersIsAccepted() throws Exception {
        Map<String, NdArray> full = Npz.read(TORCH.resolve("state.npz"));
        Map<String, NdArray> partial = new LinkedHashMap<>(full);
        String lastBias = full.keySet().stream().filter(k -> k.endsWith(".bias")).reduce((a, b) -> b).orElseThrow();
        partial.remove(lastBias);
        Path pf = dir.resolve("partial.npz");
        Npz.write(partial, pf);
        Path gFull = dir.resolve("full.npy");
        Path gPartial = dir.resolve("partial.npy");
        String x = TORCH.resolve("X.npy").toString();
        assertEquals(0, run("ntk", "--model", TORCH.resolve("state.npz").toString(), "--activation", "relu,tanh",
                "--data", x, "--out", gFull.toString()).code());
        Map<String, Object> r = json(run("ntk", "--model", pf.toString(), "--activation", "relu,tanh", "--data", x,
                "--out", gPartial.toString(), "--json"));
        // 111 parameters with the 3 output biases, 108 without
        assertEquals(108L, r.get("params"));
        // each output bias has gradient 1 for its own output unit: the trace over 3 outputs loses exactly 3 per entry
        NdArray a = Npy.read(gFull);
        NdArray b = Npy.read(gPartial);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.data()[i] - 3.0, b.data()[i], 1e-12 * Math.max(1, Math.abs(a.data()[i])), "entry " + i);
        }
    }

    @Test
    void blocksReportTheShapeWrittenAndAFailedCholeskyIsNotCalledASuccess() throws Exception {
        Map<String, Object> r = json(run("ntk", "--model", TORCH.resolve("state.npz").toString(), "--activation",
                "relu,tanh", "--data", TORCH.resolve("X.npy").toString(), "--outputs", "blocks", "--json"));
        assertEquals(List.of(3L, 9L, 9L), r.get("gram_shape"));
        // two equal inputs: the Gram is singular, and with --out only the Cholesky decides it
        double[] x = {1, 0, 0, 0, 1, 0, 1, 0, 0};
        Path xf = dir.resolve("x.npy");
        Npy.write(NdArray.of(x, 3, 3), xf);
        CliRuns.Run t = run("ntk", "--hidden", "64", "--data", xf.toString(), "--out", dir.resolve("g.npy").toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("Cholesky of the Gram failed"), t.out());
        assertFalse(t.out().contains("succeeded"), t.out());
    }

    @Test
    void absurdKernelInputsAreOneLineExitTwo() throws Exception {
        Path xf = dir.resolve("big.npy");
        Npy.write(NdArray.of(new double[] {1e155, 0, 0, 0, 2e155, 0}, 2, 3), xf);
        for (String kind : List.of("ntk", "nngp", "rf", "hinf")) {
            for (boolean asJson : new boolean[] {false, true}) {
                CliRuns.Run r = asJson ? run("kernel", "--kind", kind, "--data", xf.toString(), "--json")
                        : run("kernel", "--kind", kind, "--data", xf.toString());
                assertEquals(2, r.code(), kind + ": " + r.err());
                assertEquals(1, r.err().strip().lines().count(), r.err());
                assertTrue(r.err().contains("overflows double precision"), r.err());
            }
        }
        CliRuns.Run tol = run("kernel", "--dataset", "sphere:n=5,d=3", "--rank-tol", "-1", "--spectrum");
        assertEquals(2, tol.code());
        assertTrue(tol.err().contains("--rank-tol"), tol.err());
        CliRuns.Run zero = run("ntk", "--hidden", "0", "--dataset", "sphere:n=5,d=3");
        assertEquals(2, zero.code());
        assertTrue(zero.err().contains("--hidden none"), zero.err());
    }
}
