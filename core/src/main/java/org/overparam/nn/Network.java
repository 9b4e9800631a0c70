package org.overparam.nn;

import org.overparam.InputError;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Parallel;

/**
 * A fully connected network h(x; w) with every parameter in one flat off-heap vector w (layer by layer:
 * W_0 row-major (out × in), b_0, W_1, b_1, …), so updates, distances and directions are single BLAS calls
 * on the whole vector, and each layer's W_l, b_l are views into it.
 *
 * <p>Forward, per layer l = 0..L: Z_l = s_l·H_{l−1}·W_lᵀ + β_l·1·b_lᵀ, H_l = σ(Z_l) for hidden layers, and
 * h = Z_L (no activation after the last layer). Inputs are rows: X is n × d. The scales are s_l = 1,
 * β_l = 1 ({@code standard}); s_l = σ_w/√fan_in, β_l = σ_b ({@code ntk}); s_0 = 1, s_1 = 1/√m
 * ({@code du2019}); s_l = 1 for the hidden layers and s_L = √m for the output layer ({@code chen2021}: their
 * f = √m·W_L σ(⋯), Chen et al. 2021 Section 3). Gradients are with respect to w, the variables that are initialized and updated.
 */
public final class Network implements Model {
    private final NetworkSpec spec;
    private final int[] widths;
    private final Matrix params;
    private final long[] wOffset;
    private final long[] bOffset;
    private final double[] wScale;
    private final double[] bScale;
    private final BitSet trainable;
    private final Activation[] acts;

    private Network(NetworkSpec spec) {
        this(spec, null);
    }

    /**
     * @param biasLayers which layers have a bias when {@code spec.bias()} (null: all): a PyTorch model may mix
     *                   {@code Linear(bias=False)} with biased layers
     */
    private Network(NetworkSpec spec, boolean[] biasLayers) {
        this.spec = spec;
        this.widths = spec.widths();
        this.acts = spec.activations().toArray(new Activation[0]);
        int layers = widths.length - 1;
        wOffset = new long[layers];
        bOffset = new long[layers];
        wScale = new double[layers];
        bScale = new double[layers];
        long p = 0;
        for (int l = 0; l < layers; l++) {
            wOffset[l] = p;
            p += (long) widths[l] * widths[l + 1];
            boolean hasBias = spec.bias() && (biasLayers == null || biasLayers[l]);
            bOffset[l] = hasBias ? p : -1;
            p += hasBias ? widths[l + 1] : 0;
            int fanIn = widths[l];
            switch (spec.parameterization()) {
                case STANDARD -> {
                    wScale[l] = 1.0;
                    bScale[l] = 1.0;
                }
                case NTK -> {
                    wScale[l] = spec.sigmaW() / Math.sqrt(fanIn);
                    bScale[l] = spec.sigmaB();
                }
                case DU2019 -> {
                    wScale[l] = l == 0 ? 1.0 : 1.0 / Math.sqrt(fanIn);
                    bScale[l] = 0.0;
                }
                case CHEN2021 -> {
                    wScale[l] = l == layers - 1 ? Math.sqrt(fanIn) : 1.0;
                    bScale[l] = 0.0;
                }
                default -> throw new IllegalStateException();
            }
        }
        this.params = Matrix.zeros((int) p, 1);
        this.trainable = spec.trainableSet();
    }

