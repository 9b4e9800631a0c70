package org.overparam.linalg;

/**
 * The project's one numerical-rank rule: rank = #{σ_i > tol}, with the default tolerance
 * tol = max(rows, cols)·ε·σ_1 — the rule of numpy's {@code matrix_rank} (and of Golub–Van Loan, §5.5.8).
 *
 * <p>When only a Gram matrix G = AᵀA (or AAᵀ) is available its eigenvalues are σ_i², so the rank is read
 * from √λ_i with the same tolerance; that squares the condition number, and the result says so.
 */
public final class Rank {
    private Rank() {
    }

    /** How a rank was computed: from singular values of A, or from eigenvalues of a Gram of A. */
    public enum Source {
        SVD("singular values of the matrix"),
        GRAM_EIGENVALUES("eigenvalues of the Gram matrix (squares the condition number: small singular values below ~sqrt(eps)*s1 are lost)");

        private final String description;

        Source(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** A rank with the rule and tolerance that produced it, so every output can state them. */
    public record Result(int rank, double tolerance, String rule, Source source, double largestSingularValue) {
        public String describe() {
            return "rank " + rank + " = #{sigma_i > " + tolerance + "} (" + rule + ", from " + source.description() + ")";
        }
    }

    public static final String DEFAULT_RULE = "tol = max(rows, cols) * eps * sigma_1 (numpy matrix_rank)";

    /** The default tolerance for a rows×cols matrix with largest singular value σ_1. */
    public static double defaultTolerance(int rows, int cols, double sigma1) {
        return Math.max(rows, cols) * Math.ulp(1.0) * sigma1;
    }

    /** Rank from singular values (any order); {@code tolOverride} ≤ 0 or NaN selects the default rule. */
    public static Result fromSingularValues(double[] sigma, int rows, int cols, double tolOverride) {
        double s1 = 0;
        for (double s : sigma) {
            s1 = Math.max(s1, s);
        }
        boolean custom = tolOverride > 0;
        double tol = custom ? tolOverride : defaultTolerance(rows, cols, s1);
        int r = 0;
        for (double s : sigma) {
            if (s > tol) {
                r++;
            }
        }
        return new Result(r, tol, custom ? "tol set by --rank-tol" : DEFAULT_RULE, Source.SVD, s1);
    }

    /** Rank of A (rows×cols) by its SVD. */
    public static Result of(Matrix a, double tolOverride) {
        return fromSingularValues(Lapack.singularValues(a), a.rows(), a.cols(), tolOverride);
    }

    public static final String GRAM_RULE = "lambda_i > n*eps*lambda_max on the Gram's eigenvalues (numpy "
            + "matrix_rank(G, hermitian=True)); on the factor this is sigma_i > sqrt(n*eps)*sigma_1";

    /**
     * Rank of A read from the eigenvalues λ_i = σ_i² of its n×n Gram, for when A itself does not fit in
     * memory. The rule is applied to G as a matrix (λ_i &gt; n·ε·λ_max, what numpy's matrix_rank does for a
     * Hermitian matrix): eigenvalues of G below ~n·ε·λ_max are rounding noise, so singular values of A below
     * ~√(nε)·σ_1 cannot be resolved this way — the squared condition number the result's source names.
     * {@code tolOverride} > 0 is a tolerance on singular values (as for the SVD) and is squared.
     *
     * @return a result whose {@code tolerance} is on the eigenvalues λ
     */
    public static Result fromGramEigenvalues(double[] lambda, int rows, int cols, double tolOverride) {
        double lmax = 0;
        for (double l : lambda) {
            lmax = Math.max(lmax, l);
        }
        boolean custom = tolOverride > 0;
        double tol = custom ? tolOverride * tolOverride : lambda.length * Math.ulp(1.0) * lmax;
        int r = 0;
        for (double l : lambda) {
            if (l > tol) {
                r++;
            }
        }
        return new Result(r, tol, custom ? "lambda_i > (--rank-tol)^2 on the Gram's eigenvalues" : GRAM_RULE,
                Source.GRAM_EIGENVALUES, Math.sqrt(lmax));
    }
}
