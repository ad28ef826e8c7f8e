package cn.callbox.hub.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Latency samples of one measure and their percentiles (nearest-rank: the p-th percentile is the smallest sample with
 * at least p % of the samples at or below it). Samples in nanoseconds, figures in milliseconds. Not thread-safe.
 */
final class Latencies {

    private final String name;
    private final List<Long> samples = new ArrayList<>();
    private int missing;

    Latencies(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    void add(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException(name + ": negative latency " + nanos + " ns");
        }
        samples.add(nanos);
    }

    /** A press whose event never came within the deadline: counted, not measured. */
    void missed() {
        missing++;
    }

    int count() {
        return samples.size();
    }

    int missing() {
        return missing;
    }

    /**
     * @param percent in (0, 100]
     * @return the percentile in milliseconds
     * @throws IllegalStateException without samples
     */
    double percentileMillis(double percent) {
        if (percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("percentile out of (0, 100]: " + percent);
        }
        if (samples.isEmpty()) {
            throw new IllegalStateException(name + ": no samples");
        }
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(percent / 100 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1) / 1e6;
    }

    double p50() {
        return percentileMillis(50);
    }

    double p99() {
        return percentileMillis(99);
    }

    double max() {
        return percentileMillis(100);
    }
}
