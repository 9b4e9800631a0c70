package org.overparam.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.overparam.InputError;
import org.overparam.io.NdArray;
import org.overparam.io.Npz;
import org.overparam.io.Safetensors;
import org.overparam.linalg.Matrix;

/**
 * ModelFile round trips (.npz and .safetensors, bit-exact weights and keys; ntk and du2019 networks saved
 * as effective standard-form weights) and its refusal of bad state dicts with one-line InputErrors.
 */
class ModelFileTest {

    @TempDir
    Path tmp;

    static Map<String, NdArray> readRaw(Path file) {
        return file.toString().endsWith(".npz") ? Npz.read(file) : Safetensors.read(file).tensors();
    }

    static void writeRaw(Map<String, NdArray> arrays, Path file) throws IOException {
        if (file.toString().endsWith(".npz")) {
            Npz.write(arrays, file);
        } else {
            Safetensors.write(arrays, Map.of("format", "pt"), file);
        }
    }

    /** max |a − b| / max |b|. */
    static double relativeError(Matrix actual, Matrix expected) {
        return actual.maxAbsDiff(expected) / Math.max(Double.MIN_NORMAL, maxAbs(expected));
    }

    static double maxAbs(Matrix m) {
        double s = 0;
        for (long k = 0; k < m.size(); k++) {
            s = Math.max(s, Math.abs(m.at(k)));
        }
        return s;
    }

