package org.overparam.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.overparam.InputError;
import org.overparam.linalg.Matrix;

/**
 * A network that is any composition of the layers of an {@link Arch} (convolutions, pooling, dense layers,
 * activations, residual blocks) on inputs of a given {@link Shape}, with every parameter in one flat off-heap vector:
 * the layers with parameters in the order they appear (a residual block's branch in place), each as PyTorch stores it
 * (weight (out, in[, kh, kw]) row-major, then bias). Forward and backward run batched, convolutions through GEMM.
 */
public final class LayerNet implements Model {
    /** The architecture, its input shape and how its layers are scaled. */
    public record Spec(Arch arch, Shape input, Parameterization parameterization, double sigmaW, double sigmaB,
            boolean bias) {
        @Override
        public String toString() {
            return arch.spelling() + " on " + input + ", " + parameterization.cliName()
                    + (parameterization == Parameterization.NTK ? String.format(java.util.Locale.ROOT,
                            " (sigma_w=%s, sigma_b=%s)", sigmaW, sigmaB) : "");
        }
    }

    private final Spec spec;
    private final Chain body;
    private final List<Op> weighted;
    private final Matrix params;

    private LayerNet(Spec spec) {
        this.spec = spec;
        Shape out = spec.arch().outputShape(spec.input()); // checks every layer fits before anything is allocated
        if (out.image()) {
            throw new InputError("--arch " + spec.arch() + " ends in a " + out + " image; end it with flatten or gap "
                    + "and a dense layer to get one output per class or target");
        }
        boolean[] first = {true};
        this.body = chain(spec.arch(), spec.input(), spec, first);
        long p = body.place(0);
        if (p > NetworkSpec.MAX_PARAMETERS) {
            throw new InputError("--arch " + spec.arch() + " has " + p + " parameters, more than one array can hold ("
                    + NetworkSpec.MAX_PARAMETERS + "); use fewer channels or pool earlier");
        }
        this.weighted = body.weighted();
        this.params = Matrix.zeros((int) p, 1);
    }

    private static Chain chain(Arch arch, Shape in, Spec spec, boolean[] first) {
        List<Op> ops = new ArrayList<>();
        Shape s = in;
        for (Arch.Layer l : arch.layers()) {
            Op op;
            if (l instanceof Arch.Conv c) {
                op = new ConvOp(s, c, scale(spec, s.channels() * c.kernel() * c.kernel(), first));
            } else if (l instanceof Arch.Dense d) {
                op = new DenseOp(s, d.out(), scale(spec, s.size(), first));
            } else if (l instanceof Arch.AvgPool p) {
                op = new PoolOp(s, p.window());
            } else if (l instanceof Arch.GlobalAvgPool) {
                op = new PoolOp(s, 0);
            } else if (l instanceof Arch.Flatten) {
                op = new FlattenOp(s);
            } else if (l instanceof Arch.Act a) {
                op = new ActOp(s, a.activation());
            } else {
                Arch.Residual r = (Arch.Residual) l;
                op = new ResidualOp(s, r.scale(), chain(r.branch(), s, spec, first));
            }
            ops.add(op);
            s = op.out;
        }
        return new Chain(ops);
    }

    private static LayerScale scale(Spec spec, int fanIn, boolean[] first) {
        LayerScale s = LayerScale.of(spec.parameterization(), fanIn, first[0], spec.sigmaW(), spec.sigmaB(),
                spec.bias());
        first[0] = false;
        return s;
    }

    /** The number of parameters the network of {@code spec} holds, without allocating it (checks the shapes). */
    public static long parameterCount(Spec spec) {
        spec.arch().outputShape(spec.input());
        return chain(spec.arch(), spec.input(), spec, new boolean[] {true}).place(0);
    }

    /** A freshly initialized network; the same seed gives the same weights. */
    public static LayerNet initialize(Spec spec, long seed) {
        LayerNet net = new LayerNet(spec);
        net.body.initialize(net.params, new SplittableRandom(seed));
        return net;
    }

    /** A network holding the given flat parameters (the layout of {@link #parameters()}). */
    public static LayerNet withParameters(Spec spec, double[] values) {
        LayerNet net = new LayerNet(spec);
        if (values.length != net.params.size()) {
            long want = net.params.size();
            net.close();
            throw new InputError("the model has " + values.length + " parameters but --arch " + spec.arch() + " on "
                    + spec.input() + " needs " + want);
        }
        net.params.copyFrom(values);
        return net;
    }

    public Spec spec() {
        return spec;
    }

    @Override
    public String describe() {
        return spec.toString();
    }

    @Override
    public int inputSize() {
        return spec.input().size();
    }

    @Override
    public int outputSize() {
        return body.out().size();
    }

    @Override
    public Matrix parameters() {
        return params;
    }

    @Override
    public long trainableCount() {
        return params.size();
    }

