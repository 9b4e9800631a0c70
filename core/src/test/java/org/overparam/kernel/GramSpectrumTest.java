package org.overparam.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.linalg.RandomMatrices.gaussian;

import org.junit.jupiter.api.Test;
import org.overparam.linalg.Blas;
import org.overparam.linalg.Lapack;
import org.overparam.linalg.Matrix;

/** Lanczos and shift-invert estimates against dsyevd on the same Grams. */
class GramSpectrumTest {
    @Test
    void iterativeEstimatesMatchDenseEigenvaluesWithSmallResiduals() {
        Matrix a = gaussian(300, 400, 1);
        Matrix g = Blas.gramRows(a); // positive definite, moderately conditioned
        double[] ev = Lapack.symmetricEigenvalues(g);
        GramSpectrum dense = GramSpectrum.of(g, 300, 400, 0, Integer.MAX_VALUE);
        GramSpectrum iter = GramSpectrum.of(g, 300, 400, 0, 10);
        assertNull(iter.eigenvalues());
        assertEquals(ev[0], dense.lambdaMin(), 1e-12 * ev[299]);
        assertEquals(ev[299], iter.lambdaMax(), 1e-9 * ev[299]);
        assertEquals(ev[0], iter.lambdaMin(), 1e-6 * ev[0]);
        assertTrue(iter.lambdaMinResidual() < 1e-6 * ev[299], "residual " + iter.lambdaMinResidual());
        assertTrue(iter.method().contains("Cholesky"));
        for (int i = 0; i < 5; i++) {
            assertEquals(ev[299 - i], iter.largest()[i], 1e-8 * ev[299]);
        }
        assertEquals(300, dense.rank());
        assertEquals(300, iter.rank());
        assertEquals(ev[299] / ev[0], dense.conditionNumber(), 1e-9 * dense.conditionNumber());
    }

    @Test
    void singularGramIsDetectedOnBothPaths() {
        Matrix a = gaussian(200, 150, 2); // rank 150 Gram of size 200
        Matrix g = Blas.gramRows(a);
        GramSpectrum dense = GramSpectrum.of(g, 200, 150, 0, Integer.MAX_VALUE);
        assertEquals(150, dense.rank());
        GramSpectrum iter = GramSpectrum.of(g, 200, 150, 0, 10);
        assertNull(iter.rank(), iter.rankNote());
        assertTrue(iter.lambdaMin() < 1e-8 * iter.lambdaMax(), "lambda_min " + iter.lambdaMin());
        assertEquals(dense.lambdaMax(), iter.lambdaMax(), 1e-9 * dense.lambdaMax());
    }

    /**
     * λmin of an ill-conditioned 600×600 Gram (condition number 1e6, the two smallest eigenvalues 1 % apart) by
     * shift-invert Lanczos meets relative accuracy 1e-6 against dsyevd, and its error bound says so. dsyevd's own
     * error, ~ε‖G‖, is ~1e-10 of λmin here.
     */
    @Test
    void lambdaMinMeetsRelativeAccuracyOnAnIllConditionedGram() {
        int n = 600;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = Math.pow(10, 6.0 * i / (n - 1)); // 1 … 1e6
        }
        lambda[1] = 1.01; // a close second smallest: the slow case for Lanczos
        try (Matrix r = gaussian(n, n, 7)) {
            var svd = Lapack.svd(r);
            Matrix b = svd.u();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    b.set(i, j, b.get(i, j) * Math.sqrt(lambda[j]));
                }
            }
            Matrix g = Blas.gramRows(b);
            double[] ev = Lapack.symmetricEigenvalues(g);
            GramSpectrum iter = GramSpectrum.of(g, n, n, 0, 10);
            double rel = Math.abs(iter.lambdaMin() - ev[0]) / ev[0];
            assertTrue(rel <= 1e-6, "lambda_min " + iter.lambdaMin() + " vs dsyevd " + ev[0] + ": relative " + rel);
            assertTrue(iter.lambdaMinErrorBound() <= 1e-6 * iter.lambdaMin(), iter.describe());
            assertTrue(Math.abs(iter.lambdaMin() - ev[0]) <= 10 * iter.lambdaMinErrorBound() + 1e-12 * ev[0],
                    "error " + Math.abs(iter.lambdaMin() - ev[0]) + " vs bound " + iter.lambdaMinErrorBound());
            assertEquals(ev[n - 1], iter.lambdaMax(), 1e-8 * ev[n - 1]);
            assertEquals(n, iter.rank());
        }
    }
}
