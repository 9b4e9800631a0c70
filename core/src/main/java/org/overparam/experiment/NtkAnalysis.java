package org.overparam.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Map;
import org.overparam.io.JsonBinding;

/**
 * What {@code overparam ntk} computed ({@code --json}, and the "key: value" lines), in this order. A null component
 * is a key left out ({@code out} without --out, {@code spectrum_of} unless a vector-output net's spectrum used the
 * full Gram, {@code write_seconds} without --out, {@code compare_infinite} without --compare-infinite). Exactly
 * one of {@code spectrum} and {@code rankOnly} is given, and its keys are written in its place: with --spectrum
 * (implied by --json) the eigenvalues then the rank, otherwise the rank as far as it was decided, then the
 * eigenvalues as null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NtkAnalysis(int n, int outputs, String outputMode, long params, List<Integer> layers, String network,
        List<Integer> gramShape, double loadSeconds, double gramSeconds, String out, String spectrumOf,
        @JsonUnwrapped Spectrum spectrum, @JsonUnwrapped RankOnly rankOnly, double rankSeconds, Double writeSeconds,
        CompareInfinite compareInfinite, double seconds, Provenance provenance) {

    /** The Gram's spectrum and rank (--spectrum); {@code rank} is written with null when not computed. */
    public record Spectrum(double lambdaMin, double lambdaMinResidual, double lambdaMax, double lambdaMaxResidual,
            double conditionNumber, double[] largestEigenvalues, String spectrumMethod, Integer rank, double rankTol,
            String rankRule, String rankSource) {
    }

    /** Without --spectrum: the rank as far as decided (null keys where not), and no eigenvalues (null keys). */
    public record RankOnly(Integer rank, Double rankTol, String rankRule, String rankSource, Double lambdaMin,
            Double lambdaMax, Double conditionNumber) {
        RankOnly(Integer rank, String rankRule, String rankSource) {
            this(rank, null, rankRule, rankSource, null, null, null);
        }
    }

    /** As a map of plain values, key by key as written (the CLI prints it as lines). */
    public Map<String, Object> toMap() {
        return JsonBinding.toMap(this);
    }
}
