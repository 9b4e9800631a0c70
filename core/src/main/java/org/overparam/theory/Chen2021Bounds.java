package org.overparam.theory;

/**
 * The bounds of Chen, Cao, Zou &amp; Gu, <i>How much over-parameterization is sufficient to learn deep ReLU
 * networks?</i>, ICLR 2021 (arXiv 1911.12360), for their model f = √m·W_L σ(⋯σ(W_1 x)) with logistic loss
 * L_S = (1/n) Σ log(1 + e^{−y f(x)}) and ε_NTRF = ε_NTRF(R) of Definition 3.1 ({@link org.overparam.kernel.NtrfSolver}).
 *
 * <p>Source caveat: the stored copies of the paper reachable from this project's search (ICLR text, arXiv source,
 * ar5iv) return only the abstract and introduction, not Sections 3–4. The statements below are those of arXiv v4
 * as the author of this class knows them, NOT verified against the stored text; re-check the constants 3 and 2,
 * the exponent of 4^L and the form of T before relying on them:
 * <ul>
 * <li>Theorem 3.3 (GD): if m ≥ m*(δ, R, L) = Õ(poly(R, L))·log^{4/3}(n/δ), then with probability ≥ 1 − δ GD with
 * η = Θ(L^{−1} m^{−1}) reaches training loss ≤ 3·ε_NTRF within T = O(L² R² / ε_NTRF) iterations. poly(R, L), the
 * Θ in η and the O in T are unspecified: "order only".</li>
 * <li>Theorem 3.5 (generalization of GD): under the same conditions the expected 0-1 error of the GD iterate is ≤
 * 2·ε_NTRF + Õ(4^L L² R / √n) + O(√(log(1/δ)/n)). The 2 is stated; the Õ and O constants and log factors are
 * not: evaluated here with constant 1 and no log factors ("order only").</li>
 * <li>Section 4 (Assumption 4.1, a Ji–Telgarsky-type NTRF margin γ): ε_NTRF(R) ≤ ε for R = Õ(log(n/δ) + log(1/ε))/γ,
 * so m* becomes polylog(n, 1/ε)·poly(L, 1/γ); the power of γ is not settled by the stored text.</li>
 * </ul>
 */
public final class Chen2021Bounds {
    private Chen2021Bounds() {
    }

    /** Theorem 3.3: the training loss GD reaches, 3·ε_NTRF (the constant 3 is stated). */
    public static double trainingLoss(double epsNtrf) {
        return 3 * epsNtrf;
    }

    /** Theorem 3.5 with the unstated constants set to 1: 2ε_NTRF + 4^L L² R/√n + √(log(1/δ)/n). */
    public static double testError(double epsNtrf, int depth, double radius, int n, double delta) {
        return 2 * epsNtrf + Math.pow(4, depth) * depth * depth * radius / Math.sqrt(n)
                + Math.sqrt(Math.log(1 / delta) / n);
    }

    /** Theorem 3.3's step size η = 1/(L m) with the unstated Θ-constant c: c/(L m). */
    public static double stepSize(double c, int depth, int width) {
        return c / ((double) depth * width);
    }
}