    static void assertSameStateDict(Map<String, NdArray> expected, Map<String, NdArray> actual) {
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), "keys and their order");
        for (String k : expected.keySet()) {
            assertArrayEquals(expected.get(k).shape(), actual.get(k).shape(), k + " shape");
            // assertArrayEquals on double[] without a delta compares bit patterns (doubleToLongBits)
            assertArrayEquals(expected.get(k).data(), actual.get(k).data(), k + " values");
        }
    }

    // ---------------------------------------------------------------- round trips

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void torchFixturesRoundTripUnderTheirOwnKeysInBothFormats(String from) throws IOException {
        for (String model : TorchFixtureTest.MODELS) {
            Path src = TorchFixtureTest.DIR.resolve(model).resolve("state." + from);
            Map<String, NdArray> original = readRaw(src);
            ModelFile mf = ModelFile.read(src);
            try (Network net = mf.toNetwork(TorchFixtureTest.activations(model), TrainableLayers.ALL)) {
                for (String to : List.of("npz", "safetensors")) {
                    Path out = tmp.resolve(model + "-from-" + from + "." + to);
                    ModelFile.write(net, out, mf);
                    assertSameStateDict(original, readRaw(out));
                    ModelFile again = ModelFile.read(out);
                    assertEquals(mf.weightKeys(), again.weightKeys(), model);
                    assertEquals(mf.biasKeys(), again.biasKeys(), model);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void initializedNetworkIsWrittenWithSequentialKeys(String format) throws IOException {
        NetworkSpec spec = new NetworkSpec(5, new int[] {7, 6}, 3, List.of(Activations.RELU, Activations.TANH),
                Parameterization.STANDARD, 1.0, 0.0, true, TrainableLayers.ALL);
        try (Network net = Network.initialize(spec, 42)) {
            Path file = tmp.resolve("init." + format);
            ModelFile.write(net, file, null);
            Map<String, NdArray> raw = readRaw(file);
            assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"),
                    new ArrayList<>(raw.keySet()));
            for (int l = 0; l < net.layers(); l++) {
                NdArray w = raw.get((2 * l) + ".weight");
                NdArray b = raw.get((2 * l) + ".bias");
                assertArrayEquals(new int[] {net.widths()[l + 1], net.widths()[l]}, w.shape(), "W" + l + " is (out, in)");
                assertArrayEquals(new int[] {net.widths()[l + 1]}, b.shape(), "b" + l);
                assertArrayEquals(net.weight(l).toArray(), w.data(), "W" + l);
                assertArrayEquals(net.bias(l).toArray(), b.data(), "b" + l);
            }
            ModelFile mf = ModelFile.read(file);
            try (Network back = mf.toNetwork(spec.activations(), TrainableLayers.ALL)) {
                assertEquals(spec, back.spec());
                assertArrayEquals(net.parameters().toArray(), back.parameters().toArray(), "flat parameters");
                // and written again under the keys it was read with: the same file contents
                Path again = tmp.resolve("again." + format);
                ModelFile.write(back, again, mf);
                assertSameStateDict(raw, readRaw(again));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void ntkNetworkReloadsAsStandardWithTheSamePredictions(String format) throws IOException {
        NetworkSpec spec = NetworkSpec.ntk(4, new int[] {9, 8}, 2, Activations.TANH, 1.7, 0.3, true);
        Matrix x = gaussian(11, 4, 5);
        try (Network net = Network.initialize(spec, 7)) {
            Path file = tmp.resolve("ntk." + format);
            ModelFile.write(net, file, null);
            Map<String, NdArray> raw = readRaw(file);
            // the file holds effective weights: (σ_w/√fan_in)·W and σ_b·b
            for (int l = 0; l < net.layers(); l++) {
                double s = 1.7 / Math.sqrt(net.widths()[l]);
                double[] w = net.weight(l).toArray();
                double[] b = net.bias(l).toArray();
                double[] fw = raw.get((2 * l) + ".weight").data();
                double[] fb = raw.get((2 * l) + ".bias").data();
                for (int i = 0; i < w.length; i++) {
                    assertEquals(s * w[i], fw[i], 1e-15 * Math.abs(s * w[i]), "W" + l + "[" + i + "]");
                }
                for (int i = 0; i < b.length; i++) {
                    assertEquals(0.3 * b[i], fb[i], 1e-15 * Math.abs(0.3 * b[i]), "b" + l + "[" + i + "]");
                }
            }
            try (Network back = ModelFile.read(file).toNetwork(List.of(Activations.TANH), TrainableLayers.ALL)) {
                assertEquals(Parameterization.STANDARD, back.spec().parameterization());
                double err = relativeError(back.predict(x), net.predict(x));
                System.out.printf("ntk -> %s -> standard: max rel err %.3e%n", format, err);
                assertTrue(err <= 1e-12, "predictions off by " + err);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void du2019NetworkReloadsAsStandardWithTheSamePredictions(String format) throws IOException {
        NetworkSpec spec = NetworkSpec.du2019(5, 32, Activations.RELU);
        Matrix x = gaussian(13, 5, 9);
        try (Network net = Network.initialize(spec, 8)) {
            Path file = tmp.resolve("du." + format);
            ModelFile.write(net, file, null);
            Map<String, NdArray> raw = readRaw(file);
            assertEquals(List.of("0.weight", "2.weight"), new ArrayList<>(raw.keySet()), "no biases");
            // output layer: a_r/√m with a_r = ±1
            for (double a : raw.get("2.weight").data()) {
                assertEquals(1 / Math.sqrt(32), Math.abs(a), 1e-16);
            }
            ModelFile mf = ModelFile.read(file);
            assertFalse(mf.hasBias());
            assertNull(mf.biasKeys().get(0));
            try (Network back = mf.toNetwork(List.of(Activations.RELU), TrainableLayers.ALL)) {
                double err = relativeError(back.predict(x), net.predict(x));
                System.out.printf("du2019 -> %s -> standard: max rel err %.3e%n", format, err);
                assertTrue(err <= 1e-12, "predictions off by " + err);
            }
        }
    }

    @Test
    void chen2021NetworkReloadsAsStandardWithTheSamePredictions() throws IOException {
        Matrix x = gaussian(11, 5, 19);
        try (Network net = Network.initialize(NetworkSpec.chen2021(5, 16, 3), 18)) {
            Path file = tmp.resolve("chen.npz");
            ModelFile.write(net, file, null);
            // the saved output layer is the effective sqrt(m) W_L
            Map<String, NdArray> raw = readRaw(file);
            assertEquals(Math.sqrt(16) * net.weight(2).get(0, 3), raw.get("4.weight").data()[3], 1e-15);
            try (Network back = ModelFile.read(file).toNetwork(List.of(Activations.RELU), TrainableLayers.ALL)) {
                double err = relativeError(back.predict(x), net.predict(x));
                assertTrue(err <= 1e-12, "predictions off by " + err);
            }
        }
    }

    @Test
    void keysSortByLayerNumberNotAsText() throws IOException {
        Map<String, NdArray> sd = new LinkedHashMap<>();
        int[] widths = {3, 4, 4, 4, 4, 4, 4, 2};
        // layers 0, 2, …, 12 written in text order: "layers.10" sorts before "layers.2" as a string
        List<Integer> idx = new ArrayList<>(List.of(0, 10, 12, 2, 4, 6, 8));
        for (int i : idx) {
            int l = i / 2;
            sd.put("layers." + i + ".weight", NdArray.of(gaussian(widths[l + 1], widths[l], i).toArray(),
                    widths[l + 1], widths[l]));
        }
        Path file = tmp.resolve("deep.npz");
        Npz.write(sd, file);
        ModelFile mf = ModelFile.read(file);
        assertEquals(List.of("layers.0.weight", "layers.2.weight", "layers.4.weight", "layers.6.weight",
                "layers.8.weight", "layers.10.weight", "layers.12.weight"), mf.weightKeys());
        assertArrayEquals(new int[] {4, 4, 4, 4, 4, 4}, mf.hidden());
    }

    // ---------------------------------------------------------------- bad inputs

    /** Asserts an InputError (and no other exception) with a one-line message, and returns the message. */
    static String inputError(Executable e) {
        InputError err = assertThrows(InputError.class, e);
        String m = err.getMessage();
        assertTrue(m != null && !m.isBlank(), "empty message");
        assertFalse(m.contains("\n") || m.contains("\r"), () -> "multi-line message: " + m);
        return m;
    }

    static NdArray arr(int... shape) {
        double[] d = new double[(int) NdArray.product(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = 0.1 * (i + 1);
        }
        return NdArray.of(d, shape);
    }

    /** A valid 4 → 7 → 5 → 2 state dict with biases; tests break one thing in it. */
    static Map<String, NdArray> good() {
        Map<String, NdArray> sd = new LinkedHashMap<>();
        sd.put("0.weight", arr(7, 4));
        sd.put("0.bias", arr(7));
        sd.put("2.weight", arr(5, 7));
        sd.put("2.bias", arr(5));
        sd.put("4.weight", arr(2, 5));
        sd.put("4.bias", arr(2));
        return sd;
    }

    /** Writes sd in the format, reads it back expecting an InputError; returns the message. */
    String refused(Map<String, NdArray> sd, String format) throws IOException {
        Path file = tmp.resolve("bad-" + System.nanoTime() + "." + format);
        writeRaw(sd, file);
        String m = inputError(() -> ModelFile.read(file));
        System.out.println("refused (" + format + "): " + m.replace(tmp.toString(), "<tmp>"));
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void goodStateDictIsAccepted(String format) throws IOException {
        Path file = tmp.resolve("good." + format);
        writeRaw(good(), file);
        ModelFile mf = ModelFile.read(file);
        assertEquals(4, mf.inputDim());
        assertArrayEquals(new int[] {7, 5}, mf.hidden());
        assertEquals(2, mf.outputDim());
        assertTrue(mf.hasBias());
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void missingFile(String format) {
        Path file = tmp.resolve("nope." + format);
        String m = inputError(() -> ModelFile.read(file));
        assertTrue(m.contains("nope." + format), m);
    }

    @Test
    void wrongExtension() throws IOException {
        Path pt = tmp.resolve("model.pt");
        Files.write(pt, Npz.toBytes(good()));
        assertTrue(inputError(() -> ModelFile.read(pt)).contains(".safetensors"));
        Path npy = tmp.resolve("model.npy");
        Files.write(npy, new byte[] {1, 2, 3});
        inputError(() -> ModelFile.read(npy));
        Path none = tmp.resolve("model");
        Files.write(none, new byte[0]);
        inputError(() -> ModelFile.read(none));
        NetworkSpec spec = NetworkSpec.standard(2, new int[] {3}, 1, Activations.RELU);
        try (Network net = Network.initialize(spec, 1)) {
            inputError(() -> ModelFile.write(net, tmp.resolve("out.pt"), null));
        }
        assertFalse(Files.exists(tmp.resolve("out.pt")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void keyThatIsNotWeightOrBias(String format) throws IOException {
        Map<String, NdArray> sd = good();
        sd.put("0.running_mean", arr(7));
        assertTrue(refused(sd, format).contains("0.running_mean"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void weightOfRankOneOrThree(String format) throws IOException {
        Map<String, NdArray> sd = good();
        sd.put("2.weight", arr(35));
        assertTrue(refused(sd, format).contains("2.weight"));
        sd.put("2.weight", arr(5, 7, 1));
        assertTrue(refused(sd, format).contains("2.weight"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void shapeChainMismatch(String format) throws IOException {
        Map<String, NdArray> sd = good();
        sd.put("2.weight", arr(5, 5)); // layer 2 takes 5 inputs, layer 0 has 7 outputs
        String m = refused(sd, format);
        assertTrue(m.contains("2.weight") && m.contains("5") && m.contains("7"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void biasOfTheWrongLength(String format) throws IOException {
        Map<String, NdArray> sd = good();
        sd.put("2.bias", arr(6));
        assertTrue(refused(sd, format).contains("2.bias"));
        sd.put("2.bias", arr(5, 1));
        assertTrue(refused(sd, format).contains("2.bias"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void mixedBiasAndNoBiasLayers(String format) throws IOException {
        // a Linear(bias=False) among biased layers is a valid PyTorch model (it was refused, issue 10)
        Map<String, NdArray> sd = good();
        sd.remove("2.bias");
        Path file = tmp.resolve("mixed." + format);
        writeRaw(sd, file);
        ModelFile mf = ModelFile.read(file);
        try (Network net = mf.toNetwork(List.of(Activation.parse("relu")), TrainableLayers.ALL)) {
            assertTrue(net.bias(0) != null && net.bias(1) == null && net.bias(2) != null);
            Path back = tmp.resolve("back.npz");
            ModelFile.write(net, back, mf);
            assertEquals(new java.util.TreeSet<>(sd.keySet()), new java.util.TreeSet<>(org.overparam.io.Npz.read(back).keySet()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void biasWithoutWeight(String format) throws IOException {
        Map<String, NdArray> sd = good();
        sd.put("6.bias", arr(2));
        assertTrue(refused(sd, format).contains("6"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void nonFiniteValues(String format) throws IOException {
        Map<String, NdArray> sd = good();
        double[] w = arr(5, 7).data();
        w[12] = Double.NaN;
        sd.put("2.weight", NdArray.of(w, 5, 7));
        assertTrue(refused(sd, format).contains("NaN"));
        sd = good();
        double[] b = arr(2).data();
        b[1] = Double.POSITIVE_INFINITY;
        sd.put("4.bias", NdArray.of(b, 2));
        refused(sd, format);
    }

    @Test
    void emptyStateDicts() throws IOException {
        refused(new LinkedHashMap<>(), "npz");
        refused(new LinkedHashMap<>(), "safetensors");
        Path zero = tmp.resolve("zero.npz");
        Files.write(zero, new byte[0]);
        inputError(() -> ModelFile.read(zero));
        Path zeroSt = tmp.resolve("zero.safetensors");
        Files.write(zeroSt, new byte[0]);
        inputError(() -> ModelFile.read(zeroSt));
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void zeroWidthLayer(String format) throws IOException {
        Map<String, NdArray> sd = new LinkedHashMap<>();
        sd.put("0.weight", arr(0, 4));
        sd.put("2.weight", arr(2, 0));
        Path file = tmp.resolve("zero-width." + format);
        writeRaw(sd, file);
        String m = inputError(() -> ModelFile.read(file).toNetwork(List.of(Activations.RELU), TrainableLayers.ALL));
        System.out.println("refused (" + format + "): " + m.replace(tmp.toString(), "<tmp>"));
        assertTrue(m.contains("0.weight"), "the message should name the empty weight: " + m);
    }
}
