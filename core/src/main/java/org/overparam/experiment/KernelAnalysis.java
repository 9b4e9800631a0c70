package org.overparam.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.overparam.io.JsonBinding;

/**
 * What {@code overparam kernel} computed ({@code --json}, and the "key: value" lines), in this order; a null
 * component is a key left out: the architecture keys belong to the kinds that have them (depth, sigmas and
 * layers to ntk and nngp, activation also to rf), {@code out} to {@code --out}, the spectrum to {@code --spectrum}
 * (implied by {@code --json}; its rank is written with null when not computed); H^∞'s smallest eigenvalue is {@code lambda0}, the others' {@code lambda_min}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KernelAnalysis(int n, int d, String kind, String arch, Integer depth, String activation, Double sigmaW, Double sigmaB,
        List<String> layers, String convention, double kernelSeconds, String out, Double lambda0, Double lambdaMin,
        Double lambdaMinResidual, Double lambdaMax, Double conditionNumber, Optional<Integer> rank, Double rankTol,
        String rankRule, String rankSource, String spectrumMethod, double seconds, Provenance provenance) {

    /** The kernel's definition: the architecture (null where the kind has none) and the convention. */
    record Definition(String arch, Integer depth, String activation, Double sigmaW, Double sigmaB, List<String> layers,
            String convention) {
        Definition(Integer depth, String activation, Double sigmaW, Double sigmaB, List<String> layers,
                String convention) {
            this(null, depth, activation, sigmaW, sigmaB, layers, convention);
        }
    }

    /** The spectrum's part (all null without --spectrum). */
    record Spectrum(Double lambdaMin, Double lambdaMinResidual, Double lambdaMax, Double conditionNumber,
            Integer rank, Double rankTol, String rankRule, String rankSource, String spectrumMethod) {
        static final Spectrum NONE = new Spectrum(null, null, null, null, null, null, null, null, null);
    }

    static KernelAnalysis of(int n, int d, String kind, Definition def, double kernelSeconds, String out,
            Spectrum sp, double seconds, Provenance provenance) {
        boolean hinf = kind.equals("hinf");
        return new KernelAnalysis(n, d, kind, def.arch(), def.depth(), def.activation(), def.sigmaW(), def.sigmaB(), def.layers(),
                def.convention(), kernelSeconds, out, hinf ? sp.lambdaMin() : null, hinf ? null : sp.lambdaMin(),
                sp.lambdaMinResidual(), sp.lambdaMax(), sp.conditionNumber(),
                sp.lambdaMin() == null ? null : Optional.ofNullable(sp.rank()), sp.rankTol(), sp.rankRule(),
                sp.rankSource(), sp.spectrumMethod(), seconds, provenance);
    }

    /** As a map of plain values, key by key as written (the CLI prints it as lines). */
    public Map<String, Object> toMap() {
        return JsonBinding.toMap(this);
    }
}
