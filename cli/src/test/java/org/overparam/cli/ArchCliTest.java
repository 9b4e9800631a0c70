package org.overparam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.cli.CliRuns.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.io.NdArray;
import org.overparam.io.Npy;
import org.overparam.io.Npz;

/**
 * --arch on the command line: train a CNN with a residual block and reload its saved state dict; ntk --arch on a
 * PyTorch model equals the functorch kernel committed with it; kernel --arch; bad architectures are one line, exit 2.
 */
class ArchCliTest {
    @TempDir
    Path tmp;

    static final Path FIX = Path.of("../core/src/test/resources/fixtures/torch/conv/cnn_res_avgpool");
    static final String ARCH = "conv:4:3,relu,res[conv:4:3,tanh],avgpool:2,flatten,dense:3";

    @Test
    void trainsSavesAndReloadsACnn() throws Exception {
        Path out = tmp.resolve("run");
        CliRuns.Run r = run("train", "--arch", "conv:6:3,relu,res[conv:6:3,relu,conv:6:3],gap,dense:1", "--dataset",
                "gaussian:n=16,d=36,image=1x6x6", "--parameterization", "ntk", "--lr", "2", "--steps", "100",
                "--threads", "1", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, NdArray> sd = Npz.read(out.resolve("model.npz"));
        assertEquals(java.util.List.of(6, 1, 3, 3), java.util.Arrays.stream(sd.get("0.weight").shape()).boxed().toList());
        assertTrue(sd.containsKey("2.branch.2.weight") && sd.containsKey("5.weight"), sd.keySet().toString());
        String summary = Files.readString(out.resolve("summary.json"));
        double first = Double.parseDouble(summary.replaceAll("(?s).*\"initial_loss\"\\s*:\\s*([-0-9.eE]+).*", "$1"));
        double last = Double.parseDouble(summary.replaceAll("(?s).*\"final_loss\"\\s*:\\s*([-0-9.eE]+).*", "$1"));
        assertTrue(last < 0.5 * first, "GD fits: " + first + " -> " + last);
        // the saved state dict is the trained network: eval-like reload through --init-model keeps the loss
        CliRuns.Run again = run("train", "--arch", "conv:6:3,relu,res[conv:6:3,relu,conv:6:3],gap,dense:1",
                "--dataset", "gaussian:n=16,d=36,image=1x6x6", "--parameterization", "ntk", "--init-model",
                out.resolve("model.npz").toString(), "--steps", "0", "--lr", "2", "--threads", "1", "--out",
                tmp.resolve("again").toString());
        assertEquals(0, again.code(), again.err());
        String s2 = Files.readString(tmp.resolve("again/summary.json"));
        double reloaded = Double.parseDouble(s2.replaceAll("(?s).*\"initial_loss\"\\s*:\\s*([-0-9.eE]+).*", "$1"));
        assertEquals(last, reloaded, 1e-12 * last);
    }

    /**
     * eval --arch: a residual CNN trained and saved by train, evaluated on the same data, gives train's final loss and
     * training accuracy (both after the last step); on PyTorch's own model and (N, C, H, W) inputs, PyTorch's outputs.
     */
    @Test
    @SuppressWarnings("unchecked")
    void evalOfASavedCnnGivesTrainsNumbersAndPyTorchsOutputs() throws Exception {
        String arch = "conv:4:3,relu,res[conv:4:3,relu],avgpool:2,flatten,dense:1";
        String data = "margin:n=24,d=36,gamma=0.1,image=1x6x6";
        Path out = tmp.resolve("run");
        Map<String, Object> trained = CliRuns.json(run("train", "--arch", arch, "--dataset", data, "--loss", "logistic",
                "--steps", "30", "--lr", "0.5", "--threads", "1", "--out", out.toString(), "--json"));
        Map<String, Object> e = CliRuns.json(run("eval", "--arch", arch, "--dataset", data, "--loss", "logistic",
                "--model", out.resolve("model.npz").toString(), "--predictions", tmp.resolve("p.npy").toString(),
                "--threads", "1", "--json"));
        assertEquals(24, ((Number) e.get("n")).intValue());
        double loss = ((Number) trained.get("final_loss")).doubleValue();
        assertTrue(loss < ((Number) trained.get("initial_loss")).doubleValue(), trained.toString());
        assertEquals(loss, ((Number) e.get("loss_value")).doubleValue(), 1e-12 * loss);
        assertEquals(((Number) trained.get("final_train_accuracy")).doubleValue(), ((Number) e.get("accuracy")).doubleValue());

        Path p = tmp.resolve("torch.npy");
        CliRuns.Run r = run("eval", "--arch", ARCH, "--model", FIX.resolve("state.npz").toString(), "--data",
                FIX.resolve("X.npy").toString(), "--predictions", p.toString());
        assertEquals(0, r.code(), r.err());
        NdArray ours = Npy.read(p);
        NdArray torch = Npy.read(FIX.resolve("out.npy"));
        assertEquals(java.util.Arrays.toString(torch.shape()), java.util.Arrays.toString(ours.shape()));
        for (int i = 0; i < torch.data().length; i++) {
            assertEquals(torch.data()[i], ours.data()[i], 1e-12 * (1 + Math.abs(torch.data()[i])), "output " + i);
        }
    }

    @Test
    void ntkOfATorchModelEqualsFunctorch() throws Exception {
        Path g = tmp.resolve("g.npy");
        CliRuns.Run r = run("ntk", "--arch", ARCH, "--model", FIX.resolve("state.npz").toString(), "--data",
                FIX.resolve("X.npy").toString(), "--outputs", "full", "--out", g.toString());
        assertEquals(0, r.code(), r.err());
        double[] ours = Npy.read(g).data();
        double[] torch = Npy.read(FIX.resolve("ntk.npy")).data();
        double scale = java.util.Arrays.stream(torch).map(Math::abs).max().orElse(1);
        for (int i = 0; i < torch.length; i++) {
            assertEquals(torch[i], ours[i], 1e-10 * scale);
        }
    }

    @Test
    void analyticKernelOfACnn() {
        CliRuns.Run r = run("kernel", "--arch", "conv:1:3,relu,conv:1:3,relu,flatten,dense:1", "--dataset",
                "sphere:n=6,d=16,image=1x4x4", "--spectrum", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"arch\"") && r.out().contains("same-position pixel pairs"), r.out());
    }

