/**
 * Theorem checks: each {@link org.overparam.theory.TheoremCheck} states a theorem (claim, paper with equation,
 * hypothesis), measures the quantities it talks about on a {@link org.overparam.theory.Setup} (network at given
 * weights, data, loss) and returns a {@link org.overparam.theory.CheckResult} with a
 * {@link org.overparam.theory.Verdict}: holds, violated (only for statements true by algebra on measured
 * quantities), hypothesis not met, or inconclusive (constants only sampled, not bounded over a region).
 *
 * <p>Checks so far (numbered as in the theory issue): 1 {@link org.overparam.theory.PlImpliesLinearRate},
 * 3 {@link org.overparam.theory.NonlinearLeastSquaresPl} (with the observer
 * {@link org.overparam.theory.PlAlongPath}), 11 {@link org.overparam.theory.StepSizeFromKernel}; the smoothness
 * probe {@link org.overparam.theory.Smoothness}. All use the project's mse = (1/(2n))Σ‖h − y‖².
 */
package org.overparam.theory;
