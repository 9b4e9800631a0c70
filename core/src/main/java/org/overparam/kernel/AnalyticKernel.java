package org.overparam.kernel;

import java.io.Serializable;
import java.util.Locale;
import java.util.function.BiFunction;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Arch;
import org.overparam.nn.NetworkSpec;
import org.overparam.nn.Shape;

/**
 * One infinite-width kernel, NTK or NNGP, as a value that can travel: a fully connected net's ({@code depth},
 * {@code activations}) or an {@link Arch}'s on inputs of {@code input}'s shape, kept as the texts the user gave
 * and parsed where it is evaluated. So a Spark executor computes the same kernel blocks as the driver would, from
 * a few strings (the parsed kernels hold quadrature tables and are not serializable).
 *
 * @param arch null for a fully connected net of {@code depth} hidden layers
 */
public record AnalyticKernel(boolean ntk, int depth, String activations, double sigmaW, double sigmaB, String arch,
        Shape input) implements BiFunction<Matrix, Matrix, Matrix>, Serializable {

    /** k(A, B): rows of A × rows of B, the NTK or the NNGP as {@code ntk} says, a new matrix (the caller closes it). */
    @Override
    public Matrix apply(Matrix a, Matrix b) {
        try (Kernel k = compute(a, b)) {
            return (ntk ? k.ntk() : k.nngp()).copy();
        }
    }

    /** Both kernels between the rows of A and B. */
    public Kernel compute(Matrix a, Matrix b) {
        return arch != null ? new ConvKernel(Arch.parse(arch), input, sigmaW, sigmaB).compute(a, b)
                : new InfiniteWidthKernel(depth, NetworkSpec.parseActivations(activations), sigmaW, sigmaB).compute(a, b);
    }

    /** Both kernels of X with itself (symmetric). */
    public Kernel compute(Matrix x) {
        return arch != null ? new ConvKernel(Arch.parse(arch), input, sigmaW, sigmaB).compute(x)
                : new InfiniteWidthKernel(depth, NetworkSpec.parseActivations(activations), sigmaW, sigmaB).compute(x);
    }

    /** What a report calls it. */
    public String describe() {
        String which = ntk ? "ntk" : "nngp";
        return arch != null ? "infinite-width " + which + " of --arch " + arch
                : String.format(Locale.ROOT, "infinite-width %s of depth %d, %s, sigma_w=%s, sigma_b=%s", which,
                        depth, activations, sigmaW, sigmaB);
    }
}
