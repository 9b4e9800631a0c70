package org.overparam.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.overparam.theory.CheckResult;
import org.overparam.theory.Verdict;

/**
 * A report as one self-contained HTML page (no network, no scripts, no CDN): for a certificate, the verdict
 * table — claim · hypothesis · measured · bound · verdict — and each check's plots as inline SVG; for other
 * reports (e.g. {@code min-width}), {@link Section}s of text, tables and plots, which follow the verdict table
 * when there is one. Every piece of text is HTML-escaped, user-given text included.
 */
public final class HtmlReport {
    private final String title;
    private final String setup;
    private final List<Entry> entries = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();
    private List<List<String>> setupRows = List.of();

    /** One check's result, the setup it ran on, its formula (ASCII math, {@link MathMl}; null: none) and its plots. */
    public record Entry(CheckResult result, String setup, String formula, List<? extends SvgFigure> plots) {
    }

    /** A table: a header row and rows of cells (plain text). */
    public record Table(String id, List<String> header, List<List<String>> rows) {
        public Table {
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
        }
    }

    /** A heading with paragraphs, tables and plots (side by side), in that order. */
    public record Section(String id, String heading, List<String> paragraphs, List<Table> tables,
            List<? extends SvgFigure> plots) {
        /** One paragraph, one table (none when {@code columns} is empty) and plots; the id from the heading. */
        public static Section of(String heading, String text, List<String> columns, List<List<String>> rows,
                List<? extends SvgFigure> plots) {
            return new Section(slug(heading), heading, List.of(text),
                    columns.isEmpty() ? List.of() : List.of(new Table(slug(heading) + "-table", columns, rows)), plots);
        }

        public Section {
            paragraphs = List.copyOf(paragraphs);
            tables = List.copyOf(tables);
            plots = List.copyOf(plots);
            for (Table t : tables) {
                for (List<String> r : t.rows()) {
                    if (r.size() != t.header().size()) {
                        throw new IllegalArgumentException("section '" + heading + "': a row has " + r.size()
                                + " cells for " + t.header().size() + " columns");
                    }
                }
            }
        }
    }

    public HtmlReport(String title, String setup) {
        this.title = title;
        this.setup = setup;
    }

    public HtmlReport add(CheckResult result, List<? extends SvgFigure> plots) {
        return add(result, "", plots);
    }

    public HtmlReport add(CheckResult result, String setup, List<? extends SvgFigure> plots) {
        return add(result, setup, null, plots);
    }

    public HtmlReport add(CheckResult result, String setup, String formula, List<? extends SvgFigure> plots) {
        entries.add(new Entry(result, setup, formula, plots));
        return this;
    }

    /** The entry's formula as MathML and a line break, or nothing. */
    private static String formula(Entry e) {
        return e.formula() == null ? "" : MathMl.of(e.formula()) + "<br>";
    }

    /** The setup as a readable two-column table (what, value), shown after the summary instead of one line. */
    public HtmlReport setupTable(List<List<String>> rows) {
        this.setupRows = rows.stream().map(List::copyOf).toList();
        return this;
    }

    public HtmlReport add(Section section) {
        sections.add(section);
        return this;
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String color(Verdict v) {
        return switch (v) {
            case HOLDS -> "#1b7837";
            case VIOLATED -> "#b2182b";
            case HYPOTHESIS_NOT_MET -> "#8c6d1f";
            case INCONCLUSIVE -> "#4d4d4d";
        };
    }

    /** Integers as integers, everything else to 4 significant digits (full precision is in certificate.json). */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        return a < 1e-3 || a >= 1e5 ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4g", v);
    }

    /** The verdict in words a student understands. */
    static String plainWords(CheckResult r) {
        return switch (r.verdict()) {
            case HOLDS -> "the theorem applies to this run and its conclusion is seen";
            case VIOLATED -> "the theorem applies to this run but its conclusion is not seen: a bug, or a hypothesis "
                    + "that is not what it seems";
            case INCONCLUSIVE -> "the theorem applies to this run, but this run cannot decide its conclusion";
            case HYPOTHESIS_NOT_MET -> switch (r.conclusion()) {
                case OBSERVED -> "the theorem does not apply to this run (its hypothesis is not met), yet its "
                        + "conclusion is seen";
                case NOT_OBSERVED -> "the theorem does not apply to this run, and its conclusion is not seen";
                case UNDECIDED -> "the theorem does not apply to this run; its conclusion was not measured";
            };
        };
    }

