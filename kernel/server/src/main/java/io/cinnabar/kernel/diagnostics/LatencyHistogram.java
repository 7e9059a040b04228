package io.cinnabar.kernel.diagnostics;

/**
 * One command's latency distribution, laid out as the HdrHistogram Redis keeps per command (values in
 * nanoseconds clamped to [1, 1e9], lowest discernible value 1, 2 significant figures): 256
 * sub-buckets per power of two, so LATENCY HISTOGRAM's buckets and INFO latencystats' percentiles come
 * out as Redis computes them.
 */
public final class LatencyHistogram {
    static final long MIN_VALUE = 1;
    /** LATENCY HISTOGRAM reports from this value up, doubling. */
    private static final long FIRST_REPORTING_LEVEL = 1024;
    static final long MAX_VALUE = 1_000_000_000;
    private static final int SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
    private static final int SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
    private static final long SUB_BUCKET_MASK = (2L << SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
    /** Buckets needed so that 256 << (buckets - 1) exceeds MAX_VALUE. */
    private static final int BUCKET_COUNT = 23;
    private static final int COUNTS_LEN = (BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT;

    private final long[] counts = new long[COUNTS_LEN];
    private long totalCount;

    /** Records one command duration given in microseconds. */
    public void recordMicros(long micros) {
        long ns = micros * 1000;
        if (ns < MIN_VALUE) {
            ns = MIN_VALUE;
        } else if (ns > MAX_VALUE) {
            ns = MAX_VALUE;
        }
        counts[countsIndex(ns)]++;
        totalCount++;
    }

    public long totalCount() {
        return totalCount;
    }

    private static int bucketIndex(long value) {
        int pow2ceiling = 64 - Long.numberOfLeadingZeros(value | SUB_BUCKET_MASK);
        return pow2ceiling - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);
    }

    private static int countsIndex(long value) {
        int bucket = bucketIndex(value);
        int sub = (int) (value >>> bucket);
        return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (sub - SUB_BUCKET_HALF_COUNT);
    }

    private static long valueAtIndex(int index) {
        int bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
        int sub = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
        if (bucket < 0) {
            sub -= SUB_BUCKET_HALF_COUNT;
            bucket = 0;
        }
        return (long) sub << bucket;
    }

    private static long lowestEquivalent(long value) {
        int bucket = bucketIndex(value);
        return (value >>> bucket) << bucket;
    }

    private static long highestEquivalent(long value) {
        int bucket = bucketIndex(value);
        return lowestEquivalent(value) + (1L << bucket) - 1;
    }

    /**
     * The cumulative distribution LATENCY HISTOGRAM prints: for reporting levels 1024·2^k ns, the
     * highest value equivalent to the first recorded index at or above the level (in µs) and the count
     * of samples up to it, listing only levels where the count grew (hdr_iter_log with base 2).
     */
    public long[][] cumulativeBuckets() {
        java.util.List<long[]> out = new java.util.ArrayList<>();
        long cumulative = 0;
        long previous = 0;
        int index = -1;
        long value = 0;
        long level = FIRST_REPORTING_LEVEL;
        while (cumulative < totalCount) {
            while (value < lowestEquivalent(level)) {
                if (++index >= COUNTS_LEN) {
                    return out.toArray(new long[0][]);
                }
                value = valueAtIndex(index);
                cumulative += counts[index];
            }
            if (cumulative > previous) {
                out.add(new long[] {highestEquivalent(value) / 1000, cumulative});
            }
            previous = cumulative;
            level *= 2;
        }
        return out.toArray(new long[0][]);
    }

    /** hdr_value_at_percentile, in nanoseconds (INFO latencystats divides by 1000). */
    public long valueAtPercentile(double percentile) {
        double p = Math.min(percentile, 100.0);
        long countAtPercentile = Math.max(1, (long) ((p / 100) * totalCount + 0.5));
        long total = 0;
        for (int i = 0; i < COUNTS_LEN; i++) {
            total += counts[i];
            if (total >= countAtPercentile) {
                long v = valueAtIndex(i);
                return percentile == 0.0 ? lowestEquivalent(v) : highestEquivalent(v);
            }
        }
        return 0;
    }
}
