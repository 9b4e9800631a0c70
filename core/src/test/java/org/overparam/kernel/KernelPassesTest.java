package org.overparam.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.DualKernel;

/** The all-layer pass against the layer-by-layer passes it replaces: the same doubles, bit for bit. */
class KernelPassesTest {
    private static Kernel input(int n1, int n2, boolean symmetric, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = 7;
        double[][] x1 = new double[n1][d];
        double[][] x2 = symmetric ? x1 : new double[n2][d];
        for (double[][] x : symmetric ? new double[][][] {x1} : new double[][][] {x1, x2}) {
            for (double[] row : x) {
                for (int j = 0; j < d; j++) {
                    row[j] = r.nextGaussian();
                }
            }
        }
        x1[3] = x1[1].clone(); // a parallel pair
        x1[5] = new double[d]; // a zero input (zero variance without bias)
        if (n1 > 520) {
            x1[400] = new double[d]; // and one in a later strip and chunk
            x1[520] = x1[7].clone(); // a parallel pair across strips
        }
        Matrix k = Matrix.zeros(n1, n2);
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < n2; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    s += x1[i][c] * x2[j][c];
                }
                k.set(i, j, 1.7 * s / d);
            }
        }
        double[] d1 = new double[n1];
        for (int i = 0; i < n1; i++) {
            d1[i] = symmetric ? k.get(i, i) : 1.7 * dot(x1[i], x1[i]) / d;
        }
        double[] d2 = symmetric ? d1 : new double[n2];
        if (!symmetric) {
            for (int j = 0; j < n2; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    s += x2[j][c] * x2[j][c];
                }
                d2[j] = 1.7 * s / d;
            }
        }
        return new Kernel(k, k.copy(), d1, d2, symmetric);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int c = 0; c < a.length; c++) {
            s += a[c] * b[c];
        }
        return s;
    }

    private static void check(int n1, int n2, boolean symmetric, DualKernel[] duals, double sw2, double sb2) {
        try (Kernel ref = input(n1, n2, symmetric, 5); Kernel got = input(n1, n2, symmetric, 5)) {
            for (DualKernel dual : duals) {
                KernelPasses.applyUpper(ref, dual, true, sw2, sb2);
            }
            if (symmetric) {
                KernelPasses.mirror(ref);
            }
            KernelPasses.allLayers(got, duals, sw2, sb2);
            assertArrayEquals(ref.nngp().toArray(), got.nngp().toArray(), 0.0);
            assertArrayEquals(ref.ntk().toArray(), got.ntk().toArray(), 0.0);
            assertArrayEquals(ref.diag1(), got.diag1(), 0.0);
            assertArrayEquals(ref.diag2(), got.diag2(), 0.0);
            assertEquals(ref.nngp().frobenius(), got.nngp().frobenius(), 0.0);
            if (symmetric) { // one matrix in place: the same doubles
                for (boolean ntk : new boolean[] {true, false}) {
                    try (Kernel in = input(n1, n2, true, 5)) {
                        in.ntk().fill(Double.NaN); // never read
                        KernelPasses.allLayersInPlace(in.nngp(), 0.0, in.diag1(), ntk, duals, sw2, sb2);
                        assertArrayEquals((ntk ? ref.ntk() : ref.nngp()).toArray(), in.nngp().toArray(), 0.0);
                        assertArrayEquals(ref.diag1(), in.diag1(), 0.0);
                    }
                }
            }
        }
    }

    /** K¹'s bias added as the fused pass reads each entry: the same doubles as a kernel that holds it already. */
    @Test
    void inputBiasIsAddedAsRead() {
        DualKernel relu = Activations.RELU.dual();
        DualKernel[] duals = {relu, relu};
        double bias = 0.3;
        for (boolean symmetric : new boolean[] {true, false}) {
            int n2 = symmetric ? 300 : 280;
            try (Kernel ref = input(300, n2, symmetric, 6); Kernel got = input(300, n2, symmetric, 6)) {
                for (Kernel k : new Kernel[] {ref, got}) {
                    for (int i = 0; i < k.diag1().length; i++) {
                        k.diag1()[i] += bias;
                    }
                    if (!symmetric) {
                        for (int j = 0; j < k.diag2().length; j++) {
                            k.diag2()[j] += bias;
                        }
                    }
                }
                for (int i = 0; i < 300; i++) {
                    for (int j = 0; j < n2; j++) {
                        ref.nngp().set(i, j, ref.nngp().get(i, j) + bias);
                    }
                }
                KernelPasses.allLayers(ref, duals, 1.96, 0.01);
                KernelPasses.allLayers(got, bias, duals, 1.96, 0.01);
                assertArrayEquals(ref.nngp().toArray(), got.nngp().toArray(), 0.0);
                assertArrayEquals(ref.ntk().toArray(), got.ntk().toArray(), 0.0);
            }
        }
    }

    @Test
    void allLayersEqualsLayerByLayerBitForBit() {
        DualKernel relu = Activations.RELU.dual();
        DualKernel erf = Activations.ERF.dual();
        DualKernel step = Activations.STEP.dual();
        // strips of 256 rows by chunks of 256 columns: whole, partial and several of each
        for (int n : new int[] {6, 31, 33, 70, 255, 256, 257, 600}) {
            check(n, n, true, new DualKernel[] {relu, relu, relu}, 1.96, 0.01);
            check(n, n, true, new DualKernel[] {relu, erf, step}, 2.0, 0.0);
            check(n, n, true, new DualKernel[0], 1.5, 0.3);
        }
        check(70, 45, false, new DualKernel[] {relu, relu, relu}, 1.96, 0.01);
        check(33, 129, false, new DualKernel[] {erf, relu}, 2.0, 0.0);
        check(600, 530, false, new DualKernel[] {relu, relu}, 1.96, 0.0);
        check(20, 4100, false, new DualKernel[] {relu, relu, relu}, 1.96, 0.01); // 17 blocks: split in parallel
    }
}
