package org.overparam.experiment;

import java.util.Map;
import org.overparam.theory.CheckResult;

/**
 * One row of certificate.json and of {@code certify --json}: a theorem check's result on one setup. The measured
 * numbers stay a map because each check names its own (in the order it measured them).
 *
 * @param id            the check's id ({@code pl-least-squares})
 * @param setup         the setup's name ("user setup" or the preset's)
 * @param claim         the statement checked
 * @param paper         the citation
 * @param parameters    the check's parameters (the run's step and length for checks that train, tolerances, ...)
 * @param hypothesis    the hypothesis in words
 * @param hypothesisMet whether the setup meets it
 * @param measured      the check's measured numbers, by name
 * @param bound         the bound in words and its value (keys {@code text}, {@code value})
 * @param conclusion    whether the theorem's conclusion is seen on this run: observed, not observed, undecided
 * @param verdict       the verdict's label ({@code holds}, {@code violated}, ...), which follows from the two
 * @param why           one line explaining the verdict
 */
public record CertifiedCheck(String id, String setup, String claim, String paper, Map<String, Object> parameters,
        String hypothesis,
        boolean hypothesisMet, Map<String, Double> measured, CheckResult.Bound bound, String conclusion, String verdict,
        String why) {

    /** The row of a check's result on the setup named {@code setup}. */
    public static CertifiedCheck of(CheckResult r, String setup, Map<String, Object> parameters) {
        return new CertifiedCheck(r.id(), setup, r.claim(), r.paper(), parameters, r.hypothesis().text(),
                r.hypothesis().met(),
                r.measured(), r.bound(), r.conclusion().label(), r.verdict().label(), r.why());
    }

    /** The verdict with, when the hypothesis is not met, what was seen anyway ("hypothesis not met; conclusion observed"). */
    public String summary() {
        return hypothesisMet ? verdict : verdict + "; conclusion " + conclusion;
    }
}
