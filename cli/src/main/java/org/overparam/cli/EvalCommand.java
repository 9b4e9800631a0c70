package org.overparam.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.overparam.InputError;
import org.overparam.experiment.RunConfig;
import org.overparam.experiment.TrainRun;
import org.overparam.io.NdArray;
import org.overparam.io.Npy;
import org.overparam.linalg.Matrix;
import org.overparam.nn.ArchStateDict;
import org.overparam.nn.LayerNet;
import org.overparam.nn.Model;
import org.overparam.nn.ModelFile;
import org.overparam.nn.Shape;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.TrainableLayers;
import org.overparam.train.Loss;
import java.util.EnumSet;
import java.util.Set;
import org.overparam.experiment.ConfigField;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overparam eval}: predictions and loss/accuracy of a saved model on data. */
@Command(name = "eval", header = "Predictions, loss and accuracy of a saved model on data.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a saved model (PyTorch-style state dict, .npz or .safetensors) on",
                "data: write its predictions as a float64 .npy and print loss and accuracy",
                "when labels are given."})
public final class EvalCommand implements Callable<Integer>, TakesConfig {
    /** The configuration fields eval takes: what data to load, the activation and the loss to report. */
    static final Set<ConfigField> FIELDS = EnumSet.of(ConfigField.DATASET, ConfigField.DATA, ConfigField.LABELS,
            ConfigField.NORMALIZE, ConfigField.ONE_HOT, ConfigField.ACTIVATION, ConfigField.LOSS, ConfigField.ARCH);

    @Override
    public Set<ConfigField> configFields() {
        return FIELDS;
    }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The model (.npz or .safetensors).")
    String model;

    @Option(names = "--predictions", paramLabel = "FILE", defaultValue = "predictions.npy",
            description = "Where to write the predictions (n, k) (default: ${DEFAULT-VALUE}).")
    String predictions;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @Override
    public Integer call() {
        int t = run.applyThreads();
        Map<String, Object> m = ConfigOptions.given(spec.commandLine().getParseResult(), FIELDS);
        String data = (String) m.get("data");
        String labels = (String) m.get("labels");
        String dataset = (String) m.get("dataset");
        if (!predictions.toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
            throw new InputError("--predictions " + predictions + ": use a .npy file name");
        }
        boolean hasLabels = labels != null || dataset != null;
        m.put("init_model", model);
        m.put("threads", t);
        RunConfig c = TrainCommand.forLoading(m);
        Loss l = c.training().loss().value();
        var loaded = hasLabels ? org.overparam.experiment.DataLoader.load(c) : null;
        NdArray raw = loaded != null ? null : unlabeled(data, c.network().arch() != null);
        Matrix x = loaded != null ? loaded.x() : Matrix.of(raw.dim(0), raw.data().length / Math.max(1, raw.dim(0)), raw.data());
        try (Model net = network(c, loaded != null ? loaded.shape() : shape(raw), x)) {
            Matrix pred = net.predict(x);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("model", model);
            s.put("n", x.rows());
            s.put("outputs", pred.cols());
            s.put("predictions", Path.of(predictions).toAbsolutePath().toString());
            if (loaded != null) {
                Matrix y = loaded.y();
                int k = l.outputDim(y, pred.cols());
                if (k != pred.cols()) {
                    throw new InputError(model + ": the model has " + pred.cols() + " outputs but " + l.cliName()
                            + " with these labels needs " + k);
                }
                s.put("loss", l.cliName());
                s.put("loss_convention", TrainRun.lossConvention(l));
                s.put("loss_value", l.value(pred, y));
                double acc = l.accuracy(pred, y);
                if (!Double.isNaN(acc)) {
                    s.put("accuracy", acc);
                }
            }
            writeAtomically(NdArray.of(pred.toArray(), pred.rows(), pred.cols()), Path.of(predictions));
            run.print(s, spec.commandLine().getOut());
        }
        return 0;
    }

    /**
     * The saved model on inputs of this shape: a fully connected state dict read with its own shapes (the activation
     * from --activation), or an --arch state dict matched layer by layer to the architecture (the file holds effective
     * weights and decides the biases, so the parameterization does not change the outputs).
     */
    private Model network(RunConfig c, Shape input, Matrix x) {
        if (c.network().arch() != null) {
            var n = c.network();
            return ArchStateDict.read(new LayerNet.Spec(n.arch().value(), input, n.parameterization().value(), n.sigmaW(),
                    n.sigmaB(), n.bias()), Path.of(model));
        }
        ModelFile mf = ModelFile.read(Path.of(model));
        if (x.cols() != mf.inputDim()) {
            throw new InputError(model + ": the model takes " + mf.inputDim() + " inputs but the data has " + x.cols()
                    + " features");
        }
        return mf.toNetwork(c.network().activations().value(), TrainableLayers.ALL);
    }

    /** The shape of one unlabeled example: (C, H, W) of an (N, C, H, W) array, else a vector. */
    private static Shape shape(NdArray a) {
        return a.rank() == 4 ? Shape.image(a.dim(1), a.dim(2), a.dim(3)) : Shape.flat(a.dim(1));
    }

    /** An (n, d) .npy, or with --arch also (N, C, H, W) images. */
    private static NdArray unlabeled(String data, boolean images) {
        if (data == null) {
            throw new InputError("give the inputs with --data FILE or --dataset SPEC");
        }
        NdArray a = org.overparam.io.Npy.read(Path.of(data));
        if (a.rank() != 2 && !(images && a.rank() == 4)) {
            throw new InputError(data + ": expected an (n, d) array" + (images ? " or (N, C, H, W) images" : "")
                    + ", got shape " + java.util.Arrays.toString(a.shape()));
        }
        for (double v : a.data()) {
            if (!Double.isFinite(v)) {
                throw new InputError(data + ": the data holds a non-finite value (" + v + "); clean it first");
            }
        }
        return a;
    }

    private static void writeAtomically(NdArray a, Path target) {
        org.overparam.io.AtomicFile.write(target, tmp -> Npy.write(a, tmp));
    }

}
