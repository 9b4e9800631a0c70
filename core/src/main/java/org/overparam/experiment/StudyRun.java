package org.overparam.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.overparam.InputError;
import org.overparam.io.Json;
import org.overparam.report.HtmlReport;

/**
 * Runs a {@link Study}: its grid through {@link SweepRun} into the DuckDB {@link ResultsStore} (runs
 * already stored are skipped, so a killed study resumes), the stored summaries read back and reduced over
 * seeds ({@link FitReduction}), then {@code DIR/<name>.json}, each figure as SVG, PNG and PDF, and {@code
 * DIR/report.html}: the figures, a table of every cell (seeds, steps to fit with their range and the runs
 * that did not fit, test error) and the study's own sections. The runs' folders go to {@code DIR/runs/}.
 * The report is rebuilt from the store on every call, so it always shows every stored run of the grid.
 */
public final class StudyRun {
    private StudyRun() {
    }

    /** What a study produced. */
    public record Result(List<FitCell> cells, SweepRun.Counts counts, Path folder, Map<String, Object> json) {
    }

    public static Result execute(Study study, Path db, int workers, Path out, Consumer<String> log) {
        List<GridPoint> points = study.points();
        if (points.isEmpty()) {
            throw new InputError(study.name() + ": the grid is empty; give at least one value for every list option");
        }
        // a user's folder (say one holding their own report.html) is never written into: only an empty, new or
        // earlier overparam study folder (resumed through the store)
        Path dir = OutputFolder.claimWorkingFolder(out, "study:" + study.name());
        List<RunConfig> configs = new ArrayList<>();
        for (GridPoint p : points) {
            configs.add(SweepRun.placed(p.config(), dir.resolve("runs")));
        }
        SweepRun.Counts counts = SweepRun.execute(configs, List.of("steps_to_fit", "final_test_accuracy"), db, workers,
                log);
        Map<String, Map<String, Object>> summaries;
        try (ResultsStore store = ResultsStore.open(db)) {
            summaries = store.summaries(configs.stream().map(ResultsStore::configHash).toList());
        }
        List<FitCell> cells = FitReduction.reduce(points, summaries);

        HtmlReport report = new HtmlReport(study.title(), study.setup());
        // a figure whose every cell failed has nothing to draw: the table below says why
        List<Study.Figure> figures = study.figures(cells).stream().filter(f -> !f.plot().isEmpty()).toList();
        report.add(HtmlReport.Section.of("Figures", "Each figure states its seed count; the table below gives "
                + "every cell's range over seeds and the runs that did not fit.", List.of(), List.of(),
                figures.stream().map(Study.Figure::plot).toList()));
        report.add(table(study, cells, counts));
        study.sections(cells).forEach(report::add);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("study", study.name());
        json.put("title", study.title());
        json.put("setup", study.setup());
        json.put("options", study.options());
        json.put("db", db.toString());
        Map<String, Object> c = counts.toMap();
        c.remove("results");
        json.put("runs", c);
        json.put("cells", cells.stream().map(FitCell::toMap).toList());
        json.putAll(study.extraResults(cells));
        json.put("provenance", TrainRun.provenance(1));
        try {
            for (Study.Figure f : figures) {
                f.plot().write(dir.resolve(f.file()));
            }
            write(dir.resolve(study.name() + ".json"), Json.write(json) + "\n");
            write(dir.resolve("report.html"), report.toHtml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(cells, counts, dir, json);
    }

    private static HtmlReport.Section table(Study study, List<FitCell> cells, SweepRun.Counts counts) {
        boolean panels = cells.stream().anyMatch(c -> !c.key().panel().isEmpty());
        List<String> cols = new ArrayList<>();
        if (panels) {
            cols.add("data");
        }
        cols.addAll(List.of("condition", study.xName(), "hidden widths or --arch", "parameters", "seeds",
                "steps to fit (median, range over seeds; runs that did not fit)", "test error (median, range)"));
        List<List<String>> rows = new ArrayList<>();
        for (FitCell cell : cells) {
            List<String> r = new ArrayList<>();
            if (panels) {
                r.add(cell.key().panel());
            }
            r.add(cell.key().curve());
            r.add(Double.isNaN(cell.key().x()) ? "" : number(cell.key().x()));
            r.add(cell.hidden());
            r.add(cell.parameters() < 0 ? "n/a" : Long.toString(cell.parameters()));
            r.add(Integer.toString(cell.seeds()));
            r.add(cell.stepsText());
            r.add(cell.testErrorText());
            rows.add(r);
        }
        String text = counts.total() + " runs in the grid: " + counts.run() + " trained now, " + counts.skipped()
                + " already in the store, " + counts.failed().size() + " failed"
                + (counts.failed().isEmpty() ? "" : " (first: " + counts.failed().get(0).reason() + ")") + ".";
        return HtmlReport.Section.of("Every cell", text, cols, rows, List.of());
    }

    /** A grid value for tables: integers without a decimal point, else 4 significant digits. */
    public static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(java.util.Locale.ROOT, "%.0f", v)
                : String.format(java.util.Locale.ROOT, "%.4g", v);
    }

    /** Writes a whole file or nothing (a sibling temporary file moved into place). */
    static void write(Path file, String text) throws IOException {
        org.overparam.io.AtomicFile.write(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }
}
