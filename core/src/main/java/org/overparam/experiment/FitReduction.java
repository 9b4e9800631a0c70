package org.overparam.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reduces a study's stored runs to one {@link FitCell} per (panel, curve, x): the runs' summaries (as
 * {@link ResultsStore#summaries} returns them) grouped over seeds. Cells keep the order in which the grid
 * first names them.
 */
public final class FitReduction {
    private FitReduction() {
    }

    public static List<FitCell> reduce(List<GridPoint> points, Map<String, Map<String, Object>> summaries) {
        Map<FitCell.Key, List<GridPoint>> groups = new LinkedHashMap<>();
        for (GridPoint p : points) {
            groups.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p);
        }
        List<FitCell> cells = new ArrayList<>();
        groups.forEach((key, group) -> cells.add(cell(key, group, summaries)));
        return cells;
    }

    private static FitCell cell(FitCell.Key key, List<GridPoint> group, Map<String, Map<String, Object>> summaries) {
        List<Double> steps = new ArrayList<>();
        List<Double> fitted = new ArrayList<>();
        List<Double> testError = new ArrayList<>();
        int diverged = 0;
        long parameters = -1;
        boolean isLoss = false;
        RunConfig first = group.get(0).config();
        for (GridPoint p : group) {
            Map<String, Object> s = summaries.get(ResultsStore.configHash(p.config()));
            if (s == null) {
                continue; // failed: not stored, reported by the cell's stored < seeds
            }
            if (s.get("parameters") instanceof Number n) {
                parameters = n.longValue();
            }
            if ("diverged".equals(s.get("status"))) {
                diverged++;
                steps.add(Double.POSITIVE_INFINITY);
                continue;
            }
            Object reached = s.get(stepsKey(p.config()));
            if (reached instanceof Number n) {
                steps.add(n.doubleValue());
                fitted.add(n.doubleValue());
            } else {
                steps.add(Double.POSITIVE_INFINITY);
            }
            if (s.get("final_test_accuracy") instanceof Number a) {
                testError.add(1 - a.doubleValue());
            } else if (s.get("final_test_loss") instanceof Number l) {
                testError.add(l.doubleValue());
                isLoss = true;
            }
        }
        NetworkConfig net = first.network(); // an --arch net is named by its layers, the hidden widths otherwise
        String hidden = net.arch() != null ? net.arch().text() : net.hidden() == null ? null : net.hidden().text();
        return new FitCell(key, hidden, group.size(), steps.size(), diverged, first.training().steps(), Spread.of(array(steps)),
                Spread.of(array(fitted)), Spread.of(array(testError)), isLoss, parameters);
    }

    /** The summary key that says when a run fit: steps to 100 % accuracy, or to the target loss. */
    static String stepsKey(RunConfig c) {
        return c.training().stopAtFit() || !(c.training().targetLoss() > 0) ? "steps_to_fit" : "steps_to_target";
    }

    /**
     * Per (panel, curve), the cell with the smallest x in which at least a fraction 1 − delta of the asked
     * seeds fit, and at least one (seeds that failed count as not fitting); absent when no cell of the curve does.
     */
    public static Map<FitCell.Key, FitCell> smallestFitting(List<FitCell> cells, double delta) {
        Map<FitCell.Key, FitCell> best = new LinkedHashMap<>();
        for (FitCell c : cells) {
            FitCell.Key curve = new FitCell.Key(c.key().panel(), c.key().curve(), Double.NaN);
            boolean fits = c.fitted() >= Math.max(1, Math.ceil((1 - delta) * c.seeds() - 1e-9));
            FitCell old = best.get(curve);
            if (fits && (old == null || c.key().x() < old.key().x())) {
                best.put(curve, c);
            }
        }
        return best;
    }

    private static double[] array(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
