package org.overparam.kernel;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.overparam.InputError;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Activations;
import org.overparam.nn.Arch;
import org.overparam.nn.LayerNet;
import org.overparam.nn.Parameterization;
import org.overparam.nn.Shape;

/**
 * The analytic NNGP/NTK of convolutional and residual nets: against the fully connected kernel on dense-only
 * architectures, against an independent recursion written here (every pixel pair on explicitly zero-padded arrays,
 * ReLU's arc-cosine formulas inline), and against Monte-Carlo: the output covariance of many random finite CNNs
 * (NNGP) and the empirical NTK of wide ones, whose error falls like 1/√channels.
 */
class ConvKernelTest {
    private static Matrix random(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Matrix m = Matrix.zeros(rows, cols);
        for (long i = 0; i < m.size(); i++) {
            m.setAt(i, r.nextGaussian());
        }
        return m;
    }

    @Test
    void denseOnlyEqualsTheFullyConnectedKernel() {
        try (Matrix x = random(6, 5, 1);
                Kernel a = new ConvKernel(Arch.parse("dense:9,tanh,dense:9,relu,dense:1"), Shape.flat(5), 1.4, 0.3)
                        .compute(x);
                Kernel b = new InfiniteWidthKernel(2, List.of(Activations.TANH, Activations.RELU), 1.4, 0.3).compute(x)) {
            assertTrue(a.nngp().maxAbsDiff(b.nngp()) < 1e-10 * b.nngp().frobenius(), "nngp");
            assertTrue(a.ntk().maxAbsDiff(b.ntk()) < 1e-10 * b.ntk().frobenius(), "ntk");
        }
    }

    // ---- an independent recursion: 4-d covariances cov[i][j][p][q] over explicit padded arrays, relu inline

    private static double[][] reluMaps(double k11, double k22, double k12) {
        double norm = Math.sqrt(k11 * k22);
        if (norm == 0) {
            return new double[][] {{0}, {0}};
        }
        double c = Math.max(-1, Math.min(1, k12 / norm));
        double th = Math.acos(c);
        // Cho & Saul 2009: E[relu relu] = norm (sin θ + (π − θ) cos θ)/(2π); E[step step] = (π − θ)/(2π)
        return new double[][] {{norm * (Math.sin(th) + (Math.PI - th) * c) / (2 * Math.PI)}, {(Math.PI - th) / (2 * Math.PI)}};
    }

    /** conv:C:3 (same),relu,conv:C:3 (same),relu,avgpool:2,flatten,dense:1 on (ch, 4, 4) inputs. */
    private static double[] reference(double[] a, double[] b, int ch, double sw, double sb) {
        int h = 4;
        int hw = h * h;
        double[][][] k = new double[3][][]; // pair kinds: (a,a), (b,b), (a,b)
        double[][][] t = new double[3][hw][hw];
        double[][] in = {a, b};
        int[][] pairs = {{0, 0}, {1, 1}, {0, 1}};
        for (int z = 0; z < 3; z++) {
            k[z] = new double[hw][hw];
            for (int p = 0; p < hw; p++) {
                for (int q = 0; q < hw; q++) {
                    for (int c = 0; c < ch; c++) {
                        k[z][p][q] += in[pairs[z][0]][c * hw + p] * in[pairs[z][1]][c * hw + q] / ch;
                    }
                }
            }
        }
        for (int layer = 0; layer < 2; layer++) {
            // conv 3x3 same: pad to 6x6 with zeros, average the 9 shifted pairs
            for (int z = 0; z < 3; z++) {
                double[][][][] padK = new double[h + 2][h + 2][h + 2][h + 2];
                double[][][][] padT = new double[h + 2][h + 2][h + 2][h + 2];
                for (int p = 0; p < hw; p++) {
                    for (int q = 0; q < hw; q++) {
                        padK[p / h + 1][p % h + 1][q / h + 1][q % h + 1] = k[z][p][q];
                        padT[p / h + 1][p % h + 1][q / h + 1][q % h + 1] = t[z][p][q];
                    }
                }
                for (int p = 0; p < hw; p++) {
                    for (int q = 0; q < hw; q++) {
                        double sk = 0;
                        double st = 0;
                        for (int dy = 0; dy < 3; dy++) {
                            for (int dx = 0; dx < 3; dx++) {
                                sk += padK[p / h + dy][p % h + dx][q / h + dy][q % h + dx];
                                st += padT[p / h + dy][p % h + dx][q / h + dy][q % h + dx];
                            }
                        }
                        k[z][p][q] = sw * sw * sk / 9 + sb * sb;
                        t[z][p][q] = k[z][p][q] + sw * sw * st / 9;
                    }
                }
            }
            // relu, reading the variances of the (a,a) and (b,b) pairs before they change
            double[][] va = new double[3][];
            double[][] vb = new double[3][];
            double[] da = new double[hw];
            double[] db = new double[hw];
            for (int p = 0; p < hw; p++) {
                da[p] = k[0][p][p];
                db[p] = k[1][p][p];
            }
            va[0] = da;
            vb[0] = da;
            va[1] = db;
            vb[1] = db;
            va[2] = da;
            vb[2] = db;
            for (int z = 0; z < 3; z++) {
                for (int p = 0; p < hw; p++) {
                    for (int q = 0; q < hw; q++) {
                        double[][] m = reluMaps(va[z][p], vb[z][q], k[z][p][q]);
                        k[z][p][q] = m[0][0];
                        t[z][p][q] *= m[1][0];
                    }
                }
            }
        }
        // avgpool 2 then flatten then dense: mean over output pixels P of the window averages (P, P)
        double sk = 0;
        double st = 0;
        for (int py = 0; py < 2; py++) {
            for (int px = 0; px < 2; px++) {
                for (int a1 = 0; a1 < 4; a1++) {
                    for (int b1 = 0; b1 < 4; b1++) {
                        int p = (2 * py + a1 / 2) * h + 2 * px + a1 % 2;
                        int q = (2 * py + b1 / 2) * h + 2 * px + b1 % 2;
                        sk += k[2][p][q] / 16;
                        st += t[2][p][q] / 16;
                    }
                }
            }
        }
        double nngp = sw * sw * sk / 4 + sb * sb;
        return new double[] {nngp, nngp + sw * sw * st / 4};
    }

