package org.overparam.nn;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.overparam.InputError;

/**
 * The architecture of a fully connected network: input dimension, hidden widths, output dimension,
 * activations (one for all hidden layers, or one per hidden layer as in a PyTorch nn.Sequential that mixes
 * them), parameterization (with σ_w, σ_b under {@code ntk}), biases, and which layers train.
 * Layer l (0-based) maps widths[l] → widths[l+1]; there are hidden.length + 1 layers.
 */
public record NetworkSpec(int inputDim, int[] hidden, int outputDim, List<Activation> activations,
        Parameterization parameterization, double sigmaW, double sigmaB, boolean bias, TrainableLayers trainable) {

    /** Guard against sizes that cannot be meant (and would not fit in memory): 2^31 parameters. */
    public static final long MAX_PARAMETERS = Integer.MAX_VALUE - 8;

    public NetworkSpec {
        hidden = hidden.clone();
        if (activations.size() == 1 && hidden.length != 1) {
            activations = java.util.Collections.nCopies(hidden.length, activations.get(0));
        } else if (activations.size() != hidden.length) {
            throw new InputError(activations.size() + " activations given for " + hidden.length
                    + " hidden layers; give one for all or one per hidden layer");
        }
        activations = List.copyOf(activations);
        if (inputDim <= 0) {
            throw new InputError("input dimension must be positive, got " + inputDim);
        }
        if (outputDim <= 0) {
            throw new InputError("output dimension must be positive, got " + outputDim);
        }
        for (int h : hidden) {
            if (h <= 0) {
                throw new InputError("hidden widths must be positive, got " + Arrays.toString(hidden)
                        + "; write e.g. --hidden 512,512");
            }
        }
        if (!(sigmaW > 0) || !Double.isFinite(sigmaW) || !(sigmaB >= 0) || !Double.isFinite(sigmaB)) {
            throw new InputError("sigma_w must be positive and sigma_b non-negative, got " + sigmaW + ", " + sigmaB);
        }
        if (parameterization == Parameterization.DU2019) {
            if (hidden.length != 1) {
                throw new InputError("the du2019 preset is a two-layer network: give exactly one hidden width, got "
                        + Arrays.toString(hidden));
            }
            if (bias) {
                throw new InputError("the du2019 preset has no biases; add --no-bias");
            }
        }
        if (parameterization == Parameterization.CHEN2021) {
            checkChen2021(hidden, outputDim, activations, bias);
        }
        long p = 0;
        int[] w = widthsOf(inputDim, hidden, outputDim);
        for (int l = 0; l + 1 < w.length; l++) {
            p += (long) w[l] * w[l + 1] + (bias ? w[l + 1] : 0);
        }
        if (p > MAX_PARAMETERS) {
            throw new InputError("network with " + p + " parameters exceeds the limit of " + MAX_PARAMETERS
                    + "; use smaller widths");
        }
        trainable.validate(hidden.length + 1);
    }

    /** A standard-parameterized ReLU net with biases, all layers trained. */
    public static NetworkSpec standard(int inputDim, int[] hidden, int outputDim, Activation activation) {
        return new NetworkSpec(inputDim, hidden, outputDim, List.of(activation), Parameterization.STANDARD, 1.0, 0.0, true,
                TrainableLayers.ALL);
    }

    /** The NTK parameterization with σ_w, σ_b. */
    public static NetworkSpec ntk(int inputDim, int[] hidden, int outputDim, Activation activation, double sigmaW,
            double sigmaB, boolean bias) {
        return new NetworkSpec(inputDim, hidden, outputDim, List.of(activation), Parameterization.NTK, sigmaW, sigmaB, bias,
                TrainableLayers.ALL);
    }

    /** Du et al. (2019): m hidden units, first layer trained, output layer ±1 fixed. */
    public static NetworkSpec du2019(int inputDim, int width, Activation activation) {
        return new NetworkSpec(inputDim, new int[] {width}, 1, List.of(activation), Parameterization.DU2019, 1.0, 0.0, false,
                TrainableLayers.FIRST);
    }

    /**
     * Chen, Cao, Zou &amp; Gu (ICLR 2021): depth L (weight matrices W_1..W_L, so L − 1 hidden layers), every hidden
     * width m, ReLU, no biases, one output, all layers trained.
     */
    public static NetworkSpec chen2021(int inputDim, int width, int depth) {
        if (depth < 2) {
            throw new InputError("the chen2021 preset needs depth L >= 2 (weight matrices W_1..W_L), got " + depth);
        }
        int[] hidden = new int[depth - 1];
        Arrays.fill(hidden, width);
        return new NetworkSpec(inputDim, hidden, 1, List.of(Activations.RELU), Parameterization.CHEN2021, 1.0, 0.0, false,
                TrainableLayers.ALL);
    }

    /** Their model has every hidden width m (W_l ∈ R^{m×m}), ReLU, one output and no biases (Section 3). */
    private static void checkChen2021(int[] hidden, int outputDim, List<Activation> activations, boolean bias) {
        if (hidden.length < 1 || Arrays.stream(hidden).anyMatch(h -> h != hidden[0])) {
            throw new InputError("the chen2021 preset has every hidden width equal to m (W_l is m x m): got "
                    + Arrays.toString(hidden) + "; write e.g. --hidden 256,256");
        }
        if (outputDim != 1) {
            throw new InputError("the chen2021 preset has one output (binary labels +-1, logistic loss), got "
                    + outputDim);
        }
        if (!activations.stream().allMatch(Activations.RELU::equals)) {
            throw new InputError("the chen2021 preset is a ReLU network (init variance 2/m is ReLU's); use --activation relu");
        }
        if (bias) {
            throw new InputError("the chen2021 preset has no biases; add --no-bias");
        }
    }

    public NetworkSpec withTrainable(TrainableLayers t) {
        return new NetworkSpec(inputDim, hidden, outputDim, activations, parameterization, sigmaW, sigmaB, bias, t);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    public int layers() {
        return hidden.length + 1;
    }

    /** [d, m_1, …, m_L, k]. */
    public int[] widths() {
        return widthsOf(inputDim, hidden, outputDim);
    }

    private static int[] widthsOf(int d, int[] hidden, int k) {
        int[] w = new int[hidden.length + 2];
        w[0] = d;
        System.arraycopy(hidden, 0, w, 1, hidden.length);
        w[w.length - 1] = k;
        return w;
    }

    /** The activation after hidden layer l. */
    public Activation activation(int l) {
        return activations.get(l);
    }

    /** "relu" when all hidden layers share it, else "relu,tanh" (the --activation spelling). */
    public String activationName() {
        if (activations.isEmpty()) {
            return "linear";
        }
        boolean same = activations.stream().allMatch(a -> a.equals(activations.get(0)));
        return same ? activations.get(0).name()
                : String.join(",", activations.stream().map(Activation::name).toList());
    }

    /** Parses "relu" or "relu,tanh" (one per hidden layer). */
    public static List<Activation> parseActivations(String spec) {
        return java.util.Arrays.stream(spec.split(",")).map(Activation::parse).toList();
    }

    public BitSet trainableSet() {
        return trainable.resolve(layers());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkSpec s && s.inputDim == inputDim && Arrays.equals(s.hidden, hidden)
                && s.outputDim == outputDim && s.activations.equals(activations) && s.parameterization == parameterization
                && s.sigmaW == sigmaW && s.sigmaB == sigmaB && s.bias == bias && s.trainable.equals(trainable);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hidden) * 31 + inputDim * 17 + outputDim;
    }

    @Override
    public String toString() {
        return "NetworkSpec[d=" + inputDim + ", hidden=" + Arrays.toString(hidden) + ", k=" + outputDim + ", "
                + activationName() + ", " + parameterization.cliName() + (parameterization == Parameterization.NTK
                        ? " (sigma_w=" + sigmaW + ", sigma_b=" + sigmaB + ")" : "")
                + (bias ? ", bias" : ", no bias") + ", train " + trainable + "]";
    }
}
