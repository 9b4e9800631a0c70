package org.overparam.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.overparam.InputError;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;
import org.overparam.nn.Activation;
import org.overparam.nn.DualKernel;
import org.overparam.nn.QuadratureDual;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.Parameterization;

/**
 * The infinite-width NNGP and NTK of a fully connected network under the NTK parameterization, exactly the
 * {@code kernel_fn} of neural-tangents'
 * {@code stax.serial(*[Dense(w, W_std=σ_w, b_std=σ_b), act] * L, Dense(1, W_std=σ_w, b_std=σ_b))}
 * (default {@code parameterization='ntk'}):
 * <ol>
 * <li>K⁰ = X Xᵀ/d, Θ⁰ = 0 ({@code _inputs_to_kernel});</li>
 * <li>each Dense: K ← σ_w²K + σ_b², then Θ ← K + σ_w²Θ with the new K;</li>
 * <li>each activation: K ← E[φ(u)φ(v)], Θ ← E[φ'(u)φ'(v)]·Θ, (u, v) ~ N(0, [[K_ii, K_ij], [K_ij, K_jj]]);</li>
 * <li>L hidden layers mean L + 1 Dense steps (the last is the readout) and L activations.</li>
 * </ol>
 * This is the kernel of {@link org.overparam.nn.Network} with {@link NetworkSpec#ntk} (σ_b = 0 or no bias
 * are the same kernel), per output unit.
 *
 * <p>Cost: one SYRK (upper triangle; GEMM for two inputs) for X Xᵀ, then ONE elementwise pass that runs all
 * L (activation, Dense) layers per entry ({@link KernelPasses#allLayers}: every layer's variances are
 * computed first, O(nL)) and writes the NNGP and NTK once, mirrored strip by strip, in parallel through
 * {@link org.overparam.linalg.Parallel}; {@link #ntk(Matrix)} and {@link #nngp(Matrix)} write only the one
 * wanted, in place in the SYRK's matrix. Relu and leaky relu are evaluated inline, their angles by
 * {@link org.overparam.nn.DualKernels#angles} (staged, vectorized by the JIT). Activations without a closed form
 * ({@link Activation#dual()} null: tanh, softplus, sigmoid, gelu) use {@link QuadratureDual}, 10⁴–10⁵ activation
 * evaluations per entry (accurate to ~1e-11 of the diagonal scale at every input scale).
 */
public final class InfiniteWidthKernel {
    /** The deepest kernel computed (depth 10⁶ allocated 6 GB before failing). */
    public static final int MAX_DEPTH = 10_000;

    private final int depth;
    private final List<Activation> activations;
    private final double sigmaW;
    private final double sigmaB;

    /**
     * @param depth       L, the number of hidden layers (0: a linear model)
     * @param activations one for all hidden layers, or one per hidden layer
     */
    public InfiniteWidthKernel(int depth, List<Activation> activations, double sigmaW, double sigmaB) {
        if (depth < 0 || depth > MAX_DEPTH) {
            throw new InputError("depth must be between 0 and " + MAX_DEPTH + " hidden layers, got " + depth
                    + " (the kernel's per-layer variances take n*depth doubles, and past a few hundred layers the "
                    + "kernel is numerically constant)");
        }
        if (!(sigmaW > 0) || !Double.isFinite(sigmaW) || !(sigmaB >= 0) || !Double.isFinite(sigmaB)) {
            throw new InputError("sigma_w must be positive and sigma_b non-negative, got " + sigmaW + ", " + sigmaB);
        }
        if (activations.size() == 1) {
            activations = Collections.nCopies(depth, activations.get(0));
        } else if (activations.size() != depth) {
            throw new InputError(activations.size() + " activations given for " + depth
                    + " hidden layers; give one for all or one per hidden layer");
        }
        this.depth = depth;
        this.activations = List.copyOf(activations);
        this.sigmaW = sigmaW;
        this.sigmaB = sigmaB;
    }

    public InfiniteWidthKernel(int depth, Activation activation, double sigmaW, double sigmaB) {
        this(depth, List.of(activation), sigmaW, sigmaB);
    }

    /** The kernel of an NTK-parameterized network spec (its widths are ignored: they are taken to infinity). */
    public static InfiniteWidthKernel of(NetworkSpec spec) {
        if (spec.parameterization() != Parameterization.NTK) {
            throw new InputError("the infinite-width kernel is defined here for the ntk parameterization, got "
                    + spec.parameterization().cliName());
        }
        return new InfiniteWidthKernel(spec.layers() - 1, spec.activations(), spec.sigmaW(),
                spec.bias() ? spec.sigmaB() : 0.0);
    }

    public int depth() {
        return depth;
    }

    /** The dual map used for hidden layer l: the closed form, or {@link QuadratureDual}. */
    public DualKernel dual(int l) {
        Activation a = activations.get(l);
        DualKernel d = a.dual();
        return d != null ? d : new QuadratureDual(a);
    }

