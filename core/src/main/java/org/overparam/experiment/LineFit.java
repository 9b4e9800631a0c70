package org.overparam.experiment;

/**
 * Ordinary least squares y ≈ intercept + slope·x with R² = 1 − SS_res/SS_tot (NaN when y is constant or fewer than
 * two distinct x).
 */
public record LineFit(double slope, double intercept, double r2, double rmse) {

    public static LineFit of(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i] / n;
            my += y[i] / n;
        }
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
            syy += (y[i] - my) * (y[i] - my);
        }
        double slope = sxx > 0 ? sxy / sxx : Double.NaN;
        double intercept = my - slope * mx;
        double res = 0;
        for (int i = 0; i < n; i++) {
            double e = y[i] - intercept - slope * x[i];
            res += e * e;
        }
        return new LineFit(slope, intercept, syy > 0 ? 1 - res / syy : Double.NaN, Math.sqrt(res / n));
    }

    public double at(double x) {
        return intercept + slope * x;
    }
}
