package org.overparam.kernel;

import org.overparam.InputError;

/**
 * How the empirical NTK of a k-output network is reported.
 * <ul>
 * <li>{@code TRACE}: Σ_a Θ_(ia)(ja), an n×n sum over outputs (not a mean) — the default.</li>
 * <li>{@code BLOCKS}: the k diagonal blocks Θ_(ia)(ja), saved as (k, n, n).</li>
 * <li>{@code FULL}: the (n·k)×(n·k) matrix with row/column index i·k + a; ranks, eigenvalues and PL
 * constants of vector-output networks use this one.</li>
 * </ul>
 */
public enum OutputMode {
    TRACE, BLOCKS, FULL;

    public static OutputMode parse(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "trace" -> TRACE;
            case "blocks" -> BLOCKS;
            case "full" -> FULL;
            default -> throw new InputError("unknown --outputs '" + s + "'; use trace, blocks or full");
        };
    }
}
