package org.overparam.cli;

import java.util.Set;
import org.overparam.experiment.ConfigField;

/** A command that takes options of a training configuration; {@link Main} adds them from {@link ConfigOptions}. */
interface TakesConfig {
    Set<ConfigField> configFields();
}
