package org.overparam.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Arch;
import org.overparam.nn.LayerNet;
import org.overparam.nn.Network;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.Parameterization;
import org.overparam.nn.Shape;
import org.overparam.nn.Activations;

/**
 * The blocked Jacobian contraction: the same Gram whatever the block size (blocks recomputed and mirrored), every
 * output mode reduced from the full one, and for a dense-only --arch net the factorized NTK of the fully connected
 * {@link Network} with the same weights (two independent computations).
 */
class ModelNtkTest {
    private static Matrix random(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Matrix m = Matrix.zeros(rows, cols);
        for (long i = 0; i < m.size(); i++) {
            m.setAt(i, r.nextGaussian());
        }
        return m;
    }

    @Test
    void blockedEqualsWholeAndModesAgree() {
        LayerNet.Spec spec = new LayerNet.Spec(Arch.parse("conv:3:3,relu,res[conv:3:3,tanh],avgpool:2,flatten,dense:2"),
                Shape.image(2, 4, 4), Parameterization.NTK, 1.2, 0.1, true);
        try (LayerNet net = LayerNet.initialize(spec, 3); Matrix x = random(7, 32, 4)) {
            long p = net.parameterCount();
            try (Matrix whole = ModelNtk.compute(net, x, OutputMode.FULL);
                    Matrix blocked = ModelNtk.compute(net, x, OutputMode.FULL, 2L * 2 * 2 * p + 1);
                    Matrix trace = ModelNtk.compute(net, x, OutputMode.TRACE);
                    Matrix blocks = ModelNtk.compute(net, x, OutputMode.BLOCKS)) {
                assertTrue(whole.maxAbsDiff(blocked) < 1e-12 * whole.frobenius(), "blocks of 2 samples");
                for (int i = 0; i < 7; i++) {
                    for (int j = 0; j < 7; j++) {
                        double t = whole.get(2 * i, 2 * j) + whole.get(2 * i + 1, 2 * j + 1);
                        assertTrue(Math.abs(t - trace.get(i, j)) < 1e-12 * (1 + Math.abs(t)));
                        assertTrue(Math.abs(whole.get(2 * i + 1, 2 * j + 1) - blocks.get(7 + i, j)) < 1e-12
                                * (1 + Math.abs(t)));
                    }
                }
            }
        }
    }

    @Test
    void denseArchEqualsTheFactorizedNtkOfTheSameNetwork() {
        NetworkSpec fc = NetworkSpec.ntk(5, new int[] {6, 4}, 2, Activations.TANH, 1.3, 0.2, true);
        LayerNet.Spec spec = new LayerNet.Spec(Arch.parse("dense:6,tanh,dense:4,tanh,dense:2"), Shape.flat(5),
                Parameterization.NTK, 1.3, 0.2, true);
        try (Network dense = Network.initialize(fc, 5);
                LayerNet net = LayerNet.withParameters(spec, dense.parameters().toArray()); Matrix x = random(6, 5, 6);
                Matrix a = ModelNtk.compute(net, x, OutputMode.FULL);
                Matrix b = EmpiricalNtk.compute(dense, x, null, OutputMode.FULL);
                Matrix fa = net.predict(x); Matrix fb = dense.predict(x)) {
            assertTrue(fa.maxAbsDiff(fb) < 1e-13, "same function");
            assertTrue(a.maxAbsDiff(b) < 1e-12 * b.frobenius(), "same kernel: " + a.maxAbsDiff(b));
        }
    }
}
