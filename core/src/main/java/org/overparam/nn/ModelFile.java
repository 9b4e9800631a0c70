package org.overparam.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.overparam.InputError;
import org.overparam.io.NdArray;
import org.overparam.io.Npz;
import org.overparam.io.Safetensors;
import org.overparam.linalg.Matrix;

/**
 * Models as PyTorch-style state dicts in {@code .npz} (what
 * {@code numpy.savez(f, **{k: v.numpy() for k, v in model.state_dict().items()})} writes) or
 * {@code .safetensors}. The Linear layers are taken in the order of the numbers in their key prefixes
 * ({@code 0.weight}, {@code 2.weight}, … of an nn.Sequential, or {@code layers.0.weight}, …); weights have
 * shape (out, in), biases (out,); the forward pass is h_l = σ(W_l·h_{l−1} + b_l) with no activation after
 * the last layer. Files always hold standard-form (effective) weights, float64, C order.
 */
public record ModelFile(List<String> weightKeys, List<String> biasKeys, List<Matrix> weights, List<Matrix> biases) {

    private static final Pattern NUMBER = Pattern.compile("\\d+");

    /** Reads a state dict; the format is chosen by the extension (.npz or .safetensors). */
    public static ModelFile read(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (!Files.isRegularFile(file)) {
            throw new InputError(file + ": no such model file; check the path given to --init-model/--model");
        }
        Map<String, NdArray> arrays;
        if (name.endsWith(".npz")) {
            arrays = Npz.read(file);
        } else if (name.endsWith(".safetensors")) {
            arrays = Safetensors.read(file).tensors();
        } else {
            throw new InputError(file + ": unknown model format; use a .npz or .safetensors state dict");
        }
        return fromStateDict(arrays, file.toString());
    }

    /** Orders and validates the Linear layers of a state dict. */
    public static ModelFile fromStateDict(Map<String, NdArray> arrays, String source) {
        Map<String, String[]> layers = new LinkedHashMap<>(); // prefix → {weightKey, biasKey}
        for (String key : arrays.keySet()) {
            int dot = key.lastIndexOf('.');
            String suffix = dot < 0 ? key : key.substring(dot + 1);
            String prefix = dot < 0 ? "" : key.substring(0, dot);
            if (!suffix.equals("weight") && !suffix.equals("bias")) {
                throw new InputError(source + ": key '" + key + "' is not a Linear layer's weight or bias; only "
                        + "fully connected nn.Sequential state dicts are supported");
            }
            String[] slot = layers.computeIfAbsent(prefix, p -> new String[2]);
            slot[suffix.equals("weight") ? 0 : 1] = key;
        }
        if (layers.isEmpty()) {
            throw new InputError(source + ": the state dict holds no arrays");
        }
        List<String> prefixes = new ArrayList<>(layers.keySet());
        prefixes.sort(Comparator.comparing(ModelFile::numbers, ModelFile::compareNumbers));
        List<String> wk = new ArrayList<>();
        List<String> bk = new ArrayList<>();
        List<Matrix> ws = new ArrayList<>();
        List<Matrix> bs = new ArrayList<>();
        int withBias = 0;
        for (String p : prefixes) {
            String[] slot = layers.get(p);
            if (slot[0] == null) {
                throw new InputError(source + ": layer '" + p + "' has a bias but no weight");
            }
            NdArray w = arrays.get(slot[0]);
            if (w.shape().length != 2) {
                throw new InputError(source + ": '" + slot[0] + "' has shape " + java.util.Arrays.toString(w.shape())
                        + " but a Linear weight is (out, in)");
            }
            int out = w.shape()[0];
            int in = w.shape()[1];
            if (out == 0 || in == 0) {
                throw new InputError(source + ": '" + slot[0] + "' has shape " + java.util.Arrays.toString(w.shape())
                        + "; a Linear layer needs at least one input and one output");
            }
            if (!ws.isEmpty() && ws.get(ws.size() - 1).rows() != in) {
                throw new InputError(source + ": '" + slot[0] + "' takes " + in + " inputs but the previous layer has "
                        + ws.get(ws.size() - 1).rows() + " outputs");
            }
            ws.add(Matrix.of(out, in, w.data()));
            wk.add(slot[0]);
            if (slot[1] != null) {
                NdArray b = arrays.get(slot[1]);
                if (b.shape().length != 1 || b.shape()[0] != out) {
                    throw new InputError(source + ": '" + slot[1] + "' has shape " + java.util.Arrays.toString(b.shape())
                            + " but the layer has " + out + " outputs");
                }
                bs.add(Matrix.of(1, out, b.data()));
                withBias++;
            } else {
                bs.add(null);
            }
            bk.add(slot[1]);
        }
        for (Matrix m : ws) {
            check(m, source);
        }
        for (Matrix m : bs) {
            if (m != null) {
                check(m, source);
            }
        }
        return new ModelFile(wk, bk, ws, bs);
    }

