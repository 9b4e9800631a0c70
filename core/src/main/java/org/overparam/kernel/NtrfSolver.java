package org.overparam.kernel;

import java.util.BitSet;
import org.overparam.InputError;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Vectors;
import org.overparam.nn.Network;
import org.overparam.nn.Parameterization;
import org.overparam.train.Loss;

/**
 * ε_NTRF(R): the best logistic loss of the neural tangent random feature model (Chen, Cao, Zou &amp; Gu, ICLR 2021,
 * Definition 3.1: F(W0, R) = {f_{W0}(·) + ⟨∇f_{W0}(·), Δ⟩ : ‖Δ_l‖_F ≤ R·m^{−1/2} for every layer l}; their ε_NTRF is the
 * infimum over that class of L_S = (1/n) Σ log(1 + exp(−y_i F(x_i)))). A convex problem in Δ over a product of
 * Frobenius balls, solved by FISTA (Beck &amp; Teboulle 2009) with backtracking on the smoothness constant and
 * function-value restarts (O'Donoghue &amp; Candès 2015), using only J·v and Jᵀ·r ({@link LinearizedNet}).
 *
 * <p>Certificate: for convex φ over a compact convex C, φ(Δ) − min_C φ ≤ max_{S ∈ C} ⟨∇φ(Δ), Δ − S⟩ =
 * ⟨g, Δ⟩ + τ Σ_l ‖g_l‖_F (the Frank–Wolfe gap; the minimum of ⟨g_l, S_l⟩ over the ball is −τ‖g_l‖_F). The solver
 * stops when this gap is ≤ the tolerance, so the reported objective is within the tolerance of ε_NTRF.
 */
public final class NtrfSolver {
    private final double tolerance;
    private final int maxIterations;
    private final int checkEvery;

    /**
     * @param tolerance     stop when the certified gap is at most this (absolute, in loss units)
     * @param maxIterations give up after this many iterations (the result then says converged = false)
     */
    public NtrfSolver(double tolerance, int maxIterations) {
        if (!(tolerance > 0) || maxIterations < 1) {
            throw new IllegalArgumentException("need tolerance > 0 and maxIterations >= 1");
        }
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.checkEvery = 5;
    }

    /** Gap 1e-4, at most 3000 iterations. */
    public static NtrfSolver defaults() {
        return new NtrfSolver(1e-4, 3000);
    }

    /**
     * ε_NTRF(R) for a chen2021 network (τ = R/√m with m its hidden width); labels y are n × 1 in {±1}.
     * {@code delta} (parameter layout, or null) receives the minimizer Δ = W − W0.
     */
    public NtrfResult solve(LinearizedNet lin, Matrix y, double radius, Matrix delta) {
        Network net = lin.network();
        if (net.spec().parameterization() != Parameterization.CHEN2021) {
            throw new InputError("the NTRF radius R/sqrt(m) is in the units of Chen et al.'s model: use the chen2021 "
                    + "parameterization, got " + net.spec().parameterization().cliName());
        }
        if (!(radius >= 0) || !Double.isFinite(radius)) {
            throw new InputError("the NTRF radius R must be finite and >= 0, got " + radius);
        }
        double tau = radius / Math.sqrt(net.widths()[1]);
        NtrfResult r = solveBall(lin, y, tau, delta);
        return new NtrfResult(radius, tau, r.objective(), r.gap(), r.tolerance(), r.iterations(), r.converged(),
                r.initialLoss(), r.accuracy(), r.maxLayerNorm());
    }

