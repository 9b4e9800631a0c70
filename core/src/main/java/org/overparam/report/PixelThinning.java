package org.overparam.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Thins a polyline already mapped to pixels without changing what it looks like: consecutive points that fall in
 * the same pixel column are replaced by the first, the lowest, the highest and the last of them, in their original
 * order (the M4 aggregation of Jugel et al., "M4: a visualization-oriented time series data aggregation", VLDB
 * 2014). The drawn line covers the same pixels — every column keeps its vertical extent and the segments into and
 * out of it — so a run of 10⁵ training steps becomes at most four points per column of the plot instead of an SVG
 * of megabytes. Points in no particular x order are grouped by consecutive runs in one column, which is still exact
 * and merely thins less. {@link PaperChart} thins its dense curves with it.
 */
final class PixelThinning {
    private PixelThinning() {
    }

    /** The points {@code p} (pixel coordinates {x, y}) thinned per pixel column; short inputs are returned as they are. */
    static List<double[]> thin(List<double[]> p) {
        if (p.size() <= 4) {
            return p;
        }
        List<double[]> out = new ArrayList<>();
        int start = 0;
        while (start < p.size()) {
            long column = (long) Math.floor(p.get(start)[0]);
            int end = start + 1;
            while (end < p.size() && (long) Math.floor(p.get(end)[0]) == column) {
                end++;
            }
            int lo = start;
            int hi = start;
            for (int i = start + 1; i < end; i++) {
                if (p.get(i)[1] < p.get(lo)[1]) {
                    lo = i;
                }
                if (p.get(i)[1] > p.get(hi)[1]) {
                    hi = i;
                }
            }
            // first, min and max in index order, last: each index once
            int[] keep = {start, Math.min(lo, hi), Math.max(lo, hi), end - 1};
            int last = -1;
            for (int k : keep) {
                if (k != last) {
                    out.add(p.get(k));
                    last = k;
                }
            }
            start = end;
        }
        return out;
    }
}
