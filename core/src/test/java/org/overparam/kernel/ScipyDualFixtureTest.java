package org.overparam.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activation;

/**
 * One-hidden-layer infinite-width kernels of the smooth activations against scipy's adaptive QUADPACK, computed
 * once by {@code fixtures/scipy/make_dual_fixtures.py} and committed: the inputs of issue 10, x = (4, 0, 0), where
 * 32×32 Gauss–Hermite gave tanh's NTK 1.7450 instead of 1.8708, and x = (10, 0, 0), where it was 69 % off.
 */
class ScipyDualFixtureTest {
    private static final Map<String, double[]> X = Map.of("x1", new double[] {4, 0, 0}, "x2", new double[] {1, 3, 0},
            "x3", new double[] {10, 0, 0});

    @Test
    void oneHiddenLayerKernelsMatchScipy() throws IOException {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/scipy/dual_fixtures.csv")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
        }
        assertEquals(12, lines.size());
        for (String line : lines) {
            String[] f = line.split(",");
            InfiniteWidthKernel k = new InfiniteWidthKernel(1, Activation.parse(f[0]), 1.0, 0.0);
            try (Matrix a = Matrix.of(1, 3, X.get(f[1])); Matrix b = Matrix.of(1, 3, X.get(f[2]));
                    Kernel kk = k.compute(a, b)) {
                double nngp = Double.parseDouble(f[3]);
                double ntk = Double.parseDouble(f[4]);
                assertEquals(nngp, kk.nngp().get(0, 0), 1e-10 * Math.abs(nngp), line);
                assertEquals(ntk, kk.ntk().get(0, 0), 1e-10 * Math.abs(ntk), line);
            }
        }
    }
}
