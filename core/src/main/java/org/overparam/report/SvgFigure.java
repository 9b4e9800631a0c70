package org.overparam.report;

/** A figure a report can inline: its title (a report draws each figure once), its legend's entries and its SVG. */
public interface SvgFigure {
    String title();

    /** The legend's entries, in order (none by default). */
    default java.util.List<String> legend() {
        return java.util.List.of();
    }

    String toSvg();
}
