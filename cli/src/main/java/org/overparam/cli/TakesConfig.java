package org.overparam.cli;

import java.util.Map;
import java.util.Set;
import org.overparam.experiment.ConfigField;

/** A command that takes options of a training configuration; {@link Main} adds them from {@link ConfigOptions}. */
interface TakesConfig {
    /** The fields this command takes, each with the table's flag, description and default. */
    Set<ConfigField> configFields();

    /**
     * Defaults this command sets in place of the table's (as the command line would write them), e.g. min-width's
     * step size; shown in its help, and applied by {@link ConfigOptions#values}. A boolean that is on in the table
     * and off here takes its positive flag ({@code --bias} instead of {@code --no-bias}).
     */
    default Map<ConfigField, String> defaults() {
        return Map.of();
    }
}
