package org.overparam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.overparam.io.Fixtures.inputError;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void headerDetectedAndLabelsSplit() {
        Csv.Table t = Csv.read(b("\"x1\",x2,label\n1,2,0\n\n-3.5, 4e1 ,1\n"), "t.csv", -1);
        assertEquals(List.of("x1", "x2", "label"), t.header());
        assertArrayEquals(new int[] {2, 2}, t.x().shape());
        assertArrayEquals(new double[] {1, 2, -3.5, 40}, t.x().data());
        assertArrayEquals(new double[] {0, 1}, t.labels().data());
        Csv.Table first = Csv.read(b("5,1,2\n6,3,4"), "t.csv", 0);
        assertNull(first.header());
        assertArrayEquals(new double[] {5, 6}, first.labels().data());
        assertArrayEquals(new double[] {1, 2, 3, 4}, first.x().data());
        Csv.Table none = Csv.read(b("1,2\r\n3,4\r\n"), "t.csv", Csv.NO_LABELS);
        assertNull(none.labels());
        assertArrayEquals(new int[] {2, 2}, none.x().shape());
    }

    @Test
    void errorsNameTheLine() {
        String m = inputError(() -> Csv.read(b("a,b\n1,2\n3\n"), "r.csv", Csv.NO_LABELS));
        assertTrue(m.startsWith("r.csv: line 3 has 1 cells"), m);
        String m2 = inputError(() -> Csv.read(b("1,2\n3,x\n"), "n.csv", Csv.NO_LABELS));
        assertTrue(m2.startsWith("n.csv: line 2, column 2: 'x' is not a number"), m2);
        inputError(() -> Csv.read(b("1,NaN\n"), "nan.csv", Csv.NO_LABELS)); // header-only
        inputError(() -> Csv.read(b(""), "e.csv", Csv.NO_LABELS));
        inputError(() -> Csv.read(b("1,2\n"), "l.csv", 5));
        inputError(() -> Csv.read(b("1\n2\n"), "one.csv", -1));
    }
}
