package org.overparam.report;

/** A figure a report can inline: its title (a report draws each figure once) and its SVG. */
public interface SvgFigure {
    String title();

    String toSvg();
}
