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
import org.overparam.nn.ModelFile;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.TrainableLayers;
import org.overparam.train.Loss;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code overparam eval}: predictions and loss/accuracy of a saved model on data. */
@Command(name = "eval", header = "Predictions, loss and accuracy of a saved model on data.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a saved model (PyTorch-style state dict, .npz or .safetensors) on",
                "data: write its predictions as a float64 .npy and print loss and accuracy",
                "when labels are given."})
public final class EvalCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The model (.npz or .safetensors).")
    String model;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu",
            description = "Activation(s) of the hidden layers, as for train (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--data", paramLabel = "FILE", description = "Inputs (n, d): .npy, .csv or IDX.")
    String data;

    @Option(names = "--dataset", paramLabel = "SPEC", description = "Inputs by name, as for train.")
    String dataset;

    @Option(names = "--labels", paramLabel = "FILE", description = "Labels, for loss and accuracy.")
    String labels;

    @Option(names = "--normalize", description = "Scale every input to the unit sphere first.")
    boolean normalize;

    @Option(names = "--one-hot", description = "Turn integer class labels into one-hot rows (mse on classes).")
    boolean oneHot;

    @Option(names = "--loss", paramLabel = "L", defaultValue = "mse", description = "Loss to report (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--predictions", paramLabel = "FILE", defaultValue = "predictions.npy",
            description = "Where to write the predictions (n, k) (default: ${DEFAULT-VALUE}).")
    String predictions;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @Override
    public Integer call() {
        int t = run.applyThreads();
        Loss l = Loss.parse(loss);
        if (!predictions.toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
            throw new InputError("--predictions " + predictions + ": use a .npy file name");
        }
        ModelFile mf = ModelFile.read(Path.of(model));
        boolean hasLabels = labels != null || dataset != null;
        java.util.Map<String, Object> m = new java.util.HashMap<>();
        m.put("dataset", dataset);
        m.put("data", data);
        m.put("labels", labels);
        m.put("normalize", normalize);
        m.put("one_hot", oneHot);
        m.put("activation", activation);
        m.put("init_model", model);
        m.put("loss", loss);
        m.put("threads", t);
        RunConfig c = RunConfig.forLoading(m, "eval");
        var loaded = hasLabels ? org.overparam.experiment.DataLoader.load(c) : null;
        Matrix x = loaded != null ? loaded.x() : unlabeled(data);
        if (x.cols() != mf.inputDim()) {
            throw new InputError(model + ": the model takes " + mf.inputDim() + " inputs but the data has " + x.cols()
                    + " features");
        }
        try (Network net = mf.toNetwork(NetworkSpec.parseActivations(activation), TrainableLayers.ALL)) {
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
                s.put("loss_convention", TrainRun.lossConvention(loss));
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

    private static Matrix unlabeled(String data) {
        if (data == null) {
            throw new InputError("give the inputs with --data FILE or --dataset SPEC");
        }
        NdArray a = org.overparam.io.Npy.read(Path.of(data));
        if (a.rank() != 2) {
            throw new InputError(data + ": expected an (n, d) array, got shape " + java.util.Arrays.toString(a.shape()));
        }
        for (double v : a.data()) {
            if (!Double.isFinite(v)) {
                throw new InputError(data + ": the data holds a non-finite value (" + v + "); clean it first");
            }
        }
        return Matrix.of(a.shape()[0], a.shape()[1], a.data());
    }

    private static void writeAtomically(NdArray a, Path target) {
        org.overparam.io.AtomicFile.write(target, tmp -> Npy.write(a, tmp));
    }

}
