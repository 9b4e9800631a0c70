package org.overparam.theory;

import java.util.BitSet;
import org.overparam.kernel.Jacobian;
import org.overparam.linalg.Matrix;
import org.overparam.linalg.Rank;
import org.overparam.nn.Network;
import org.overparam.nn.Workspace;

/** Small helpers shared by the rank and lazy-training checks: pre-activations, patterns, per-layer ranks. */
final class Layers {
    private Layers() {
    }

    /** A copy of the pre-activations Z_l (n × width, bias included) of hidden layer l at the net's weights. */
    static Matrix preActivations(Network net, Matrix x, int l) {
        try (Workspace ws = net.workspace(x.rows())) {
            net.forward(x, ws);
            return ws.preActivation(l).copy();
        }
    }

    /** The post-activations σ(Z_l) (n × width) of hidden layer l. */
    static Matrix activations(Network net, Matrix x, int l) {
        try (Workspace ws = net.workspace(x.rows())) {
            net.forward(x, ws);
            return ws.activation(l).copy();
        }
    }

    /** Layers {@code from..to−1} as a set. */
    static BitSet range(int from, int to) {
        BitSet b = new BitSet();
        b.set(from, to);
        return b;
    }

    /** Rank (numpy rule) of the Jacobian of the outputs over the given layers' weights and biases. */
    static Rank.Result jacobianRank(Network net, Matrix x, BitSet layers) {
        try (Matrix j = Jacobian.compute(net, x, layers)) {
            return Rank.of(j, 0);
        }
    }

    /** Units of a pre-activation matrix (columns) whose sign pattern 1{z > 0} is the same on every row. */
    static int constantUnits(Matrix z) {
        int count = 0;
        for (int r = 0; r < z.cols(); r++) {
            boolean first = z.get(0, r) > 0;
            boolean constant = true;
            for (int i = 1; i < z.rows() && constant; i++) {
                constant = (z.get(i, r) > 0) == first;
            }
            count += constant ? 1 : 0;
        }
        return count;
    }

    /**
     * Σ over the distinct activation patterns p (rows of 1{z &gt; 0}) of min(|p|, dIn): an upper bound on the rank
     * of the Jacobian over the weights into these units, since the rows of the points sharing pattern p lie in
     * δ_p ⊗ ℝ^{dIn}.
     */
    static long patternGroupBound(Matrix z, int dIn) {
        java.util.Map<String, Integer> groups = new java.util.HashMap<>();
        for (int i = 0; i < z.rows(); i++) {
            StringBuilder key = new StringBuilder(z.cols());
            for (int r = 0; r < z.cols(); r++) {
                key.append(z.get(i, r) > 0 ? '1' : '0');
            }
            groups.merge(key.toString(), 1, Integer::sum);
        }
        long bound = 0;
        for (int size : groups.values()) {
            bound += Math.min(size, dIn);
        }
        return bound;
    }

    /** The number of distinct activation patterns (rows of 1{z &gt; 0}). */
    static int distinctPatterns(Matrix z) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (int i = 0; i < z.rows(); i++) {
            StringBuilder key = new StringBuilder(z.cols());
            for (int r = 0; r < z.cols(); r++) {
                key.append(z.get(i, r) > 0 ? '1' : '0');
            }
            keys.add(key.toString());
        }
        return keys.size();
    }
}
