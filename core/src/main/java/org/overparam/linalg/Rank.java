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

    /**
     * Rank of A read from the eigenvalues λ_i of its Gram matrix (σ_i = √max(λ_i, 0)), for when A itself does
     * not fit in memory; {@code rows, cols} are A's shape.
     */
    public static Result fromGramEigenvalues(double[] lambda, int rows, int cols, double tolOverride) {
        double[] sigma = new double[lambda.length];
        for (int i = 0; i < lambda.length; i++) {
            sigma[i] = Math.sqrt(Math.max(lambda[i], 0.0));
        }
        Result r = fromSingularValues(sigma, rows, cols, tolOverride);
        return new Result(r.rank(), r.tolerance(), r.rule(), Source.GRAM_EIGENVALUES, r.largestSingularValue());
    }
}
