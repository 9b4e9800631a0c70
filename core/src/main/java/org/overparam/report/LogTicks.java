package org.overparam.report;

import java.awt.BasicStroke;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.internal.chartpart.Annotation;
import org.knowm.xchart.style.AxesChartStyler;

/**
 * The ticks of an integer log x axis (depths, widths): labels at the values that were run and at the ends, as many as
 * fit side by side, and minor marks at the other m × 10^k. XChart's log axis labels 1, 2, ..., 9, 10, 20, ...:
 * depths 1 to 16 would end without a 16. Drawn over the chart after everything else, below the plot's frame where
 * XChart draws its own ticks (hidden on this axis).
 */
final class LogTicks extends Annotation {
    /** Tick lengths in pixels: labelled ticks, and the minor ones between them. */
    static final int MAJOR = 6;
    static final int MINOR = 3;

    private final double[] xRange;
    private final double[] xLabels;

    /** {@code xLabels}: the values to label, most wanted first; {@code xRange}: the data's x range. */
    LogTicks(double[] xRange, double[] xLabels) {
        super(false);
        this.xRange = xRange;
        this.xLabels = xLabels;
    }

    @Override
    public void paint(Graphics2D g) {
        AxesChartStyler st = (AxesChartStyler) styler;
        // the frame's edges (XChart's "min" and "max" screen values are the frame, the data sit inside it)
        double left = getXAxisScreenValueForMin();
        double right = getXAxisScreenValueForMax();
        double bottom = getYAxisScreenValueForMax();
        java.awt.Shape clip = g.getClip();
        g.setClip(null);
        g.setColor(st.getAxisTickMarksColor());
        g.setStroke(new BasicStroke(1f));
        // XChart's own marks (at every m × 10^k) are hidden on this axis with its labels: the minor ones are redrawn
        for (double v : minor(xRange)) {
            double px = getXAxisScreenValue(v);
            if (px >= left && px <= right) {
                g.drawLine((int) Math.round(px), (int) Math.round(bottom), (int) Math.round(px),
                        (int) Math.round(bottom + MINOR));
            }
        }
        g.setFont(st.getAxisTickLabelsFont());
        FontMetrics fm = g.getFontMetrics();
        List<double[]> taken = new ArrayList<>(); // [from, to] in pixels of the labels kept
        double gap = fm.charWidth('0');
        for (double v : xLabels) {
            double px = getXAxisScreenValue(v);
            String text = Long.toString(Math.round(v));
            double w = fm.stringWidth(text);
            double[] span = {px - w / 2 - gap, px + w / 2 + gap};
            if (px < left - 0.5 || px > right + 0.5 || taken.stream().anyMatch(t -> t[0] < span[1] && span[0] < t[1])) {
                continue;
            }
            taken.add(span);
            int ix = (int) Math.round(px);
            g.setColor(st.getAxisTickMarksColor());
            g.drawLine(ix, (int) Math.round(bottom), ix, (int) Math.round(bottom + MAJOR));
            g.setColor(st.getYAxisTickLabelsColor());
            g.drawString(text, (float) (px - w / 2), (float) (bottom + MAJOR + st.getAxisTickPadding()
                    + fm.getAscent()));
        }
        g.setClip(clip);
    }

    /** m × 10^k for m = 1..9 inside [lo, hi]. */
    private static List<Double> minor(double[] range) {
        List<Double> out = new ArrayList<>();
        if (!(range[0] > 0) || !(range[1] >= range[0])) {
            return out;
        }
        for (int k = (int) Math.floor(Math.log10(range[0])); k <= Math.ceil(Math.log10(range[1])); k++) {
            for (int m = 1; m <= 9; m++) {
                double v = m * Math.pow(10, k);
                if (v >= range[0] && v <= range[1]) {
                    out.add(v);
                }
            }
        }
        return out;
    }
}
