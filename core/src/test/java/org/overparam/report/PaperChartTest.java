package org.overparam.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        // an XML parser reads it as it is: no DOCTYPE sending it to w3.org for a DTD first
        assertEquals("svg", javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(tmp.resolve("f.svg").toFile()).getDocumentElement().getTagName());
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

    @Test
    void anIntegerLogAxisIsLabelledAtTheValuesRunAndItsEnds() {
        // depths 1..16 doubling: XChart's log axis alone labels 1, 2, ..., 10 and no 16
        String svg = PaperChart.of("t", "depth", "steps").logX().logY().integerX()
                .add("s", new double[] {1, 2, 4, 8, 16}, new double[] {10, 20, 50, 90, 300}, PaperChart.Kind.MEASURED)
                .toSvg();
        for (String v : List.of("1", "2", "4", "8", "16")) {
            assertTrue(svg.matches("(?s).*<text[^>]*>" + v + "</text>.*"), "no label " + v);
        }
        // every depth from 1 to 16: the ends are kept, the crowded values near 16 give way
        double[] x = new double[16];
        for (int i = 0; i < 16; i++) {
            x[i] = i + 1;
        }
        String dense = PaperChart.of("t", "depth", "steps").logX().integerX().add("s", x, x, PaperChart.Kind.MEASURED)
                .toSvg();
        assertTrue(dense.matches("(?s).*<text[^>]*>1</text>.*") && dense.matches("(?s).*<text[^>]*>16</text>.*"));
        assertTrue(!dense.matches("(?s).*<text[^>]*>15</text>.*"), "15 and 16 would overlap");
        // a log axis of counts is labelled at the counts run without being asked; one of fractions is not
        String widths = PaperChart.of("t", "width m", "movement").logX().logY()
                .add("s", new double[] {128, 512, 2048}, new double[] {1.8, 0.9, 0.5}, PaperChart.Kind.MEASURED).toSvg();
        for (String v : List.of("128", "512", "2048")) {
            assertTrue(widths.matches("(?s).*<text[^>]*>" + v + "</text>.*"), "no label " + v);
        }
        String fractions = PaperChart.of("t", "d0 d1 / n", "rank").logX()
                .add("s", new double[] {0.5, 1.5, 12.5}, new double[] {1, 2, 3}, PaperChart.Kind.MEASURED).toSvg();
        assertTrue(!fractions.matches("(?s).*<text[^>]*>[0-9.]+</text>.*"), "XChart's own labels (outlines) only");
    }

    /**
     * XChart alone labels one log axis "1000" then "1E4" (and "0.001" then "1E-4"); its labels are drawn as glyph
     * outlines, so the format every label gets is checked here on the axis' decades.
     */
    @Test
    void aLogAxisLabelsEveryTickInOneFormat() {
        java.util.function.BiFunction<double[], Double, String> label = (range, v) -> new java.text.DecimalFormat(
                PaperChart.logLabelPattern(range), java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT))
                .format(v);
        double[] widths = {3, 30000};
        assertEquals(List.of("1", "10", "1,000", "10,000"), List.of(1.0, 10.0, 1e3, 1e4).stream()
                .map(v -> label.apply(widths, v)).toList());
        double[] lambdas = {0.004, 0.07};
        assertEquals(List.of("0.001", "0.007", "0.01", "0.1"), List.of(1e-3, 7e-3, 1e-2, 0.1).stream()
                .map(v -> label.apply(lambdas, v)).toList());
        double[] losses = {1e-9, 0.7};
        assertEquals(List.of("1E-9", "1E-4", "1E-3", "1E0"), List.of(1e-9, 1e-4, 1e-3, 1.0).stream()
                .map(v -> label.apply(losses, v)).toList());
    }

    @Test
    void aBandAndALevelAreDrawnInTheirSeriesColourAndAcrossTheData() {
        XYChart c = PaperChart.of("t", "p", "steps")
                .add("median", new double[] {0, 0.5, 1}, new double[] {10, 20, 40}, PaperChart.Kind.MEASURED)
                .addBand("median", "range", new double[] {0, 0.5, 1}, new double[] {8, 15, 30},
                        new double[] {12, Double.POSITIVE_INFINITY, 50})
                .addLevel("chance", 25).build();
        // the band leaves out the cell without an upper edge and runs out along the lower edge, back along the upper
        assertArrayEquals(new double[] {0, 1, 1, 0}, c.getSeriesMap().get("range").getXData());
        assertArrayEquals(new double[] {8, 30, 50, 12}, c.getSeriesMap().get("range").getYData());
        assertEquals(c.getSeriesMap().get("median").getLineColor().getRGB() & 0xFFFFFF,
                c.getSeriesMap().get("range").getFillColor().getRGB() & 0xFFFFFF);
        assertArrayEquals(new double[] {0, 1}, c.getSeriesMap().get("chance").getXData());
    }

    @Test
    void aCurveOfEveryStepIsThinnedToWhatCanBeSeen() {
        int n = 100_000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = Math.exp(-i / 20000.0) * (1 + 0.3 * Math.sin(i));
        }
        XYChart c = PaperChart.of("t", "step", "loss").logY().add("loss", x, y, PaperChart.Kind.CURVE).build();
        double[] kept = c.getSeriesMap().get("loss").getXData();
        assertTrue(kept.length <= 4 * PaperChart.CURVE_COLUMNS && kept.length > PaperChart.CURVE_COLUMNS,
                "kept " + kept.length);
        assertEquals(0, kept[0]);
        assertEquals(n - 1, kept[kept.length - 1]);
    }
}
