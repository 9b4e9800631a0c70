package org.overparam.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.overparam.linalg.Matrix;

/**
 * Every derivative of {@link LayerNet} against central finite differences, for each layer kind, padding, stride,
 * a residual block and each parameterization: the parameter gradient, the folded gradient step, and the per-sample
 * Jacobian rows the empirical NTK is built from.
 */
class LayerNetDerivativeTest {
    private static Matrix random(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Matrix m = Matrix.zeros(rows, cols);
        for (long k = 0; k < m.size(); k++) {
            m.setAt(k, r.nextGaussian());
        }
        return m;
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "conv:3:3,relu,flatten,dense:2; 2; 5; 5; ntk",
        "conv:4:2,tanh,avgpool:2,flatten,dense:1; 1; 6; 6; standard",
        "conv:3:3:s2,gelu,conv:2:3:valid,softplus,gap,dense:2; 2; 7; 6; ntk",
        "conv:3:3,relu,res[conv:3:3,tanh],res:0.5[conv:3:1,leaky_relu:0.1,conv:3:3],avgpool:2,flatten,dense:2; 2; 6; 6; ntk",
        "conv:3:3,relu,res:0.3[conv:3:3,relu],gap,dense:1; 1; 5; 5; du2019",
        "flatten,dense:5,tanh,res[dense:5,sigmoid],dense:2; 1; 3; 3; standard",
    })
    void gradientAndJacobianMatchFiniteDifferences(String arch, int c, int h, int w, String param) {
        LayerNet.Spec spec = new LayerNet.Spec(Arch.parse(arch), Shape.image(c, h, w), Parameterization.parse(param),
                1.3, 0.2, true);
        int n = 3;
        try (LayerNet net = LayerNet.initialize(spec, 11); Matrix x = random(n, c * h * w, 5);
                Matrix dOut = random(n, net.outputSize(), 6); Matrix grad = net.newParameterVector();
                Model.Pass pass = net.pass(n)) {
            // L(w) = Σ_i dOut_i · h(x_i; w): its gradient is the backward pass of dOut
            java.util.function.ToDoubleFunction<Matrix> loss = wv -> {
                try (Matrix out = net.predict(x)) {
                    double s = 0;
                    for (long k = 0; k < out.size(); k++) {
                        s += out.at(k) * dOut.at(k);
                    }
                    return s;
                }
            };
            pass.forward(x);
            try (Matrix d = dOut.copy()) {
                pass.backward(x, d, grad, 1.0, 0.0);
            }
            SplittableRandom r = new SplittableRandom(3);
            for (int t = 0; t < 12; t++) {
                // single coordinates spread over every layer's block, and one random direction
                long idx = t < 11 ? (long) (r.nextDouble() * net.parameterCount()) : -1;
                try (Matrix v = net.newParameterVector()) {
                    if (idx >= 0) {
                        v.setAt(idx, 1.0);
                    } else {
                        for (long k = 0; k < v.size(); k++) {
                            v.setAt(k, r.nextGaussian());
                        }
                    }
                    double fd = FiniteDifference.directional(net.parameters(), v, 1e-6, loss);
                    double an = org.overparam.linalg.Vectors.dot(grad, v);
                    assertTrue(FiniteDifference.relativeError(fd, an, 1e-6) < 1e-6,
                            arch + ": coordinate " + idx + " fd " + fd + " analytic " + an);
                }
            }
            // the folded step w <- w - η∇L equals the explicit one
            try (LayerNet copy = net.copy(); Model.Pass p2 = copy.pass(n); Matrix d = dOut.copy()) {
                p2.forward(x);
                p2.backward(x, d, copy.parameters(), -0.1, 1.0);
                Matrix expected = net.parameters().copy();
                org.overparam.linalg.Vectors.axpy(-0.1, grad, expected);
                assertTrue(expected.maxAbsDiff(copy.parameters()) < 1e-12, arch + ": folded step");
                expected.close();
            }
            // the Jacobian rows: row i·k + a is ∂h_a(x_i)/∂w; Σ_{i,a} dOut_{ia}·row = the gradient above
            int k = net.outputSize();
            long p = net.parameterCount();
            try (Matrix j = Matrix.zeros(n * k, (int) p)) {
                net.jacobian(x, j);
                for (long q = 0; q < p; q++) {
                    double s = 0;
                    for (int row = 0; row < n * k; row++) {
                        s += j.get(row, (int) q) * dOut.at(row);
                    }
                    assertEquals(grad.at(q), s, 1e-10 * (1 + Math.abs(s)), arch + ": Jacobian column " + q);
                }
                // and one row against finite differences of that output
                try (Matrix v = random((int) p, 1, 9)) {
                    double fd = FiniteDifference.directional(net.parameters(), v, 1e-6, wv -> {
                        try (Matrix out = net.predict(x)) {
                            return out.get(n - 1, k - 1);
                        }
                    });
                    double an = 0;
                    for (long q = 0; q < p; q++) {
                        an += j.get(n * k - 1, (int) q) * v.at(q);
                    }
                    assertTrue(FiniteDifference.relativeError(fd, an, 1e-6) < 1e-6, arch + ": Jacobian row");
                }
            }
        }
    }
}
