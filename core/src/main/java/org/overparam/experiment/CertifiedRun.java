package org.overparam.experiment;

import java.util.Map;
import org.overparam.theory.CheckSettings;

/**
 * The run a certificate is about: the user's configuration (as config.json writes it) and the training settings
 * every check trained with (η, T, batch, seed), so a reader sees which run was measured before any verdict.
 *
 * @param source   where the run came from: "options" or the run folder given to {@code --run}
 * @param config   the run's configuration
 * @param settings the settings the checks trained with
 */
public record CertifiedRun(String source, Map<String, Object> config, CheckSettings settings) {
}
