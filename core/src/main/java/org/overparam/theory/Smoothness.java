package org.overparam.theory;

import org.overparam.linalg.Lanczos;
import org.overparam.linalg.Matrix;
import org.overparam.nn.HessianVector;
import org.overparam.nn.Model;
import org.overparam.nn.Network;
import org.overparam.nn.OutputCurvature;
import org.overparam.train.Loss;

/**
 * The local smoothness estimate β̂(w) = λmax(∇²L(w)), the largest (algebraic) eigenvalue of the training
 * loss's Hessian in the trained parameters, by Lanczos ({@link Lanczos#largest}) on exact Hessian-vector
 * products ({@link HessianVector#apply}, Pearlmutter's R-operator). Frozen layers are not coordinates: the
 * operator acts on the P_trained-dimensional space of trained parameters.
 *
 * <p>The largest algebraic eigenvalue is what the descent lemma needs (L(w − ηg) ≤ L(w) − η(1 − ηβ/2)‖g‖²
 * uses only an upper bound β on the curvature along the step); at non-convex points it can be smaller than
 * the spectral norm max|λ|. It is a value at one point: β of a theorem is a bound over a region, so
 * β̂ sampled at a few iterates is an estimate (from below) of that β.
 */
public final class Smoothness {
    /** Lanczos stops when the residual is below this fraction of |λ|. */
    public static final double TOLERANCE = 1e-8;
    /** Lanczos steps at most (and at most P_trained). */
    public static final int MAX_ITERATIONS = 200;

    private Smoothness() {
    }

    /**
     * @param beta      the estimate of λmax(∇²L(w))
     * @param residual  ‖∇²L·v − β̂v‖ for the returned unit Ritz vector v (the accuracy shown, not assumed)
     * @param dimension P_trained, the number of trained parameters
     */
    public record Estimate(double beta, double residual, int dimension) {
    }

    /** β̂ at the net's current weights for {@code loss} on (x, y). */
    public static Estimate largestEigenvalue(Network net, Matrix x, Matrix y, Loss loss) {
        TrainedCoordinates coords = new TrainedCoordinates(net);
        int p = coords.dimension();
        OutputCurvature curvature = loss.bind(y);
        try (Matrix full = net.newParameterVector(); Matrix hv = net.newParameterVector()) {
            Lanczos.Operator op = (v, out) -> {
                coords.unpack(v, full);
                HessianVector.apply(net, x, curvature, full, hv);
                coords.pack(hv, out);
            };
            Lanczos.Ritz[] r = Lanczos.largest(op, p, 1, TOLERANCE, Math.min(p, MAX_ITERATIONS), 12345L);
            return new Estimate(r[0].value(), r[0].residual(), p);
        }
    }

    /**
     * β̂ for any network: {@link #largestEigenvalue(Network, Matrix, Matrix, Loss)} for a fully connected one, else
     * Lanczos on Hessian-vector products by differences of exact gradients ({@link HessianVector#byGradientDifferences})
     * in every parameter.
     */
    public static Estimate largestEigenvalue(Model net, Matrix x, Matrix y, Loss loss) {
        if (net instanceof Network n) {
            return largestEigenvalue(n, x, y, loss);
        }
        int p = (int) net.parameterCount();
        OutputCurvature curvature = loss.bind(y);
        Lanczos.Operator op = (v, out) -> HessianVector.byGradientDifferences(net, x, curvature, v, out);
        Lanczos.Ritz[] r = Lanczos.largest(op, p, 1, TOLERANCE, Math.min(p, MAX_ITERATIONS), 12345L);
        return new Estimate(r[0].value(), r[0].residual(), p);
    }

    /** β̂ for the setup's network, data and loss. */
    public static Estimate largestEigenvalue(Setup s) {
        return largestEigenvalue(s.net(), s.x(), s.y(), s.loss());
    }
}
