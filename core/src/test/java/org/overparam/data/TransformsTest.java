package org.overparam.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.overparam.InputError;
import org.overparam.io.NdArray;

class TransformsTest {

    static Dataset classes(int n, int d, int k) {
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
        }
        return new Dataset(NdArray.of(x, n, d), NdArray.of(y, n), "test");
    }

    @Test
    void corruptLabelsChangesAboutPTimesNineTenths() {
        Dataset ds = classes(10_000, 2, 10);
        Dataset c = Transforms.corruptLabels(ds, 0.3, 10, 7);
        assertEquals(c, Transforms.corruptLabels(ds, 0.3, 10, 7));
        int changed = 0;
        for (int i = 0; i < ds.n(); i++) {
            if (c.y().get(i) != ds.y().get(i)) {
                changed++;
            }
            assertTrue(c.y().get(i) >= 0 && c.y().get(i) < 10);
        }
        // 3000 rows are redrawn; a redrawn label coincides with the original with probability 1/10
        assertEquals(2700, changed, 90);
        assertSame(ds.x(), c.x());
        assertEquals(ds.y(), Transforms.corruptLabels(ds, 0, 10, 7).y());
        assertThrows(InputError.class, () -> Transforms.corruptLabels(ds, 1.5, 10, 1));
        Dataset unlabeled = Dataset.unlabeled(ds.x(), "u");
        assertThrows(InputError.class, () -> Transforms.corruptLabels(unlabeled, 0.5, 10, 1));
    }

    @Test
    void shufflePixelsUsesOnePermutation() {
        Dataset ds = classes(5, 8, 2);
        Dataset s = Transforms.shufflePixels(ds, 3);
        assertEquals(s, Transforms.shufflePixels(ds, 3));
        int[] perm = new int[8];
        for (int j = 0; j < 8; j++) {
            perm[j] = (int) s.x().get(0, j); // row 0 holds 0..7, so its values are the permutation
        }
        int[] sorted = perm.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, sorted);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 8; j++) {
                assertEquals(ds.x().get(i, perm[j]), s.x().get(i, j));
            }
        }
        assertEquals(ds.y(), s.y());
    }

    @Test
    void randomPixelsPermutesEachRowIndependently() {
        Dataset ds = classes(50, 30, 2);
        Dataset s = Transforms.randomPixels(ds, 3);
        boolean differentPerms = false;
        for (int i = 0; i < 50; i++) {
            double[] a = ds.row(i);
            double[] b = s.row(i);
            Arrays.sort(a);
            double[] bs = b.clone();
            Arrays.sort(bs);
            assertArrayEquals(a, bs, "row " + i + " is a permutation of itself");
            if (i > 0 && b[0] - ds.row(i)[0] != s.row(0)[0] - ds.row(0)[0]) {
                differentPerms = true;
            }
        }
        assertTrue(differentPerms);
    }

    @Test
    void gaussianInputsMatchScalarMeanAndVariance() {
        Dataset ds = classes(400, 50, 3);
        Dataset g = Transforms.gaussianInputs(ds, 1);
        double m0 = mean(ds.x().data());
        double v0 = var(ds.x().data(), m0);
        double m1 = mean(g.x().data());
        double v1 = var(g.x().data(), m1);
        assertEquals(m0, m1, 0.02 * Math.sqrt(v0));
        assertEquals(v0, v1, 0.03 * v0);
        assertEquals(ds.y(), g.y());
        assertNotEquals(g, Transforms.gaussianInputs(ds, 2));
    }

    static double mean(double[] a) {
        return Arrays.stream(a).average().orElseThrow();
    }

    static double var(double[] a, double m) {
        return Arrays.stream(a).map(v -> (v - m) * (v - m)).average().orElseThrow();
    }

    /** ±1 labels (binary theorems) are corrupted to uniform ±1, never to a class index 0. */
    @Test
    void corruptingPlusMinusOneLabelsKeepsThemPlusMinusOne() {
        double[] y = new double[200];
        java.util.Arrays.fill(y, 1.0);
        Dataset ds = new Dataset(org.overparam.io.NdArray.of(new double[200], 200, 1),
                org.overparam.io.NdArray.of(y, 200), "ones");
        double[] out = Transforms.corruptLabels(ds, 1.0, 2, 3).y().data();
        assertTrue(java.util.Arrays.stream(out).allMatch(v -> v == -1 || v == 1));
        long minus = java.util.Arrays.stream(out).filter(v -> v == -1).count();
        assertTrue(minus > 70 && minus < 130, "about half flipped: " + minus);
    }
}
