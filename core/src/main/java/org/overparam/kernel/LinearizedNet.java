package org.overparam.kernel;

import java.util.BitSet;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Network;
import org.overparam.nn.Workspace;

/**
 * The first-order model of a network at fixed weights W0 on fixed inputs X: F(W0 + Δ) = f(W0) + J·Δ, with the
 * Jacobian J (n·k × P) never materialized. {@link #jvp} is forward mode through the activation pattern of W0
 * (Ż_l = s_l·(Ḣ_{l−1}·W_lᵀ + H_{l−1}·Δ_lᵀ) + β_l·1·Δb_lᵀ, Ḣ_l = σ'(Z_l) ⊙ Ż_l, the R-operator's forward half of
 * {@link org.overparam.nn.HessianVector}); {@link #vjp} is the network's own backward pass at W0. Only the trained
 * layers count: Δ's frozen blocks are ignored, and Jᵀr is 0 there. Holds a private copy of the network and the
 * forward pass at W0 over all n inputs (n × widths of memory), so the original may train on.
 */
public final class LinearizedNet implements AutoCloseable {
    private final Network net;
    private final Matrix x;
    private final Workspace ws;
    private final Matrix f0;
    private final BitSet trained;

    public LinearizedNet(Network atW0, Matrix x) {
        this.net = atW0.copy();
        this.x = x;
        this.ws = net.workspace(x.rows());
        this.f0 = net.forward(x, ws).copy();
        this.trained = net.spec().trainableSet();
    }

    /** The network at W0 (a private copy: do not train it). */
    public Network network() {
        return net;
    }

    /** f(W0) on the inputs, n × k. */
    public Matrix f0() {
        return f0;
    }

    public int n() {
        return x.rows();
    }

    /** out (n × k) ← J·v for v in the parameter layout. */
    public void jvp(Matrix v, Matrix out) {
        int layers = net.layers();
        int[] w = net.widths();
        int n = x.rows();
        Matrix rIn = null;
        Matrix in = x;
        for (int l = 0; l < layers; l++) {
            Matrix rz = l == layers - 1 ? out : Matrix.zeros(n, w[l + 1]);
            rz.fill(0.0);
            if (rIn != null) {
                Blas.gemm(false, true, net.weightScale(l), rIn, net.weight(l), 0.0, rz);
                rIn.close();
            }
            if (trained.get(l)) {
                Blas.gemm(false, true, net.weightScale(l), in, net.weightOf(v, l), 1.0, rz);
                Matrix vb = net.biasOf(v, l);
                if (vb != null) {
                    try (Matrix ones = Matrix.zeros(n, 1).fill(1.0)) {
                        Blas.gemm(false, false, net.biasScale(l), ones, vb, 1.0, rz);
                    }
                }
            }
            if (l < layers - 1) {
                net.activation(l).multiplyDerivative(rz.buffer(), ws.preActivation(l).buffer(), 0, (int) rz.size());
                rIn = rz;
                in = ws.activation(l);
            }
        }
    }

    /** out (parameter layout) ← Jᵀ·r for r (n × k); frozen blocks of out are 0. r is not modified. */
    public void vjp(Matrix r, Matrix out) {
        out.fill(0.0);
        try (Matrix d = r.copy()) {
            net.backward(x, ws, d, out, 1.0, 0.0);
        }
    }

    /** A zero vector with the parameter layout. */
    public Matrix newParameterVector() {
        return net.newParameterVector();
    }

    /** Layer l's block (weights then bias) of a parameter-layout vector, as a 1 × length view. */
    public Matrix layerBlock(Matrix flat, int l) {
        return Matrix.view(flat.pointer(), net.layerOffset(l), 1, (int) net.layerLength(l));
    }

    /** The trained layers (those J has columns for). */
    public BitSet trainedLayers() {
        return (BitSet) trained.clone();
    }

    @Override
    public void close() {
        f0.close();
        ws.close();
        net.close();
    }
}
