package org.overparam.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.overparam.InputError;
import org.overparam.io.NdArray;
import org.overparam.io.Npy;

class DatasetSpecTest {

    static String error(String spec) {
        InputError e = assertThrows(InputError.class, () -> DatasetSpec.load(spec));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void synthetic() {
        Dataset s = DatasetSpec.load("sphere:n=200,d=10");
        assertEquals(200, s.n());
        assertEquals(10, s.d());
        assertArrayEquals(new int[] {200}, s.y().shape());
        assertEquals(Synthetic.sphere(200, 10, 0), s.x());
        assertEquals(s, DatasetSpec.load("sphere:n=200,d=10"));
        assertEquals("sphere:n=200,d=10", s.description());
        Dataset g = DatasetSpec.load("gaussian:n=100,d=5,seed=3,labels=sign");
        assertEquals(Synthetic.randomSignLabels(100, 3), g.y());
        assertNull(DatasetSpec.load("gaussian:n=4,d=2,labels=none").y());
        Dataset m = DatasetSpec.load("margin:n=200,d=10,gamma=0.1");
        assertEquals(Synthetic.twoClassMargin(200, 10, 0.1, 0).x(), m.x());
    }

    @Test
    void marginSkipIsTheStreamAfterTheFirstK() {
        // the stream property polylog's train/test split relies on: n=N is a prefix of every longer set, skip=K
        // the rows after the first K
        Dataset pool = Synthetic.twoClassMargin(30, 4, 0.3, 7);
        Dataset head = DatasetSpec.load("margin:n=20,d=4,gamma=0.3,seed=7");
        Dataset tail = DatasetSpec.load("margin:n=10,d=4,gamma=0.3,seed=7,skip=20");
        assertArrayEquals(Arrays.copyOfRange(pool.x().data(), 0, 80), head.x().data());
        assertArrayEquals(Arrays.copyOfRange(pool.x().data(), 80, 120), tail.x().data());
        assertArrayEquals(Arrays.copyOfRange(pool.y().data(), 20, 30), tail.y().data());
        assertArrayEquals(new int[] {10, 4}, tail.x().shape());
        assertEquals("margin:n=10,d=4,gamma=0.3,seed=7,skip=20", tail.description());
        assertEquals(head, DatasetSpec.load("margin:n=20,d=4,gamma=0.3,seed=7,skip=0").describedAs(head.description()));
        assertTrue(error("margin:n=3,d=2,gamma=0.1,skip=-1").contains("skip=-1 must be an integer >= 0"));
    }

    @Test
    void errorsListValidKeys() {
        assertTrue(error("spiral:n=3").contains("valid kinds: sphere, gaussian, margin, mnist, cifar10, npy, csv"));
        String m = error("sphere:n=3,d=2,q=1");
        assertTrue(m.contains("unknown key 'q'") && m.contains("valid keys: n, d, seed, labels"), m);
        assertTrue(error("sphere:n=3").contains("missing required key 'd'"));
        assertTrue(error("sphere:n=x,d=2").contains("not an integer"));
        assertTrue(error("sphere:n=-3,d=2").contains("positive integer"));
        assertTrue(error("sphere:n=3,d=2,n=4").contains("twice"));
        assertTrue(error("sphere:n=3,d=2,labels=maybe").contains("normal, sign, none"));
        assertTrue(error("margin:n=3,d=2,gamma=abc").contains("not a number"));
        error("mnist:dir=no/such/dir");
        error("");
        error("mnist:dir=x,classes=3,5");
        error("csv:file=missing.csv");
    }

    @Test
    void classes() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, DatasetSpec.parseClasses("0-9"));
        assertArrayEquals(new int[] {3, 5}, DatasetSpec.parseClasses("3/5"));
        assertArrayEquals(new int[] {7, 0, 1, 2}, DatasetSpec.parseClasses("7/0-2"));
        assertThrows(InputError.class, () -> DatasetSpec.parseClasses("3;5"));
        assertThrows(InputError.class, () -> DatasetSpec.parseClasses("5-3"));
        assertThrows(InputError.class, () -> DatasetSpec.parseClasses("1/0-2"));
    }

    @Test
    void npyAndCsv(@TempDir Path dir) throws IOException {
        Npy.write(NdArray.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2), dir.resolve("x.npy"));
        Npy.write(NdArray.vector(0, 1), dir.resolve("y.npy"));
        Dataset ds = DatasetSpec.parse("npy:x=x.npy,y=y.npy").load(dir);
        assertArrayEquals(new int[] {2, 4}, ds.x().shape());
        assertArrayEquals(new double[] {0, 1}, ds.y().data());
        Npy.write(NdArray.vector(0, 1, 2), dir.resolve("y3.npy"));
        InputError e = assertThrows(InputError.class, () -> DatasetSpec.parse("npy:x=x.npy,y=y3.npy").load(dir));
        assertTrue(e.getMessage().startsWith("data has 2 rows but labels have 3"), e.getMessage());
        Files.writeString(dir.resolve("t.csv"), "a,b,y\n1,2,0\n3,4,1\n");
        Dataset c = DatasetSpec.parse("csv:file=t.csv,label=last").load(dir);
        assertArrayEquals(new double[] {1, 2, 3, 4}, c.x().data());
        assertArrayEquals(new double[] {0, 1}, c.y().data());
        assertNull(DatasetSpec.parse("csv:file=t.csv").load(dir).y());
    }

    @Test
    void cifar10(@TempDir Path dir) throws IOException {
        byte[] b = new byte[4 * 3073];
        for (int r = 0; r < 4; r++) {
            b[r * 3073] = (byte) (r % 2 == 0 ? 3 : 5);
            b[r * 3073 + 1] = (byte) 255;
        }
        Files.write(dir.resolve("data_batch_1.bin"), b);
        Files.write(dir.resolve("data_batch_2.bin"), b);
        Dataset ds = DatasetSpec.parse("cifar10:dir=.,classes=5/3,n=3").load(dir);
        assertEquals(3, ds.n());
        assertEquals(3072, ds.d());
        assertArrayEquals(new double[] {1, 0, 1}, ds.y().data());
        assertEquals(1.0, ds.x().get(0, 0));
        InputError e = assertThrows(InputError.class, () -> DatasetSpec.parse("cifar10:dir=.,n=9").load(dir));
        assertTrue(e.getMessage().contains("only 8 examples"), e.getMessage());
    }

    @Test
    void mnist() {
        Path mnist = Path.of("../../shared/data/mnist");
        Assumptions.assumeTrue(Files.isDirectory(mnist), "MNIST test set not present");
        Dataset ds = DatasetSpec.load("mnist:dir=../../shared/data/mnist,n=1000,classes=0-9");
        assertEquals(1000, ds.n());
        assertEquals(784, ds.d());
        assertArrayEquals(new double[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, Arrays.copyOf(ds.y().data(), 10));
        assertEquals(1.0, Arrays.stream(ds.x().data()).max().orElseThrow());
        Dataset two = DatasetSpec.load("mnist:dir=../../shared/data/mnist,classes=3/5,n=100,seed=1");
        assertEquals(100, two.n());
        assertTrue(Arrays.stream(two.y().data()).allMatch(v -> v == 0 || v == 1));
        assertTrue(error("mnist:dir=../../shared/data/mnist,n=20000").contains("only 10000 examples"));
    }

    /** Arora et al.'s MNIST setting: two classes as ±1, 2×2 average pooling (14×14), recomputed here. */
    @Test
    void mnistPooledPlusMinusOne() {
        Path mnist = Path.of("../../shared/data/mnist");
        Assumptions.assumeTrue(Files.isDirectory(mnist), "MNIST test set not present");
        Dataset full = DatasetSpec.load("mnist:dir=../../shared/data/mnist,n=10");
        Dataset pooled = DatasetSpec.load("mnist:dir=../../shared/data/mnist,n=10,pool=2");
        assertEquals(196, pooled.d());
        double[] a = full.x().data();
        double[] p = pooled.x().data();
        for (int i = 0; i < 10; i++) {
            for (int r = 0; r < 14; r++) {
                for (int c = 0; c < 14; c++) {
                    double mean = (a[i * 784 + 2 * r * 28 + 2 * c] + a[i * 784 + 2 * r * 28 + 2 * c + 1]
                            + a[i * 784 + (2 * r + 1) * 28 + 2 * c] + a[i * 784 + (2 * r + 1) * 28 + 2 * c + 1]) / 4;
                    assertEquals(mean, p[i * 196 + r * 14 + c], 1e-15);
                }
            }
        }
        Dataset pm = DatasetSpec.load("mnist:dir=../../shared/data/mnist,classes=0/1,n=50,seed=1,labels=pm1");
        Dataset zeroOne = DatasetSpec.load("mnist:dir=../../shared/data/mnist,classes=0/1,n=50,seed=1");
        for (int i = 0; i < 50; i++) {
            assertEquals(2 * zeroOne.y().data()[i] - 1, pm.y().data()[i]);
        }
        assertTrue(error("mnist:dir=../../shared/data/mnist,n=10,labels=pm1").contains("exactly two classes"));
        assertTrue(error("mnist:dir=../../shared/data/mnist,n=10,pool=3").contains("must divide"));
    }
}
