package org.overparam.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.overparam.InputError;
import org.overparam.io.NdArray;

class PreprocessTest {

    @Test
    void scaleCenterNormalize() {
        Dataset ds = new Dataset(NdArray.of(new double[] {0, 255, 51, 102}, 2, 2), null, "p");
        assertArrayEquals(new double[] {0, 1, 0.2, 0.4}, Preprocess.scaleTo01(ds).x().data(), 1e-15);
        Dataset small = Preprocess.scaleTo01(ds, 255);
        assertSame(small, Preprocess.scaleTo01(small));
        Dataset c = Preprocess.center(ds);
        assertArrayEquals(new double[] {-25.5, 76.5, 25.5, -76.5}, c.x().data(), 1e-12);
        Dataset n = Preprocess.normalizeRows(new Dataset(NdArray.of(new double[] {3, 4, 0, -2}, 2, 2), null, ""));
        assertArrayEquals(new double[] {0.6, 0.8, 0, -1}, n.x().data(), 1e-15);
        assertThrows(InputError.class,
                () -> Preprocess.normalizeRows(new Dataset(NdArray.of(new double[] {1, 1, 0, 0}, 2, 2), null, "")));
    }

    @Test
    void classSubsetRemapsInGivenOrder() {
        Dataset ds = TransformsTest.classes(20, 3, 10);
        Dataset s = Preprocess.classSubset(ds, new int[] {5, 3});
        assertEquals(4, s.n());
        assertArrayEquals(new double[] {1, 0, 1, 0}, s.y().data());
        assertArrayEquals(ds.row(3), s.row(0));
        assertThrows(InputError.class, () -> Preprocess.classSubset(ds, new int[] {3, 3}));
        assertThrows(InputError.class, () -> Preprocess.classSubset(ds, new int[] {42}));
    }

    @Test
    void subsampleAndSplit() {
        Dataset ds = TransformsTest.classes(100, 2, 10);
        assertArrayEquals(ds.row(4), Preprocess.subsample(ds, 10, -1).row(4));
        Dataset r = Preprocess.subsample(ds, 10, 5);
        assertEquals(r, Preprocess.subsample(ds, 10, 5));
        assertEquals(10, r.n());
        assertThrows(InputError.class, () -> Preprocess.subsample(ds, 101, 1));

        Preprocess.Split sp = Preprocess.split(ds, 0.25, 9);
        assertEquals(75, sp.train().n());
        assertEquals(25, sp.test().n());
        Set<Double> train = new HashSet<>();
        for (int i = 0; i < sp.train().n(); i++) {
            train.add(sp.train().x().get(i, 0)); // column 0 is unique per row
        }
        Set<Double> all = new HashSet<>(train);
        for (int i = 0; i < sp.test().n(); i++) {
            assertFalse(train.contains(sp.test().x().get(i, 0)), "disjoint");
            all.add(sp.test().x().get(i, 0));
        }
        assertEquals(100, all.size());
        assertEquals(sp, Preprocess.split(ds, 25, 9));
        assertThrows(InputError.class, () -> Preprocess.split(ds, 100, 1));
        assertThrows(InputError.class, () -> Preprocess.split(ds, 1.0, 1));
    }

    @Test
    void datasetValidation() {
        NdArray x = NdArray.of(new double[6], 3, 2);
        InputError e = assertThrows(InputError.class, () -> new Dataset(x, NdArray.of(new double[2], 2), "d"));
        assertTrue(e.getMessage().startsWith("data has 3 rows but labels have 2 — "), e.getMessage());
        double[] bad = new double[6];
        bad[3] = Double.NaN;
        InputError nan = assertThrows(InputError.class, () -> new Dataset(NdArray.of(bad, 3, 2), null, "d"));
        assertTrue(nan.getMessage().contains("[1, 1]"), nan.getMessage());
        assertThrows(InputError.class, () -> new Dataset(NdArray.of(new double[6], 6), null, "d"));
        assertThrows(InputError.class,
                () -> new Dataset(x, NdArray.of(new double[] {1, Double.POSITIVE_INFINITY, 0}, 3), "d"));
        Dataset ok = new Dataset(x, NdArray.of(new double[6], 3, 2), "d");
        assertEquals(3, ok.n());
        assertEquals(2, ok.d());
    }
}