    private static void check(Matrix m, String source) {
        for (long k = 0; k < m.size(); k++) {
            if (!Double.isFinite(m.at(k))) {
                throw new InputError(source + ": the model holds a non-finite value (" + m.at(k) + ")");
            }
        }
    }

    /** The numbers in a key prefix, in order (layer order = numeric order of these lists). */
    static List<Long> numbers(String prefix) {
        List<Long> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(prefix);
        while (m.find()) {
            String g = m.group();
            out.add(g.length() > 18 ? Long.MAX_VALUE : Long.parseLong(g));
        }
        return out;
    }

    static int compareNumbers(List<Long> a, List<Long> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Long.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    public boolean hasBias() {
        return biases.stream().anyMatch(java.util.Objects::nonNull);
    }

    public int inputDim() {
        return weights.get(0).cols();
    }

    public int outputDim() {
        return weights.get(weights.size() - 1).rows();
    }

    public int[] hidden() {
        int[] h = new int[weights.size() - 1];
        for (int l = 0; l < h.length; l++) {
            h[l] = weights.get(l).rows();
        }
        return h;
    }

    /** A standard-parameterized network with these weights and activations (one for all, or one per hidden layer). */
    public Network toNetwork(List<Activation> activations, TrainableLayers trainable) {
        return toNetwork(activations, Parameterization.STANDARD, 1.0, 0.0, trainable);
    }

    /**
     * The network of parameterization {@code p} (with its σ_w, σ_b) whose effective weights are this file's: the
     * same function, with gradients and kernels in p's variables ({@link Network#fromEffective}).
     */
    public Network toNetwork(List<Activation> activations, Parameterization p, double sigmaW, double sigmaB,
            TrainableLayers trainable) {
        NetworkSpec spec = new NetworkSpec(inputDim(), hidden(), outputDim(), activations, p, sigmaW, sigmaB, hasBias(),
                trainable);
        return Network.fromEffective(spec, weights, biases);
    }

    /**
     * Writes a network's effective standard-form weights under {@code keys} (from the file it was loaded
     * from), or under nn.Sequential keys {@code 0.weight, 0.bias, 2.weight, …} when {@code keys} is null.
     */
    public static void write(Network net, Path file, ModelFile keys) throws IOException {
        Map<String, NdArray> out = stateDict(net, keys);
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".npz")) {
            Npz.write(out, file);
        } else if (name.endsWith(".safetensors")) {
            Safetensors.write(out, Map.of("format", "pt"), file);
        } else {
            throw new InputError(file + ": unknown model format; save to a .npz or .safetensors file");
        }
    }

    /** The state dict of a network (effective weights), ordered layer by layer. */
    public static Map<String, NdArray> stateDict(Network net, ModelFile keys) {
        Map<String, NdArray> out = new LinkedHashMap<>();
        List<Matrix> w = net.effectiveWeights();
        List<Matrix> b = net.effectiveBiases();
        for (int l = 0; l < net.layers(); l++) {
            String wk = keys != null ? keys.weightKeys().get(l) : (2 * l) + ".weight";
            out.put(wk, NdArray.of(w.get(l).toArray(), w.get(l).rows(), w.get(l).cols()));
            if (b.get(l) != null) {
                String bk = keys != null && keys.biasKeys().get(l) != null ? keys.biasKeys().get(l) : (2 * l) + ".bias";
                out.put(bk, NdArray.of(b.get(l).toArray(), b.get(l).cols()));
            }
        }
        return out;
    }
}
