package org.overparam.experiment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What {@code overparam certify} found: certificate.json and {@code certify --json} (the same keys: the run it is
 * about, absent for {@code --all}'s presets, the checks and the provenance); {@code outputFolder}, where certificate.json was written, is not part of the JSON.
 */
public record CertifyReport(@JsonInclude(JsonInclude.Include.NON_NULL) CertifiedRun run, List<CertifiedCheck> checks,
        Provenance provenance, @JsonIgnore String outputFolder) {

    /** The same report, written to {@code folder}. */
    CertifyReport in(String folder) {
        return new CertifyReport(run, checks, provenance, folder);
    }
}
