package org.overparam.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A standalone SVG line plot, JDK only.
 *
 * <pre>{@code
 * LinePlot.builder()
 *         .title("Training loss").xLabel("iteration").yLabel("loss")
 *         .logX(true).logY(true)
 *         .series("width 64", x, y)
 *         .series(new Series("width 1024", x, y2))
 *         .referenceLine("theory: (1 - eta*lambda)^t", 1e-3)
 *         .build()
 *         .write(Path.of("loss.svg"));
 * }</pre>
 *
 * <p>Linear axes get 1-2-5 ticks, log axes decade ticks 10^k with minor ticks at 2..9. Series get
 * distinct colours from the Okabe-Ito colour-blind-safe palette (and dash patterns after the 8th).
 * Points that cannot be drawn (NaN, infinite, or &le; 0 on a log axis) are dropped, break the line,
 * and are counted in a note under the plot and in {@link #droppedPoints()}.
 */
public final class LinePlot implements SvgFigure {

    /** Where the legend goes; {@link #AUTO} picks the inner corner that covers the fewest data points. */
    public enum LegendPosition { AUTO, UPPER_RIGHT, UPPER_LEFT, LOWER_RIGHT, LOWER_LEFT, NONE }

    /** Okabe-Ito palette, ordered for contrast on white (yellow last). */
    static final String[] PALETTE = {
        "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"
    };
    private static final String[] DASHES = {null, "7 3", "2 2", "8 3 2 3"};
    private static final String REF_COLOR = "#555555";
    private static final String REF_DASH = "6 4";
    private static final String FONT = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";
    private static final double TICK_FONT = 11;
    private static final double LABEL_FONT = 13;
    private static final double TITLE_FONT = 15;
    private static final double LEGEND_FONT = 11;
    private static final double NOTE_FONT = 10;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final boolean logY;
    private final int width;
    private final int height;
    private final boolean grid;
    private final LegendPosition legend;
    private final List<Series> series;
    private final List<ReferenceLine> refs;
    private final Axis xAxis;
    private final Axis yAxis;
    private final int dropped;
    private final List<String> omittedRefs;

    private LinePlot(Builder b) {
        this.title = b.title;
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.logX = b.logX;
        this.logY = b.logY;
        this.width = b.width;
        this.height = b.height;
        this.grid = b.grid;
        this.legend = b.legend;
        this.series = List.copyOf(b.series);
        this.refs = List.copyOf(b.refs);

        double xmin = Double.POSITIVE_INFINITY;
        double xmax = Double.NEGATIVE_INFINITY;
        double ymin = Double.POSITIVE_INFINITY;
        double ymax = Double.NEGATIVE_INFINITY;
        int bad = 0;
        for (Series s : series) {
            for (int i = 0; i < s.size(); i++) {
                double x = s.xAt(i);
                double y = s.yAt(i);
                if (valid(x, logX) && valid(y, logY)) {
                    xmin = Math.min(xmin, x);
                    xmax = Math.max(xmax, x);
                    ymin = Math.min(ymin, y);
                    ymax = Math.max(ymax, y);
                } else {
                    bad++;
                }
            }
        }
        List<String> omitted = new ArrayList<>();
        for (ReferenceLine r : refs) {
            if (valid(r.y(), logY)) {
                ymin = Math.min(ymin, r.y());
                ymax = Math.max(ymax, r.y());
            } else {
                omitted.add(r.label());
            }
        }
        this.dropped = bad;
        this.omittedRefs = List.copyOf(omitted);
        this.xAxis = b.xRange != null ? Axis.fixed(b.xRange[0], b.xRange[1], logX, 7)
                : Axis.auto(xmin, xmax, logX, 7);
        this.yAxis = b.yRange != null ? Axis.fixed(b.yRange[0], b.yRange[1], logY, 6)
                : Axis.auto(ymin, ymax, logY, 6);
    }

    /** The figure's title (a report draws each figure once). */
    @Override
    public String title() {
        return title;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of series points that were not drawn (non-finite, or &le; 0 on a log axis). */
    public int droppedPoints() {
        return dropped;
    }

    Axis xAxis() {
        return xAxis;
    }

    Axis yAxis() {
        return yAxis;
    }

    private static boolean valid(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    // ====================================================================== rendering

    /** The plot as a standalone SVG 1.1 document (UTF-8, no external resources). */
    @Override
    public String toSvg() {
        // ---- layout
        double maxYLabel = 0;
        for (Axis.Tick t : yAxis.majorTicks()) {
            maxYLabel = Math.max(maxYLabel, labelWidth(t, TICK_FONT));
        }
        double left = 10 + (yLabel.isEmpty() ? 0 : LABEL_FONT + 8) + maxYLabel + 8;
        double lastX = xAxis.majorTicks().isEmpty() ? 0
                : labelWidth(xAxis.majorTicks().get(xAxis.majorTicks().size() - 1), TICK_FONT);
        double right = Math.max(18, lastX / 2 + 6);
        double top = title.isEmpty() ? 14 : 14 + TITLE_FONT + 12;
        String note = noteText();
        double bottom = 6 + TICK_FONT + 10 + (xLabel.isEmpty() ? 0 : LABEL_FONT + 8) + (note.isEmpty() ? 0 : NOTE_FONT + 6) + 6;
        double px0 = left;
        double px1 = Math.max(left + 10, width - right);
        double py0 = top;
        double py1 = Math.max(top + 10, height - bottom);

        StringBuilder sb = new StringBuilder(4096);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" font-family=\"").append(esc(FONT)).append("\">\n");
        if (!title.isEmpty()) {
            sb.append("<title>").append(esc(title)).append("</title>\n");
        }
        String clipId = "op-plot-" + Integer.toHexString(Objects.hash(title, xLabel, yLabel, series.size(), width, height) & 0x7fffffff);
        sb.append("<defs><clipPath id=\"").append(clipId).append("\"><rect x=\"").append(f(px0)).append("\" y=\"")
                .append(f(py0)).append("\" width=\"").append(f(px1 - px0)).append("\" height=\"").append(f(py1 - py0))
                .append("\"/></clipPath></defs>\n");
        sb.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" fill=\"#ffffff\"/>\n");

        // ---- grid
        if (grid) {
            sb.append("<g class=\"grid\" stroke=\"#e8e8e8\" stroke-width=\"1\" fill=\"none\">\n");
            for (Axis.Tick t : xAxis.majorTicks()) {
                double x = mapX(t.value(), px0, px1);
                sb.append("<line x1=\"").append(f(x)).append("\" y1=\"").append(f(py0)).append("\" x2=\"")
                        .append(f(x)).append("\" y2=\"").append(f(py1)).append("\"/>\n");
            }
            for (Axis.Tick t : yAxis.majorTicks()) {
                double y = mapY(t.value(), py0, py1);
                sb.append("<line x1=\"").append(f(px0)).append("\" y1=\"").append(f(y)).append("\" x2=\"")
                        .append(f(px1)).append("\" y2=\"").append(f(y)).append("\"/>\n");
            }
            sb.append("</g>\n");
        }

        // ---- reference lines
        List<ReferenceLine> drawnRefs = new ArrayList<>();
        for (ReferenceLine r : refs) {
            if (valid(r.y(), logY)) {
                drawnRefs.add(r);
            }
        }
        if (!drawnRefs.isEmpty()) {
            sb.append("<g class=\"reference\" clip-path=\"url(#").append(clipId).append(")\" stroke=\"").append(REF_COLOR)
                    .append("\" stroke-width=\"1.4\" stroke-dasharray=\"").append(REF_DASH).append("\" fill=\"none\">\n");
            for (ReferenceLine r : drawnRefs) {
                double y = mapY(r.y(), py0, py1);
                sb.append("<line data-label=\"").append(esc(r.label())).append("\" x1=\"").append(f(px0))
                        .append("\" y1=\"").append(f(y)).append("\" x2=\"").append(f(px1)).append("\" y2=\"")
                        .append(f(y)).append("\"/>\n");
            }
            sb.append("</g>\n");
        }

        // ---- data
        List<double[]> drawnPoints = new ArrayList<>(); // for the legend placement
        sb.append("<g class=\"data\" clip-path=\"url(#").append(clipId).append(")\" fill=\"none\" stroke-width=\"1.8\" ")
                .append("stroke-linejoin=\"round\" stroke-linecap=\"round\">\n");
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            String color = color(si);
            String dash = dash(si);
            StringBuilder d = new StringBuilder();
            List<double[]> run = new ArrayList<>();
            List<double[]> singles = new ArrayList<>();
            for (int i = 0; i <= s.size(); i++) {
                boolean ok = i < s.size() && valid(s.xAt(i), logX) && valid(s.yAt(i), logY);
                if (ok) {
                    run.add(new double[] {clampPx(mapX(s.xAt(i), px0, px1)), clampPx(mapY(s.yAt(i), py0, py1))});
                    continue;
                }
                // end of a run: an isolated point becomes a dot, a longer run a sub-path thinned per pixel column
                if (run.size() == 1) {
                    singles.add(run.get(0));
                    drawnPoints.add(run.get(0));
                } else if (run.size() > 1) {
                    List<double[]> pts = PixelThinning.thin(run);
                    StringBuilder cur = new StringBuilder();
                    double[] prev = null;
                    for (double[] p : pts) {
                        if (prev != null) {
                            for (int k = 1; k <= 4; k++) { // densify for legend placement
                                double a = k / 4.0;
                                drawnPoints.add(new double[] {prev[0] + a * (p[0] - prev[0]),
                                    prev[1] + a * (p[1] - prev[1])});
                            }
                        } else {
                            drawnPoints.add(p);
                        }
                        cur.append(prev == null ? "M" : " L").append(f(p[0])).append(' ').append(f(p[1]));
                        prev = p;
                    }
                    d.append(d.length() == 0 ? "" : " ").append(cur);
                }
                run.clear();
            }
            sb.append("<g class=\"series\" data-label=\"").append(esc(s.label())).append("\" stroke=\"").append(color).append('"');
            if (dash != null) {
                sb.append(" stroke-dasharray=\"").append(dash).append('"');
            }
            sb.append(">\n");
            if (d.length() > 0) {
                sb.append("<path d=\"").append(d).append("\"/>\n");
            }
            for (double[] p : singles) { // isolated points would be invisible as a path
                sb.append("<circle cx=\"").append(f(p[0])).append("\" cy=\"").append(f(p[1]))
                        .append("\" r=\"2.2\" fill=\"").append(color).append("\" stroke=\"none\"/>\n");
            }
            sb.append("</g>\n");
        }
        sb.append("</g>\n");
        if (drawnPoints.isEmpty()) {
            sb.append("<text x=\"").append(f((px0 + px1) / 2)).append("\" y=\"").append(f((py0 + py1) / 2))
                    .append("\" text-anchor=\"middle\" font-size=\"").append(f(LABEL_FONT))
                    .append("\" fill=\"#888888\">no data</text>\n");
        }

        // ---- axes
        sb.append("<g class=\"axes\" stroke=\"#000000\" stroke-width=\"1\" fill=\"none\">\n");
        sb.append("<line x1=\"").append(f(px0)).append("\" y1=\"").append(f(py1)).append("\" x2=\"").append(f(px1))
                .append("\" y2=\"").append(f(py1)).append("\"/>\n");
        sb.append("<line x1=\"").append(f(px0)).append("\" y1=\"").append(f(py0)).append("\" x2=\"").append(f(px0))
                .append("\" y2=\"").append(f(py1)).append("\"/>\n");
        sb.append("</g>\n");
        sb.append("<g class=\"x-ticks\" font-size=\"").append(f(TICK_FONT)).append("\" fill=\"#000000\" text-anchor=\"middle\">\n");
        for (Axis.Tick t : xAxis.ticks()) {
            double x = mapX(t.value(), px0, px1);
            double len = t.major() ? 5 : 3;
            sb.append("<line class=\"").append(t.major() ? "major" : "minor").append("\" data-value=\"").append(t.value())
                    .append("\" x1=\"").append(f(x)).append("\" y1=\"").append(f(py1)).append("\" x2=\"").append(f(x))
                    .append("\" y2=\"").append(f(py1 + len)).append("\" stroke=\"#000000\"/>\n");
            if (t.major()) {
                sb.append("<text x=\"").append(f(x)).append("\" y=\"").append(f(py1 + 6 + TICK_FONT + 2)).append("\">");
                label(sb, t);
                sb.append("</text>\n");
            }
        }
        sb.append("</g>\n");
        sb.append("<g class=\"y-ticks\" font-size=\"").append(f(TICK_FONT)).append("\" fill=\"#000000\" text-anchor=\"end\">\n");
        for (Axis.Tick t : yAxis.ticks()) {
            double y = mapY(t.value(), py0, py1);
            double len = t.major() ? 5 : 3;
            sb.append("<line class=\"").append(t.major() ? "major" : "minor").append("\" data-value=\"").append(t.value())
                    .append("\" x1=\"").append(f(px0 - len)).append("\" y1=\"").append(f(y)).append("\" x2=\"").append(f(px0))
                    .append("\" y2=\"").append(f(y)).append("\" stroke=\"#000000\"/>\n");
            if (t.major()) {
                sb.append("<text x=\"").append(f(px0 - 8)).append("\" y=\"").append(f(y + TICK_FONT * 0.35)).append("\">");
                label(sb, t);
                sb.append("</text>\n");
            }
        }
        sb.append("</g>\n");

        // ---- axis labels and title
        double xLabelY = py1 + 6 + TICK_FONT + 10 + LABEL_FONT + 2;
        if (!xLabel.isEmpty()) {
            sb.append("<text class=\"x-label\" x=\"").append(f((px0 + px1) / 2)).append("\" y=\"").append(f(xLabelY))
                    .append("\" font-size=\"").append(f(LABEL_FONT)).append("\" text-anchor=\"middle\">")
                    .append(esc(xLabel)).append("</text>\n");
        }
        if (!yLabel.isEmpty()) {
            double x = 10 + LABEL_FONT;
            double y = (py0 + py1) / 2;
            sb.append("<text class=\"y-label\" x=\"").append(f(x)).append("\" y=\"").append(f(y))
                    .append("\" font-size=\"").append(f(LABEL_FONT)).append("\" text-anchor=\"middle\" transform=\"rotate(-90 ")
                    .append(f(x)).append(' ').append(f(y)).append(")\">").append(esc(yLabel)).append("</text>\n");
        }
        if (!title.isEmpty()) {
            sb.append("<text class=\"title\" x=\"").append(f((px0 + px1) / 2)).append("\" y=\"").append(f(14 + TITLE_FONT))
                    .append("\" font-size=\"").append(f(TITLE_FONT)).append("\" font-weight=\"bold\" text-anchor=\"middle\">")
                    .append(esc(title)).append("</text>\n");
        }
        if (!note.isEmpty()) {
            sb.append("<text class=\"note\" x=\"").append(f(px0)).append("\" y=\"").append(f(height - 6.0))
                    .append("\" font-size=\"").append(f(NOTE_FONT)).append("\" font-style=\"italic\" fill=\"#666666\">")
                    .append(esc(note)).append("</text>\n");
        }

        // ---- legend
        legend(sb, drawnRefs, drawnPoints, px0, px1, py0, py1);
        sb.append("</svg>\n");
        return sb.toString();
    }

    private void legend(StringBuilder sb, List<ReferenceLine> drawnRefs, List<double[]> pts,
                        double px0, double px1, double py0, double py1) {
        if (legend == LegendPosition.NONE) {
            return;
        }
        List<String> labels = new ArrayList<>();
        List<String> colors = new ArrayList<>();
        List<String> dashes = new ArrayList<>();
        for (int si = 0; si < series.size(); si++) {
            if (!series.get(si).label().isEmpty()) {
                labels.add(series.get(si).label());
                colors.add(color(si));
                dashes.add(dash(si));
            }
        }
        for (ReferenceLine r : drawnRefs) {
            if (!r.label().isEmpty()) {
                labels.add(r.label());
                colors.add(REF_COLOR);
                dashes.add(REF_DASH);
            }
        }
        if (labels.isEmpty()) {
            return;
        }
        double textW = 0;
        for (String l : labels) {
            textW = Math.max(textW, textWidth(l, LEGEND_FONT));
        }
        double row = LEGEND_FONT + 5;
        double w = 8 + 24 + 6 + textW + 8;
        double h = 6 + row * labels.size() + 2;
        double inset = 8;
        LegendPosition pos = legend;
        if (pos == LegendPosition.AUTO) {
            LegendPosition[] order = {LegendPosition.UPPER_RIGHT, LegendPosition.UPPER_LEFT,
                LegendPosition.LOWER_RIGHT, LegendPosition.LOWER_LEFT};
            int best = Integer.MAX_VALUE;
            for (LegendPosition cand : order) {
                double[] o = legendOrigin(cand, w, h, inset, px0, px1, py0, py1);
                int c = 0;
                for (double[] p : pts) {
                    if (p[0] >= o[0] - 3 && p[0] <= o[0] + w + 3 && p[1] >= o[1] - 3 && p[1] <= o[1] + h + 3) {
                        c++;
                    }
                }
                if (c < best) {
                    best = c;
                    pos = cand;
                }
            }
        }
        double[] o = legendOrigin(pos, w, h, inset, px0, px1, py0, py1);
        sb.append("<g class=\"legend\" font-size=\"").append(f(LEGEND_FONT)).append("\">\n");
        sb.append("<rect x=\"").append(f(o[0])).append("\" y=\"").append(f(o[1])).append("\" width=\"").append(f(w))
                .append("\" height=\"").append(f(h)).append("\" fill=\"#ffffff\" fill-opacity=\"0.88\" stroke=\"#bbbbbb\" stroke-width=\"0.8\"/>\n");
        for (int i = 0; i < labels.size(); i++) {
            double cy = o[1] + 4 + row * i + row / 2;
            sb.append("<line x1=\"").append(f(o[0] + 8)).append("\" y1=\"").append(f(cy)).append("\" x2=\"")
                    .append(f(o[0] + 32)).append("\" y2=\"").append(f(cy)).append("\" stroke=\"").append(colors.get(i))
                    .append("\" stroke-width=\"").append(colors.get(i).equals(REF_COLOR) && Objects.equals(dashes.get(i), REF_DASH) ? "1.4" : "1.8").append('"');
            if (dashes.get(i) != null) {
                sb.append(" stroke-dasharray=\"").append(dashes.get(i)).append('"');
            }
            sb.append("/>\n");
            sb.append("<text x=\"").append(f(o[0] + 38)).append("\" y=\"").append(f(cy + LEGEND_FONT * 0.35)).append("\">")
                    .append(esc(labels.get(i))).append("</text>\n");
        }
        sb.append("</g>\n");
    }

    private static double[] legendOrigin(LegendPosition p, double w, double h, double inset,
                                         double px0, double px1, double py0, double py1) {
        boolean rightSide = p == LegendPosition.UPPER_RIGHT || p == LegendPosition.LOWER_RIGHT;
        boolean upper = p == LegendPosition.UPPER_RIGHT || p == LegendPosition.UPPER_LEFT;
        double x = rightSide ? px1 - inset - w : px0 + inset;
        double y = upper ? py0 + inset : py1 - inset - h;
        return new double[] {x, y};
    }

    private String noteText() {
        List<String> parts = new ArrayList<>();
        if (dropped > 0) {
            String why = (logX || logY) ? "non-finite or \u2264 0 on a log axis" : "non-finite";
            parts.add(dropped + (dropped == 1 ? " point" : " points") + " dropped (" + why + ")");
        }
        for (String r : omittedRefs) {
            parts.add("reference line '" + r + "' omitted (not drawable on this axis)");
        }
        return String.join("; ", parts);
    }

    private double mapX(double v, double px0, double px1) {
        return px0 + xAxis.fraction(v) * (px1 - px0);
    }

    private double mapY(double v, double py0, double py1) {
        return py1 - yAxis.fraction(v) * (py1 - py0);
    }

    private static double clampPx(double v) {
        return Math.max(-1e6, Math.min(1e6, v));
    }

    static String color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    static String dash(int i) {
        return DASHES[(i / PALETTE.length) % DASHES.length];
    }

    private static void label(StringBuilder sb, Axis.Tick t) {
        sb.append(esc(t.text()));
        if (t.exponent() != null) {
            sb.append("<tspan dy=\"-0.45em\" font-size=\"0.78em\">").append(esc(t.exponent())).append("</tspan>");
        }
    }

    private static double labelWidth(Axis.Tick t, double font) {
        double w = textWidth(t.text(), font);
        if (t.exponent() != null) {
            w += textWidth(t.exponent(), font * 0.78);
        }
        return w;
    }

    /** Rough width of sans-serif text (no font metrics in a headless JDK-only renderer). */
    static double textWidth(String s, double font) {
        return s.codePointCount(0, s.length()) * font * 0.58;
    }

    /** Coordinate with at most 2 decimals, no exponent, no trailing zeros. */
    static String f(double v) {
        long r = Math.round(v * 100);
        StringBuilder s = new StringBuilder();
        if (r < 0) {
            s.append('-');
            r = -r;
        }
        s.append(r / 100);
        long frac = r % 100;
        if (frac != 0) {
            s.append('.').append((char) ('0' + frac / 10));
            if (frac % 10 != 0) {
                s.append((char) ('0' + frac % 10));
            }
        }
        return s.toString();
    }

    /** XML text/attribute escape; characters not allowed in XML 1.0 become U+FFFD. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
                    b.appendCodePoint(ok ? c : 0xFFFD);
                }
            }
        }
        return b.toString();
    }

    /** Writes {@link #toSvg()} to {@code file} via a temporary file in the same directory and an atomic move. */
    public void write(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        // not Files.createTempFile: that makes the file owner-only (0600); this one gets the usual umask
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(System.nanoTime())
                + Integer.toHexString(ThreadLocalRandom.current().nextInt()) + ".tmp");
        try {
            Files.writeString(tmp, toSvg(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // ====================================================================== builder

    /** Fluent spec of a {@link LinePlot}. All text defaults to empty; size defaults to 640 x 420. */
    public static final class Builder {
        private String title = "";
        private String xLabel = "";
        private String yLabel = "";
        private boolean logX;
        private boolean logY;
        private int width = 640;
        private int height = 420;
        private boolean grid = true;
        private LegendPosition legend = LegendPosition.AUTO;
        private double[] xRange;
        private double[] yRange;
        private final List<Series> series = new ArrayList<>();
        private final List<ReferenceLine> refs = new ArrayList<>();

        private Builder() {
        }

        public Builder title(String title) {
            this.title = Objects.requireNonNull(title, "title");
            return this;
        }

        public Builder xLabel(String label) {
            this.xLabel = Objects.requireNonNull(label, "xLabel");
            return this;
        }

        public Builder yLabel(String label) {
            this.yLabel = Objects.requireNonNull(label, "yLabel");
            return this;
        }

        public Builder logX(boolean log) {
            this.logX = log;
            return this;
        }

        public Builder logY(boolean log) {
            this.logY = log;
            return this;
        }

        /** Canvas size in SVG user units (px); at least 160 x 120. */
        public Builder size(int width, int height) {
            if (width < 160 || height < 120) {
                throw new IllegalArgumentException("plot size " + width + "x" + height + " too small (min 160x120)");
            }
            this.width = width;
            this.height = height;
            return this;
        }

        /** Show light grid lines at major ticks (default true). */
        public Builder grid(boolean grid) {
            this.grid = grid;
            return this;
        }

        public Builder legend(LegendPosition position) {
            this.legend = Objects.requireNonNull(position, "position");
            return this;
        }

        /** Fixes the x range instead of fitting it to the data; data outside is clipped. */
        public Builder xRange(double lo, double hi) {
            this.xRange = new double[] {lo, hi};
            return this;
        }

        /** Fixes the y range instead of fitting it to the data; data outside is clipped. */
        public Builder yRange(double lo, double hi) {
            this.yRange = new double[] {lo, hi};
            return this;
        }

        public Builder series(Series s) {
            this.series.add(Objects.requireNonNull(s, "series"));
            return this;
        }

        public Builder series(String label, double[] x, double[] y) {
            return series(new Series(label, x, y));
        }

        /** A dashed horizontal line at {@code y} (e.g. a theoretical bound), listed in the legend. */
        public Builder referenceLine(String label, double y) {
            this.refs.add(new ReferenceLine(label, y));
            return this;
        }

        public Builder referenceLine(ReferenceLine r) {
            this.refs.add(Objects.requireNonNull(r, "referenceLine"));
            return this;
        }

        /** @throws IllegalArgumentException if a fixed range is empty, non-finite, or &le; 0 on a log axis */
        public LinePlot build() {
            return new LinePlot(this);
        }
    }
}
