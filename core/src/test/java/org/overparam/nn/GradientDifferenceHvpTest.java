package org.overparam.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.overparam.linalg.Matrix;
import org.overparam.train.Loss;

/**
 * The Hessian-vector product by differences of exact gradients (used on --arch nets) against Pearlmutter's exact
 * R-operator on the same function: a dense-only --arch net holding a fully connected net's weights.
 */
class GradientDifferenceHvpTest {
    @Test
    void agreesWithTheROperator() {
        SplittableRandom r = new SplittableRandom(1);
        NetworkSpec fc = NetworkSpec.ntk(4, new int[] {7, 5}, 2, Activations.TANH, 1.2, 0.3, true);
        LayerNet.Spec spec = new LayerNet.Spec(Arch.parse("dense:7,tanh,dense:5,tanh,dense:2"), Shape.flat(4),
                Parameterization.NTK, 1.2, 0.3, true);
        try (Network dense = Network.initialize(fc, 3);
                LayerNet net = LayerNet.withParameters(spec, dense.parameters().toArray());
                Matrix x = Matrix.zeros(6, 4); Matrix y = Matrix.zeros(6, 2); Matrix v = dense.newParameterVector();
                Matrix exact = dense.newParameterVector(); Matrix diff = net.newParameterVector()) {
            for (long i = 0; i < x.size(); i++) {
                x.setAt(i, r.nextGaussian());
            }
            for (long i = 0; i < y.size(); i++) {
                y.setAt(i, r.nextGaussian());
            }
            for (long i = 0; i < v.size(); i++) {
                v.setAt(i, r.nextGaussian());
            }
            OutputCurvature c = Loss.MSE.bind(y);
            HessianVector.apply(dense, x, c, v, exact);
            double[] before = net.parameters().toArray();
            HessianVector.byGradientDifferences(net, x, c, v, diff);
            assertTrue(java.util.Arrays.equals(before, net.parameters().toArray()), "weights restored exactly");
            double err = exact.maxAbsDiff(diff) / org.overparam.linalg.Vectors.norm2(exact);
            assertTrue(err < 1e-8, "relative error " + err);
        }
    }
}
