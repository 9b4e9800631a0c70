package org.overparam.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.overparam.InputError;
import org.overparam.io.NdArray;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class SyntheticTest {

    @Test
    void deterministicFromSeed() {
        assertEquals(Synthetic.sphere(50, 7, 3), Synthetic.sphere(50, 7, 3));
        assertNotEquals(Synthetic.sphere(50, 7, 3), Synthetic.sphere(50, 7, 4));
        assertEquals(Synthetic.gaussian(20, 3, 1), Synthetic.gaussian(20, 3, 1));
        assertEquals(Synthetic.randomSignLabels(30, 9), Synthetic.randomSignLabels(30, 9));
        assertEquals(Synthetic.twoClassMargin(40, 5, 0.2, 1), Synthetic.twoClassMargin(40, 5, 0.2, 1));
    }

    @Property(tries = 200)
    void sphereRowsHaveUnitNorm(@ForAll @IntRange(min = 1, max = 40) int n, @ForAll @IntRange(min = 1, max = 60) int d,
            @ForAll long seed) {
        NdArray x = Synthetic.sphere(n, d, seed);
        assertArrayEquals(new int[] {n, d}, x.shape());
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += x.get(i, j) * x.get(i, j);
            }
            assertEquals(1.0, Math.sqrt(s), 1e-12);
        }
    }

    @Property(tries = 200)
    void marginRespected(@ForAll @IntRange(min = 1, max = 30) int n, @ForAll @IntRange(min = 1, max = 50) int d,
            @ForAll @DoubleRange(min = 0, max = 1) double gamma, @ForAll long seed) {
        Dataset ds = Synthetic.twoClassMargin(n, d, gamma, seed);
        // every row is on the sphere with a ±1 label; the margin itself is checked against the hidden
        // direction in marginAlongTheHiddenDirection
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (double v : ds.row(i)) {
                s += v * v;
            }
            assertEquals(1.0, Math.sqrt(s), 1e-12);
            double y = ds.y().get(i);
            assertTrue(y == 1 || y == -1);
        }
    }

    @Test
    void marginAlongTheHiddenDirection() {
        // the hidden direction u is the first vector drawn from the generator's stream
        int d = 20;
        double gamma = 0.3;
        Dataset ds = Synthetic.twoClassMargin(500, d, gamma, 42);
        java.util.SplittableRandom r = Synthetic.rng(42, "margin");
        double[] u = new double[d];
        for (int j = 0; j < d; j++) {
            u[j] = Synthetic.gaussian(r);
        }
        Synthetic.normalize(u, 0, d, r);
        int pos = 0;
        for (int i = 0; i < ds.n(); i++) {
            double t = Synthetic.dot(ds.row(i), u) * ds.y().get(i);
            assertTrue(t >= gamma - 1e-12, "row " + i + " margin " + t);
            pos += ds.y().get(i) > 0 ? 1 : 0;
        }
        assertTrue(pos > 200 && pos < 300, "balanced classes: " + pos);
    }

    @Test
    void labelsAndStatistics() {
        NdArray s = Synthetic.randomSignLabels(10_000, 5);
        double mean = 0;
        for (double v : s.data()) {
            assertTrue(v == 1 || v == -1);
            mean += v / s.size();
        }
        assertEquals(0, mean, 0.05);
        NdArray g = Synthetic.gaussian(200, 50, 8);
        double m = 0;
        double v2 = 0;
        for (double v : g.data()) {
            m += v / g.size();
            v2 += v * v / g.size();
        }
        assertEquals(0, m, 0.03);
        assertEquals(1, v2, 0.05);
        assertArrayEquals(new int[] {7, 3}, Synthetic.randomNormalLabels(7, 3, 1).shape());
        NdArray c = Synthetic.randomClassLabels(1000, 4, 2);
        for (double v : c.data()) {
            assertTrue(v >= 0 && v < 4 && v == Math.rint(v));
        }
        // independent streams for the same seed
        assertNotEquals(Synthetic.gaussian(1, 5, 3).data()[0], Synthetic.randomNormalLabels(1, 5, 3).data()[0]);
    }

    @Test
    void badArguments() {
        assertThrows(InputError.class, () -> Synthetic.sphere(0, 3, 1));
        assertThrows(InputError.class, () -> Synthetic.gaussian(100_000, 100_000, 1));
        assertThrows(InputError.class, () -> Synthetic.twoClassMargin(10, 3, 1.5, 1));
        assertThrows(InputError.class, () -> Synthetic.randomClassLabels(10, 0, 1));
    }
}
