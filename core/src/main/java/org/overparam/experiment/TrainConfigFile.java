package org.overparam.experiment;

import java.util.List;
import java.util.Map;

/**
 * A training run's config.json: the configuration as given ({@link RunConfig#toMap}, which
 * {@code overparam train --config} reads back), what it resolved to, and the provenance.
 */
public record TrainConfigFile(Map<String, Object> config, Resolved resolved, Provenance provenance) {

    /**
     * What the configuration resolved to on this data.
     *
     * @param network                    the network's spec
     * @param widths                     the layer widths, input to output
     * @param nTest                      the test set's size (0 without one)
     * @param data                       how the data were made
     * @param steps                      the steps to run (from --steps or --epochs)
     * @param lossConvention             the loss's formula
     * @param parameterizationConvention the parameterization's definition
     */
    public record Resolved(String network, List<Integer> widths, long parameters, long trainableParameters, int nTrain,
            int nTest, String data, long steps, String lossConvention, String parameterizationConvention) {
    }
}
