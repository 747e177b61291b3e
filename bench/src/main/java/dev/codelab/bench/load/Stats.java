package dev.codelab.bench.load;

import java.util.Arrays;
import java.util.List;

/** Percentiles and medians over recorded samples. */
final class Stats {

    private Stats() {}

    /** The {@code p}-th percentile (0..100, nearest rank) of {@code samples}; 0 when empty. */
    static long percentile(long[] samples, double p) {
        if (samples.length == 0) {
            return 0;
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static String ms(double nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }

    static String fmt(double value) {
        return String.format("%.0f", value);
    }
}
