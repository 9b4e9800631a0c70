package org.overparam.theory;

import java.util.Arrays;
import org.overparam.linalg.Matrix;
import org.overparam.nn.Network;

/**
 * Reference computations for the theory tests in plain Java loops, by algorithms the code under test does not use
 * (Jacobi rotations instead of LAPACK, Gaussian elimination, central finite differences instead of backprop, the
 * arccos formula written out): a test comparing a check's number with one of these can fail when the check is wrong.
 */
final class Independent {
    private Independent() {
    }

    /** (1/(2n)) Σ_i ‖p_i − y_i‖², the project's mse, from the entries. */
    static double mse(Matrix pred, Matrix y) {
        double s = 0;
        for (int i = 0; i < y.rows(); i++) {
            for (int c = 0; c < y.cols(); c++) {
                double e = pred.get(i, c) - y.get(i, c);
                s += e * e;
            }
        }
        return s / (2.0 * y.rows());
    }

    /** All eigenvalues of a symmetric matrix, ascending, by cyclic Jacobi rotations. */
    static double[] eigenvalues(double[][] sym) {
        int n = sym.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = sym[i].clone();
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double all = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    all += a[i][j] * a[i][j];
                    if (i != j) {
                        off += a[i][j] * a[i][j];
                    }
                }
            }
            if (off <= 1e-30 * all) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) { // columns p, q
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) { // rows p, q
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double[] ev = new double[n];
        for (int i = 0; i < n; i++) {
            ev[i] = a[i][i];
        }
        Arrays.sort(ev);
        return ev;
    }

    /** Solves a x = b by Gaussian elimination with partial pivoting. */
    static double[] solve(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = a0[i].clone();
        }
        double[] b = b0.clone();
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
                    piv = r;
                }
            }
            double[] tr = a[col];
            a[col] = a[piv];
            a[piv] = tr;
            double tb = b[col];
            b[col] = b[piv];
            b[piv] = tb;
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                for (int c = col; c < n; c++) {
                    a[r][c] -= f * a[col][c];
                }
                b[r] -= f * b[col];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int c = r + 1; c < n; c++) {
                s -= a[r][c] * x[c];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }

    /** M Mᵀ of the rows of m. */
    static double[][] gramRows(double[][] m) {
        int n = m.length;
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < m[i].length; c++) {
                    s += m[i][c] * m[j][c];
                }
                g[i][j] = s;
            }
        }
        return g;
    }

    /** [X 1] AAᵀ: the Gram of a standard-parameterized linear layer with bias, per output. */
    static double[][] withOnesGram(Matrix x) {
        double[][] a = new double[x.rows()][x.cols() + 1];
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                a[i][j] = x.get(i, j);
            }
            a[i][x.cols()] = 1;
        }
        return gramRows(a);
    }

    /**
     * Du et al.'s H^∞_ij = x_iᵀx_j (π − arccos(x_iᵀx_j/(‖x_i‖‖x_j‖)))/(2π), written out (the code computes it
     * through its kernel angle routine).
     */
    static double[][] hInfinity(Matrix x) {
        int n = x.rows();
        double[][] h = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                double ni = 0;
                double nj = 0;
                for (int c = 0; c < x.cols(); c++) {
                    dot += x.get(i, c) * x.get(j, c);
                    ni += x.get(i, c) * x.get(i, c);
                    nj += x.get(j, c) * x.get(j, c);
                }
                double cos = Math.max(-1, Math.min(1, dot / Math.sqrt(ni * nj)));
                h[i][j] = dot * (Math.PI - Math.acos(cos)) / (2 * Math.PI);
            }
        }
        return h;
    }

    /**
     * The Jacobian of the outputs (row i·k + c) in the trained parameters by central differences with step h,
     * perturbing the network's parameter vector in place and restoring it.
     */
    static double[][] jacobian(Network net, Matrix x, double h) {
        int n = x.rows();
        int k = net.widths()[net.layers()];
        Matrix p = net.parameters();
        java.util.List<Long> coords = new java.util.ArrayList<>();
        for (int l = 0; l < net.layers(); l++) {
            if (net.isTrainable(l)) {
                for (long j = 0; j < net.layerLength(l); j++) {
                    coords.add(net.layerOffset(l) + j);
                }
            }
        }
        double[][] jac = new double[n * k][coords.size()];
        for (int q = 0; q < coords.size(); q++) {
            long at = coords.get(q);
            double w = p.at(at);
            p.setAt(at, w + h);
            double[][] plus;
            try (Matrix out = net.predict(x)) {
                plus = out.toRows();
            }
            p.setAt(at, w - h);
            double[][] minus;
            try (Matrix out = net.predict(x)) {
                minus = out.toRows();
            }
            p.setAt(at, w);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    jac[i * k + c][q] = (plus[i][c] - minus[i][c]) / (2 * h);
                }
            }
        }
        return jac;
    }

    /**
     * Loss trajectory of full-batch GD with step η on (1/(2n))‖h − y‖² for a model linear in its parameters whose
     * output Gram (per output) is g: the residual follows r_{t+1} = (I − (η/n) g) r_t exactly; L_t for t = 0..steps.
     */
    static double[] linearGdLosses(double[][] g, Matrix residual0, double eta, int steps) {
        int n = g.length;
        int k = residual0.cols();
        double[][] r = residual0.toRows();
        double[] losses = new double[steps + 1];
        for (int t = 0; t <= steps; t++) {
            double s = 0;
            for (double[] row : r) {
                for (double v : row) {
                    s += v * v;
                }
            }
            losses[t] = s / (2.0 * n);
            double[][] next = new double[n][k];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    double gr = 0;
                    for (int j = 0; j < n; j++) {
                        gr += g[i][j] * r[j][c];
                    }
                    next[i][c] = r[i][c] - eta / n * gr;
                }
            }
            r = next;
        }
        return losses;
    }

    /** h(x) − y of the network on x. */
    static Matrix residual(Network net, Matrix x, Matrix y) {
        Matrix out = net.predict(x);
        for (int i = 0; i < y.rows(); i++) {
            for (int c = 0; c < y.cols(); c++) {
                out.set(i, c, out.get(i, c) - y.get(i, c));
            }
        }
        return out;
    }
}
