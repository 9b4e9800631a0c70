package org.overparam.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * A figure for a paper, drawn by XChart (a maintained library that writes SVG, PNG and PDF from one chart):
 * measured points with markers (and error bars over seeds when given), predictions dashed, bounds dotted and
 * labelled as bounds, censored points (upper bounds) as down-pointing triangles and lower bounds (e.g. a step
 * budget that ran out) as up-pointing ones, never joined to the measured line; the Okabe–Ito colour-blind-safe
 * palette; the legend below the plot, outside the data; log axes labelled at every decade. The size reads in one
 * column of a two-column paper (3.5 in at 300 dpi in the PNG).
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
        AT_LEAST
    }

    /** {@code colourOf}: the name of an earlier series whose colour this one takes (null: the next colour). */
    private record Series(String name, double[] x, double[] y, double[] error, Kind kind, String colourOf) {
    }

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

    private PaperChart add(String name, double[] x, double[] y, double[] error, Kind kind, String colourOf) {
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
        if (kx.length > 0) {
            series.add(new Series(name, kx, ky, ke, kind, colourOf));
        }
        return this;
    }

    public PaperChart add(String name, double[] x, double[] y, Kind kind) {
        return add(name, x, y, null, kind);
    }

    XYChart build() {
        XYChart c = new XYChartBuilder().width(700).height(460).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        var st = c.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderVisible(true);
        st.setPlotGridLinesVisible(false);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
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
        st.setXAxisLogarithmic(logX);
        st.setYAxisLogarithmic(logY);
        // a log axis spanning several decades is labelled at every decade; a narrower one also between them, else
        // it would carry one label or none
        st.setXAxisLogarithmicDecadeOnly(logX && decadeOnly(true));
        st.setYAxisLogarithmicDecadeOnly(logY && decadeOnly(false));
        if (integerX && !logX) {
            st.setXAxisTickMarkSpacingHint(90); // few, round integer ticks
            // an integer axis (depths, steps) never shows a fractional label, whatever ticks XChart picks
            c.setCustomXAxisTickLabelsFormatter(v -> v == Math.rint(v) ? Long.toString(Math.round(v)) : "");
        }
        st.setErrorBarsColorSeriesColor(true);
        st.setAntiAlias(true);
        int colour = 0;
        java.util.Map<String, Color> colours = new java.util.HashMap<>();
        for (Series s : series) {
            XYSeries x = s.error() == null ? c.addSeries(s.name(), s.x(), s.y())
                    : c.addSeries(s.name(), s.x(), s.y(), s.error());
            Color col = s.kind() == Kind.BOUND ? Color.DARK_GRAY : colours.containsKey(s.colourOf())
                    ? colours.get(s.colourOf()) : PALETTE[colour++ % PALETTE.length];
            colours.put(s.name(), col);
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
            }
        }
        breakEqualSpacing(c);
        return c;
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
            for (double v : xAxis ? s.x() : s.y()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return new double[] {lo, hi};
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

    @Override
    public String title() {
        return title;
    }

    /** The figure as SVG text, to inline in a report. */
    @Override
    public String toSvg() {
        try {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(build(), b, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return b.toString(java.nio.charset.StandardCharsets.UTF_8);
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
        AtomicFile.write(dir.resolve(name + ".svg"),
                tmp -> vector(c, tmp, VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
        AtomicFile.write(dir.resolve(name + ".pdf"),
                tmp -> vector(c, tmp, VectorGraphicsEncoder.VectorGraphicsFormat.PDF));
        AtomicFile.write(dir.resolve(name + ".png"),
                tmp -> BitmapEncoder.saveBitmapWithDPI(c, tmp.toString(), BitmapEncoder.BitmapFormat.PNG, 300));
    }

    private static void vector(XYChart c, Path tmp, VectorGraphicsEncoder.VectorGraphicsFormat f) throws IOException {
        try (OutputStream o = Files.newOutputStream(tmp)) {
            VectorGraphicsEncoder.saveVectorGraphic(c, o, f);
        }
    }
}
