package org.overparam.experiment;

import org.overparam.theory.WidthSearch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.overparam.experiment.MinimalWidth.AtN;
import org.overparam.experiment.MinimalWidth.Memorizer;
import org.overparam.experiment.MinimalWidth.Result;
import org.overparam.io.Json;
import org.overparam.report.HtmlReport;
import org.overparam.report.PaperChart;
import org.overparam.stats.LogLogFit;
import org.overparam.theory.WidthDemanded;

/**
 * The output folder of {@code overparam min-width}: {@code min-width.json} (probes, m*, fit, theory table,
 * memorizer counts), {@code m-star.svg}/.png/.pdf (m* against n on log-log axes with the fitted line and the theorems'
 * powers of n, each drawn through the first bracketed point) and {@code report.html} (the plot and the
 * tables), plus {@code config.json} (the search's settings).
 */
public final class MinWidthReport {
    private MinWidthReport() {
    }

    /** What success means, in words, for outputs and --help. */
    public static String convention(MinimalWidth.Spec s) {
        return String.format(Locale.ROOT, "success at width m: at least %d of %d seeds (1 - delta = %s) reach training "
                + "loss <= eps = %s within T = %d steps (%s; a diverged run counts as a failure); seeds 0..%d vary the "
                + "initialization, the data are the same. Success is not monotone in m in general: m* is the smallest "
                + "width found by this search (grid m0 = %d, ratio %s, cap %d, then bisection to resolution %s), not "
                + "necessarily the smallest width that succeeds.", s.requiredSuccesses(), s.seeds(), num(1 - s.delta()),
                num(s.epsilon()), s.base().training().steps(), TrainRun.lossConvention(s.base().training().loss().value()), s.seeds() - 1, s.m0(),
                num(s.growth()), s.maxWidth(), s.resolution() == 0 ? "one unit" : num(s.resolution()) + " relative");
    }

