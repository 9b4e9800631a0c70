package org.overparam.kernel;

import java.util.BitSet;
import org.overparam.InputError;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;
import org.overparam.nn.Network;

/**
 * The empirical neural tangent kernel Θ_ij = Σ_θ ∂h(x_i)/∂θ · ∂h(x_j)/∂θ = (JᵀJ)_ij over the counted
 * layers, computed without materializing J. For layer l with Z_l = s_l·A_{l−1}·W_lᵀ + β_l·b_l, the
 * per-sample gradient of output a is s_l·δ_l^a(x_i) ⊗ A_{l−1}(x_i) for W_l and β_l·δ_l^a(x_i) for b_l,
 * so (Novak et al. 2022, "Fast finite width neural tangent kernel", structured derivatives)
 *
 * <pre>  Θ^{ab} = Σ_l (Δ_l^a Δ_l^bᵀ) ⊙ (s_l²·A_{l−1}A_{l−1}ᵀ + β_l²·11ᵀ)</pre>
 *
 * which costs O(L·n²·m) GEMM flops instead of O(n²·P). Under the ntk parameterization the scale
 * factors enter squared, as here. The n×n products are computed only for block pairs I ≤ J (diagonal
 * blocks by SYRK) and mirrored, and the elementwise product is fused into one pass per block pair.
 */
public final class EmpiricalNtk {
    /** Sample block for the forward/backward passes and for the Gram's block pairs. */
    static final int BLOCK = 2048;

    private EmpiricalNtk() {
    }

    /**
     * The Gram of any network: the factorized computation for a fully connected {@link Network}, the Jacobian
     * contraction of {@link ModelNtk} for an --arch network (every parameter block counts there: {@code layers} must be
     * null or all of them).
     */
    public static Matrix compute(org.overparam.nn.Model net, Matrix x, BitSet layers, OutputMode mode) {
        if (net instanceof Network n) {
            return compute(n, x, layers, mode);
        }
        if (layers != null && layers.cardinality() != net.layers()) {
            throw new InputError("only every layer's kernel is computed for --arch networks");
        }
        return ModelNtk.compute((org.overparam.nn.LayerNet) net, x, mode);
    }

    /** The Gram of {@code x} (n × d) for the counted {@code layers} (all trainable ones when null). */
    public static Matrix compute(Network net, Matrix x, BitSet layers, OutputMode mode) {
        return compute(net, x, layers, mode, BLOCK);
    }

    static Matrix compute(Network net, Matrix x, BitSet layers, OutputMode mode, int block) {
        int n = x.rows();
        int[] w = net.widths();
        int depth = net.layers();
        int k = w[depth];
        if (x.cols() != w[0]) {
            throw new InputError("data has " + x.cols() + " features but the network's input dimension is " + w[0]);
        }
        BitSet counted = layers != null ? layers : trainableLayers(net);
        if (counted.isEmpty()) {
            throw new InputError("no layers are counted in the NTK; choose at least one with --layers");
        }
        if (counted.length() > depth) {
            throw new InputError("--layers names layer " + (counted.length() - 1) + " but the network has layers 0.."
                    + (depth - 1));
        }
        int outDim = mode == OutputMode.FULL ? n * k : n;
        int copies = mode == OutputMode.BLOCKS ? k : 1;
        if ((long) outDim * outDim * copies > Integer.MAX_VALUE - 8L) {
            throw new InputError("the requested NTK would have " + ((long) outDim * outDim * copies)
                    + " entries, more than one array can hold; use fewer samples or --outputs trace");
        }
        LayerFactors f = LayerFactors.compute(net, x, counted, block);
        Matrix[] inputs = f.inputs();
        Matrix[][] signals = f.signals();
        Matrix result = Matrix.zeros(outDim * copies, outDim);
        // one block pair (a single SYRK per factor) while the n×n temporaries stay small, else block pairs
        int gb = block == BLOCK && n <= 8192 ? n : Math.min(n, block);
        try (Matrix g = Matrix.uninitialized(gb, gb); Matrix t = Matrix.uninitialized(gb, gb)) {
            for (int i0 = 0; i0 < n; i0 += gb) {
                int i1 = Math.min(n, i0 + gb);
                for (int j0 = i0; j0 < n; j0 += gb) {
                    int j1 = Math.min(n, j0 + gb);
                    Matrix gv = Matrix.view(g.pointer(), 0, i1 - i0, j1 - j0);
                    Matrix tv = Matrix.view(t.pointer(), 0, i1 - i0, j1 - j0);
                    boolean diagonal = i0 == j0;
                    for (int l = counted.nextSetBit(0); l >= 0; l = counted.nextSetBit(l + 1)) {
                        double s = net.weightScale(l);
                        double beta = net.bias(l) == null ? 0.0 : net.biasScale(l);
                        // G = s²·A_I A_Jᵀ + β²
                        product(inputs[l].rowBlock(i0, i1), inputs[l].rowBlock(j0, j1), s * s, diagonal, gv);
                        if (diagonal && mode == OutputMode.FULL && k > 1) {
                            // cross-output products (a ≠ b) read the whole diagonal block of G
                            org.overparam.linalg.Vectors.symmetrizeFromUpper(gv);
                        }
                        addConstant(gv, beta * beta, diagonal && !(mode == OutputMode.FULL && k > 1));
                        for (int a = 0; a < k; a++) {
                            for (int b = 0; b < k; b++) {
                                if (a != b && mode != OutputMode.FULL) {
                                    continue;
                                }
                                product(signals[a][l].rowBlock(i0, i1), signals[b][l].rowBlock(j0, j1), 1.0,
                                        diagonal && a == b, tv);
                                accumulate(result, mode, n, k, a, b, i0, j0, tv, gv, diagonal && a == b);
                            }
                        }
                    }
                }
            }
        } finally {
            f.close();
        }
        mirror(result, mode, n, k);
        return result;
    }

