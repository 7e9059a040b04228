package io.cinnabar.kernel.info;

/**
 * Per-command latency for INFO latencystats: the bucket layout of the HdrHistogram Redis uses
 * ({@code hdr_init(1, 1000000000, 2)}: values in nanoseconds from 1 ns to 1 s, two significant digits), so
 * percentiles come out exactly as Redis prints them (e.g. 5 µs reads back as {@code 5.023}).
 */
public final class LatencyHistogram {
    private static final long LOWEST = 1;
    private static final long HIGHEST = 1_000_000_000L;
    /** 2 significant digits: 2 * 10^2 = 200 values need 256 sub-buckets (magnitude 8). */
    private static final int SUB_BUCKET_COUNT_MAGNITUDE = 8;
    private static final int SUB_BUCKET_HALF_COUNT_MAGNITUDE = SUB_BUCKET_COUNT_MAGNITUDE - 1;
    private static final int SUB_BUCKET_COUNT = 1 << SUB_BUCKET_COUNT_MAGNITUDE;
    private static final int SUB_BUCKET_HALF_COUNT = SUB_BUCKET_COUNT / 2;
    private static final long SUB_BUCKET_MASK = SUB_BUCKET_COUNT - 1;
    private static final int COUNTS_LEN = (bucketsNeeded() + 1) * SUB_BUCKET_HALF_COUNT;

    private final long[] counts = new long[COUNTS_LEN];
    private long total;

    private static int bucketsNeeded() {
        long smallestUntrackable = (long) SUB_BUCKET_COUNT;
        int buckets = 1;
        while (smallestUntrackable <= HIGHEST) {
            smallestUntrackable <<= 1;
            buckets++;
        }
        return buckets;
    }

    /** Records one duration, clamped to the 1 ns .. 1 s range as Redis clamps it. */
    public void recordNanos(long nanos) {
        long v = Math.max(LOWEST, Math.min(HIGHEST, nanos));
        counts[countsIndex(v)]++;
        total++;
    }

    public long totalCount() {
        return total;
    }

    private static int bucketIndex(long v) {
        int pow2ceiling = 64 - Long.numberOfLeadingZeros(v | SUB_BUCKET_MASK);
        return pow2ceiling - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);
    }

    private static int countsIndex(long v) {
        int bucket = bucketIndex(v);
        int sub = (int) (v >>> bucket);
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

    private static long highestEquivalent(long v) {
        int bucket = bucketIndex(v);
        int sub = (int) (v >>> bucket);
        long lowest = (long) sub << bucket;
        int adjusted = sub >= SUB_BUCKET_COUNT ? bucket + 1 : bucket;
        return lowest + (1L << adjusted) - 1;
    }

    private static long lowestEquivalent(long v) {
        int bucket = bucketIndex(v);
        return (v >>> bucket) << bucket;
    }

    /**
     * The cumulative distribution LATENCY HISTOGRAM prints ({@code hdr_iter_log_init(&iter, h, 1024, 2)}):
     * for reporting levels 1024·2^k ns, the highest value equivalent to the first index at or above the
     * level, in µs, with the count of samples up to it; only levels where the count grew are listed.
     */
    public long[][] cumulativeBuckets() {
        java.util.List<long[]> out = new java.util.ArrayList<>();
        long cumulative = 0;
        long previous = 0;
        int index = -1;
        long value = 0;
        long level = 1024;
        while (cumulative < total) {
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

    /** {@code hdr_value_at_percentile}: the highest value equivalent to the one at that percentile, in ns. */
    public long valueAtPercentile(double percentile) {
        double p = Math.min(percentile, 100.0);
        long countAt = Math.max(1, (long) ((p / 100) * total + 0.5));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= countAt) {
                long v = valueAtIndex(i);
                return percentile == 0.0 ? v : highestEquivalent(v);
            }
        }
        return 0;
    }
}