    /** Writes the folder atomically ({@link OutputFolder}). */
    public static void write(Result r, Path out) {
        try (OutputFolder folder = new OutputFolder(out)) {
            Path dir = folder.dir();
            Json.write(Map.of("min_width", settings(r.spec()), "train_base", r.spec().base().toMap(),
                    "provenance", TrainRun.provenance(1)), dir.resolve("config.json"));
            Json.write(toMap(r), dir.resolve("min-width.json"));
            PaperChart plot = plot(r);
            plot.write(dir.resolve("m-star"));
            Files.writeString(dir.resolve("report.html"), html(r, plot));
            folder.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> settings(MinimalWidth.Spec s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", s.datasetTemplate());
        m.put("n", s.ns());
        m.put("depth", s.depth());
        m.put("arch", s.arch() == null ? null : s.arch().spelling());
        m.put("seeds", s.seeds());
        m.put("delta", s.delta());
        m.put("required_successes", s.requiredSuccesses());
        m.put("eps", s.epsilon());
        m.put("steps", s.base().training().steps());
        m.put("steps_growth_exponent", s.stepsExponent());
        m.put("m0", s.m0());
        m.put("growth", s.growth());
        m.put("max_width", s.maxWidth());
        m.put("resolution", s.resolution());
        return m;
    }

    /** min-width.json. */
    public static Map<String, Object> toMap(Result r) {
        MinimalWidth.Spec s = r.spec();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("settings", settings(s));
        m.put("convention", convention(s));
        m.put("loss_convention", TrainRun.lossConvention(s.base().training().loss().value()));
        List<Object> perN = new ArrayList<>();
        for (AtN a : r.perN()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("n", a.n());
            e.put("status", a.status().label());
            e.put("m_star", a.minimalWidth());
            // the first width tried already worked: m* is only an upper bound, drawn as such and left out of the fit
            e.put("censored", a.status() == WidthSearch.Status.AT_FIRST_PROBE);
            e.put("steps", r.spec().steps(a.n()));
            e.put("last_failure", a.lastFailure());
            List<Object> probes = new ArrayList<>();
            for (WidthSearch.Probe p : a.probes()) {
                probes.add(Map.of("m", p.width(), "successes", p.successes(), "seeds", p.seeds(), "success", p.success()));
            }
            e.put("probes", probes);
            e.put("gd_parameters_at_m_star", a.gdParameters());
            e.put("gd_trainable_parameters_at_m_star", a.gdTrainableParameters());
            List<Object> mem = new ArrayList<>();
            for (Memorizer z : a.memorizers()) {
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("construction", z.construction());
                q.put("hidden", z.hidden());
                q.put("free_weights", z.freeWeights());
                q.put("stored_numbers", z.storedNumbers());
                q.put("relative_error", z.relativeError());
                q.put("fits", z.fits());
                mem.add(q);
            }
            e.put("memorizers", mem);
            perN.add(e);
        }
        m.put("per_n", perN);
        m.put("memorizer_fits_when_relative_error_at_most", MinimalWidth.FIT_TOLERANCE);
        Map<String, Object> fit = new LinkedHashMap<>();
        fit.put("note", r.fitNote());
        if (r.fit() != null) {
            LogLogFit f = r.fit();
            fit.put("points", f.points());
            fit.put("exponent", f.slope());
            fit.put("exponent_se", f.slopeSe());
            fit.put("level", f.level());
            fit.put("ci_low", f.ciLow());
            fit.put("ci_high", f.ciHigh());
            fit.put("prefactor", Math.exp(f.intercept()));
            fit.put("r_squared", Double.isNaN(f.rSquared()) ? null : f.rSquared());
            fit.put("trend_supported", MinimalWidth.trendSupported(f));
        }
        m.put("fit", fit);
        List<Object> theory = new ArrayList<>();
        for (WidthDemanded.Scaling t : r.theory()) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("paper", t.key());
            q.put("width", t.formula());
            q.put("exponent_of_n", Double.isNaN(t.exponent()) ? null : t.exponent());
            q.put("constants", t.constants());
            q.put("fitted_exponent_vs_theory", comparison(r.fit(), t.exponent()));
            theory.add(q);
        }
        m.put("theory", theory);
        m.put("fixed_in_theory_exponents", "lambda0, phi, delta and L held fixed; " + WidthDemanded.DEPTH_CONVENTION
                + ", here L = --depth = " + r.spec().depth() + "; the theorems give sufficient widths, so a fitted "
                + "exponent below theirs does not contradict them");
        m.put("runs_trained", r.trained());
        m.put("runs_from_store", r.fromStore());
        m.put("seconds", r.seconds());
        return m;
    }

    /** One n in one line: status, m*, the bracket and every probe. */
    public static String line(AtN a) {
        String head = a.minimalWidth() == null
                ? String.format(Locale.ROOT, "n = %d: m* not reached (every probe up to the cap failed)", a.n())
                : a.lastFailure() == null
                ? String.format(Locale.ROOT, "n = %d: m* <= %d (the first probe succeeded; smaller widths not probed)",
                        a.n(), a.minimalWidth())
                : String.format(Locale.ROOT, "n = %d: m* = %d (last failure %d)", a.n(), a.minimalWidth(), a.lastFailure());
        StringBuilder b = new StringBuilder(head).append("; probes m: successes/seeds ").append(probes(a))
                .append("; parameters: GD at m* ").append(str(a.gdParameters()));
        for (Memorizer z : a.memorizers()) {
            b.append(", ").append(z.construction()).append(' ').append(z.storedNumbers()).append(" (").append(z.freeWeights())
                    .append(" free, ").append(z.fits() ? "fits" : "does not fit").append(')');
        }
        return b.toString();
    }

    /** The fit in one line (or why there is none). */
    public static String fitLine(Result r) {
        if (r.fit() == null) {
            return "fit: " + r.fitNote();
        }
        LogLogFit f = r.fit();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "fit: m* ~ %.3g n^b, b = %.3f, %.0f%% interval "
                + "[%.3f, %.3f] (%d points, R^2 = %s); theory exponents:", Math.exp(f.intercept()), f.slope(),
                100 * f.level(), f.ciLow(), f.ciHigh(), f.points(),
                Double.isNaN(f.rSquared()) ? "n/a" : String.format(Locale.ROOT, "%.3f", f.rSquared())));
        for (WidthDemanded.Scaling t : r.theory()) {
            b.append(' ').append(t.key()).append(' ').append(Double.isNaN(t.exponent()) ? "polylog" : num(t.exponent()));
        }
        if (!MinimalWidth.trendSupported(f)) {
            b.append(String.format(Locale.ROOT, "; R^2 below %.1f: no trend is claimed", MinimalWidth.MIN_R2));
        }
        return b.toString();
    }

    /** Where the theory's exponent lies relative to the fitted interval. */
    static String comparison(LogLogFit fit, double exponent) {
        if (Double.isNaN(exponent)) {
            return "polylog: not a power of n";
        }
        if (fit == null) {
            return "no fit";
        }
        if (!MinimalWidth.trendSupported(fit)) {
            return "no comparison: the fit explains too little (R^2 < " + MinimalWidth.MIN_R2 + ")";
        }
        if (fit.covers(exponent)) {
            return "inside the interval";
        }
        return exponent > fit.ciHigh() ? "above the interval" : "below the interval";
    }

    /**
     * m* against n, log-log: the widths found as markers, those only bounded (the first probe already succeeded) as
     * down triangles, the fit with its interval, and the theorems' powers of n (order only) through the first m*,
     * each cut where it leaves the measured range by more than a factor 30.
     */
    static PaperChart plot(Result r) {
        MinimalWidth.Spec s = r.spec();
        List<AtN> found = r.perN().stream().filter(a -> a.status() == WidthSearch.Status.FOUND).toList();
        List<AtN> bounds = r.perN().stream().filter(a -> a.status() == WidthSearch.Status.AT_FIRST_PROBE).toList();
        double nLo = r.perN().stream().mapToInt(AtN::n).min().orElse(1);
        double nHi = r.perN().stream().mapToInt(AtN::n).max().orElse(2);
        PaperChart c = PaperChart.of(String.format(Locale.ROOT, "Minimal width m*(n): ≥ %d of %d seeds reach loss ≤ %s "
                + "in %d steps, depth %d", s.requiredSuccesses(), s.seeds(), num(s.epsilon()), s.base().training().steps(),
                s.depth()), "n (training points)", "width m (units per hidden layer)").logX().logY().integerX();
        c.add("m* (smallest width found)", found.stream().mapToDouble(AtN::n).toArray(),
                found.stream().mapToDouble(AtN::minimalWidth).toArray(), PaperChart.Kind.MEASURED);
        if (!bounds.isEmpty()) {
            c.add("m* ≤ m0 (first probe succeeded)", bounds.stream().mapToDouble(AtN::n).toArray(),
                    bounds.stream().mapToDouble(AtN::minimalWidth).toArray(), PaperChart.Kind.CENSORED);
        }
        List<AtN> above = r.perN().stream().filter(a -> a.status() == WidthSearch.Status.NOT_REACHED).toList();
        if (!above.isEmpty()) {
            c.addInColourOf("m* (smallest width found)", "m* > " + s.maxWidth() + " (not reached by the cap)",
                    above.stream().mapToDouble(AtN::n).toArray(), above.stream().mapToDouble(a -> s.maxWidth()).toArray(),
                    PaperChart.Kind.AT_LEAST);
        }
        if (r.fit() != null) {
            LogLogFit f = r.fit();
            c.add(f.legend("n"), new double[] {nLo, nHi}, new double[] {f.predict(nLo), f.predict(nHi)},
                    PaperChart.Kind.PREDICTION);
        }
        double yHi = r.perN().stream().filter(a -> a.minimalWidth() != null).mapToDouble(AtN::minimalWidth).max().orElse(1);
        if (!found.isEmpty()) { // one line per power of n, naming every theorem with that power
            AtN first = found.get(0);
            Map<Double, List<String>> byExponent = new java.util.TreeMap<>();
            for (WidthDemanded.Scaling t : r.theory()) {
                if (!Double.isNaN(t.exponent())) {
                    byExponent.computeIfAbsent(t.exponent(), k -> new ArrayList<>()).add(t.key());
                }
            }
            byExponent.forEach((e, keys) -> {
                // where the line n^e through the first m* reaches 30 times the largest m*: beyond, it would squash the data
                double end = e > 0 ? Math.min(nHi, first.n() * Math.pow(30 * yHi / first.minimalWidth(), 1 / e)) : nHi;
                if (end > first.n()) {
                    c.add("n^" + num(e) + " (theory, order only): " + String.join(", ", keys), new double[] {first.n(),
                        end}, new double[] {first.minimalWidth(), first.minimalWidth() * Math.pow(end / first.n(), e)},
                            PaperChart.Kind.PREDICTION);
                }
            });
        }
        return c;
    }

    static String html(Result r, PaperChart plot) {
        MinimalWidth.Spec s = r.spec();
        HtmlReport h = new HtmlReport("overparam min-width", String.format(Locale.ROOT, "data %s with n in %s; %s, "
                + "parameterization %s, %s, gd with lr %s; %d runs trained now, %d read "
                + "from the results store; %.1f s", s.datasetTemplate(), s.ns(), s.network(),
                s.base().network().parameterization().text(), TrainRun.lossConvention(s.base().training().loss().value()), num(s.base().training().lr()), r.trained(),
                r.fromStore(), r.seconds()));
        List<List<String>> rows = new ArrayList<>();
        for (AtN a : r.perN()) {
            rows.add(List.of(Integer.toString(a.n()), a.status().label(), str(a.minimalWidth()),
                    a.minimalWidth() == null ? "-" : "(" + (a.lastFailure() == null ? "0" : a.lastFailure()) + ", "
                            + a.minimalWidth() + "]", probes(a)));
        }
        h.add(new HtmlReport.Section("m-star", "m*(n)", List.of(convention(s)),
                List.of(new HtmlReport.Table("m-star-table", List.of("n", "status", "m*", "bracket (last failure, m*]",
                        "probes m: successes/seeds, in order"), rows)), List.of(plot)));
        List<List<String>> theory = new ArrayList<>();
        for (WidthDemanded.Scaling t : r.theory()) {
            theory.add(List.of(t.key(), t.formula(), Double.isNaN(t.exponent()) ? "polylog" : num(t.exponent()),
                    t.constants(), comparison(r.fit(), t.exponent())));
        }
        String fitText = r.fit() == null ? r.fitNote() : String.format(Locale.ROOT, "fitted exponent b = %.3f, %.0f %% "
                + "interval [%.3f, %.3f], se %.3f, R^2 = %s over %d points (m* ~ %.3g n^b). %s.", r.fit().slope(),
                100 * r.fit().level(), r.fit().ciLow(), r.fit().ciHigh(), r.fit().slopeSe(),
                Double.isNaN(r.fit().rSquared()) ? "n/a" : String.format(Locale.ROOT, "%.4f", r.fit().rSquared()),
                r.fit().points(), Math.exp(r.fit().intercept()), r.fitNote());
        h.add(new HtmlReport.Section("fit", "Fitted exponent against the theorems' widths", List.of(fitText,
                "The theorems' widths as powers of n (order only; lambda0, phi, delta and L held fixed; "
                        + WidthDemanded.DEPTH_CONVENTION + ", here L = " + s.depth() + "). They are sufficient widths: a "
                        + "fitted exponent below theirs does not contradict them."),
                List.of(new HtmlReport.Table("theory-table", List.of("paper", "width demanded", "exponent of n",
                        "constants", "theory exponent vs fitted interval"), theory)), List.of()));
        List<List<String>> mem = new ArrayList<>();
        for (AtN a : r.perN()) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(a.n()), str(a.minimalWidth()),
                    str(a.gdParameters()), str(a.gdTrainableParameters())));
            for (Memorizer z : a.memorizers()) {
                row.add(z.hidden().toString());
                row.add(Long.toString(z.freeWeights()));
                row.add(Long.toString(z.storedNumbers()));
                row.add(String.format(Locale.ROOT, "%.1e (%s)", z.relativeError(), z.fits() ? "fits" : "does not fit"));
            }
            mem.add(row);
        }
        h.add(new HtmlReport.Section("memorizer", "Memorizer against GD", List.of("The same data: the networks of the "
                + "memorization constructions (built, not trained; their relative error measured with their own forward "
                + "pass, fits = at most " + num(MinimalWidth.FIT_TOLERANCE) + ") beside GD's net at m* (all parameters, "
                + "and those GD trains). '-' = m* not found."), List.of(new HtmlReport.Table("memorizer-table",
                List.of("n", "m*", "GD parameters at m*", "GD trained", "yun hidden", "yun free", "yun stored",
                        "yun rel. error", "zhang hidden", "zhang free", "zhang stored", "zhang rel. error"), mem)),
                List.of()));
        return h.toHtml();
    }

    private static String probes(AtN a) {
        StringBuilder b = new StringBuilder();
        for (WidthSearch.Probe p : a.probes()) {
            b.append(b.length() == 0 ? "" : ", ").append(p.width()).append(": ").append(p.successes()).append('/')
                    .append(p.seeds()).append(p.success() ? " ok" : "");
        }
        return b.toString();
    }

    private static String str(Object o) {
        return o == null ? "-" : o.toString();
    }

    /** Three significant digits without trailing zeros: 0.001, 10, 1e-05, 0.05. */
    static String num(double v) {
        String t = String.format(Locale.ROOT, "%.3g", v);
        int e = t.indexOf('e');
        String mantissa = e < 0 ? t : t.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return mantissa + (e < 0 ? "" : t.substring(e));
    }
}
