package org.overparam.theory;

import org.overparam.data.Synthetic;
import org.overparam.io.NdArray;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.train.Loss;

/**
 * The small setups the checks' presets run on (certify --all): seeded synthetic data and a network, each a few
 * lines, named by what they are. A check's presets name the setup where its hypothesis holds and one where it fails.
 */
public final class PresetSetups {
    private PresetSetups() {
    }


    public static Setup linearLeastSquares(int n, int d, long seed) {
        Matrix x = Matrix.of(n, d, Synthetic.gaussian(n, d, seed).data());
        Matrix y = Matrix.of(n, 1, Synthetic.randomNormalLabels(n, 1, seed).data());
        return new Setup(Network.initialize(NetworkSpec.standard(d, new int[0], 1, Activations.LINEAR), seed), x, y,
                Loss.MSE);
    }

    public static Setup smallNet(String act, int n, int d, int width, long seed) {
        NdArray xs = Synthetic.sphere(n, d, seed);
        Matrix x = Matrix.of(n, d, xs.data());
        Matrix y = Matrix.of(n, 1, Synthetic.randomNormalLabels(n, 1, seed).data());
        return new Setup(Network.initialize(NetworkSpec.standard(d, new int[] {width}, 1,
                org.overparam.nn.Activation.parse(act)), seed), x, y, Loss.MSE);
    }

    public static Setup wideNtk(String act, int n, int d, int width, long seed) {
        Matrix x = Matrix.of(n, d, Synthetic.sphere(n, d, seed).data());
        Matrix y = Matrix.of(n, 1, Synthetic.randomNormalLabels(n, 1, seed).data());
        return new Setup(Network.initialize(NetworkSpec.ntk(d, new int[] {width}, 1,
                org.overparam.nn.Activation.parse(act), 1.0, 0.0, true), seed), x, y, Loss.MSE);
    }

    public static Setup ntkNet(String act, int n, int d, int width, boolean bias, long seed) {
        Matrix x = Matrix.of(n, d, Synthetic.gaussian(n, d, seed).data());
        Matrix y = Matrix.of(n, 1, Synthetic.randomNormalLabels(n, 1, seed).data());
        return new Setup(Network.initialize(NetworkSpec.ntk(d, new int[] {width}, 1,
                org.overparam.nn.Activation.parse(act), 1.0, 0.0, bias), seed), x, y, Loss.MSE);
    }

    public static Setup lastLayerOnly(int n, int d, int width, long seed) {
        Matrix x = Matrix.of(n, d, Synthetic.sphere(n, d, seed).data());
        Matrix y = Matrix.of(n, 1, Synthetic.randomNormalLabels(n, 1, seed).data());
        return new Setup(Network.initialize(NetworkSpec.du2019(d, width, Activations.RELU)
                .withTrainable(org.overparam.nn.TrainableLayers.LAST), seed), x, y, Loss.MSE);
    }

    public static Setup duNet(int n, int d, int width, long seed) {
        Matrix x = Matrix.of(n, d, Synthetic.sphere(n, d, seed).data());
        Matrix y = Matrix.of(n, 1, Synthetic.randomNormalLabels(n, 1, seed).data());
        return new Setup(Network.initialize(NetworkSpec.du2019(d, width, Activations.RELU), seed), x, y, Loss.MSE);
    }

    public static Setup duStructured(int n, int d, int width, long seed) {
        Matrix x = Matrix.of(n, d, Synthetic.sphere(n, d, seed).data());
        Matrix y = Matrix.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            y.set(i, 0, x.get(i, 0) + x.get(i, 1));
        }
        return new Setup(Network.initialize(NetworkSpec.du2019(d, width, Activations.RELU), seed), x, y, Loss.MSE);
    }

    public static Setup duplicateInputs() {
        Matrix x = Matrix.ofRows(new double[][] {{1, 0}, {0, 1}, {1, 0}});
        Matrix y = Matrix.ofRows(new double[][] {{1}, {-1}, {0}});
        return new Setup(Network.initialize(NetworkSpec.du2019(2, 64, Activations.RELU), 1023), x, y, Loss.MSE);
    }

    /** Chen et al.'s setting: ±1 classes with margin 0.3 on the unit sphere (the first 80 of one pool of 280). */
    public static Setup chenMargin(boolean randomLabels) {
        org.overparam.data.Dataset all = Synthetic.twoClassMargin(280, 5, 0.3, 21);
        Matrix x = Matrix.of(80, 5, java.util.Arrays.copyOf(all.x().data(), 80 * 5));
        Matrix y = Matrix.of(80, 1, java.util.Arrays.copyOf(all.y().data(), 80));
        if (randomLabels) {
            java.util.SplittableRandom r = new java.util.SplittableRandom(23);
            for (int i = 0; i < 80; i++) {
                y.set(i, 0, r.nextBoolean() ? 1 : -1);
            }
        }
        return new Setup(Network.initialize(NetworkSpec.chen2021(5, 128, 2), 22), x, y, Loss.LOGISTIC);
    }

    /** The held-out 200 points of {@link #chenMargin}'s pool: inputs and labels. */
    public static Matrix[] chenMarginTest() {
        org.overparam.data.Dataset all = Synthetic.twoClassMargin(280, 5, 0.3, 21);
        double[] x = all.x().data();
        double[] y = all.y().data();
        return new Matrix[] {Matrix.of(200, 5, java.util.Arrays.copyOfRange(x, 80 * 5, 280 * 5)),
            Matrix.of(200, 1, java.util.Arrays.copyOfRange(y, 80, 280))};
    }

    public static Setup crossEntropyNet() {
        int n = 8;
        Matrix x = Matrix.of(n, 4, Synthetic.sphere(n, 4, 5).data());
        Matrix y = Matrix.of(n, 1, Synthetic.randomClassLabels(n, 3, 5).data());
        return new Setup(Network.initialize(NetworkSpec.standard(4, new int[] {16}, 3, Activations.RELU), 5), x, y,
                Loss.CROSS_ENTROPY);
    }
}
