package org.overparam.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

/** A paper figure: three formats written whole, what a log axis cannot show left out, every kind drawn. */
class PaperChartTest {
    @TempDir
    Path tmp;

    @Test
    void writesSvgPngAndPdf() throws Exception {
        PaperChart.of("t", "width m", "y").logX().logY()
                .add("measured", new double[] {1, 10, 100}, new double[] {1, 0.3, 0.1}, new double[] {0.1, 0.05, 0.01},
                        PaperChart.Kind.MEASURED)
                .add("upper bounds", new double[] {1000}, new double[] {0.1}, PaperChart.Kind.CENSORED)
                .add("lower bounds", new double[] {1000}, new double[] {0.5}, PaperChart.Kind.AT_LEAST)
                .add("bound", new double[] {1, 1000}, new double[] {5, 5}, PaperChart.Kind.BOUND)
                .write(tmp.resolve("f"));
        byte[] png = Files.readAllBytes(tmp.resolve("f.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        assertTrue(Files.readString(tmp.resolve("f.svg")).contains("<svg"));
        assertTrue(new String(Files.readAllBytes(tmp.resolve("f.pdf")), java.nio.charset.StandardCharsets.ISO_8859_1)
                .startsWith("%PDF"));
        try (var files = Files.list(tmp)) {
            assertEquals(3, files.count(), "no temporary files left");
        }
    }

    @Test
    void aLogAxisLeavesOutWhatItCannotShowAndAnEmptyFigureIsRefused() {
        XYChart c = PaperChart.of("t", "x", "y").logY()
                .add("s", new double[] {0, 1, 2, 3}, new double[] {0.0, 1.0, -1.0, 10.0}, PaperChart.Kind.POINTS).build();
        assertArrayEquals(new double[] {1, 3}, c.getSeriesMap().get("s").getXData());
        assertThrows(IllegalStateException.class, () -> PaperChart.of("t", "x", "y").write(tmp.resolve("e")));
    }

    @Test
    void aSeriesCanTakeTheColourOfAnEarlierOne() {
        XYChart c = PaperChart.of("t", "x", "y")
                .add("depth 1", new double[] {1, 2}, new double[] {1, 2}, PaperChart.Kind.MEASURED)
                .add("depth 2", new double[] {1, 2}, new double[] {2, 3}, PaperChart.Kind.MEASURED)
                .addInColourOf("depth 1", "depth 1: no fit", new double[] {3}, new double[] {5}, PaperChart.Kind.AT_LEAST)
                .build();
        assertEquals(c.getSeriesMap().get("depth 1").getMarkerColor(), c.getSeriesMap().get("depth 1: no fit")
                .getMarkerColor());
        assertTrue(!c.getSeriesMap().get("depth 1").getMarkerColor().equals(c.getSeriesMap().get("depth 2")
                .getMarkerColor()));
    }
}
