package org.overparam.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;
import org.overparam.train.Loss;

/**
 * Every gradient and Hessian-vector product against central finite differences, for every activation
 * (except step, whose derivative is 0), both parameterizations and every loss.
 */
class DerivativeTest {
    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        String[] acts = {"relu", "leaky_relu:0.1", "linear", "softplus", "tanh", "erf", "sigmoid", "gelu"};
        for (String a : acts) {
            for (Parameterization p : new Parameterization[] {Parameterization.STANDARD, Parameterization.NTK}) {
                b.add(Arguments.of(a, p, Loss.MSE));
            }
        }
        b.add(Arguments.of("tanh", Parameterization.NTK, Loss.CROSS_ENTROPY));
        b.add(Arguments.of("softplus", Parameterization.STANDARD, Loss.LOGISTIC));
        b.add(Arguments.of("gelu", Parameterization.NTK, Loss.LOGISTIC));
        b.add(Arguments.of("relu", Parameterization.DU2019, Loss.MSE));
        b.add(Arguments.of("relu", Parameterization.CHEN2021, Loss.LOGISTIC));
        return b.build();
    }

    private static Matrix labels(Loss loss, int n, int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Matrix y = Matrix.zeros(n, loss == Loss.MSE ? k : 1);
        for (int i = 0; i < y.size(); i++) {
            y.setAt(i, switch (loss) {
                case MSE -> rng.nextGaussian();
                case LOGISTIC, HINGE -> rng.nextBoolean() ? 1 : -1;
                case CROSS_ENTROPY -> rng.nextInt(k);
            });
        }
        return y;
    }

    private static NetworkSpec spec(String act, Parameterization p, Loss loss) {
        Activation a = Activation.parse(act);
        int k = loss == Loss.CROSS_ENTROPY ? 3 : loss == Loss.MSE ? 2 : 1;
        if (p == Parameterization.DU2019) {
            return new NetworkSpec(4, new int[] {9}, 1, java.util.List.of(a), p, 1, 0, false, TrainableLayers.FIRST);
        }
        if (p == Parameterization.CHEN2021) {
            return NetworkSpec.chen2021(4, 7, 3);
        }
        return new NetworkSpec(4, new int[] {6, 5}, k, java.util.List.of(a, Activation.parse("tanh")), p, 1.3, 0.4, true, TrainableLayers.ALL);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void gradientMatchesCentralDifferences(String act, Parameterization p, Loss loss) {
        NetworkSpec spec = spec(act, p, loss);
        int n = 7;
        Matrix x = gaussian(n, 4, 1);
        Matrix y = labels(loss, n, spec.outputDim(), 2);
        try (Network net = Network.initialize(spec, 3); Workspace ws = net.workspace(n)) {
            Matrix out = net.forward(x, ws);
            Matrix dOut = Matrix.zeros(n, spec.outputDim());
            loss.gradient(out, y, dOut);
            Matrix grad = net.newParameterVector();
            net.backward(x, ws, dOut, grad, 1.0, 0.0);
            for (int trial = 0; trial < 5; trial++) {
                Matrix v = gaussian((int) net.parameterCount(), 1, 10 + trial);
                zeroFrozen(net, v);
                double analytic = Vectors.dot(grad, v);
                double fd = FiniteDifference.directional(net.parameters(), v, 1e-6,
                        w -> loss.value(net.predict(x), y));
                assertTrue(FiniteDifference.relativeError(analytic, fd, 1e-8) < 1e-6,
                        act + " " + p + " " + loss + ": analytic " + analytic + " vs fd " + fd);
            }
            // frozen layers get no gradient
            for (int l = 0; l < net.layers(); l++) {
                if (!net.isTrainable(l)) {
                    assertEquals(0.0, net.weightOf(grad, l).frobenius());
                }
            }
        }
    }

    static void zeroFrozen(Network net, Matrix v) {
        for (int l = 0; l < net.layers(); l++) {
            if (!net.isTrainable(l)) {
                net.weightOf(v, l).fill(0);
                Matrix b = net.biasOf(v, l);
                if (b != null) {
                    b.fill(0);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void hessianVectorMatchesDifferencesOfGradients(String act, Parameterization p, Loss loss) {
        NetworkSpec spec = spec(act, p, loss);
        int n = 6;
        Matrix x = gaussian(n, 4, 5);
        Matrix y = labels(loss, n, spec.outputDim(), 6);
        try (Network net = Network.initialize(spec, 7)) {
            Matrix v = gaussian((int) net.parameterCount(), 1, 8);
            zeroFrozen(net, v);
            Matrix hv = net.newParameterVector();
            HessianVector.apply(net, x, loss.bind(y), v, hv);
            Matrix fd = net.newParameterVector();
            FiniteDifference.directionalVector(net.parameters(), v, 1e-5, g -> gradient(net, x, y, loss, g), fd);
            double err = Vectors.distance(hv, fd) / Math.max(fd.frobenius(), 1e-8);
            // piecewise-linear activations: the FD step may cross a kink with tiny probability; 1e-4 is loose
            // enough for O(ε²) error and tight enough to catch a missing term (which gives O(1) errors).
            assertTrue(err < 1e-5, act + " " + p + " " + loss + ": relative error " + err);
        }
    }

    static void gradient(Network net, Matrix x, Matrix y, Loss loss, Matrix g) {
        try (Workspace ws = net.workspace(x.rows())) {
            Matrix out = net.forward(x, ws);
            Matrix dOut = Matrix.zeros(out.rows(), out.cols());
            loss.gradient(out, y, dOut);
            net.backward(x, ws, dOut, g, 1.0, 0.0);
        }
    }
}