    /** A freshly initialized network; the same seed gives the same weights. */
    public static Network initialize(NetworkSpec spec, long seed) {
        Network net = new Network(spec);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int l = 0; l < net.layers(); l++) {
            int fanIn = net.widths[l];
            Matrix w = net.weight(l);
            double bound = 1.0 / Math.sqrt(fanIn);
            for (long k = 0; k < w.size(); k++) {
                double v = switch (spec.parameterization()) {
                    // PyTorch nn.Linear: kaiming_uniform_(a=√5) gives U(−1/√fan_in, 1/√fan_in).
                    case STANDARD -> rng.nextDouble(-bound, bound);
                    case NTK -> rng.nextGaussian();
                    // Du et al. 2019: w_r ~ N(0, I); a_r uniform on {±1}.
                    case DU2019 -> l == 0 ? rng.nextGaussian() : (rng.nextBoolean() ? 1.0 : -1.0);
                    // Chen et al. 2021, Section 3: W_1..W_{L−1} ~ N(0, 2/m), W_L ~ N(0, 1/m), m the hidden width.
                    case CHEN2021 -> rng.nextGaussian() * Math.sqrt((l == net.layers() - 1 ? 1.0 : 2.0) / spec.hidden()[0]);
                };
                w.setAt(k, v);
            }
            if (spec.bias()) {
                Matrix b = net.bias(l);
                for (long k = 0; k < b.size(); k++) {
                    b.setAt(k, spec.parameterization() == Parameterization.STANDARD ? rng.nextDouble(-bound, bound)
                            : rng.nextGaussian());
                }
            }
        }
        return net;
    }

    /**
     * A standard-parameterized network holding the given weights (each out × in, row-major) and biases (null
     * entries, or a null list, for layers without one), e.g. a PyTorch state dict.
     */
    public static Network fromWeights(NetworkSpec spec, List<Matrix> weights, List<Matrix> biases) {
        if (spec.parameterization() != Parameterization.STANDARD) {
            throw new IllegalArgumentException("fromWeights takes standard-form weights; use fromEffective");
        }
        return fromEffective(spec, weights, biases);
    }

    /**
     * The network of {@code spec}'s parameterization whose effective (standard-form) weights are the given ones:
     * its variables are w_l = W_l / s_l and b_l = B_l / β_l, so that its forward pass is the model's and its
     * Jacobian, the one in that parameterization's variables (for the ntk parameterization J_w = J_W·σ_w/√fan_in,
     * and the empirical NTK is the one of a network initialized and trained in those variables). Biases that the
     * parameterization scales by 0 (du2019, chen2021, ntk with σ_b = 0) must be 0: such a model is not in it.
     */
    public static Network fromEffective(NetworkSpec spec, List<Matrix> weights, List<Matrix> biases) {
        boolean[] mask = new boolean[weights.size()];
        for (int l = 0; l < mask.length; l++) {
            mask[l] = biases != null && biases.get(l) != null;
        }
        Network net = new Network(spec, mask);
        for (int l = 0; l < net.layers(); l++) {
            Matrix w = net.weight(l);
            w.copyFrom(weights.get(l));
            if (net.wScale[l] != 1.0) {
                org.overparam.linalg.Vectors.scale(1.0 / net.wScale[l], w);
            }
            Matrix b = net.bias(l);
            if (b != null) {
                b.copyFrom(biases.get(l));
                if (net.bScale[l] == 0.0) {
                    for (long k = 0; k < b.size(); k++) {
                        if (b.get(0, (int) k) != 0.0) {
                            net.close();
                            throw new InputError("the model has non-zero biases, which the "
                                    + spec.parameterization().cliName() + " parameterization"
                                    + (spec.parameterization() == Parameterization.NTK ? " with sigma_b = 0" : "")
                                    + " cannot represent (its biases are scaled by 0)"
                                    + (spec.parameterization() == Parameterization.NTK ? "; give --sigma-b > 0" : ""));
                        }
                    }
                } else if (net.bScale[l] != 1.0) {
                    org.overparam.linalg.Vectors.scale(1.0 / net.bScale[l], b);
                }
            }
        }
        return net;
    }

    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public int layers() {
        return widths.length - 1;
    }

    public int[] widths() {
        return widths.clone();
    }

    /** The activation after hidden layer l. */
    public Activation activation(int l) {
        return acts[l];
    }

    public boolean isTrainable(int layer) {
        return trainable.get(layer);
    }

    @Override
    public String describe() {
        return spec.toString();
    }

    @Override
    public int inputSize() {
        return widths[0];
    }

    @Override
    public int outputSize() {
        return widths[widths.length - 1];
    }

    /** Number of parameters (trained and frozen). */
    @Override
    public long parameterCount() {
        return params.size();
    }

    /** Number of trained parameters. */
    @Override
    public long trainableCount() {
        long p = 0;
        for (int l = 0; l < layers(); l++) {
            if (trainable.get(l)) {
                p += layerLength(l);
            }
        }
        return p;
    }

    /** The flat parameter vector (P × 1); writes change the network. */
    @Override
    public Matrix parameters() {
        return params;
    }

    /** A zero vector with the parameter layout (for gradients and directions). */
    @Override
    public Matrix newParameterVector() {
        return Matrix.zeros((int) params.size(), 1);
    }

    public double weightScale(int l) {
        return wScale[l];
    }

    public double biasScale(int l) {
        return bScale[l];
    }

    /** W_l (out × in), a view into the parameters. */
    public Matrix weight(int l) {
        return weightOf(params, l);
    }

    /** b_l as a 1 × out view, or null without biases. */
    public Matrix bias(int l) {
        return biasOf(params, l);
    }

    /** Layer l's weight block inside any vector with the parameter layout. */
    public Matrix weightOf(Matrix flat, int l) {
        return Matrix.view(flat.pointer(), wOffset[l], widths[l + 1], widths[l]);
    }

    /** Layer l's bias block inside any vector with the parameter layout, or null without biases. */
    public Matrix biasOf(Matrix flat, int l) {
        return bOffset[l] < 0 ? null : Matrix.view(flat.pointer(), bOffset[l], 1, widths[l + 1]);
    }

    /** Offset and length of layer l's block (weights then bias) inside the flat vector. */
    @Override
    public long layerOffset(int l) {
        return wOffset[l];
    }

    @Override
    public long layerLength(int l) {
        return (long) widths[l] * widths[l + 1] + (bOffset[l] >= 0 ? widths[l + 1] : 0);
    }

    /** An independent copy (same spec and weights). */
    @Override
    public Network copy() {
        Network n = new Network(spec, biasLayers());
        n.params.copyFrom(params);
        return n;
    }

    /** Which layers have a bias. */
    private boolean[] biasLayers() {
        boolean[] b = new boolean[bOffset.length];
        for (int l = 0; l < b.length; l++) {
            b[l] = bOffset[l] >= 0;
        }
        return b;
    }

    /** A copy whose trained layers are exactly {@code layers} (same weights), e.g. for per-layer Jacobians. */
    public Network copyWithTrainable(BitSet layers) {
        StringBuilder sb = new StringBuilder();
        for (int l = layers.nextSetBit(0); l >= 0; l = layers.nextSetBit(l + 1)) {
            sb.append(sb.length() == 0 ? "" : ",").append(l);
        }
        Network n = new Network(spec.withTrainable(TrainableLayers.parse(sb.toString())), biasLayers());
        n.params.copyFrom(params);
        return n;
    }

    /** Buffers for batches of up to {@code rows} samples. */
    public Workspace workspace(int rows) {
        return new Workspace(widths, rows);
    }

    @Override
    public Model.Pass pass(int rows) {
        Workspace ws = workspace(rows);
        return new Model.Pass() {
            @Override
            public Matrix forward(Matrix x) {
                return Network.this.forward(x, ws);
            }

            @Override
            public void backward(Matrix x, Matrix dOut, Matrix target, double alpha, double beta) {
                Network.this.backward(x, ws, dOut, target, alpha, beta);
            }

            @Override
            public void close() {
                ws.close();
            }
        };
    }

    /**
     * Forward pass; returns the output (rows × k), a view into the workspace valid until its next use.
     */
    public Matrix forward(Matrix x, Workspace ws) {
        int n = x.rows();
        if (x.cols() != widths[0]) {
            throw new IllegalArgumentException("input has " + x.cols() + " columns, network expects " + widths[0]);
        }
        if (n > ws.capacity) {
            throw new IllegalArgumentException("batch of " + n + " rows exceeds workspace capacity " + ws.capacity);
        }
        ws.rows = n;
        Matrix in = x;
        for (int l = 0; l < layers(); l++) {
            Matrix z = ws.preActivation(l);
            Blas.gemm(false, true, wScale[l], in, weight(l), 0.0, z);
            boolean hidden = l < layers() - 1;
            Matrix b = bias(l);
            int width = widths[l + 1];
            if (hidden) {
                Matrix h = ws.activation(l);
                var zb = z.buffer();
                var hb = h.buffer();
                var bb = b == null ? null : b.buffer();
                double beta = bScale[l];
                Activation act = acts[l];
                Parallel.forRange((int) z.size(), width, (from, to) -> act.biasAndActivate(zb, hb, bb, beta, width, from, to));
                in = h;
            } else if (b != null) {
                var zb = z.buffer();
                var bb = b.buffer();
                double beta = bScale[l];
                for (int k = 0, size = (int) z.size(); k < size; k++) {
                    zb.put(k, zb.get(k) + beta * bb.get(k % width));
                }
            }
        }
        return ws.output();
    }

    /** Outputs for x as a new matrix (allocates a workspace; for evaluation, not the training loop). */
    @Override
    public Matrix predict(Matrix x) {
        int block = Math.max(1, Math.min(x.rows(), 4096));
        Matrix out = Matrix.zeros(x.rows(), widths[widths.length - 1]);
        try (Workspace ws = workspace(block)) {
            for (int from = 0; from < x.rows(); from += block) {
                int to = Math.min(x.rows(), from + block);
                out.rowBlock(from, to).copyFrom(forward(x.rowBlock(from, to), ws));
            }
        }
        return out;
    }

    /**
     * Backward pass after {@link #forward}: with dOut = ∂L/∂h (rows × k, the loss's own normalization
     * included), writes target ← alpha·∇_w L + beta·target for every trained layer; frozen layers' blocks
     * of target are left untouched. With target = parameters, alpha = −η, beta = 1 this is the gradient step
     * folded into the gradient GEMMs: each W_l is read for the backpropagated signal before it is updated.
     * {@code dOut} is overwritten.
     */
    public void backward(Matrix x, Workspace ws, Matrix dOut, Matrix target, double alpha, double beta) {
        int n = ws.rows;
        int lowestTrained = trainable.nextSetBit(0);
        if (lowestTrained < 0) {
            return;
        }
        Matrix delta = dOut;
        boolean useA = true;
        for (int l = layers() - 1; l >= lowestTrained; l--) {
            Matrix in = l == 0 ? x : ws.activation(l - 1);
            Matrix next = null;
            if (l > lowestTrained) {
                // Δ_{l−1} = s_l·(Δ_l·W_l) ⊙ σ'(Z_{l−1}), computed before W_l may be updated below.
                Matrix buf = useA ? ws.deltaA : ws.deltaB;
                useA = !useA;
                next = Matrix.view(buf.pointer(), 0, n, widths[l]);
                propagate(ws, delta, l, next);
            }
            if (trainable.get(l)) {
                Blas.gemm(true, false, alpha * wScale[l], delta, in, beta, weightOf(target, l));
                Matrix gb = biasOf(target, l);
                if (gb != null) {
                    Blas.gemv(true, alpha * bScale[l], delta, ws.ones.rowBlock(0, n), beta, gb);
                }
            }
            if (next != null) {
                delta = next;
            }
        }
    }

    /** Δ_{l−1} = s_l·(Δ_l·W_l) ⊙ σ'(Z_{l−1}): one backpropagation step of the signals ∂(·)/∂Z. */
    private void propagate(Workspace ws, Matrix delta, int l, Matrix next) {
        Blas.gemm(false, false, wScale[l], delta, weight(l), 0.0, next);
        var db = next.buffer();
        var zb = ws.preActivation(l - 1).buffer();
        Activation act = acts[l - 1];
        Parallel.forRange((int) next.size(), widths[l], (from, to) -> act.multiplyDerivative(db, zb, from, to));
    }

    /**
     * The backpropagated signals Δ_l = ∂(Σ_i dOut_i·h(x_i))/∂Z_l (rows × width_{l+1}) of every layer
     * l ≥ {@code lowest}, after {@link #forward}: with dOut = e_a in every row, row i of Δ_l is the
     * derivative of output a at sample i with respect to layer l's pre-activation — the factor of the
     * per-sample Jacobian the empirical NTK is built from. {@code out[l]} must be rows × width_{l+1}.
     */
    public void signals(Workspace ws, Matrix dOut, int lowest, Matrix[] out) {
        int L = layers() - 1;
        out[L].copyFrom(dOut);
        for (int l = L; l > lowest; l--) {
            propagate(ws, out[l], l, out[l - 1]);
        }
    }

    /** The network's own parameters and spec, as standard-form (W·h + b) effective weights, for saving. */
    public List<Matrix> effectiveWeights() {
        List<Matrix> out = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            Matrix w = weight(l).copy();
            org.overparam.linalg.Vectors.scale(wScale[l], w);
            out.add(w);
        }
        return out;
    }

    /** Effective biases β_l·b_l (null entries without biases). */
    public List<Matrix> effectiveBiases() {
        List<Matrix> out = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            Matrix b = bias(l);
            if (b == null) {
                out.add(null);
            } else {
                Matrix c = b.copy();
                org.overparam.linalg.Vectors.scale(bScale[l], c);
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public void close() {
        params.close();
    }
}
