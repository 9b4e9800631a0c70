package org.overparam.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.overparam.io.Json;
import org.overparam.io.NdArray;
import org.overparam.io.Npy;
import org.overparam.io.Npz;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.train.Loss;

/**
 * Convolutional and residual nets against real PyTorch (fixtures/torch/conv, made by make_conv_fixtures.py with
 * Debian's torch 1.13 and functorch): the state dict loads under the same --arch, model(X) matches, the gradient of
 * our mse matches autograd's, the Jacobian's contraction matches functorch's jacrev NTK, and the state dict written
 * back equals the one read.
 */
class ConvTorchFixtureTest {
    static final Path DIR = Path.of("src/test/resources/fixtures/torch/conv");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> manifest(String model) throws Exception {
        Map<String, Object> m = (Map<String, Object>) Json.parse(java.nio.file.Files.readString(DIR.resolve(
                "manifest.json")));
        return (Map<String, Object>) m.get(model);
    }

    @SuppressWarnings("unchecked")
    private static LayerNet.Spec spec(String model, Parameterization p) throws Exception {
        Map<String, Object> m = manifest(model);
        List<Number> in = (List<Number>) m.get("input");
        return new LayerNet.Spec(Arch.parse((String) m.get("arch")), Shape.image(in.get(0).intValue(),
                in.get(1).intValue(), in.get(2).intValue()), p, 1.4, 0.3, true);
    }

    private static Matrix flat(NdArray a) {
        int n = a.shape()[0];
        return Matrix.of(n, a.data().length / n, a.data());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cnn_res_avgpool", "cnn_stride_gap", "cnn_valid_scaled_res"})
    void outputsGradientAndNtkMatchTorch(String model) throws Exception {
        Path d = DIR.resolve(model);
        for (Parameterization p : List.of(Parameterization.STANDARD, Parameterization.NTK)) {
            try (LayerNet net = ArchStateDict.read(spec(model, p), d.resolve("state.npz"));
                    Matrix x = flat(Npy.read(d.resolve("X.npy"))); Matrix y = flat(Npy.read(d.resolve("Y.npy")));
                    Matrix out = net.predict(x)) {
                double[] want = Npy.read(d.resolve("out.npy")).data();
                assertArrayEquals(want, out.toArray(), 1e-12, model + " " + p + ": model(X)");
                if (p != Parameterization.STANDARD) {
                    continue; // gradients and kernels are in the standard variables PyTorch trains
                }
                int n = x.rows();
                int k = net.outputSize();
                try (Matrix grad = net.newParameterVector(); Matrix dOut = Matrix.zeros(n, k);
                        Model.Pass pass = net.pass(n)) {
                    Loss.MSE.gradient(pass.forward(x), y, dOut);
                    pass.backward(x, dOut, grad, 1.0, 0.0);
                    double[] g = Npy.read(d.resolve("grad.npy")).data();
                    double scale = java.util.Arrays.stream(g).map(Math::abs).max().orElse(1);
                    assertArrayEquals(g, grad.toArray(), 1e-10 * scale, model + ": gradient of our mse");
                }
                try (Matrix j = Matrix.zeros(n * k, (int) net.parameterCount());
                        Matrix ntk = Blas.multiply(j, false, j, true)) {
                    net.jacobian(x, j);
                    try (Matrix theta = Blas.multiply(j, false, j, true)) {
                        double[] want2 = Npy.read(d.resolve("ntk.npy")).data();
                        double norm = java.util.Arrays.stream(want2).map(Math::abs).max().orElse(1);
                        assertArrayEquals(want2, theta.toArray(), 1e-10 * norm, model + ": NTK against jacrev");
                    }
                }
                // the state dict written back is the one read, key by key
                Map<String, NdArray> back = ArchStateDict.stateDict(net);
                Map<String, NdArray> orig = Npz.read(d.resolve("state.npz"));
                assertEquals(orig.keySet(), back.keySet(), model);
                for (String key : orig.keySet()) {
                    assertArrayEquals(orig.get(key).shape(), back.get(key).shape(), key);
                    assertArrayEquals(orig.get(key).data(), back.get(key).data(), 1e-15, key);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv:4:3,relu,res[conv:4:3,tanh],avgpool:2,flatten,dense:2",
        "conv:4:5,relu,res[conv:4:3,tanh],avgpool:2,flatten,dense:3", "conv:4:3,relu,flatten,dense:3"})
    void aStateDictForAnotherArchitectureIsAClearError(String arch) {
        LayerNet.Spec s = new LayerNet.Spec(Arch.parse(arch), Shape.image(2, 6, 6), Parameterization.STANDARD, 1, 0,
                true);
        org.overparam.InputError e = org.junit.jupiter.api.Assertions.assertThrows(org.overparam.InputError.class,
                () -> ArchStateDict.read(s, DIR.resolve("cnn_res_avgpool/state.npz")));
        assertTrue(e.getMessage().contains("needs") || e.getMessage().contains("layers with parameters"),
                e.getMessage());
    }
}
