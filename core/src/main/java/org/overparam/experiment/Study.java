package org.overparam.experiment;

import java.util.List;
import java.util.Map;
import org.overparam.report.HtmlReport;
import org.overparam.report.PaperChart;

/**
 * A preset experiment run by {@link StudyRun}: a grid of training runs built in code, and how its
 * reduced cells are drawn and reported. Implementations hold only what is particular to them (the grid,
 * the figures); running, storing, reading back, reducing and writing the report is shared.
 */
public interface Study {
    /**
     * A plot and the name it is written under in the output folder (e.g. "steps-to-fit": steps-to-fit.svg, .png and
     * .pdf).
     */
    record Figure(String file, PaperChart plot) {
    }

    /** Short name: the JSON result is {@code DIR/<name>.json}. */
    String name();

    String title();

    /** One paragraph for the report: data, network, optimizer, budget, and where we differ from the paper. */
    String setup();

    /** What the x of a cell is, for the table header (e.g. "p", "target parameters"). */
    String xName();

    /** Every run, all seeds included; validated (configs resolve) before anything is trained. */
    List<GridPoint> points();

    /** The plots, from the reduced cells. */
    List<Figure> figures(List<FitCell> cells);

    /** Report sections after the table of cells (none by default). */
    default List<HtmlReport.Section> sections(List<FitCell> cells) {
        return List.of();
    }

    /** Results particular to the study, added to the JSON (none by default). */
    default Map<String, Object> extraResults(List<FitCell> cells) {
        return Map.of();
    }

    /** The options the study was built from, for the JSON. */
    Map<String, Object> options();
}
