package org.overparam.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.overparam.io.AtomicFile;

/**
 * A figure for a paper, drawn by XChart (a maintained library that writes SVG, PNG and PDF from one chart), and the
 * one way overparam draws: measured points with markers (and error bars over seeds when given, or the range over
 * seeds as a shaded band), predictions dashed, bounds dotted and labelled as bounds, censored points (upper bounds)
 * as down-pointing triangles and lower bounds (e.g. a step budget that ran out) as up-pointing ones, never joined to
 * the measured line; levels without an x (chance, a condition) dash-dotted across the axis; the Okabe–Ito
 * colour-blind-safe palette; the legend below the plot, outside the data; log axes labelled at every decade with
 * marks at 2..9 × 10^k, an integer log axis at the values that were run ({@link LogTicks}); integer axes without
 * fractional labels. The size reads in one column of a two-column paper (3.5 in at 300 dpi in the PNG).
 */
public final class PaperChart implements SvgFigure {
    /** Okabe & Ito's colour-blind-safe palette, black last. */
    static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0xE69F00), new Color(0x56B4E9), new Color(0xF0E442), Color.BLACK};

    /** How a series is drawn. */
    public enum Kind {
        /** measured: markers joined by a line */
        MEASURED,
        /** a densely measured curve (every step): a solid line, markers would hide it */
        CURVE,
        /** measured, markers only (e.g. one point per width) */
        POINTS,
        /** a theory's prediction of the same quantity: dashed, no markers */
        PREDICTION,
        /** an upper bound: dotted, never a measurement */
        BOUND,
        /** censored measurements (only an upper bound is known): down triangles, not joined */
        CENSORED,
        /**
         * censored the other way (only a lower bound is known, e.g. not reached within the step budget, so the
         * steps needed exceed it): up triangles at the bound, not joined
         */
        AT_LEAST,
        /** the range over seeds (lowest to highest) around a measured line: a light shaded band, no line */
        BAND,
        /** a measured level that holds across the x axis (a condition without an x): dash-dotted, in its colour */
        LEVEL,
        /** a reference value across the x axis (chance, the width used), not a measurement: dash-dotted, grey */
        REFERENCE
    }

    /**
     * {@code colourOf}: the name of an earlier series whose colour this one takes (null: the next colour);
     * {@code error}: symmetric error bars, or for a {@link Kind#BAND} its upper edge ({@code y} the lower one).
     */
    private record Series(String name, double[] x, double[] y, double[] error, Kind kind, String colourOf) {
    }

    /** How many columns a dense curve keeps at most 4 points in: about one per pixel of the plot's width. */
    static final int CURVE_COLUMNS = 500;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final boolean logY;
    private final boolean integerX;
    private final List<Series> series = new ArrayList<>();

    private PaperChart(String title, String xLabel, String yLabel, boolean logX, boolean logY, boolean integerX) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
        this.logY = logY;
        this.integerX = integerX;
    }

    /** A chart; the title says what was held fixed, the labels give units and normalizations. */
    public static PaperChart of(String title, String xLabel, String yLabel) {
        return new PaperChart(title, xLabel, yLabel, false, false, false);
    }

    public PaperChart logX() {
        return new PaperChart(title, xLabel, yLabel, true, logY, integerX).with(series);
    }

    public PaperChart logY() {
        return new PaperChart(title, xLabel, yLabel, logX, true, integerX).with(series);
    }

    /** Integer ticks on the x axis (steps, widths, counts). */
    public PaperChart integerX() {
        return new PaperChart(title, xLabel, yLabel, logX, logY, true).with(series);
    }

    private PaperChart with(List<Series> s) {
        series.addAll(s);
        return this;
    }

    /** Adds a series; {@code error} (symmetric, e.g. the spread over seeds) may be null. */
    public PaperChart add(String name, double[] x, double[] y, double[] error, Kind kind) {
        return add(name, x, y, error, kind, null);
    }

    /**
     * Adds a series in the colour of the earlier series {@code earlier} (e.g. a depth's censored runs beside its
     * measured ones); in the next colour when there is no such series.
     */
    public PaperChart addInColourOf(String earlier, String name, double[] x, double[] y, Kind kind) {
        return add(name, x, y, null, kind, earlier);
    }

    /**
     * Adds the shaded range {@code lo}..{@code hi} (e.g. the fastest to the slowest seed) in the colour of the
     * earlier series {@code earlier}, drawn under every line; points where either edge is missing are left out.
     */
    public PaperChart addBand(String earlier, String name, double[] x, double[] lo, double[] hi) {
        if (x.length != lo.length || x.length != hi.length) {
            throw new IllegalArgumentException("band '" + name + "': x, lo and hi lengths differ");
        }
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(lo[i]) && Double.isFinite(hi[i]) && (!logX || x[i] > 0)
                    && (!logY || lo[i] > 0)) {
                keep.add(i);
            }
        }
        if (keep.size() >= 2) {
            series.add(new Series(name, keep.stream().mapToDouble(i -> x[i]).toArray(),
                    keep.stream().mapToDouble(i -> lo[i]).toArray(), keep.stream().mapToDouble(i -> hi[i]).toArray(),
                    Kind.BAND, earlier));
        }
        return this;
    }

    /** A measured level {@code y} (a condition without an x) drawn across the whole x range of the other series. */
    public PaperChart addLevel(String name, double y) {
        return level(name, y, Kind.LEVEL);
    }

    /** A reference value {@code y} (chance, the width used: not a measurement) drawn grey across the x range. */
    public PaperChart addReference(String name, double y) {
        return level(name, y, Kind.REFERENCE);
    }

    private PaperChart level(String name, double y, Kind kind) {
        if (Double.isFinite(y) && (!logY || y > 0)) {
            series.add(new Series(name, new double[0], new double[] {y}, null, kind, null));
        }
        return this;
    }

    private PaperChart add(String name, double[] x, double[] y, double[] error, Kind kind, String colourOf) {
        if (kind == Kind.BAND || kind == Kind.LEVEL || kind == Kind.REFERENCE) {
            throw new IllegalArgumentException("a band, level or reference is added with addBand, addLevel, addReference");
        }
        if (x.length != y.length || error != null && error.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': x, y and error lengths differ");
        }
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            // a log axis cannot show zero or negative values: those points are left out, not clipped
            if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!logX || x[i] > 0) && (!logY || y[i] > 0)) {
                keep.add(i);
            }
        }
        double[] kx = keep.stream().mapToDouble(i -> x[i]).toArray();
        double[] ky = keep.stream().mapToDouble(i -> y[i]).toArray();
        double[] ke = error == null ? null : keep.stream().mapToDouble(i -> error[i]).toArray();
        if (kind == Kind.PREDICTION && kx.length > 120) {
            // a formula evaluated at every step: 100 evaluations draw the same curve, and let its dashes show
            int k = 100;
            double[] nx = new double[k];
            double[] ny = new double[k];
            for (int i = 0; i < k; i++) {
                int j = (int) Math.round(i * (kx.length - 1) / (double) (k - 1));
                nx[i] = kx[j];
                ny[i] = ky[j];
            }
            kx = nx;
            ky = ny;
        }
        if (kind == Kind.CURVE && kx.length > 2 * CURVE_COLUMNS && ke == null) {
            double[][] t = thin(kx, ky);
            kx = t[0];
            ky = t[1];
        }
        if (kx.length > 0) {
            series.add(new Series(name, kx, ky, ke, kind, colourOf));
        }
        return this;
    }

    public PaperChart add(String name, double[] x, double[] y, Kind kind) {
        return add(name, x, y, null, kind);
    }

    /**
     * A curve of every step (10⁵ of them) thinned to what can be seen: per column of {@link #CURVE_COLUMNS} across the
     * x range, its first, lowest, highest and last point ({@link PixelThinning}), so the line looks the same and the
     * SVG stays small.
     */
    private double[][] thin(double[] x, double[] y) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            lo = Math.min(lo, logX ? Math.log(v) : v);
            hi = Math.max(hi, logX ? Math.log(v) : v);
        }
        double width = hi > lo ? hi - lo : 1;
        List<double[]> p = new ArrayList<>(x.length);
        for (int i = 0; i < x.length; i++) {
            p.add(new double[] {((logX ? Math.log(x[i]) : x[i]) - lo) / width * CURVE_COLUMNS, y[i], x[i]});
        }
        List<double[]> t = PixelThinning.thin(p);
        return new double[][] {t.stream().mapToDouble(q -> q[2]).toArray(), t.stream().mapToDouble(q -> q[1]).toArray()};
    }

    XYChart build() {
        XYChart c = new XYChartBuilder().width(700).height(460).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        var st = c.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderVisible(true);
        st.setPlotGridLinesVisible(false);
        // a long title (what was held fixed) is set smaller rather than cut at the chart's edges (~0.55 em a character)
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, (int) Math.max(12, Math.min(15, 680 / (0.55
                * Math.max(1, title.length()))))));
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        // one row below the plot while it fits the chart's width (about 7 px a character at 12 pt, plus the line
        // sample), else one entry per line: a legend cut at the edge is a figure nobody can use
        int legendWidth = 0;
        for (Series e : series) {
            legendWidth += 7 * e.name().length() + 50;
        }
        st.setLegendLayout(legendWidth > 640 ? Styler.LegendLayout.Vertical : Styler.LegendLayout.Horizontal);
        st.setLegendBorderColor(Color.WHITE);
        st.setChartTitleBoxVisible(false);
        st.setMarkerSize(7);
        st.setAxisTickMarkLength(LogTicks.MAJOR);
        st.setPlotMargin(0); // the ticks hang from the frame, where LogTicks draws its own
        st.setAxisTicksLineVisible(false);
        st.setXAxisLogarithmic(logX);
        st.setYAxisLogarithmic(logY);
        // a log axis spanning several decades is labelled at every decade; a narrower one also between them, else
        // it would carry one label or none
        st.setXAxisLogarithmicDecadeOnly(logX && decadeOnly(true));
        st.setYAxisLogarithmicDecadeOnly(logY && decadeOnly(false));
        if (logY) {
            st.setYAxisDecimalPattern(logLabelPattern(range(false)));
        }
        if (integerX && !logX) {
            st.setXAxisTickMarkSpacingHint(90); // few, round integer ticks
            // an integer axis (depths, steps) never shows a fractional label, whatever ticks XChart picks
            c.setCustomXAxisTickLabelsFormatter(v -> v == Math.rint(v) ? Long.toString(Math.round(v)) : "");
        }
        // a log x of counts (widths, depths, n, steps) is labelled at the values run, as if integerX() were asked:
        // XChart's own labels crowd 800, 900, 1,000 together and leave 2,048 unlabelled
        boolean counts = series.stream().allMatch(e -> java.util.Arrays.stream(e.x()).allMatch(v -> v >= 1
                && v == Math.rint(v)));
        double[] xLabels = logX && (integerX || counts) ? integerLogLabels() : null;
        if (logX && xLabels == null) {
            st.setXAxisDecimalPattern(logLabelPattern(range(true)));
        }
        if (xLabels != null) {
            // XChart's log axis labels 1, 2, ..., 10, 20, ...: depths 1..16 would get no 16. Its labels keep their
            // room but are not drawn; LogTicks writes the measured values (and the ends) instead
            Color none = new Color(0, 0, 0, 0);
            st.setXAxisLogarithmicDecadeOnly(true); // few hidden labels: no room taken by a rotated row of them
            st.setXAxisTickLabelsColor(none);
            st.setXAxisTickMarksColor(none);
        }
        st.setErrorBarsColorSeriesColor(true);
        st.setAntiAlias(true);
        // colours in the order the series were added; bands are drawn first, under the lines they belong to
        Map<String, Color> colours = new HashMap<>();
        int colour = 0;
        for (Series s : series) {
            Color col = s.kind() == Kind.BOUND || s.kind() == Kind.REFERENCE ? Color.DARK_GRAY
                    : colours.containsKey(s.colourOf())
                    ? colours.get(s.colourOf()) : PALETTE[colour++ % PALETTE.length];
            colours.putIfAbsent(s.name(), col);
        }
        double[] xr = range(true);
        List<Series> order = new ArrayList<>(series.stream().filter(s -> s.kind() == Kind.BAND).toList());
        series.stream().filter(s -> s.kind() != Kind.BAND).forEach(order::add);
        for (Series s : order) {
            Color col = colours.get(s.name());
            XYSeries x;
            if (s.kind() == Kind.BAND) {
                int n = s.x().length;
                double[] px = new double[2 * n];
                double[] py = new double[2 * n];
                for (int i = 0; i < n; i++) {
                    px[i] = s.x()[i];
                    py[i] = s.y()[i];
                    px[2 * n - 1 - i] = s.x()[i];
                    py[2 * n - 1 - i] = s.error()[i];
                }
                x = c.addSeries(s.name(), px, py);
            } else if (s.kind() == Kind.LEVEL || s.kind() == Kind.REFERENCE) {
                x = c.addSeries(s.name(), new double[] {xr[0], xr[1]}, new double[] {s.y()[0], s.y()[0]});
            } else {
                x = s.error() == null ? c.addSeries(s.name(), s.x(), s.y()) : c.addSeries(s.name(), s.x(), s.y(), s.error());
            }
            x.setLineColor(col);
            x.setMarkerColor(col);
            switch (s.kind()) {
                case MEASURED -> {
                    x.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    x.setMarker(SeriesMarkers.CIRCLE);
                    x.setLineWidth(1.6f);
                }
                case CURVE -> {
                    x.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    x.setMarker(SeriesMarkers.NONE);
                    x.setLineWidth(1.8f);
                }
                case POINTS -> {
                    x.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                    x.setMarker(SeriesMarkers.CIRCLE);
                }
                case PREDICTION -> {
                    x.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    x.setMarker(SeriesMarkers.NONE);
                    x.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                            new float[] {7f, 4f}, 0f));
                }
                case BOUND -> {
                    x.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    x.setMarker(SeriesMarkers.NONE);
                    x.setLineStyle(SeriesLines.DOT_DOT);
                }
                case CENSORED -> {
                    x.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                    x.setMarker(SeriesMarkers.TRIANGLE_DOWN);
                }
                case AT_LEAST -> {
                    x.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                    x.setMarker(SeriesMarkers.TRIANGLE_UP);
                }
                case BAND -> {
                    x.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                    x.setMarker(SeriesMarkers.NONE);
                    x.setFillColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 56));
                    x.setLineColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 0));
                    x.setShowInLegend(false); // its line's entry stands for both; the title says what is shaded
                }
                case LEVEL, REFERENCE -> {
                    x.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    x.setMarker(SeriesMarkers.NONE);
                    x.setLineWidth(1.4f);
                    x.setLineStyle(new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                            new float[] {9f, 3f, 2f, 3f}, 0f));
                }
            }
        }
        breakEqualSpacing(c);
        if (xLabels != null) {
            c.addAnnotation(new LogTicks(xr, xLabels));
        }
        return c;
    }

    /**
     * The values an integer log x axis is labelled at, most wanted first: the ends of the data, the measured values
     * (every depth or width that was run), then the powers of ten and of two between; {@link LogTicks} keeps those
     * that fit side by side. Values that are no shared grid (one point per step, or each series its own) get 1-2-5
     * values instead.
     */
    private double[] integerLogLabels() {
        double[] r = range(true);
        java.util.LinkedHashSet<Double> out = new java.util.LinkedHashSet<>();
        out.add(Math.rint(r[0]));
        out.add(Math.rint(r[1]));
        java.util.TreeSet<Double> measured = new java.util.TreeSet<>();
        int widest = 0; // the most distinct values one series has
        for (Series s : series) {
            if (s.kind() != Kind.CURVE && s.kind() != Kind.PREDICTION && s.kind() != Kind.LEVEL
                    && s.kind() != Kind.REFERENCE && s.kind() != Kind.BAND) {
                java.util.Set<Double> own = new java.util.HashSet<>();
                for (double v : s.x()) {
                    own.add(Math.rint(v));
                }
                measured.addAll(own);
                widest = Math.max(widest, own.size());
            }
        }
        // a grid the series share (depths 1, 2, 4, 8, 16; some of them censored) is labelled; values that differ from
        // series to series (the parameter counts of each depth) would be a row of unrelated numbers: round values then
        if (measured.size() <= 16 && measured.size() <= 2 * widest) {
            out.addAll(measured);
            return out.stream().mapToDouble(Double::doubleValue).toArray();
        }
        for (double d = 1; d <= r[1]; d *= 10) {
            for (double m : new double[] {1, 2, 5}) {
                if (m * d >= r[0] && m * d <= r[1]) {
                    out.add(m * d);
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * XChart puts the ticks of an axis on the data themselves when all its values are equally spaced (widths 1, 2,
     * 3, ... gave a label at every point: 0.05, 0.1, 0.15, ...); one invisible point at an irregular place inside the
     * data's range, not in the legend, restores round ticks without touching a series.
     */
    private void breakEqualSpacing(XYChart c) {
        double[] x = range(true);
        double[] y = range(false);
        if (!(x[1] > x[0]) || !(y[1] > y[0])) {
            return;
        }
        double f = 0.3183098861837907; // 1/pi: no grid of steps lands on it
        double px = logX ? x[0] * Math.pow(x[1] / x[0], f) : x[0] + f * (x[1] - x[0]);
        double py = logY ? y[0] * Math.pow(y[1] / y[0], f) : y[0] + f * (y[1] - y[0]);
        XYSeries s = c.addSeries(" ", new double[] {px}, new double[] {py});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.NONE);
        s.setShowInLegend(false);
    }

    private double[] range(boolean xAxis) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            double[] v = xAxis ? s.x() : s.y();
            for (int i = 0; i < v.length; i++) {
                // an error bar or a band's upper edge widens the y range; a log axis shows no bar below 0
                double e = xAxis || s.error() == null ? 0 : s.kind() == Kind.BAND ? s.error()[i] - v[i] : s.error()[i];
                lo = Math.min(lo, logY && !xAxis && v[i] - e <= 0 ? v[i] : v[i] - (s.kind() == Kind.BAND ? 0 : e));
                hi = Math.max(hi, v[i] + e);
            }
        }
        return new double[] {lo, hi};
    }

    /**
     * One number format for every label of a log axis spanning {@code r}. XChart's own switches to scientific
     * notation past 10^4 and below 10^-3 label by label, so one axis would read "1000" beside "1E4": plain decimals
     * (with enough places for the lowest decade) while every label fits in them, else scientific notation for all.
     */
    static String logLabelPattern(double[] r) {
        if (!(r[0] > 0) || r[0] < 1e-4 || !(r[1] < 1e7)) {
            return "0.#E0";
        }
        int places = (int) Math.max(0, -Math.floor(Math.log10(r[0])));
        return places == 0 ? "#,##0" : "#,##0." + "#".repeat(places);
    }

    /**
     * Whether a log axis is labelled at the decades only: when the data span 1.5 decades or more and at least two
     * powers of ten lie inside them (22 to 897 spans 1.6 decades but holds only 100: one label would be left).
     */
    private boolean decadeOnly(boolean xAxis) {
        double[] r = range(xAxis);
        return decades(xAxis) >= 1.5 && Math.floor(Math.log10(r[1])) - Math.ceil(Math.log10(r[0])) >= 1;
    }

    /** How many decades the data span on one axis. */
    private double decades(boolean xAxis) {
        double[] r = range(xAxis);
        return r[0] > 0 && r[1] > r[0] ? Math.log10(r[1] / r[0]) : 0;
    }

    /** Whether nothing can be drawn (every point was left out, or none was given). */
    public boolean isEmpty() {
        return series.isEmpty();
    }

    @Override
    public String title() {
        return title;
    }

    /** The legend's entries (a band has none: its line's entry names it). */
    @Override
    public List<String> legend() {
        return series.stream().filter(s -> s.kind() != Kind.BAND).map(Series::name).toList();
    }

    /** The figure as SVG text, to inline in a report or write to a file. */
    @Override
    public String toSvg() {
        return svg(build());
    }

    /**
     * The chart as SVG without the DOCTYPE VectorGraphics2D writes: it names the SVG 1.1 DTD on w3.org, which an XML
     * parser fetches (and fails on offline) before it reads a single element.
     */
    private static String svg(XYChart c) {
        try {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(c, b, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return b.toString(java.nio.charset.StandardCharsets.UTF_8).replaceFirst("<!DOCTYPE[^>]*>\\s*", "");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes {@code base}.svg, .png (300 dpi) and .pdf, each whole or not at all. */
    public void write(Path base) throws IOException {
        if (series.isEmpty()) {
            throw new IllegalStateException("a figure without data: " + title);
        }
        XYChart c = build();
        Path dir = base.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = base.getFileName().toString();
        String svg = svg(c);
        AtomicFile.write(dir.resolve(name + ".svg"), tmp -> Files.writeString(tmp, svg));
        AtomicFile.write(dir.resolve(name + ".pdf"),
                tmp -> vector(c, tmp, VectorGraphicsEncoder.VectorGraphicsFormat.PDF));
        AtomicFile.write(dir.resolve(name + ".png"),
                tmp -> BitmapEncoder.saveBitmapWithDPI(c, tmp.toString(), BitmapEncoder.BitmapFormat.PNG, 300));
    }

    /** Writes the SVG alone to {@code file}, whole or not at all (for the many figures nobody prints). */
    public void writeSvg(Path file) throws IOException {
        if (series.isEmpty()) {
            throw new IllegalStateException("a figure without data: " + title);
        }
        XYChart c = build();
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        String svg = svg(c);
        AtomicFile.write(abs, tmp -> Files.writeString(tmp, svg));
    }

    private static void vector(XYChart c, Path tmp, VectorGraphicsEncoder.VectorGraphicsFormat f) throws IOException {
        try (OutputStream o = Files.newOutputStream(tmp)) {
            VectorGraphicsEncoder.saveVectorGraphic(c, o, f);
        }
    }
}
