package io.cinnabar.kernel.info;

/**
 * A rate averaged over the last 16 samples, as Redis's {@code trackInstantaneousMetric}: each sample is the
 * counter's growth per second since the previous one (instantaneous_ops_per_sec, *_kbps).
 */
final class InstantaneousMetric {
    private static final int SAMPLES = 16;
    private final long[] samples = new long[SAMPLES];
    private int idx;
    private long lastBase;
    private long lastValue;

    void sample(long value, long nowMillis) {
        if (lastBase > 0) {
            long base = nowMillis - lastBase;
            samples[idx] = base > 0 ? (value - lastValue) * 1000 / base : 0;
            idx = (idx + 1) % SAMPLES;
        }
        lastBase = nowMillis;
        lastValue = value;
    }

    /** Units per second. */
    long value() {
        long sum = 0;
        for (long s : samples) {
            sum += s;
        }
        return sum / SAMPLES;
    }

    void reset() {
        java.util.Arrays.fill(samples, 0);
        idx = 0;
        lastBase = 0;
        lastValue = 0;
    }
}
