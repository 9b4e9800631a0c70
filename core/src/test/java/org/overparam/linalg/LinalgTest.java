package org.overparam.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each BLAS/LAPACK wrapper against an independent computation: naive loops, identities, residuals. */
class LinalgTest {
    private static Matrix random(int r, int c, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[r * c];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble(-1, 1);
        }
        return Matrix.of(r, c, v);
    }

    /** The textbook triple loop: a reference, never used by the engine. */
    private static double[][] naive(double[][] a, double[][] b) {
        int m = a.length;
        int k = b.length;
        int n = b[0].length;
        double[][] c = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += a[i][t] * b[t][j];
                }
                c[i][j] = s;
            }
        }
        return c;
    }

    private static void assertClose(double[][] expected, Matrix actual, double tol) {
        assertEquals(expected.length, actual.rows());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual.row(i), tol, "row " + i);
        }
    }

    @Test
    void gemmMatchesNaiveForAllTransposes() {
        Matrix a = random(7, 5, 1);
        Matrix b = random(5, 4, 2);
        double[][] ref = naive(a.toRows(), b.toRows());
        assertClose(ref, Blas.multiply(a, b), 1e-13);
        assertClose(ref, Blas.multiply(a.transpose(), true, b, false), 1e-13);
        assertClose(ref, Blas.multiply(a, false, b.transpose(), true), 1e-13);
        assertClose(ref, Blas.multiply(a.transpose(), true, b.transpose(), true), 1e-13);
        // beta = 1 accumulates, alpha scales
        Matrix c = Blas.multiply(a, b);
        Blas.gemm(false, false, -2.0, a, b, 1.0, c);
        Vectors.scale(-1.0, c);
        assertClose(ref, c, 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Blas.multiply(a, a));
    }

    @Test
    void viewsAndRowBlocksShareMemory() {
        Matrix a = random(6, 3, 3);
        Matrix block = a.rowBlock(2, 5);
        assertArrayEquals(a.row(2), block.row(0));
        block.set(0, 1, 42.0);
        assertEquals(42.0, a.get(2, 1));
        Matrix b = random(3, 2, 4);
        Matrix prod = Blas.multiply(block, b);
        double[][] ref = naive(Arrays.copyOfRange(a.toRows(), 2, 5), b.toRows());
        assertClose(ref, prod, 1e-13);
        Matrix copy = block.copy();
        assertArrayEquals(block.toArray(), copy.toArray());
        assertEquals(Vectors.dot(block, block), Math.pow(block.frobenius(), 2), 1e-12);
    }

    @Test
    void gemvAndSyrk() {
        Matrix a = random(6, 4, 5);
        Matrix x = random(4, 1, 6);
        Matrix y = Matrix.zeros(6, 1);
        Blas.gemv(false, 1.0, a, x, 0.0, y);
        assertClose(naive(a.toRows(), x.toRows()), y, 1e-13);
        Matrix yt = Matrix.zeros(4, 1);
        Blas.gemv(true, 1.0, a, y, 0.0, yt);
        assertClose(naive(a.transpose().toRows(), y.toRows()), yt, 1e-13);
        assertClose(naive(a.toRows(), a.transpose().toRows()), Blas.gramRows(a), 1e-13);
        Matrix ata = Matrix.zeros(4, 4);
        Blas.syrk(true, 1.0, a, 0.0, ata);
        assertClose(naive(a.transpose().toRows(), a.toRows()), ata, 1e-13);
    }

    @Test
    void symmetricEigenReconstructsAndMatchesRanges() {
        Matrix a = random(8, 8, 7);
        Matrix s = Blas.multiply(a, false, a, true); // SPD-ish symmetric
        SymmetricEigen e = Lapack.symmetricEigen(s);
        double[] vals = Lapack.symmetricEigenvalues(s);
        assertArrayEquals(vals, e.values(), 1e-12);
        for (int i = 1; i < vals.length; i++) {
            assertTrue(vals[i] >= vals[i - 1]);
        }
        // A v = λ v for every pair, and VᵀV = I
        Matrix av = Blas.multiply(s, e.vectors());
        for (int j = 0; j < 8; j++) {
            for (int i = 0; i < 8; i++) {
                assertEquals(vals[j] * e.vectors().get(i, j), av.get(i, j), 1e-11);
            }
        }
        Matrix vtv = Blas.multiply(e.vectors(), true, e.vectors(), false);
        assertClose(Matrix.identity(8).toRows(), vtv, 1e-12);
        // trace = Σλ
        double tr = 0;
        for (int i = 0; i < 8; i++) {
            tr += s.get(i, i);
        }
        assertEquals(tr, Arrays.stream(vals).sum(), 1e-11);
        assertArrayEquals(Arrays.copyOfRange(vals, 0, 3), Lapack.smallestEigenvalues(s, 3), 1e-11);
        assertArrayEquals(Arrays.copyOfRange(vals, 6, 8), Lapack.largestEigenvalues(s, 2), 1e-11);
    }

    @Test
    void svdReconstructsAndSquaresToGramEigenvalues() {
        Matrix a = random(9, 5, 8);
        Svd svd = Lapack.svd(a);
        double[] s = svd.singularValues();
        Matrix us = svd.u().copy();
        for (int i = 0; i < us.rows(); i++) {
            for (int j = 0; j < us.cols(); j++) {
                us.set(i, j, us.get(i, j) * s[j]);
            }
        }
        assertClose(a.toRows(), Blas.multiply(us, svd.vt()), 1e-12);
        assertArrayEquals(s, Lapack.singularValues(a), 1e-12);
        double[] lam = Lapack.symmetricEigenvalues(Blas.multiply(a, true, a, false));
        for (int i = 0; i < 5; i++) {
            assertEquals(s[i] * s[i], lam[4 - i], 1e-11);
        }
    }

    @Test
    void leastSquaresSatisfiesNormalEquations() {
        Matrix a = random(12, 4, 9);
        Matrix b = random(12, 2, 10);
        Matrix x = Lapack.leastSquares(a, b);
        Matrix r = Blas.multiply(a, x);
        Vectors.axpy(-1.0, b, r);
        Matrix atr = Blas.multiply(a, true, r, false);
        for (double v : atr.toArray()) {
            assertEquals(0.0, v, 1e-12);
        }
    }

    @Test
    void choleskySolvesAndRejectsIndefinite() {
        Matrix a = random(6, 6, 11);
        Matrix spd = Blas.multiply(a, false, a, true);
        for (int i = 0; i < 6; i++) {
            spd.set(i, i, spd.get(i, i) + 1.0);
        }
        Cholesky c = Lapack.cholesky(spd);
        assertClose(spd.toRows(), Blas.multiply(c.lower(), false, c.lower(), true), 1e-12);
        Matrix b = random(6, 3, 12);
        Matrix x = c.solve(b);
        assertClose(b.toRows(), Blas.multiply(spd, x), 1e-11);
        Matrix indefinite = Matrix.of(2, 2, 1, 2, 2, 1);
        assertNull(Lapack.cholesky(indefinite));
    }

    @Test
    void rankFollowsNumpyRule() {
        // rank-2 product of 6x2 and 2x5: numpy.linalg.matrix_rank gives 2
        Matrix low = Blas.multiply(random(6, 2, 13), random(2, 5, 14));
        Rank.Result r = Rank.of(low, 0);
        assertEquals(2, r.rank());
        assertEquals(6 * Math.ulp(1.0) * r.largestSingularValue(), r.tolerance(), 1e-30);
        assertTrue(r.describe().contains("numpy"));
        assertEquals(5, Rank.of(random(6, 5, 15), 0).rank());
        // an explicit tolerance above all singular values gives rank 0
        assertEquals(0, Rank.of(low, 1e6).rank());
        // from Gram eigenvalues: same rank here, flagged as such
        double[] lam = Lapack.symmetricEigenvalues(Blas.multiply(low, true, low, false));
        Rank.Result g = Rank.fromGramEigenvalues(lam, 6, 5, 0);
        assertEquals(Rank.Source.GRAM_EIGENVALUES, g.source());
        assertEquals(2, g.rank()); // the Gram rule n*eps*lambda_max on G itself
        assertTrue(g.rule().contains("hermitian"));
    }

    @Test
    void threadsAreSetInCode() {
        Blas.setThreads(1);
        assertEquals(1, Blas.threads());
        assertTrue(Blas.describe().contains("OpenBLAS 0.3"), Blas.describe());
        Blas.setThreads(Runtime.getRuntime().availableProcessors());
    }
}
