package org.overparam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.overparam.io.Fixtures.inputError;

import org.junit.jupiter.api.Test;

class NdArrayTest {

    @Test
    void basics() {
        NdArray a = NdArray.of(new double[] {0, 1, 2, 3, 4, 5}, 2, 3);
        assertEquals(6, a.size());
        assertEquals(2, a.rank());
        assertEquals(5, a.get(1, 2));
        assertEquals(3, a.get(1, 0));
        NdArray r = a.reshape(3, -1);
        assertArrayEquals(new int[] {3, 2}, r.shape());
        assertEquals(a, NdArray.of(new double[] {0, 1, 2, 3, 4, 5}, 2, 3));
        assertEquals(a.hashCode(), NdArray.of(new double[] {0, 1, 2, 3, 4, 5}, 2, 3).hashCode());
        assertNotEquals(a, r);
        assertEquals(1, NdArray.of(new double[] {7}).size());
        int[] s = a.shape();
        s[0] = 99;
        assertEquals(2, a.dim(0));
    }

    @Test
    void validation() {
        inputError(() -> NdArray.of(new double[5], 2, 3));
        inputError(() -> NdArray.of(new double[0], -1));
        inputError(() -> NdArray.of(new double[6], 2, 3).reshape(4, -1));
        inputError(() -> NdArray.of(new double[6], 2, 3).reshape(5));
    }
}