    /** True when every layer's map is a closed form (no quadrature error). */
    public boolean exact() {
        for (Activation a : activations) {
            if (a.dual() == null) {
                return false;
            }
        }
        return true;
    }

    /** One line per hidden layer naming its map, for provenance. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            out.add("layer " + l + ": " + dual(l).describe());
        }
        return out;
    }

    /** NNGP and NTK of X (n × d) with itself: n × n, symmetric. */
    public Kernel compute(Matrix x) {
        Matrix k = product(x);
        double[] diag = diagonal(k);
        Kernel kernel = new Kernel(k, Matrix.uninitialized(x.rows(), x.rows()), diag, diag, true);
        KernelPasses.allLayers(kernel, sigmaB * sigmaB, duals(), sigmaW * sigmaW, sigmaB * sigmaB);
        return kernel;
    }

    /**
     * The NTK Θ of X with itself alone (n × n, the same doubles as {@code compute(x).ntk()}), computed in place in
     * the one n×n matrix that the first layer's SYRK writes: half the memory of {@link #compute(Matrix)}.
     */
    public Matrix ntk(Matrix x) {
        return single(x, true);
    }

    /** The NNGP kernel K of X with itself alone, as {@link #ntk(Matrix)} (the same doubles as {@code compute(x).nngp()}). */
    public Matrix nngp(Matrix x) {
        return single(x, false);
    }

    private Matrix single(Matrix x, boolean ntk) {
        Matrix k = product(x);
        try {
            KernelPasses.allLayersInPlace(k, sigmaB * sigmaB, diagonal(k), ntk, duals(), sigmaW * sigmaW,
                    sigmaB * sigmaB);
            return k;
        } catch (RuntimeException | Error e) {
            k.close();
            throw e;
        }
    }

    /**
     * (σ_w²/d)·X Xᵀ, upper triangle only, by one SYRK into an uninitialized matrix (no zero fill: the pass after it
     * writes every entry). K¹ of the first Dense is this plus σ_b² (Θ¹ = K¹ since Θ⁰ = 0); the pass adds σ_b² as
     * it reads each entry, which saves a fill pass over the upper triangle.
     */
    private Matrix product(Matrix x) {
        check(x, "X");
        int n = x.rows();
        Matrix k = Matrix.uninitialized(n, n);
        Blas.syrkUpper(false, sigmaW * sigmaW / x.cols(), x, 0.0, k);
        return k;
    }

    /** K¹'s diagonal: the product's plus σ_b². */
    private double[] diagonal(Matrix k) {
        double sb2 = sigmaB * sigmaB;
        double[] diag = new double[k.rows()];
        for (int i = 0; i < diag.length; i++) {
            diag[i] = k.get(i, i) + sb2;
        }
        return diag;
    }

    /** NNGP and NTK between X1 (n1 × d) and X2 (n2 × d): n1 × n2. */
    public Kernel compute(Matrix x1, Matrix x2) {
        check(x1, "X1");
        check(x2, "X2");
        if (x1.cols() != x2.cols()) {
            throw new InputError("X1 has " + x1.cols() + " features and X2 has " + x2.cols() + "; they must agree");
        }
        double sw2 = sigmaW * sigmaW;
        double sb2 = sigmaB * sigmaB;
        Matrix k = Matrix.zeros(x1.rows(), x2.rows());
        if (sb2 != 0) {
            k.fill(sb2);
        }
        Blas.gemm(false, true, sw2 / x1.cols(), x1, x2, 1.0, k);
        double[] d1 = Kernel.squaredNorms(x1);
        double[] d2 = Kernel.squaredNorms(x2);
        for (int i = 0; i < d1.length; i++) {
            d1[i] = sw2 * d1[i] + sb2;
        }
        for (int j = 0; j < d2.length; j++) {
            d2[j] = sw2 * d2[j] + sb2;
        }
        Kernel kernel = new Kernel(k, Matrix.zeros(x1.rows(), x2.rows()), d1, d2, false);
        KernelPasses.allLayers(kernel, duals(), sw2, sb2);
        return kernel;
    }

    private DualKernel[] duals() {
        DualKernel[] out = new DualKernel[depth];
        for (int l = 0; l < depth; l++) {
            out[l] = dual(l);
        }
        return out;
    }

    private static void check(Matrix x, String what) {
        if (x.rows() == 0 || x.cols() == 0) {
            throw new InputError(what + " is empty (" + x.shape() + "); give at least one row and one feature");
        }
        if (!Vectors.allFinite(x)) {
            throw new InputError(what + " contains NaN or infinite values; clean the data first");
        }
    }

    @Override
    public String toString() {
        return "InfiniteWidthKernel[L=" + depth + ", activations=" + activations + ", sigma_w=" + sigmaW
                + ", sigma_b=" + sigmaB + "]";
    }
}
