package org.overparam.nn;

import org.overparam.linalg.Blas;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;

/**
 * The exact Hessian-vector product ∇²L(w)·v of a loss through the network by Pearlmutter's R-operator
 * (Neural Computation 6(1), 1994): R{·} = d/dε (·)(w + εv) at ε = 0, pushed forward through the
 * forward pass and then through the backward pass ("forward-over-backward").
 *
 * <p>Forward: R Z_l = s_l·(R H_{l−1}·W_lᵀ + H_{l−1}·V_lᵀ) + β_l·1·v_{b,l}ᵀ, R H_l = σ'(Z_l) ⊙ R Z_l.
 * At the output, R(∂L/∂h) = ∇²_h L · R h. Backward, with Δ_l = ∂L/∂Z_l:
 * R ∇W_l = s_l·(RΔ_lᵀ·H_{l−1} + Δ_lᵀ·R H_{l−1}), R ∇b_l = β_l·Σ_i RΔ_l,
 * RΔ_{l−1} = s_l·[(RΔ_l·W_l + Δ_l·V_l) ⊙ σ'(Z_{l−1}) + (Δ_l·W_l) ⊙ σ''(Z_{l−1}) ⊙ R Z_{l−1}].
 * The product is restricted to the trained layers: v's frozen blocks are ignored and the result's are 0.
 * This is the smoothness probe the theorem checks use (β ≥ |vᵀ∇²L v| / ‖v‖²).
 */
public final class HessianVector {
    private HessianVector() {
    }

    /**
     * ∇²L(w)·v for any network by a central difference of exact gradients, (∇L(w + εv) − ∇L(w − εv))/(2ε), the
     * gradients by the backward pass: error O(ε²·‖∇³L‖) + O(u·‖∇L‖/ε) with u the unit roundoff, so ε = u^(1/3)·(1 + ‖w‖)/‖v‖
     * balances the two (about 1e-10 relative on smooth losses; tested against the R-operator). Used for the networks
     * of {@link LayerNet}, whose layers have no R-operator here; w is restored exactly.
     */
    public static void byGradientDifferences(Model net, Matrix x, OutputCurvature loss, Matrix v, Matrix result) {
        double vn = org.overparam.linalg.Vectors.norm2(v);
        result.fill(0.0);
        if (vn == 0) {
            return;
        }
        Matrix w = net.parameters();
        double eps = Math.cbrt(0x1.0p-53) * (1 + org.overparam.linalg.Vectors.norm2(w)) / vn;
        int n = x.rows();
        try (Matrix saved = w.copy(); Matrix plus = net.newParameterVector(); Matrix dOut = Matrix.zeros(n, net.outputSize());
                Model.Pass pass = net.pass(n)) {
            org.overparam.linalg.Vectors.axpy(eps, v, w);
            loss.gradient(pass.forward(x), dOut);
            pass.backward(x, dOut, plus, 1.0, 0.0);
            w.copyFrom(saved);
            org.overparam.linalg.Vectors.axpy(-eps, v, w);
            loss.gradient(pass.forward(x), dOut);
            pass.backward(x, dOut, result, 1.0, 0.0);
            w.copyFrom(saved);
            org.overparam.linalg.Vectors.scale(-1.0, result);
            org.overparam.linalg.Vectors.axpy(1.0, plus, result);
            org.overparam.linalg.Vectors.scale(1.0 / (2 * eps), result);
        }
    }

    /** ∇²L(w)·v for the loss {@code loss} on inputs x; {@code result} must have the parameter layout. */
    public static void apply(Network net, Matrix x, OutputCurvature loss, Matrix v, Matrix result) {
        int layers = net.layers();
        int[] w = net.widths();
        int n = x.rows();
        result.fill(0.0);
        try (Workspace ws = net.workspace(n)) {
            Matrix out = net.forward(x, ws);
            Matrix[] rz = new Matrix[layers];
            Matrix[] rh = new Matrix[layers];
            Matrix rIn = null;
            Matrix in = x;
            for (int l = 0; l < layers; l++) {
                Matrix z = ws.preActivation(l);
                rz[l] = Matrix.zeros(n, w[l + 1]);
                if (rIn != null) {
                    Blas.gemm(false, true, net.weightScale(l), rIn, net.weight(l), 0.0, rz[l]);
                }
                if (net.isTrainable(l)) {
                    Blas.gemm(false, true, net.weightScale(l), in, net.weightOf(v, l), 1.0, rz[l]);
                    Matrix vb = net.biasOf(v, l);
                    if (vb != null) {
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < w[l + 1]; j++) {
                                rz[l].set(i, j, rz[l].get(i, j) + net.biasScale(l) * vb.get(0, j));
                            }
                        }
                    }
                }
                if (l < layers - 1) {
                    rh[l] = rz[l].copy();
                    net.activation(l).multiplyDerivative(rh[l].buffer(), z.buffer(), 0, (int) rh[l].size());
                    rIn = rh[l];
                    in = ws.activation(l);
                }
            }
            Matrix delta = Matrix.zeros(n, w[layers]);
            loss.gradient(out, delta);
            Matrix rDelta = Matrix.zeros(n, w[layers]);
            loss.hessianVector(out, rz[layers - 1], rDelta);
            Matrix ones = Matrix.zeros(n, 1).fill(1.0);
            for (int l = layers - 1; l >= 0; l--) {
                Matrix hPrev = l == 0 ? x : ws.activation(l - 1);
                Matrix rhPrev = l == 0 ? null : rh[l - 1];
                double s = net.weightScale(l);
                if (net.isTrainable(l)) {
                    Matrix gw = net.weightOf(result, l);
                    Blas.gemm(true, false, s, rDelta, hPrev, 0.0, gw);
                    if (rhPrev != null) {
                        Blas.gemm(true, false, s, delta, rhPrev, 1.0, gw);
                    }
                    Matrix gb = net.biasOf(result, l);
                    if (gb != null) {
                        Blas.gemv(true, net.biasScale(l), rDelta, ones, 0.0, gb);
                    }
                }
                if (l == 0) {
                    break;
                }
                Matrix zPrev = ws.preActivation(l - 1);
                Matrix back = Blas.multiply(delta, net.weight(l)); // Δ_l·W_l
                Matrix rBack = Blas.multiply(rDelta, net.weight(l)); // RΔ_l·W_l
                if (net.isTrainable(l)) {
                    Blas.gemm(false, false, 1.0, delta, net.weightOf(v, l), 1.0, rBack);
                }
                Activation act = net.activation(l - 1);
                Matrix newR = Matrix.zeros(n, w[l]);
                Matrix newDelta = Matrix.zeros(n, w[l]);
                for (long k = 0; k < newR.size(); k++) {
                    double zk = zPrev.at(k);
                    double d1 = act.derivative(zk);
                    newR.setAt(k, s * (rBack.at(k) * d1 + back.at(k) * act.second(zk) * rz[l - 1].at(k)));
                    newDelta.setAt(k, s * back.at(k) * d1);
                }
                delta = newDelta;
                rDelta = newR;
            }
        }
    }

    /** vᵀ∇²L v / ‖v‖², the curvature along v (a lower bound on the smoothness constant β). */
    public static double rayleigh(Network net, Matrix x, OutputCurvature loss, Matrix v) {
        Matrix hv = net.newParameterVector();
        apply(net, x, loss, v, hv);
        double vv = Vectors.dot(v, v);
        return vv == 0 ? 0 : Vectors.dot(v, hv) / vv;
    }
}
