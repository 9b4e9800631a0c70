package org.overparam.experiment;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the seeds of one grid cell measured: how many runs were asked for ({@code seeds}) and are in the
 * store, the steps to fit (Zhang et al. 2017's "time to fit": steps to 100 % training accuracy, or to the
 * target loss for regression data) and the test error. A run that did not fit within its step budget
 * (or diverged) counts as +infinity in {@link #steps}: never as a made-up time. {@link #fittedSteps} holds
 * only the runs that fit.
 *
 * @param testError  1 − final test accuracy per stored run (the final mse test loss on regression data;
 *                   {@link #testErrorIsLoss}); empty without a test set
 * @param parameters the network's parameter count (the same for every seed of a cell)
 */
public record FitCell(Key key, String hidden, int seeds, int stored, int diverged, long budget, Spread steps,
        Spread fittedSteps, Spread testError, boolean testErrorIsLoss, long parameters) {

    /** Panel, curve and x: the seeds of one cell share these. */
    public record Key(String panel, String curve, double x) {
    }

    public int fitted() {
        return fittedSteps.count();
    }

    /** Stored runs that did not reach the fit within the budget (diverged ones included). */
    public int didNotFit() {
        return stored - fitted();
    }

    /** Whether every asked seed fit. */
    public boolean allFit() {
        return fitted() == seeds;
    }

    /** One line for the report's table, e.g. "median 360, range 340–420 (3 of 3 seeds fit)". */
    public String stepsText() {
        if (stored == 0) {
            return "no stored run (" + seeds + " failed; see the sweep log)";
        }
        String missing = stored < seeds ? "; " + (seeds - stored) + " failed and are not counted" : "";
        String div = diverged > 0 ? ", " + diverged + " diverged" : "";
        if (fitted() == 0) {
            return "did not fit within " + budget + " steps (0 of " + stored + " seeds" + div + ")" + missing;
        }
        String range = fitted() == 1 ? integer(fittedSteps.min())
                : integer(fittedSteps.min()) + "–" + integer(fittedSteps.max());
        if (fitted() == stored) {
            return "median " + integer(steps.median()) + ", range " + range + " (" + stored + " of " + stored
                    + " seeds fit)" + missing;
        }
        String head = Double.isInfinite(steps.median()) ? "median > " + budget + " (did not fit)"
                : "median " + integer(steps.median());
        return head + "; " + didNotFit() + " of " + stored + " seeds did not fit within " + budget + " steps" + div
                + "; the " + fitted() + " that fit: " + range + missing;
    }

    /** One line for the report's table, e.g. "median 0.145, range 0.130–0.160 (3 seeds)". */
    public String testErrorText() {
        if (testError.count() == 0) {
            return "n/a (no test set or no completed run)";
        }
        String what = testErrorIsLoss ? "test loss " : "";
        return what + "median " + decimal(testError.median()) + ", range " + decimal(testError.min()) + "–"
                + decimal(testError.max()) + " (" + testError.count() + " seed" + (testError.count() == 1 ? "" : "s")
                + ")";
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("panel", key.panel());
        m.put("curve", key.curve());
        m.put("x", Double.isNaN(key.x()) ? null : key.x());
        m.put("hidden", hidden);
        m.put("parameters", parameters);
        m.put("seeds", seeds);
        m.put("stored", stored);
        m.put("fitted", fitted());
        m.put("did_not_fit", didNotFit());
        m.put("diverged", diverged);
        m.put("budget_steps", budget);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("median", Double.isFinite(steps.median()) ? steps.median() : null);
        s.put("median_censored", Double.isInfinite(steps.median()));
        s.put("min_of_fitted", finiteOrNull(fittedSteps.min()));
        s.put("max_of_fitted", finiteOrNull(fittedSteps.max()));
        m.put("steps_to_fit", s);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("measure", testErrorIsLoss ? "final mse test loss" : "1 - final test accuracy");
        t.put("count", testError.count());
        t.put("median", finiteOrNull(testError.median()));
        t.put("min", finiteOrNull(testError.min()));
        t.put("max", finiteOrNull(testError.max()));
        m.put("test_error", t);
        m.put("summary", stepsText());
        return m;
    }

    private static Object finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String integer(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String decimal(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
