package org.overparam.theory;

import org.overparam.linalg.Lanczos;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;
import org.overparam.nn.HessianVector;
import org.overparam.nn.Network;
import org.overparam.nn.OutputCurvature;
import org.overparam.nn.Workspace;

/**
 * The Hessian of one network output in the trained parameters, H_f = ∇²_w f_a(x) at one input x (not the loss's
 * Hessian), its spectral norm ‖H_f‖₂ = max(λmax, −λmin), and the tangent kernel's diagonal K(x, x) = ‖∇_w f_a(x)‖²
 * (Liu, Zhu &amp; Belkin, <i>On the linearity of large non-linear models: when and why the tangent kernel is
 * constant</i>, NeurIPS 2020: ‖H_f‖ = Õ(1/√m) while ‖∇f‖ = Θ(1) in the NTK parameterization, so the tangent kernel
 * is constant in a ball of fixed radius as m → ∞).
 *
 * <p>H_f·v is {@link HessianVector#apply} (Pearlmutter's R-operator) for the "loss" L(h) = h_a(x), whose gradient in
 * the outputs is e_a and whose curvature in the outputs is 0: then ∇²_w L = ∇²_w f_a exactly, with no Gauss–Newton
 * term. The two ends of the spectrum come from two Lanczos runs ({@link Lanczos#run}, full reorthogonalization), on
 * H_f and on −H_f, each stopped at a residual ‖Hv − θv‖ ≤ tol·|θ|; the residuals are returned, so the accuracy is
 * shown, not assumed. Frozen layers are not coordinates.
 */
public final class OutputHessian {
    /** Lanczos stops when the residual is below this fraction of |θ|. */
    public static final double TOLERANCE = 1e-6;
    /** Lanczos steps per end at most (and at most P_trained); memory is (steps + 1)·P doubles. */
    public static final int MAX_ITERATIONS = 60;

    private OutputHessian() {
    }

    /**
     * ‖H_f‖₂ and the two ends of the spectrum.
     *
     * @param norm      max(largest, −smallest)
     * @param residual  the larger of the two Ritz pairs' residuals ‖H_f v − θv‖ (unit v)
     * @param errorBound the larger of the two ends' eigenvalue error bounds min(ρ, ρ²/gap) (Lanczos's estimate)
     * @param steps     Lanczos steps, both runs together
     * @param converged both runs met the tolerance
     * @param dimension P_trained
     */
    public record Norm(double norm, double largest, double smallest, double residual, double errorBound, int steps,
            boolean converged, int dimension) {
    }

    /** The output {@code a} of the network as a "loss": gradient e_a in every row, no curvature. */
    static OutputCurvature output(int a) {
        return new OutputCurvature() {
            @Override
            public double gradient(Matrix out, Matrix grad) {
                grad.fill(0.0);
                double s = 0;
                for (int i = 0; i < out.rows(); i++) {
                    grad.set(i, a, 1.0);
                    s += out.get(i, a);
                }
                return s;
            }

            @Override
            public void hessianVector(Matrix out, Matrix rOut, Matrix result) {
                result.fill(0.0);
            }
        };
    }

    private static void checkOneInput(Network net, Matrix x, int output) {
        if (x.rows() != 1) {
            throw new IllegalArgumentException("one input (a 1 × d row) per Hessian, got " + x.rows() + " rows");
        }
        if (output < 0 || output >= net.widths()[net.layers()]) {
            throw new IllegalArgumentException("output " + output + " of " + net.widths()[net.layers()]);
        }
    }

    /** result ← H_f·v in the parameter layout (v's frozen blocks are ignored, the result's are 0). */
    public static void apply(Network net, Matrix x, int output, Matrix v, Matrix result) {
        checkOneInput(net, x, output);
        HessianVector.apply(net, x, output(output), v, result);
    }

    /** ∇_w f_a(x) in the parameter layout (frozen blocks 0). */
    public static void gradient(Network net, Matrix x, int output, Matrix result) {
        checkOneInput(net, x, output);
        result.fill(0.0);
        try (Workspace ws = net.workspace(1)) {
            Matrix out = net.forward(x, ws);
            Matrix dOut = Matrix.zeros(1, out.cols());
            dOut.set(0, output, 1.0);
            net.backward(x, ws, dOut, result, 1.0, 0.0);
            dOut.close();
        }
    }

    /** ‖∇_w f_a(x)‖² over the trained layers: the tangent kernel's diagonal K(x, x). */
    public static double gradientNormSq(Network net, Matrix x, int output) {
        try (Matrix g = net.newParameterVector()) {
            gradient(net, x, output, g);
            return Vectors.dot(g, g);
        }
    }

    /** ‖H_f‖₂ at the net's current weights with {@link #TOLERANCE} and {@link #MAX_ITERATIONS}. */
    public static Norm spectralNorm(Network net, Matrix x, int output, long seed) {
        return spectralNorm(net, x, output, Lanczos.Criterion.RESIDUAL, TOLERANCE, MAX_ITERATIONS, seed);
    }

    /**
     * ‖H_f‖₂ at the net's current weights, from both ends of the spectrum; each Lanczos run stops when its leading
     * pair meets {@code criterion} with {@code tol} (relative) or after {@code maxIter} steps. Two Ritz pairs are
     * kept so that {@link Lanczos.Criterion#VALUE}'s gap to the next Ritz value exists (with one, the gap would be
     * infinite and the bound 0 at the first step).
     */
    public static Norm spectralNorm(Network net, Matrix x, int output, Lanczos.Criterion criterion, double tol,
            int maxIter, long seed) {
        checkOneInput(net, x, output);
        TrainedCoordinates coords = new TrainedCoordinates(net);
        int p = coords.dimension();
        OutputCurvature curvature = output(output);
        try (Matrix full = net.newParameterVector(); Matrix hv = net.newParameterVector()) {
            double[] ends = new double[2];
            double residual = 0;
            double bound = 0;
            int steps = 0;
            boolean converged = true;
            for (int sign = 0; sign < 2; sign++) {
                double s = sign == 0 ? 1.0 : -1.0;
                Lanczos.Operator op = (v, out) -> {
                    coords.unpack(v, full);
                    HessianVector.apply(net, x, curvature, full, hv);
                    coords.pack(hv, out);
                    if (s < 0) {
                        Vectors.scale(-1.0, out);
                    }
                };
                Lanczos.Result r = Lanczos.run(op, p, Math.min(2, p), 1, criterion, tol, Math.min(p, maxIter),
                        seed + sign);
                ends[sign] = s * r.ritz()[0].value();
                residual = Math.max(residual, r.ritz()[0].residual());
                bound = Math.max(bound, r.errorBounds()[0]);
                steps += r.steps();
                converged &= r.converged();
            }
            return new Norm(Math.max(ends[0], -ends[1]), ends[0], ends[1], residual, bound, steps, converged, p);
        }
    }
}
