package org.overparam.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class LinePlotTest {

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> byClass(Document doc, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList nl = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag);
        for (int i = 0; i < nl.getLength(); i++) {
            Element e = (Element) nl.item(i);
            if (cls == null || cls.equals(e.getAttribute("class"))) {
                out.add(e);
            }
        }
        return out;
    }

    static List<Double> tickValues(Document doc, String group, String cls) {
        List<Double> vals = new ArrayList<>();
        NodeList gs = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            if (!group.equals(g.getAttribute("class"))) {
                continue;
            }
            NodeList lines = g.getElementsByTagNameNS("http://www.w3.org/2000/svg", "line");
            for (int j = 0; j < lines.getLength(); j++) {
                Element l = (Element) lines.item(j);
                if (cls.equals(l.getAttribute("class"))) {
                    vals.add(Double.parseDouble(l.getAttribute("data-value")));
                }
            }
        }
        return vals;
    }

    static List<String> pathDs(Document doc) {
        List<String> ds = new ArrayList<>();
        for (Element p : byClass(doc, "path", null)) {
            ds.add(p.getAttribute("d"));
        }
        return ds;
    }

    static double[][] points(String d) {
        Matcher m = Pattern.compile("[ML](-?[0-9.]+) (-?[0-9.]+)").matcher(d);
        List<double[]> pts = new ArrayList<>();
        while (m.find()) {
            pts.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
        }
        return pts.toArray(new double[0][]);
    }

    static void assertNoNonFinite(String svg) {
        assertFalse(svg.contains("NaN"), "SVG contains NaN");
        assertFalse(svg.contains("Infinity"), "SVG contains Infinity");
    }

    @Test
    void producesValidXmlWithTitleLabelsAndLegend() throws Exception {
        double[] x = {0, 1, 2, 3, 4};
        String svg = LinePlot.builder()
                .title("Loss <&> \"quotes\"").xLabel("step t").yLabel("loss")
                .series("a & b", x, new double[] {4, 3, 2.5, 2, 1.9})
                .series("second", x, new double[] {1, 2, 3, 4, 5})
                .referenceLine("bound", 2.2)
                .build().toSvg();
        Document doc = parse(svg);
        Element root = doc.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals("640", root.getAttribute("width"));
        assertEquals("420", root.getAttribute("height"));
        assertTrue(svg.contains("sans-serif"));
        assertEquals(2, byClass(doc, "g", "series").size());
        assertEquals("Loss <&> \"quotes\"", byClass(doc, "text", "title").get(0).getTextContent());
        String legend = byClass(doc, "g", "legend").get(0).getTextContent();
        assertTrue(legend.contains("a & b") && legend.contains("second") && legend.contains("bound"), legend);
        // distinct colours
        List<Element> series = byClass(doc, "g", "series");
        assertFalse(series.get(0).getAttribute("stroke").equals(series.get(1).getAttribute("stroke")));
        // reference line is dashed
        Element ref = byClass(doc, "g", "reference").get(0);
        assertFalse(ref.getAttribute("stroke-dasharray").isEmpty());
        assertNoNonFinite(svg);
        assertFalse(svg.contains("style="), "no CSS");
    }

    @Test
    void logAxisHasMajorTicksExactlyAtDecades() throws Exception {
        double[] x = {1, 3, 10, 30, 100, 300, 1000};
        double[] y = {1.0, 0.3, 0.05, 2e-3, 1e-4, 3e-6, 2e-7};
        LinePlot plot = LinePlot.builder().logX(true).logY(true).series("loss", x, y).build();
        Document doc = parse(plot.toSvg());

        List<Double> xMajor = tickValues(doc, "x-ticks", "major");
        assertEquals(List.of(1.0, 10.0, 100.0, 1000.0), xMajor);
        List<Double> yMajor = tickValues(doc, "y-ticks", "major");
        assertFalse(yMajor.isEmpty());
        for (double v : yMajor) {
            double k = Math.log10(v);
            assertEquals(Math.rint(k), k, 1e-12, "major tick not a decade: " + v);
        }
        assertEquals(1e-7, yMajor.get(0), 1e-20);
        assertEquals(1.0, yMajor.get(yMajor.size() - 1), 0);
        // minor ticks at 2..9 x 10^k
        List<Double> xMinor = tickValues(doc, "x-ticks", "minor");
        assertEquals(3 * 8, xMinor.size());
        assertTrue(xMinor.contains(20.0) && xMinor.contains(900.0));
        // labels are 10^k with a superscript exponent
        String text = byClass(doc, "g", "x-ticks").get(0).getTextContent();
        assertTrue(text.contains("100") && text.contains("101") && text.contains("103"), text);
        String ytext = byClass(doc, "g", "y-ticks").get(0).getTextContent();
        assertTrue(ytext.contains("10\u22127"), ytext);
    }

    @Test
    void hugeLogRangeUsesDecadeStride() {
        Axis a = Axis.auto(1e-300, 1e300, true, 6);
        List<Axis.Tick> major = a.majorTicks();
        assertTrue(major.size() <= 10, "too many major ticks: " + major.size());
        for (Axis.Tick t : major) {
            double k = Math.log10(t.value());
            assertEquals(Math.rint(k), k, 1e-9);
        }
        assertTrue(a.lo() <= 1e-300 && a.hi() >= 1e300);
    }

    @Test
    void linearTicksAreNice125() {
        Axis a = Axis.auto(0.13, 0.97, false, 6);
        List<Axis.Tick> ticks = a.majorTicks();
        double step = ticks.get(1).value() - ticks.get(0).value();
        double mant = step / Math.pow(10, Math.floor(Math.log10(step)));
        assertTrue(Math.abs(mant - 1) < 1e-9 || Math.abs(mant - 2) < 1e-9 || Math.abs(mant - 5) < 1e-9, "step " + step);
        assertTrue(a.lo() <= 0.13 && a.hi() >= 0.97);
        assertEquals("0.2", ticks.get(1).text());
        assertEquals(0.0, a.fraction(a.lo()), 1e-12);
        assertEquals(1.0, a.fraction(a.hi()), 1e-12);
        // negative labels use a real minus sign; large values use x10^k
        assertEquals("\u22121.5", Axis.linearTick(-1.5, 0.5).text());
        Axis.Tick big = Axis.linearTick(2.5e7, 5e6);
        assertEquals("2.5\u00d710", big.text());
        assertEquals("7", big.exponent());
    }

    @Test
    void pointMappingIsMonotone() throws Exception {
        for (boolean log : new boolean[] {false, true}) {
            Axis a = Axis.auto(0.5, 700, log, 6);
            double prev = Double.NEGATIVE_INFINITY;
            for (double v = 0.5; v <= 700; v *= 1.37) {
                double fr = a.fraction(v);
                assertTrue(fr > prev, "not increasing at " + v + " (log=" + log + ")");
                assertTrue(fr >= 0 && fr <= 1);
                prev = fr;
            }
        }
        // in the SVG: increasing x -> increasing pixel x; increasing y -> decreasing pixel y
        int n = 50;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.pow(1.2, i);
            y[i] = 3 + i * 0.5;
        }
        for (boolean log : new boolean[] {false, true}) {
            Document doc = parse(LinePlot.builder().logX(log).logY(log).series("s", x, y).build().toSvg());
            double[][] pts = points(pathDs(doc).get(0));
            // on the log axis the points are ~12 px apart and all drawn; on the linear one the first ones share
            // pixel columns and are thinned (PixelThinning), but what is drawn is still in order
            if (log) {
                assertEquals(n, pts.length);
            } else {
                assertTrue(pts.length < n && pts.length > n / 2, "points drawn: " + pts.length);
            }
            for (int i = 1; i < pts.length; i++) {
                assertTrue(pts[i][0] > pts[i - 1][0], "x pixel not increasing at " + i);
                assertTrue(pts[i][1] < pts[i - 1][1], "y pixel not decreasing at " + i);
            }
        }
    }

    @Test
    void longSeriesAreThinnedPerPixelColumnWithoutChangingTheLine() throws Exception {
        // a loss curve of 10^5 steps: noisy, decreasing, on log-log axes as the reports draw it
        int n = 100_000;
        double[] x = new double[n];
        double[] y = new double[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            y[i] = Math.exp(-i / 20000.0) * (1 + 0.3 * r.nextDouble());
        }
        for (boolean log : new boolean[] {false, true}) {
            String svg = LinePlot.builder().logX(log).logY(log).series("loss", x, y).build().toSvg();
            double[][] pts = points(pathDs(parse(svg)).get(0));
            assertTrue(pts.length <= 4 * 800, "points drawn: " + pts.length);
            assertTrue(svg.length() < 150_000, "svg of " + svg.length() + " chars");
            // (that each column keeps its extremes is pinned on PixelThinning itself below)
            String shortSvg = LinePlot.builder().logX(log).logY(log).series("loss", java.util.Arrays.copyOf(x, 3),
                    java.util.Arrays.copyOf(y, 3)).build().toSvg();
            assertEquals(3, points(pathDs(parse(shortSvg)).get(0)).length); // short series: untouched
        }
    }

    @Test
    void thinningKeepsFirstLastAndEachColumnsExtremes() {
        List<double[]> p = new ArrayList<>();
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < 10_000; i++) {
            p.add(new double[] {i / 100.0, r.nextDouble() * 50});
        }
        List<double[]> t = PixelThinning.thin(p);
        assertTrue(t.size() <= 4 * 100, "kept " + t.size());
        assertTrue(t.get(0) == p.get(0) && t.get(t.size() - 1) == p.get(p.size() - 1));
        for (int c = 0; c < 100; c++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = c * 100; i < (c + 1) * 100; i++) {
                lo = Math.min(lo, p.get(i)[1]);
                hi = Math.max(hi, p.get(i)[1]);
            }
            double tlo = Double.POSITIVE_INFINITY;
            double thi = Double.NEGATIVE_INFINITY;
            for (double[] q : t) {
                if ((int) Math.floor(q[0]) == c) {
                    tlo = Math.min(tlo, q[1]);
                    thi = Math.max(thi, q[1]);
                }
            }
            assertEquals(lo, tlo, 0.0, "column " + c);
            assertEquals(hi, thi, 0.0, "column " + c);
        }
        // kept points stay in their original order
        int last = -1;
        for (double[] q : t) {
            int idx = p.indexOf(q);
            assertTrue(idx > last);
            last = idx;
        }
    }

    @Test
    void nanPointsAreDroppedCountedAndBreakTheLine() throws Exception {
        double[] x = {1, 2, 3, 4, 5, 6, 7};
        double[] y = {1, 2, Double.NaN, 4, Double.POSITIVE_INFINITY, 6, 7};
        LinePlot plot = LinePlot.builder().series("s", x, y).build();
        assertEquals(2, plot.droppedPoints());
        String svg = plot.toSvg();
        assertNoNonFinite(svg);
        Document doc = parse(svg);
        String d = pathDs(doc).get(0);
        assertEquals(2, d.chars().filter(c -> c == 'M').count(), d); // [1,2] and [6,7]
        assertEquals(1, byClass(doc, "circle", null).size());         // isolated point 4
        String note = byClass(doc, "text", "note").get(0).getTextContent();
        assertTrue(note.startsWith("2 points dropped"), note);
    }

    @Test
    void nonPositivePointsDroppedOnLogAxisOnly() throws Exception {
        double[] x = {1, 2, 3, 4};
        double[] y = {1, 0, -1, 0.5};
        assertEquals(2, LinePlot.builder().logY(true).series("s", x, y).build().droppedPoints());
        assertEquals(0, LinePlot.builder().series("s", x, y).build().droppedPoints());
        LinePlot p = LinePlot.builder().logY(true).series("s", x, y).referenceLine("zero", 0).build();
        String svg = p.toSvg();
        parse(svg);
        assertTrue(svg.contains("omitted"));
        // without drops there is no note
        assertTrue(byClass(parse(LinePlot.builder().series("s", x, y).build().toSvg()), "text", "note").isEmpty());
    }

    @Test
    void constantSeriesDoesNotDivideByZero() throws Exception {
        double[] x = {1, 2, 3};
        for (boolean log : new boolean[] {false, true}) {
            for (double c : new double[] {0.0, 5.0, 1e-12, -3.0}) {
                if (log && c <= 0) {
                    continue;
                }
                String svg = LinePlot.builder().logY(log).series("c", x, new double[] {c, c, c}).build().toSvg();
                assertNoNonFinite(svg);
                Document doc = parse(svg);
                assertEquals(3, points(pathDs(doc).get(0)).length);
                assertFalse(tickValues(doc, "y-ticks", "major").isEmpty());
            }
        }
        // constant in x too: a single distinct point
        String svg = LinePlot.builder().logX(true).series("p", new double[] {2, 2}, new double[] {3, 3}).build().toSvg();
        assertNoNonFinite(svg);
        parse(svg);
    }

    @Test
    void emptySeriesAndEmptyPlotAreHandled() throws Exception {
        for (boolean log : new boolean[] {false, true}) {
            String svg = LinePlot.builder().logX(log).logY(log).series("empty", new double[0], new double[0]).build().toSvg();
            assertNoNonFinite(svg);
            Document doc = parse(svg);
            assertTrue(pathDs(doc).isEmpty());
            assertTrue(svg.contains("no data"));
            String none = LinePlot.builder().logY(log).title("nothing").build().toSvg();
            assertNoNonFinite(none);
            parse(none);
        }
        LinePlot allNaN = LinePlot.builder().series("nan", new double[] {1, 2}, new double[] {Double.NaN, Double.NaN}).build();
        assertEquals(2, allNaN.droppedPoints());
        assertNoNonFinite(allNaN.toSvg());
    }

    @Test
    void fixedRangeAndValidation() throws Exception {
        String svg = LinePlot.builder().yRange(0, 1).series("s", new double[] {0, 1, 2}, new double[] {-5, 0.5, 9})
                .build().toSvg();
        parse(svg);
        assertThrows(IllegalArgumentException.class, () -> LinePlot.builder().logY(true).yRange(0, 1).build());
        assertThrows(IllegalArgumentException.class, () -> new Series("bad", new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> LinePlot.builder().size(10, 10));
    }

    @Test
    void manySeriesCycleThroughColoursAndDashes() throws Exception {
        LinePlot.Builder b = LinePlot.builder();
        for (int i = 0; i < 10; i++) {
            b.series(Series.ofY("s" + i, new double[] {i, i + 1}));
        }
        Document doc = parse(b.build().toSvg());
        List<Element> series = byClass(doc, "g", "series");
        assertEquals(10, series.size());
        assertTrue(series.get(8).hasAttribute("stroke-dasharray"));
        assertFalse(series.get(0).hasAttribute("stroke-dasharray"));
    }

    @Test
    void writeIsAtomicAndLeavesNoTempFiles(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sub/plot.svg");
        LinePlot p = LinePlot.builder().title("t").series(Series.ofY("y", new double[] {3, 1, 2})).build();
        p.write(out);
        p.write(out); // overwrite
        assertEquals(p.toSvg(), Files.readString(out, StandardCharsets.UTF_8));
        try (var s = Files.list(out.getParent())) {
            assertEquals(1, s.count());
        }
    }
}
