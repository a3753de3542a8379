package astra.examples.spectra;

/** Least-squares polynomial fits, for the continuum that ContinuumNormalize divides by. */
public final class Continuum {

    private Continuum() {}

    /**
     * A polynomial in {@code x = (lambda - centre) / halfWidth}: scaling to [−1, 1] keeps the
     * normal equations well conditioned at wavelengths of thousands of Angstrom.
     */
    public record Polynomial(double[] coefficients, double centre, double halfWidth) {
        public double at(double lambda) {
            double x = (lambda - centre) / halfWidth;
            double y = 0;
            for (int k = coefficients.length - 1; k >= 0; k--) {
                y = y * x + coefficients[k];
            }
            return y;
        }
    }

    /** Fits a polynomial of the given degree to the points where {@code use} is true. */
    public static Polynomial fit(double[] lambda, double[] y, boolean[] use, int degree) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int used = 0;
        for (int i = 0; i < lambda.length; i++) {
            if (use[i]) {
                min = Math.min(min, lambda[i]);
                max = Math.max(max, lambda[i]);
                used++;
            }
        }
        if (used <= degree) {
            throw new IllegalArgumentException("a degree-" + degree + " fit needs at least " + (degree + 1) + " points, got " + used);
        }
        double centre = (min + max) / 2;
        double halfWidth = Math.max((max - min) / 2, Double.MIN_NORMAL);
        int m = degree + 1;
        double[][] normal = new double[m][m];
        double[] rhs = new double[m];
        double[] powers = new double[m];
        for (int i = 0; i < lambda.length; i++) {
            if (!use[i]) {
                continue;
            }
            double x = (lambda[i] - centre) / halfWidth;
            powers[0] = 1;
            for (int k = 1; k < m; k++) {
                powers[k] = powers[k - 1] * x;
            }
            for (int r = 0; r < m; r++) {
                rhs[r] += powers[r] * y[i];
                for (int c = 0; c < m; c++) {
                    normal[r][c] += powers[r] * powers[c];
                }
            }
        }
        return new Polynomial(solve(normal, rhs), centre, halfWidth);
    }

    /** Gaussian elimination with partial pivoting; overwrites its arguments. */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            if (Math.abs(a[pivot][col]) < 1e-12) {
                throw new IllegalArgumentException("singular system: the points do not determine a degree-" + (n - 1) + " polynomial");
            }
            double[] row = a[col];
            a[col] = a[pivot];
            a[pivot] = row;
            double t = b[col];
            b[col] = b[pivot];
            b[pivot] = t;
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
}
