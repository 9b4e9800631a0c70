package org.overparam.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.overparam.InputError;
import org.overparam.io.NdArray;
import org.overparam.io.Npz;
import org.overparam.io.Safetensors;
import org.overparam.linalg.Matrix;

/**
 * PyTorch state dicts of {@code --arch} networks: an nn.Sequential of the same layers, in order, whose Conv2d weights
 * are (out, in, kh, kw) and Linear weights (out, in). A residual block {@code res:C[...]} is a module holding its
 * branch as an nn.Sequential named {@code branch} (forward x + C·branch(x)), so its layers' keys are
 * {@code <i>.branch.<j>.weight}; {@code gap} is {@code nn.AdaptiveAvgPool2d(1), nn.Flatten()} (two modules), {@code avgpool:K}
 * {@code nn.AvgPool2d(K)}, {@code flatten} {@code nn.Flatten()}. Reading orders the keys by the numbers in their prefixes (as for fully connected
 * models) and matches them to the architecture's layers with parameters one by one, checking every shape.
 * The file holds the effective weights (s·W, β·b); the network's variables are W and b in its parameterization.
 */
public final class ArchStateDict {
    private ArchStateDict() {
    }

    /** The network of {@code spec} holding the weights of the state dict in {@code file} (.npz or .safetensors). */
    public static LayerNet read(LayerNet.Spec spec, Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new InputError(file + ": no such model file; check the path given to --model/--init-model");
        }
        Map<String, NdArray> arrays;
        if (name.endsWith(".npz")) {
            arrays = Npz.read(file);
        } else if (name.endsWith(".safetensors")) {
            arrays = Safetensors.read(file).tensors();
        } else {
            throw new InputError(file + ": unknown model format; use a .npz or .safetensors state dict");
        }
        return fromStateDict(spec, arrays, file.toString());
    }

    public static LayerNet fromStateDict(LayerNet.Spec spec, Map<String, NdArray> arrays, String source) {
        Map<String, String[]> layers = new LinkedHashMap<>();
        for (String key : arrays.keySet()) {
            int dot = key.lastIndexOf('.');
            String suffix = dot < 0 ? key : key.substring(dot + 1);
            if (!suffix.equals("weight") && !suffix.equals("bias")) {
                throw new InputError(source + ": key '" + key + "' is not a layer's weight or bias; --arch models are "
                        + "nn.Sequential state dicts of Conv2d and Linear layers");
            }
            layers.computeIfAbsent(dot < 0 ? "" : key.substring(0, dot), p -> new String[2])[suffix.equals("weight")
                    ? 0 : 1] = key;
        }
        List<String> prefixes = new ArrayList<>(layers.keySet());
        prefixes.sort(Comparator.comparing(ModelFile::numbers, ModelFile::compareNumbers));
        // the biases the file has decide the network's (all layers or none: --bias is one switch)
        boolean anyBias = layers.values().stream().anyMatch(s -> s[1] != null);
        boolean allBias = layers.values().stream().allMatch(s -> s[1] != null);
        if (anyBias && !allBias) {
            throw new InputError(source + ": some layers have a bias and some do not; --arch networks have biases on "
                    + "every layer with parameters or on none");
        }
        LayerNet.Spec withBias = new LayerNet.Spec(spec.arch(), spec.input(), spec.parameterization(), spec.sigmaW(),
                spec.sigmaB(), allBias);
        LayerNet net = LayerNet.initialize(withBias, 0);
        try {
            if (prefixes.size() != net.layers()) {
                throw new InputError(source + ": the state dict has " + prefixes.size() + " layers with parameters but "
                        + "--arch " + spec.arch() + " has " + net.layers());
            }
            double[] flat = new double[(int) net.parameterCount()];
            for (int l = 0; l < net.layers(); l++) {
                String[] slot = layers.get(prefixes.get(l));
                if (slot[0] == null) {
                    throw new InputError(source + ": layer '" + prefixes.get(l) + "' has a bias but no weight");
                }
                NdArray w = arrays.get(slot[0]);
                int[] want = net.weightShape(l);
                if (!Arrays.equals(w.shape(), want)) {
                    throw new InputError(source + ": '" + slot[0] + "' has shape " + Arrays.toString(w.shape())
                            + " but layer " + (l + 1) + " of --arch " + spec.arch() + " on " + spec.input() + " needs "
                            + Arrays.toString(want));
                }
                int at = (int) net.layerOffset(l);
                at = unscale(w.data(), net.weightScale(l), flat, at, source, slot[0]);
                if (slot[1] != null) {
                    NdArray b = arrays.get(slot[1]);
                    if (b.shape().length != 1 || b.shape()[0] != want[0]) {
                        throw new InputError(source + ": '" + slot[1] + "' has shape " + Arrays.toString(b.shape())
                                + " but the layer has " + want[0] + " outputs");
                    }
                    unscale(b.data(), net.biasScale(l), flat, at, source, slot[1]);
                }
            }
            net.parameters().copyFrom(flat);
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** Writes values / scale into flat from {@code at}; returns the next offset. */
    private static int unscale(double[] values, double scale, double[] flat, int at, String source, String key) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new InputError(source + ": '" + key + "' holds a non-finite value (" + v + ")");
            }
            if (scale == 0.0 && v != 0.0) {
                throw new InputError(source + ": '" + key + "' is non-zero but this parameterization scales it by 0; "
                        + "use --parameterization standard or give --sigma-b > 0");
            }
            flat[at++] = scale == 0.0 ? 0.0 : v / scale;
        }
        return at;
    }

    /** The state dict of a network (effective weights s·W, β·b) under nn.Sequential keys. */
    public static Map<String, NdArray> stateDict(LayerNet net) {
        List<String> keys = prefixes(net.spec().arch(), "");
        Map<String, NdArray> out = new LinkedHashMap<>();
        Matrix p = net.parameters();
        for (int l = 0; l < net.layers(); l++) {
            int[] shape = net.weightShape(l);
            int w = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            long at = net.layerOffset(l);
            double[] wv = new double[w];
            for (int i = 0; i < w; i++) {
                wv[i] = net.weightScale(l) * p.at(at + i);
            }
            out.put(keys.get(l) + ".weight", NdArray.of(wv, shape));
            if (net.hasBias(l)) {
                double[] bv = new double[shape[0]];
                for (int i = 0; i < bv.length; i++) {
                    bv[i] = net.biasScale(l) * p.at(at + w + i);
                }
                out.put(keys.get(l) + ".bias", NdArray.of(bv, shape[0]));
            }
        }
        return out;
    }

    public static void write(LayerNet net, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".npz")) {
            Npz.write(stateDict(net), file);
        } else if (name.endsWith(".safetensors")) {
            Safetensors.write(stateDict(net), Map.of("format", "pt"), file);
        } else {
            throw new InputError(file + ": unknown model format; save to a .npz or .safetensors file");
        }
    }

    /** The key prefixes of the layers with parameters: their index in the Sequential, branches as i.branch.j. */
    static List<String> prefixes(Arch arch, String prefix) {
        List<String> out = new ArrayList<>();
        int i = 0; // the module index in the nn.Sequential
        for (Arch.Layer l : arch.layers()) {
            if (l instanceof Arch.Conv || l instanceof Arch.Dense) {
                out.add(prefix + i);
            } else if (l instanceof Arch.Residual r) {
                out.addAll(prefixes(r.branch(), prefix + i + ".branch."));
            }
            // gap is two modules in PyTorch: nn.AdaptiveAvgPool2d(1), nn.Flatten()
            i += l instanceof Arch.GlobalAvgPool ? 2 : 1;
        }
        return out;
    }
}
