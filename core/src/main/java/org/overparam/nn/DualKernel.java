package org.overparam.nn;

/**
 * The dual of an activation φ: how a centred Gaussian pair (u, v) with covariance
 * [[k11, k12], [k12, k22]] is carried through φ in the infinite-width limit. These are the maps that
 * neural-tangents' {@code stax} elementwise layers apply in their {@code kernel_fn}
 * ({@code neural_tangents/_src/stax/elementwise.py}): NNGP ← E[φ(u)φ(v)], NTK ← E[φ'(u)φ'(v)]·NTK, and the
 * variances cov1/cov2 ← E[φ(u)²].
 *
 * <p>An {@link Activation} offers its closed form through {@link Activation#dual()}; {@link QuadratureDual}
 * is the numerical fallback for the others.
 */
public interface DualKernel {
    /** E[φ(u)φ(v)]. */
    double nngp(double k11, double k22, double k12);

    /** E[φ'(u)φ'(v)], the factor that multiplies the NTK (φ' as in backpropagation: 0 for step). */
    double ntkFactor(double k11, double k22, double k12);

    /** E[φ(u)²] for u ~ N(0, k11). */
    double diagonal(double k11);

    /**
     * Both maps at once (closed forms share the angle): returns E[φ(u)φ(v)] and stores E[φ'(u)φ'(v)] in
     * {@code factor[0]}.
     */
    default double nngpAndFactor(double k11, double k22, double k12, double[] factor) {
        factor[0] = ntkFactor(k11, k22, k12);
        return nngp(k11, k22, k12);
    }

    /** True when the maps are exact closed forms, false when computed by quadrature. */
    default boolean closedForm() {
        return true;
    }

    /** One line naming the formula (or the quadrature and its node count), for provenance. */
    String describe();
}
