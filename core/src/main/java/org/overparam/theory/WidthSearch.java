package org.overparam.theory;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.overparam.InputError;

/**
 * The search for the smallest successful width (at one n, or one depth), as a state machine that says which
 * width to probe next and is told each probe's outcome. The caller trains: min-width probes every n's next width
 * in one parallel batch; the depth-resnet check probes one family at one depth.
 *
 * <ol>
 * <li><b>Grow</b>: m = m0, then ⌈m0·r^k⌉ (at least one more than the previous width), up to the cap; when the
 * next grid point would exceed the cap the cap itself is probed last. The first success ends this phase; if
 * the cap fails the search ends with "not reached" — no m* is reported.</li>
 * <li><b>Bisect</b> between the last failing width lo and the first succeeding width hi: probe
 * ⌊(lo + hi)/2⌋, replace hi on success and lo on failure, until hi − lo ≤ max(1, resolution·hi). Then
 * m* = hi, and the probes bracket it in (lo, hi].</li>
 * </ol>
 * If m0 itself succeeds, there is no failing width below it: m* = m0 is only an upper bound
 * ({@link Status#AT_FIRST_PROBE}).
 *
 * <p>Success need not be monotone in m (a narrower net may fit where a wider one did not, on these seeds),
 * so m* is the smallest width this search found, not the smallest successful width there is: widths below
 * lo and between the grid points before it are not probed.
 */
public final class WidthSearch {
    /** How a search ended. */
    public enum Status {
        /** still probing */
        RUNNING("running"),
        /** m* bracketed in (lo, hi] by a failing and a succeeding probe */
        FOUND("found"),
        /** the first probe, m0, succeeded: m* ≤ m0, nothing below probed */
        AT_FIRST_PROBE("found at the first probe (an upper bound)"),
        /** every probe up to and including the cap failed */
        NOT_REACHED("not reached");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One probed width: how many of its seeds reached the target, and whether that counts as success. */
    public record Probe(int width, int successes, int seeds, boolean success) {
    }

    private final int m0;
    private final double growth;
    private final int cap;
    private final double resolution;
    private final List<Probe> probes = new ArrayList<>();
    private int gridIndex;
    private int lo = -1; // the largest failing width below hi (bisection) or the last failing grid width
    private int hi = -1; // the smallest succeeding width
    private Status status = Status.RUNNING;

    /**
     * @param m0         the first width, ≥ 1
     * @param growth     the grid's ratio r &gt; 1
     * @param cap        the largest width probed, ≥ m0
     * @param resolution bisection stops when hi − lo ≤ max(1, resolution·hi); 0 ≤ resolution &lt; 1 (0 = to one unit)
     */
    public WidthSearch(int m0, double growth, int cap, double resolution) {
        if (m0 < 1) {
            throw new InputError("--m0 must be a width >= 1, got " + m0);
        }
        if (!(growth > 1) || !Double.isFinite(growth)) {
            throw new InputError("--growth must be a finite ratio > 1, got " + growth);
        }
        if (cap < m0) {
            throw new InputError("--max-width " + cap + " is below --m0 " + m0 + "; raise the cap or lower m0");
        }
        if (!(resolution >= 0 && resolution < 1)) {
            throw new InputError("--resolution must be a fraction in [0, 1) (0 = to one unit), got " + resolution);
        }
        this.m0 = m0;
        this.growth = growth;
        this.cap = cap;
        this.resolution = resolution;
    }

    /** The width to probe next, or empty when the search has ended. */
    public OptionalInt next() {
        if (status != Status.RUNNING) {
            return OptionalInt.empty();
        }
        if (hi < 0) {
            return OptionalInt.of(gridWidth(gridIndex));
        }
        return OptionalInt.of(lo + (hi - lo) / 2);
    }

    /** Records the outcome of the width {@link #next()} returned. */
    public void record(Probe p) {
        OptionalInt expected = next();
        if (expected.isEmpty() || expected.getAsInt() != p.width()) {
            throw new IllegalStateException("probe of width " + p.width() + " recorded, but the search expected "
                    + (expected.isEmpty() ? "none" : expected.getAsInt()));
        }
        probes.add(p);
        if (hi < 0) { // growing
            if (p.success()) {
                hi = p.width();
                if (lo < 0) {
                    status = Status.AT_FIRST_PROBE;
                    return;
                }
            } else {
                lo = p.width();
                if (p.width() >= cap) {
                    status = Status.NOT_REACHED;
                    return;
                }
                gridIndex++;
                return;
            }
        } else if (p.success()) {
            hi = p.width();
        } else {
            lo = p.width();
        }
        if (hi - lo <= Math.max(1, resolution * hi)) {
            status = Status.FOUND;
        }
    }

    /** The k-th grid width: m0, then ⌈m0·r^k⌉ strictly increasing, the cap in place of any larger value. */
    int gridWidth(int k) {
        long m = m0;
        for (int i = 1; i <= k; i++) {
            m = Math.max(m + 1, (long) Math.ceil(m0 * Math.pow(growth, i) - 1e-9));
            if (m >= cap) {
                return cap;
            }
        }
        return (int) m;
    }

    public Status status() {
        return status;
    }

    /** m*, the smallest succeeding width found; empty unless {@link Status#FOUND} or {@link Status#AT_FIRST_PROBE}. */
    public OptionalInt minimalWidth() {
        return status == Status.FOUND || status == Status.AT_FIRST_PROBE ? OptionalInt.of(hi) : OptionalInt.empty();
    }

    /** The largest failing width below m* (the bracket's open end), or empty when none was probed. */
    public OptionalInt lastFailure() {
        return lo < 0 ? OptionalInt.empty() : OptionalInt.of(lo);
    }

    /** Every probe in the order made. */
    public List<Probe> probes() {
        return List.copyOf(probes);
    }
}