    @Test
    void badArchitecturesAreOneLineExitTwo() {
        for (String[] args : new String[][] {
            {"train", "--arch", "conv:4:3,dense:1", "--dataset", "gaussian:n=4,d=16,image=1x4x4", "--steps", "1"},
            {"train", "--arch", "conv:4:3,relu,flatten,dense:1", "--dataset", "gaussian:n=4,d=16", "--steps", "1"},
            {"train", "--arch", "conv:4:3,res[conv:5:3],flatten,dense:1", "--dataset", "gaussian:n=4,d=16,image=1x4x4"},
            {"train", "--arch", "conv:4:x", "--dataset", "gaussian:n=4,d=16,image=1x4x4"},
            {"train", "--arch", "conv:4:3,flatten,dense:1", "--dataset", "gaussian:n=4,d=16,image=1x5x4"},
            {"min-width", "--arch", "conv:4:3,flatten,dense:1", "--dataset", "sphere:d=4", "--n", "4,8"},
            {"kernel", "--arch", "conv:4:3,res[conv:4:3,relu],flatten,dense:1", "--dataset", "gaussian:n=4,d=16,image=1x4x4"},
            {"ntk", "--arch", ARCH, "--model", FIX.resolve("state.npz").toString(), "--dataset",
                "gaussian:n=4,d=16,image=1x4x4"}}) {
            CliRuns.Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
