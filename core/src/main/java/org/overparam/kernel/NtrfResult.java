package org.overparam.kernel;

/**
 * One solve of the NTRF problem (Chen, Cao, Zou &amp; Gu, ICLR 2021, Definition 3.1):
 * ε_NTRF(R) = min over ‖Δ_l‖_F ≤ τ = R/√m (every layer l) of (1/n) Σ_i log(1 + exp(−y_i (f_{W0}(x_i) + ⟨∇f_{W0}(x_i), Δ⟩))).
 *
 * @param radius       R (their units)
 * @param tau          the per-layer Frobenius radius τ = R/√m actually imposed
 * @param objective    the objective at the returned Δ (an upper bound on ε_NTRF)
 * @param gap          the Frank–Wolfe duality gap at Δ, ⟨g, Δ⟩ + τ Σ_l ‖g_l‖_F with g the gradient: a certified
 *                     bound objective − ε_NTRF ≤ gap (convexity), so ε_NTRF ∈ [objective − gap, objective]
 * @param tolerance    the gap the solver was asked to reach
 * @param iterations   accelerated projected-gradient iterations taken
 * @param converged    gap ≤ tolerance
 * @param initialLoss  the objective at Δ = 0, i.e. the logistic loss of f(W0)
 * @param accuracy     the fraction of training points with y_i F(x_i) &gt; 0 at Δ
 * @param maxLayerNorm max_l ‖Δ_l‖_F (≤ τ up to rounding)
 */
public record NtrfResult(double radius, double tau, double objective, double gap, double tolerance, long iterations,
        boolean converged, double initialLoss, double accuracy, double maxLayerNorm) {

    /** The certified lower end objective − gap of the interval holding ε_NTRF (never below 0). */
    public double lowerBound() {
        return Math.max(0.0, objective - gap);
    }
}