    /** The same problem with the per-layer Frobenius radius τ given directly (radius is reported as NaN). */
    public NtrfResult solveBall(LinearizedNet lin, Matrix y, double tau, Matrix deltaOut) {
        int n = lin.n();
        if (y.rows() != n || y.cols() != 1 || lin.f0().cols() != 1) {
            throw new IllegalArgumentException("need one output and n x 1 labels");
        }
        BitSet layers = lin.trainedLayers();
        try (Matrix x = lin.newParameterVector(); Matrix xPrev = lin.newParameterVector();
                Matrix z = lin.newParameterVector(); Matrix cand = lin.newParameterVector();
                Matrix grad = lin.newParameterVector(); Matrix step = lin.newParameterVector();
                Matrix jx = Matrix.zeros(n, 1); Matrix jxPrev = Matrix.zeros(n, 1); Matrix jz = Matrix.zeros(n, 1);
                Matrix jc = Matrix.zeros(n, 1); Matrix out = Matrix.zeros(n, 1); Matrix dOut = Matrix.zeros(n, 1)) {
            double initial = objective(lin, y, jx, out, null);
            double fx = initial;
            double t = 1;
            // Initial smoothness estimate: the curvature of φ ≤ (1/(4n))‖J g‖²/‖g‖² along the first gradient g
            // (ℓ'' ≤ 1/4); backtracking doubles it whenever the sufficient-decrease test fails.
            objective(lin, y, jx, out, dOut);
            lin.vjp(dOut, grad);
            double gg = Vectors.dot(grad, grad);
            double lip = 1e-12;
            if (gg > 0) {
                lin.jvp(grad, jc);
                lip = Math.max(lip, Vectors.dot(jc, jc) / (4.0 * n * gg));
            }
            double gap = tau == 0 ? 0.0 : Double.POSITIVE_INFINITY;
            long it = 0;
            while (it < maxIterations && tau > 0) {
                if (it % checkEvery == 0) {
                    gap = gap(lin, y, x, jx, tau, layers, out, dOut, grad);
                    if (gap <= tolerance) {
                        break;
                    }
                }
                it++;
                // z = x + β(x − xPrev), and Jz by linearity from Jx, JxPrev (no extra JVP)
                double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
                double beta = (t - 1) / tNext;
                combine(x, xPrev, beta, z);
                combine(jx, jxPrev, beta, jz);
                double fz = objective(lin, y, jz, out, dOut);
                lin.vjp(dOut, grad);
                double fc;
                while (true) {
                    cand.copyFrom(z);
                    Vectors.axpy(-1.0 / lip, grad, cand);
                    project(lin, cand, tau, layers);
                    step.copyFrom(cand);
                    Vectors.axpy(-1.0, z, step);
                    lin.jvp(cand, jc);
                    fc = objective(lin, y, jc, out, null);
                    double model = fz + Vectors.dot(grad, step) + 0.5 * lip * Vectors.dot(step, step);
                    if (fc <= model + 1e-14 * Math.abs(fz) || lip > 1e300) {
                        break;
                    }
                    lip *= 2;
                }
                if (fc > fx) {
                    // function-value restart: drop the momentum and take a plain projected step from x next time
                    t = 1;
                    xPrev.copyFrom(x);
                    jxPrev.copyFrom(jx);
                    continue;
                }
                xPrev.copyFrom(x);
                jxPrev.copyFrom(jx);
                x.copyFrom(cand);
                jx.copyFrom(jc);
                fx = fc;
                t = tNext;
            }
            if (tau > 0 && it >= maxIterations) {
                gap = gap(lin, y, x, jx, tau, layers, out, dOut, grad);
            }
            double acc = accuracy(lin, y, jx);
            double maxNorm = 0;
            for (int l = layers.nextSetBit(0); l >= 0; l = layers.nextSetBit(l + 1)) {
                maxNorm = Math.max(maxNorm, lin.layerBlock(x, l).frobenius());
            }
            if (deltaOut != null) {
                deltaOut.copyFrom(x);
            }
            return new NtrfResult(Double.NaN, tau, fx, gap, tolerance, it, gap <= tolerance, initial, acc, maxNorm);
        }
    }

    /** φ at the linear model output f0 + jv; writes ∂φ/∂F into dOut when it is not null. */
    private static double objective(LinearizedNet lin, Matrix y, Matrix jv, Matrix out, Matrix dOut) {
        out.copyFrom(lin.f0());
        Vectors.axpy(1.0, jv, out);
        return dOut == null ? Loss.LOGISTIC.value(out, y) : Loss.LOGISTIC.gradient(out, y, dOut);
    }

    /** The Frank–Wolfe gap ⟨g, x⟩ + τ Σ_l ‖g_l‖_F at x (g written into grad). */
    private static double gap(LinearizedNet lin, Matrix y, Matrix x, Matrix jx, double tau, BitSet layers, Matrix out,
            Matrix dOut, Matrix grad) {
        objective(lin, y, jx, out, dOut);
        lin.vjp(dOut, grad);
        double g = Vectors.dot(grad, x);
        for (int l = layers.nextSetBit(0); l >= 0; l = layers.nextSetBit(l + 1)) {
            g += tau * lin.layerBlock(grad, l).frobenius();
        }
        return Math.max(0.0, g);
    }

    /** Projects each trained layer's block onto the Frobenius ball of radius τ (frozen blocks set to 0). */
    static void project(LinearizedNet lin, Matrix v, double tau, BitSet layers) {
        for (int l = 0; l < lin.network().layers(); l++) {
            Matrix block = lin.layerBlock(v, l);
            if (!layers.get(l)) {
                block.fill(0.0);
                continue;
            }
            double norm = block.frobenius();
            if (norm > tau) {
                Vectors.scale(tau / norm, block);
            }
        }
    }

    /** out ← a + β(a − b). */
    private static void combine(Matrix a, Matrix b, double beta, Matrix out) {
        out.copyFrom(a);
        Vectors.scale(1 + beta, out);
        Vectors.axpy(-beta, b, out);
    }

    private static double accuracy(LinearizedNet lin, Matrix y, Matrix jx) {
        int correct = 0;
        for (int i = 0; i < y.rows(); i++) {
            correct += y.get(i, 0) * (lin.f0().get(i, 0) + jx.get(i, 0)) > 0 ? 1 : 0;
        }
        return correct / (double) y.rows();
    }
}