    static BitSet trainableLayers(Network net) {
        BitSet b = new BitSet();
        for (int l = 0; l < net.layers(); l++) {
            if (net.isTrainable(l)) {
                b.set(l);
            }
        }
        return b;
    }

    /**
     * out = alpha·P·Qᵀ; by SYRK (upper triangle only, half the flops) when P and Q are the same block — the
     * lower triangle is then stale and {@link #accumulate} skips it; the final mirror fills it.
     */
    private static void product(Matrix p, Matrix q, double alpha, boolean same, Matrix out) {
        if (same) {
            Blas.syrkUpper(false, alpha, p, 0.0, out);
        } else {
            Blas.gemm(false, true, alpha, p, q, 0.0, out);
        }
    }

    /** m += c, on the upper triangle only when the lower one is stale (a diagonal block from SYRK). */
    private static void addConstant(Matrix m, double c, boolean upperOnly) {
        if (c == 0) {
            return;
        }
        var b = m.buffer();
        int rows = m.rows();
        int cols = m.cols();
        for (int i = 0; i < rows; i++) {
            for (int j = upperOnly ? i : 0; j < cols; j++) {
                b.put(i * cols + j, b.get(i * cols + j) + c);
            }
        }
    }

    /** result[block (a,b) at (i0, j0)] += T ⊙ G, one fused pass over the block. */
    private static void accumulate(Matrix result, OutputMode mode, int n, int k, int a, int b, int i0, int j0,
            Matrix t, Matrix g, boolean upperOnly) {
        int rows = t.rows();
        int cols = t.cols();
        var tb = t.buffer();
        var gbuf = g.buffer();
        var rb = result.buffer();
        int stride = result.cols();
        Parallel.forRange(rows * cols, cols, (from, to) -> {
            for (int idx = from; idx < to; idx += cols) {
                int i = idx / cols;
                long rowBase;
                int colStep;
                int col0;
                switch (mode) {
                    case TRACE -> {
                        rowBase = (long) (i0 + i) * stride;
                        col0 = j0;
                        colStep = 1;
                    }
                    case BLOCKS -> {
                        rowBase = ((long) a * n + i0 + i) * stride;
                        col0 = j0;
                        colStep = 1;
                    }
                    default -> {
                        rowBase = ((long) (i0 + i) * k + a) * stride;
                        col0 = j0 * k + b;
                        colStep = k;
                    }
                }
                for (int j = upperOnly ? i : 0; j < cols; j++) {
                    int r = (int) (rowBase + col0 + (long) j * colStep);
                    rb.put(r, rb.get(r) + tb.get(idx + j) * gbuf.get(idx + j));
                }
            }
        });
    }

    /** Copies the computed upper triangle to the lower one, in cache-friendly 64×64 tiles. */
    private static void mirror(Matrix result, OutputMode mode, int n, int k) {
        int copies = mode == OutputMode.BLOCKS ? k : 1;
        int dim = result.cols();
        var rb = result.buffer();
        final int tile = 64;
        for (int c = 0; c < copies; c++) {
            long base = (long) c * dim * dim;
            int tiles = (dim + tile - 1) / tile;
            Parallel.forRange(tiles, 1, (fromTile, toTile) -> {
                for (int ti = fromTile; ti < toTile; ti++) {
                    int i0 = ti * tile;
                    int i1 = Math.min(dim, i0 + tile);
                    for (int j0 = i0; j0 < dim; j0 += tile) {
                        int j1 = Math.min(dim, j0 + tile);
                        for (int i = i0; i < i1; i++) {
                            for (int j = Math.max(j0, i + 1); j < j1; j++) {
                                rb.put((int) (base + (long) j * dim + i), rb.get((int) (base + (long) i * dim + j)));
                            }
                        }
                    }
                }
            });
        }
    }
}