    @Test
    void matchesAnIndependentRecursion() {
        int ch = 2;
        try (Matrix x = random(3, ch * 16, 7);
                Kernel kern = new ConvKernel(Arch.parse("conv:5:3,relu,conv:5:3,relu,avgpool:2,flatten,dense:1"),
                        Shape.image(ch, 4, 4), 1.5, 0.2).compute(x)) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double[] ref = reference(x.row(i), x.row(j), ch, 1.5, 0.2);
                    assertTrue(Math.abs(ref[0] - kern.nngp().get(i, j)) < 1e-12 * Math.abs(ref[0]), "nngp " + i + j);
                    assertTrue(Math.abs(ref[1] - kern.ntk().get(i, j)) < 1e-12 * Math.abs(ref[1]), "ntk " + i + j);
                }
            }
        }
    }

    /** The output covariance of random finite nets, averaged over many seeds, is the NNGP (within 4 standard errors). */
    @ParameterizedTest
    @ValueSource(strings = {"conv:32:3,relu,res[conv:32:3,tanh,conv:32:3],gap,dense:1",
        "conv:32:3:s2,relu,conv:32:2:valid,gelu,flatten,dense:1"})
    void nngpIsTheCovarianceOfRandomNets(String arch) {
        Shape in = Shape.image(2, 5, 5);
        int seeds = 1500;
        try (Matrix x = random(2, in.size(), 3); Kernel k = new ConvKernel(Arch.parse(arch), in, 1.3, 0.2).compute(x)) {
            double[][] sum = new double[2][2];
            double[][] sq = new double[2][2];
            LayerNet.Spec spec = new LayerNet.Spec(Arch.parse(arch), in, Parameterization.NTK, 1.3, 0.2, true);
            for (int s = 0; s < seeds; s++) {
                try (LayerNet net = LayerNet.initialize(spec, s); Matrix f = net.predict(x)) {
                    for (int i = 0; i < 2; i++) {
                        for (int j = 0; j < 2; j++) {
                            double v = f.get(i, 0) * f.get(j, 0);
                            sum[i][j] += v;
                            sq[i][j] += v * v;
                        }
                    }
                }
            }
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    double mean = sum[i][j] / seeds;
                    double se = Math.sqrt((sq[i][j] / seeds - mean * mean) / seeds);
                    double want = k.nngp().get(i, j);
                    // finite width adds O(1/channels) on top of the sampling error
                    assertTrue(Math.abs(mean - want) < 4 * se + 0.05 * Math.abs(k.nngp().get(i, i)),
                            arch + " [" + i + "," + j + "]: MC " + mean + " ± " + se + " vs " + want);
                }
            }
        }
    }

    /** The empirical NTK of wide nets approaches the analytic one, the error falling like 1/√channels. */
    @Test
    void empiricalNtkConvergesLikeOneOverRootChannels() {
        Shape in = Shape.image(1, 5, 5);
        double[] err = new double[2];
        int[] channels = {16, 1024};
        try (Matrix x = random(3, in.size(), 5);
                Kernel k = new ConvKernel(Arch.parse("conv:8:3,relu,res:0.7[conv:8:3,relu,conv:8:3],flatten,dense:1"),
                        in, 1.4, 0.1).compute(x)) {
            for (int c = 0; c < 2; c++) {
                String arch = "conv:C:3,relu,res:0.7[conv:C:3,relu,conv:C:3],flatten,dense:1".replace("C",
                        Integer.toString(channels[c]));
                LayerNet.Spec spec = new LayerNet.Spec(Arch.parse(arch), in, Parameterization.NTK, 1.4, 0.1, true);
                int seeds = 3;
                for (int s = 0; s < seeds; s++) {
                    try (LayerNet net = LayerNet.initialize(spec, 100 + s);
                            Matrix g = ModelNtk.compute(net, x, OutputMode.TRACE)) {
                        Matrix d = g.copy();
                        org.overparam.linalg.Vectors.axpy(-1.0, k.ntk(), d);
                        err[c] += d.frobenius() / k.ntk().frobenius() / seeds;
                        d.close();
                    }
                }
            }
        }
        // 64x more channels: 8x smaller error in theory; at least 3x here (3 seeds each)
        assertTrue(err[1] < err[0] / 3, "errors " + err[0] + " at 16 channels, " + err[1] + " at 1024");
        assertTrue(err[1] < 0.05, "1024 channels within 5%: " + err[1]);
    }

    @Test
    void aBranchEndingInAnActivationIsRefusedWithTheReason() {
        InputError e = assertThrows(InputError.class, () -> new ConvKernel(Arch.parse("conv:4:3,res[conv:4:3,relu],"
                + "flatten,dense:1"), Shape.image(1, 4, 4), 1, 0));
        assertTrue(e.getMessage().contains("correlates with the skip"), e.getMessage());
    }
}
