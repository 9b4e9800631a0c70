package org.overparam.experiment;

import java.util.List;
import org.overparam.nn.Activation;
import org.overparam.nn.Arch;
import org.overparam.nn.Parameterization;
import org.overparam.nn.TrainableLayers;

/**
 * The network a run trains: hidden widths (null when the shapes come from {@code initModel}), one
 * activation per hidden layer or one for all, parameterization and its scales, biases, trained layers; or any
 * {@link Arch} (convolutions, pooling, residual blocks), which then replaces the hidden widths and activations.
 */
public record NetworkConfig(Parsed<List<Integer>> hidden, Parsed<List<Activation>> activations,
        Parsed<Parameterization> parameterization, double sigmaW, double sigmaB, boolean bias,
        Parsed<TrainableLayers> trainLayers, String initModel, Parsed<Arch> arch) {

    public NetworkConfig {
        if (initModel != null && hidden != null) {
            throw new ConfigError(ConfigField.HIDDEN,
                    "cannot be combined with {init_model}: the layer shapes come from the model file");
        }
        if (arch != null && !trainLayers.value().equals(TrainableLayers.ALL)) {
            throw new ConfigError(ConfigField.TRAIN_LAYERS, "must be all with {arch}: every layer of an --arch network "
                    + "is trained");
        }
        if (arch != null && parameterization.value() == Parameterization.CHEN2021) {
            throw new ConfigError(ConfigField.PARAMETERIZATION, "chen2021 is defined for fully connected ReLU nets; "
                    + "use standard, ntk or du2019 with {arch}");
        }
        if (!Double.isFinite(sigmaW) || !Double.isFinite(sigmaB)) {
            throw new ConfigError(Double.isFinite(sigmaW) ? ConfigField.SIGMA_B : ConfigField.SIGMA_W,
                    "must be a finite number");
        }
    }

    /** The hidden widths; an input error when none were given and no model file gives them. */
    public int[] widths() {
        if (hidden == null) {
            throw new ConfigError(ConfigField.HIDDEN, "must be given, e.g. 512,512 (or {init_model} FILE)");
        }
        return hidden.value().stream().mapToInt(Integer::intValue).toArray();
    }

    /** The trained layers, with du2019's rule: its output weights a_r are fixed, so "all" means the first layer. */
    public TrainableLayers trainable() {
        return parameterization.value() == Parameterization.DU2019 && trainLayers.value().equals(TrainableLayers.ALL)
                ? TrainableLayers.FIRST : trainLayers.value();
    }
}
