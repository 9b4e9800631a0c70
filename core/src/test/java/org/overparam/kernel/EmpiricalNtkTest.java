package org.overparam.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.overparam.InputError;
import org.overparam.io.NdArray;
import org.overparam.io.Npy;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;
import org.overparam.nn.Activation;
import org.overparam.nn.FiniteDifference;
import org.overparam.nn.ModelFile;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.Parameterization;
import org.overparam.nn.TrainableLayers;

/** The structured empirical NTK against JJᵀ from the materialized Jacobian, and against PyTorch. */
class EmpiricalNtkTest {
    static double relErr(Matrix a, Matrix b) {
        Matrix d = a.copy();
        Vectors.axpy(-1.0, b, d);
        return d.frobenius() / b.frobenius();
    }

    static Stream<Arguments> nets() {
        return Stream.of(
                Arguments.of("relu", Parameterization.STANDARD, 1, "all"),
                Arguments.of("tanh", Parameterization.NTK, 1, "all"),
                Arguments.of("gelu", Parameterization.NTK, 3, "all"),
                Arguments.of("relu", Parameterization.STANDARD, 2, "first"),
                Arguments.of("erf", Parameterization.NTK, 2, "last"),
                Arguments.of("softplus", Parameterization.STANDARD, 3, "0,2"),
                Arguments.of("relu", Parameterization.DU2019, 1, "first"),
                Arguments.of("relu", Parameterization.CHEN2021, 1, "all"));
    }

    private static Network net(String act, Parameterization p, int k, String layers) {
        Activation a = Activation.parse(act);
        NetworkSpec spec = p == Parameterization.DU2019 ? NetworkSpec.du2019(4, 12, a)
                : p == Parameterization.CHEN2021 ? NetworkSpec.chen2021(4, 9, 3)
                : new NetworkSpec(4, new int[] {9, 7}, k, List.of(a), p, 1.4, 0.3, true, TrainableLayers.parse(layers));
        return Network.initialize(spec, 17);
    }

    @ParameterizedTest(name = "{0} {1} k={2} layers={3}")
    @MethodSource("nets")
    void structuredGramEqualsJacobianGramInEveryOutputMode(String act, Parameterization p, int k, String layers) {
        Matrix x = gaussian(10, 4, 3);
        try (Network net = net(act, p, k, layers)) {
            Matrix j = Jacobian.compute(net, x, null); // (n·k) × P, rows i·k + a
            Matrix full = Blas.multiply(j, false, j, true);
            // small blocks exercise the block-pair loop and the mirror
            for (int block : new int[] {3, 4, 2048}) {
                Matrix f = EmpiricalNtk.compute(net, x, null, OutputMode.FULL, block);
                assertTrue(relErr(f, full) < 1e-13, "full, block " + block + ": " + relErr(f, full));
                Matrix t = EmpiricalNtk.compute(net, x, null, OutputMode.TRACE, block);
                Matrix b = EmpiricalNtk.compute(net, x, null, OutputMode.BLOCKS, block);
                Matrix traceRef = Matrix.zeros(10, 10);
                for (int a = 0; a < k; a++) {
                    Matrix blockRef = Matrix.zeros(10, 10);
                    for (int i = 0; i < 10; i++) {
                        for (int jj = 0; jj < 10; jj++) {
                            blockRef.set(i, jj, full.get(i * k + a, jj * k + a));
                        }
                    }
                    assertTrue(relErr(b.rowBlock(a * 10, a * 10 + 10), blockRef) < 1e-13);
                    Vectors.axpy(1.0, blockRef, traceRef);
                }
                assertTrue(relErr(t, traceRef) < 1e-13, "trace: " + relErr(t, traceRef));
            }
        }
    }

    @Test
    void jacobianMatchesFiniteDifferencesOfTheOutputs() {
        Matrix x = gaussian(5, 4, 7);
        try (Network net = net("tanh", Parameterization.NTK, 2, "all")) {
            Matrix j = Jacobian.compute(net, x, null);
            Matrix v = gaussian((int) net.parameterCount(), 1, 8);
            Matrix jv = Blas.multiply(j, v); // (n·k) × 1
            Matrix fd = Matrix.zeros(5, 2);
            FiniteDifference.directionalVector(net.parameters(), v, 1e-6, out -> out.copyFrom(net.predict(x)), fd);
            for (int i = 0; i < 10; i++) {
                assertTrue(FiniteDifference.relativeError(jv.at(i), fd.at(i), 1e-8) < 1e-7, "row " + i);
            }
        }
    }

    @Test
    void equalsPyTorchOnTheCommittedFixture() {
        Path dir = Path.of("src/test/resources/fixtures/torch/mlp_relu_tanh");
        ModelFile mf = ModelFile.read(dir.resolve("state.npz"));
        NdArray xs = Npy.read(dir.resolve("X.npy"));
        Matrix x = Matrix.of(xs.shape()[0], xs.shape()[1], xs.data());
        try (Network net = mf.toNetwork(NetworkSpec.parseActivations("relu,tanh"), TrainableLayers.ALL)) {
            NdArray trace = Npy.read(dir.resolve("ntk_trace.npy"));
            NdArray full = Npy.read(dir.resolve("ntk_full.npy"));
            Matrix t = EmpiricalNtk.compute(net, x, null, OutputMode.TRACE);
            Matrix f = EmpiricalNtk.compute(net, x, null, OutputMode.FULL);
            double et = relErr(t, Matrix.of(9, 9, trace.data()));
            double ef = relErr(f, Matrix.of(27, 27, full.data()));
            System.out.println("empirical NTK vs torch: trace rel. Frobenius error " + et + ", full " + ef);
            assertTrue(et < 1e-10 && ef < 1e-10, et + " " + ef);
        }
    }

    @Test
    void layerSubsetsAddUp() {
        Matrix x = gaussian(8, 4, 9);
        try (Network net = net("relu", Parameterization.NTK, 1, "all")) {
            Matrix all = EmpiricalNtk.compute(net, x, null, OutputMode.TRACE);
            Matrix sum = Matrix.zeros(8, 8);
            for (int l = 0; l < 3; l++) {
                BitSet b = new BitSet();
                b.set(l);
                Vectors.axpy(1.0, EmpiricalNtk.compute(net, x, b, OutputMode.TRACE), sum);
            }
            assertTrue(relErr(sum, all) < 1e-13);
            BitSet tooHigh = new BitSet();
            tooHigh.set(5);
            assertThrows(InputError.class, () -> EmpiricalNtk.compute(net, x, tooHigh, OutputMode.TRACE));
            assertThrows(InputError.class, () -> EmpiricalNtk.compute(net, gaussian(3, 5, 1), null, OutputMode.TRACE));
        }
        assertEquals(OutputMode.FULL, OutputMode.parse("full"));
    }

    @Test
    void blockedJacobianGramEqualsStructuredGram() {
        Matrix x = gaussian(12, 4, 21);
        for (Parameterization p : new Parameterization[] {Parameterization.STANDARD, Parameterization.NTK}) {
            try (Network net = net("gelu", p, 2, "all")) {
                Matrix direct = JacobianGram.compute(net, x, EmpiricalNtk.trainableLayers(net), 3);
                Matrix structured = EmpiricalNtk.compute(net, x, null, OutputMode.TRACE);
                assertTrue(relErr(direct, structured) < 1e-13, p + ": " + relErr(direct, structured));
            }
        }
    }
}
