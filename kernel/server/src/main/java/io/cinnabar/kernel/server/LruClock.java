package io.cinnabar.kernel.server;

import io.cinnabar.kernel.config.Config;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The per-key access stamp, as Redis keeps it in {@code robj.lru} (24 bits). With an LRU (or no eviction)
 * policy it is the LRU clock in seconds; with an LFU policy ({@code volatile-lfu}, {@code allkeys-lfu}) it
 * is a 16-bit minutes stamp of the last decrement above an 8-bit logarithmic access counter, maintained
 * with Redis's {@code lfu-log-factor} and {@code lfu-decay-time} (evict.c).
 */
public final class LruClock {
    public static final int LRU_CLOCK_MAX = (1 << 24) - 1;
    /** A new key's LFU counter, so it is not evicted before it had a chance to be accessed. */
    public static final int LFU_INIT_VAL = 5;

    private volatile boolean lfu;
    private volatile int logFactor = 10;
    private volatile int decayTime = 1;

    /** Follows {@code maxmemory-policy}, {@code lfu-log-factor} and {@code lfu-decay-time}, also on CONFIG SET. */
    public LruClock(Config config) {
        reload(config);
        config.onChange((name, value) -> {
            if (name.equals("maxmemory-policy") || name.startsWith("lfu-")) {
                reload(config);
            }
        });
    }

    private void reload(Config config) {
        String policy = config.get("maxmemory-policy");
        lfu = policy != null && policy.endsWith("-lfu");
        logFactor = config.getInt("lfu-log-factor");
        decayTime = config.getInt("lfu-decay-time");
    }

    /** True when an LFU maxmemory policy is selected (Redis's {@code MAXMEMORY_FLAG_LFU}). */
    public boolean lfu() {
        return lfu;
    }

    public static int clock(long nowMillis) {
        return (int) ((nowMillis / 1000) & LRU_CLOCK_MAX);
    }

    /** The stamp of a value created now ({@code createObject}). */
    public int creation(long nowMillis) {
        return lfu ? minutes(nowMillis) << 8 | LFU_INIT_VAL : clock(nowMillis);
    }

    /** An LFU stamp holding {@code counter} as of now (RESTORE FREQ, objectSetLRUOrLFU). */
    public static int lfuStamp(int counter, long nowMillis) {
        return minutes(nowMillis) << 8 | counter;
    }

    /** The stamp after an access now (Redis's {@code updateLFU} or {@code LRU_CLOCK()}). */
    public int access(int previous, long nowMillis) {
        if (!lfu) {
            return clock(nowMillis);
        }
        int counter = logIncrement(frequency(previous, nowMillis));
        return minutes(nowMillis) << 8 | counter;
    }

    /** The LFU counter after decay ({@code LFUDecrAndReturn}): one step down per {@code lfu-decay-time} minutes. */
    public int frequency(int stamp, long nowMillis) {
        int lastDecrement = stamp >>> 8;
        int counter = stamp & 255;
        long periods = decayTime > 0 ? minutesElapsed(lastDecrement, nowMillis) / decayTime : 0;
        if (periods > 0) {
            counter = periods > counter ? 0 : (int) (counter - periods);
        }
        return counter;
    }

    /** {@code LFULogIncr}: the higher the counter, the less likely an access increments it. */
    private int logIncrement(int counter) {
        if (counter == 255) {
            return 255;
        }
        double r = ThreadLocalRandom.current().nextDouble();
        double base = Math.max(0, counter - LFU_INIT_VAL);
        double p = 1.0 / (base * logFactor + 1);
        return r < p ? counter + 1 : counter;
    }

    private static int minutes(long nowMillis) {
        return (int) ((nowMillis / 1000 / 60) & 65535);
    }

    private static long minutesElapsed(int stamp, long nowMillis) {
        int now = minutes(nowMillis);
        return now >= stamp ? now - stamp : 65535 - stamp + now;
    }

    /** Seconds since the stamp, handling the 24-bit wrap as Redis's estimateObjectIdleTime. */
    public static long idleSeconds(int stamp, long nowMillis) {
        int now = clock(nowMillis);
        return now >= stamp ? now - stamp : (LRU_CLOCK_MAX - stamp) + now;
    }
}
