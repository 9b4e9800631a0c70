package org.overparam.experiment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * What {@code overparam certify} found: certificate.json and {@code certify --json} (the same two keys, checks and
 * provenance); {@code outputFolder}, where certificate.json was written, is not part of the JSON.
 */
public record CertifyReport(List<CertifiedCheck> checks, Provenance provenance, @JsonIgnore String outputFolder) {

    /** The same report, written to {@code folder}. */
    CertifyReport in(String folder) {
        return new CertifyReport(checks, provenance, folder);
    }
}