    public String toHtml() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:Helvetica,Arial,sans-serif;margin:2em;max-width:1100px;color:#111}\n")
                .append("table{border-collapse:collapse;width:100%;font-size:13px}\n")
                .append("th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}\n")
                .append("th{background:#f2f2f2}.verdict{font-weight:bold}.label{white-space:nowrap}\n")
                .append(".measured{font-family:monospace;font-size:12px}section{margin-top:2em}\n")
                .append("#summary li{margin:0.3em 0}details{margin-top:2em}summary{cursor:pointer;font-weight:bold}\n")
                .append("#setup{width:auto}#setup td:first-child{font-weight:bold}\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
        if (!entries.isEmpty()) {
            // the summary first: one line per check, its verdict and what it means
            h.append("<h2>Summary</h2>\n<ul id=\"summary\">\n");
            for (Entry e : entries) {
                CheckResult r = e.result();
                h.append("<li><span class=\"label verdict\" style=\"color:").append(color(r.verdict())).append("\">")
                        .append(escape(r.summary())).append("</span> — <a href=\"#").append(escape(anchor(e)))
                        .append("\"><b>").append(escape(r.id())).append("</b></a>")
                        .append(e.setup().isEmpty() ? "" : " <small>(" + escape(e.setup()) + ")</small>").append(": ")
                        .append(escape(plainWords(r))).append(". <small>").append(escape(r.why()))
                        .append("</small></li>\n");
            }
            h.append("</ul>\n");
        }
        if (setupRows.isEmpty()) {
            h.append("<p>").append(escape(setup)).append("</p>\n");
        } else {
            h.append("<h2>Setup</h2>\n<table id=\"setup\">\n");
            for (List<String> row : setupRows) {
                h.append("<tr>");
                row.forEach(c -> h.append("<td>").append(escape(c)).append("</td>"));
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        StringBuilder numbers = new StringBuilder();
        if (!entries.isEmpty()) {
            numbers.append("<details id=\"numbers\">\n<summary>Every check in full: claim, hypothesis, measured numbers, "
                    + "bound (4 significant digits; certificate.json has them all)</summary>\n");
            numbers.append("<table id=\"verdicts\">\n<tr><th>check</th><th>claim</th><th>hypothesis</th><th>measured</th>")
                    .append("<th>bound</th><th>verdict</th></tr>\n");
            for (Entry e : entries) {
                CheckResult r = e.result();
                numbers.append("<tr id=\"row-").append(escape(anchor(e))).append("\"><td><a href=\"#")
                        .append(escape(link(e))).append("\">").append(escape(r.id()))
                        .append("</a><br><small>").append(escape(e.setup())).append("</small></td><td>").append(formula(e)).append(escape(r.claim())).append("<br><i>").append(escape(r.paper()))
                        .append("</i></td><td>").append(escape(r.hypothesis().text())).append(r.hypothesis().met()
                                ? " <b>(met)</b>" : " <b>(not met)</b>").append("</td><td class=\"measured\">");
                for (Map.Entry<String, Double> m : r.measured().entrySet()) {
                    numbers.append(escape(m.getKey())).append(" = ").append(escape(number(m.getValue()))).append("<br>");
                }
                numbers.append("</td><td>").append(escape(r.bound().text())).append(" = ").append(escape(number(r.bound().value())))
                        .append("</td><td class=\"verdict\" style=\"color:").append(color(r.verdict())).append("\">")
                        .append("<span class=\"label\">").append(escape(r.verdict().label()))
                        .append("</span><br><span class=\"conclusion\">conclusion ").append(escape(r.conclusion().label()))
                        .append("</span><br><span style=\"font-weight:normal\">")
                        .append(escape(r.why())).append("</span></td></tr>\n");
            }
            numbers.append("</table>\n</details>\n");
            if (entries.stream().anyMatch(e -> !e.plots().isEmpty())) {
                h.append("<h2>Figures</h2>\n");
            }
        }
        for (Entry e : entries) {
            if (e.plots().isEmpty()) {
                continue;
            }
            h.append("<section id=\"").append(escape(anchor(e))).append("\">\n<h2>")
                    .append(escape(e.result().id())).append("</h2>\n<p>").append(formula(e)).append(escape(e.setup()))
                    .append("</p>\n");
            for (SvgFigure p : e.plots()) {
                h.append("<figure>").append(inline(p)).append("</figure>\n");
            }
            h.append("</section>\n");
        }
        h.append(numbers);
        for (Section sec : sections) {
            h.append("<section id=\"").append(escape(sec.id())).append("\">\n<h2>").append(escape(sec.heading()))
                    .append("</h2>\n");
            for (String p : sec.paragraphs()) {
                h.append("<p>").append(escape(p)).append("</p>\n");
            }
            for (Table t : sec.tables()) {
                h.append("<table id=\"").append(escape(t.id())).append("\">\n<tr>");
                t.header().forEach(c -> h.append("<th>").append(escape(c)).append("</th>"));
                h.append("</tr>\n");
                for (List<String> row : t.rows()) {
                    h.append("<tr>");
                    row.forEach(c -> h.append("<td>").append(escape(c)).append("</td>"));
                    h.append("</tr>\n");
                }
                h.append("</table>\n");
            }
            for (SvgFigure p : sec.plots()) {
                h.append("<figure style=\"display:inline-block;margin:0.5em\">").append(inline(p)).append("</figure>\n");
            }
            h.append("</section>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    /** Where a check's name links: its figures, or its row of numbers when it has none. */
    private String link(Entry e) {
        return e.plots().isEmpty() ? "row-" + anchor(e) : anchor(e);
    }

    private String anchor(Entry e) {
        return e.result().id() + "-" + entries.indexOf(e);
    }

    private static String slug(String heading) {
        return heading.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    /**
     * The figure's SVG element alone (an XML declaration or DOCTYPE before it has no place inside HTML), with its title
     * as the SVG's {@code <title>} and its legend's entries as its {@code <desc>}: the drawn text is glyph outlines,
     * which neither a screen reader nor a search in the page can read.
     */
    private static String inline(SvgFigure f) {
        String svg = f.toSvg();
        int i = svg.indexOf("<svg");
        svg = i > 0 ? svg.substring(i) : svg;
        int end = svg.indexOf('>');
        return end < 0 || f.title().isEmpty() ? svg
                : svg.substring(0, end + 1) + "<title>" + escape(f.title()) + "</title>" + (f.legend().isEmpty() ? ""
                        : "<desc>" + escape(String.join("; ", f.legend())) + "</desc>") + svg.substring(end + 1);
    }
}