    @Override
    public int layers() {
        return weighted.size();
    }

    @Override
    public long layerOffset(int l) {
        return weighted.get(l).offset;
    }

    @Override
    public long layerLength(int l) {
        return weighted.get(l).length();
    }

    /** The shape of layer l's parameter block as PyTorch stores the weight: (out, in) or (out, in, kh, kw). */
    public int[] weightShape(int l) {
        Op op = weighted.get(l);
        if (op instanceof ConvOp) {
            Arch.Conv c = convOf(op);
            return new int[] {c.out(), op.in.channels(), c.kernel(), c.kernel()};
        }
        return new int[] {op.out.size(), op.in.size()};
    }

    /** Whether layer l has a bias (its block then ends with out values). */
    public boolean hasBias(int l) {
        Op op = weighted.get(l);
        int[] ws = weightShape(l);
        long w = 1;
        for (int d : ws) {
            w *= d;
        }
        return op.length() > w;
    }

    /** Layer l's forward scale s of its weights (y = s·W·x + β·b). */
    public double weightScale(int l) {
        return scaleOf(weighted.get(l)).weight();
    }

    /** Layer l's forward scale β of its bias. */
    public double biasScale(int l) {
        return scaleOf(weighted.get(l)).bias();
    }

    private static LayerScale scaleOf(Op op) {
        return op instanceof ConvOp c ? c.scale() : ((DenseOp) op).scale();
    }

    private Arch.Conv convOf(Op op) {
        return ((ConvOp) op).spec();
    }

    @Override
    public Model.Pass pass(int rows) {
        Chain.Buffers b = body.buffers(rows, false);
        return new Model.Pass() {
            @Override
            public Matrix forward(Matrix x) {
                check(x, rows);
                return body.forward(x, b, params);
            }

            @Override
            public void backward(Matrix x, Matrix dOut, Matrix target, double alpha, double beta) {
                body.backward(x, b, dOut, null, params, target, alpha, beta, null);
            }

            @Override
            public void close() {
                b.close();
            }
        };
    }

    private void check(Matrix x, int capacity) {
        if (x.cols() != inputSize()) {
            throw new InputError("data has " + x.cols() + " values per example but --arch " + spec.arch() + " on "
                    + spec.input() + " expects " + inputSize());
        }
        if (x.rows() > capacity) {
            throw new IllegalArgumentException("batch of " + x.rows() + " rows exceeds capacity " + capacity);
        }
    }

    @Override
    public Matrix predict(Matrix x) {
        int block = Math.max(1, Math.min(x.rows(), 1024));
        Matrix out = Matrix.zeros(x.rows(), outputSize());
        try (Model.Pass p = pass(block)) {
            for (int from = 0; from < x.rows(); from += block) {
                int to = Math.min(x.rows(), from + block);
                out.rowBlock(from, to).copyFrom(p.forward(x.rowBlock(from, to)));
            }
        }
        return out;
    }

    /**
     * The per-sample Jacobian rows of the samples x: row i·k + a is ∂h_a(x_i)/∂w (length P), written to {@code j}
     * ((x.rows()·k) × P). One forward and k backward passes of signals; each layer writes its own columns.
     */
    public void jacobian(Matrix x, Matrix j) {
        int n = x.rows();
        int k = outputSize();
        int p = (int) params.size();
        // one per-sample-gradient buffer per layer, reused for every output
        java.util.Map<Op, Matrix> rowsOf = new java.util.HashMap<>();
        try (Chain.Buffers b = body.buffers(n, false); Matrix dOut = Matrix.zeros(n, k)) {
            check(x, n);
            body.forward(x, b, params);
            var jb = j.buffer();
            for (int a = 0; a < k; a++) {
                dOut.fill(0.0);
                for (int i = 0; i < n; i++) {
                    dOut.set(i, a, 1.0);
                }
                final int out = a;
                body.backward(x, b, dOut, null, params, null, 0, 0, (op, in, dy, scratch) -> {
                    int len = (int) op.length();
                    Matrix rows = rowsOf.computeIfAbsent(op, o -> Matrix.zeros(n, len));
                    op.perSampleGradient(in, dy, params, rows, scratch);
                    // row i of the layer's block goes to J's row i·k + a at the layer's columns: one bulk copy each
                    var rb = rows.buffer();
                    double[] row = new double[len];
                    for (int i = 0; i < n; i++) {
                        rb.get(i * len, row, 0, len);
                        jb.put((int) ((long) (i * k + out) * p + op.offset), row, 0, len);
                    }
                });
            }
        } finally {
            rowsOf.values().forEach(Matrix::close);
        }
    }

    @Override
    public LayerNet copy() {
        LayerNet n = new LayerNet(spec);
        n.params.copyFrom(params);
        return n;
    }

    @Override
    public void close() {
        params.close();
    }
}
