package io.cinnabar.kernel.server;

/**
 * Redis's 24-bit LRU clock (seconds) stored per key, and OBJECT IDLETIME from it. The LFU variant
 * (maxmemory-policy *-lfu) stores a 16-bit minutes stamp and an 8-bit logarithmic counter instead.
 */
public final class LruClock {
    public static final int LRU_CLOCK_MAX = (1 << 24) - 1;

    private LruClock() {
    }

    public static int clock(long nowMillis) {
        return (int) ((nowMillis / 1000) & LRU_CLOCK_MAX);
    }

    static int stamp(CinnabarServer server, int previous) {
        return clock(server.now());
    }

    /** Seconds since the stamp, handling the 24-bit wrap as Redis's estimateObjectIdleTime. */
    public static long idleSeconds(int stamp, long nowMillis) {
        int now = clock(nowMillis);
        return now >= stamp ? now - stamp : (LRU_CLOCK_MAX - stamp) + now;
    }
}
