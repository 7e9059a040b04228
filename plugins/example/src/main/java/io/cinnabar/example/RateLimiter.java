package io.cinnabar.example;

import io.cinnabar.api.RedisValue;
import java.util.Arrays;

/**
 * The {@code ratelimit} value: a sliding log of the hits a window currently holds, oldest first, each a
 * (unix-ms time, cost) pair in two parallel ring buffers. A hit at time {@code t} counts against every
 * request made before {@code t + window}; hits in the same millisecond share one entry, so the log holds at
 * most one entry per millisecond of the window and never more entries than the limit allows.
 * Denied hits are not logged.
 */
public final class RateLimiter implements RedisValue {
    /** Largest accepted window (about 34 years), so {@code now + window} can never overflow. */
    public static final long MAX_WINDOW_MS = 1L << 40;
    private static final int MIN_CAPACITY = 4;

    private long[] times;
    private long[] costs;
    private int head;
    private int size;
    private long used;

    public RateLimiter() {
        times = new long[MIN_CAPACITY];
        costs = new long[MIN_CAPACITY];
    }

    /** Number of log entries. */
    public int size() {
        return size;
    }

    /** Time of the {@code i}-th entry, oldest first. */
    public long timeAt(int i) {
        return times[slot(i)];
    }

    /** Cost of the {@code i}-th entry, oldest first. */
    public long costAt(int i) {
        return costs[slot(i)];
    }

    /** Sum of the costs in the log (call {@link #evict} first for the sum within a window). */
    public long used() {
        return used;
    }

    /** Time of the newest entry; only when {@link #size()} &gt; 0. */
    public long newest() {
        return timeAt(size - 1);
    }

    /** Drops the entries that no longer count at {@code now} for {@code window}. */
    public void evict(long now, long window) {
        while (size > 0 && times[head] + window <= now) {
            used -= costs[head];
            head = (head + 1) % times.length;
            size--;
        }
        if (size == 0) {
            head = 0;
        }
        if (times.length > MIN_CAPACITY && size < times.length / 4) {
            resize(Math.max(MIN_CAPACITY, times.length / 2));
        }
    }

    /** The cost still counting at {@code now} for {@code window}, without changing the log. */
    public long usedWithin(long now, long window) {
        long sum = used;
        for (int i = 0; i < size && timeAt(i) + window <= now; i++) {
            sum -= costAt(i);
        }
        return sum;
    }

    /**
     * Logs a hit. Time never goes backwards in the log: a clock that stepped back files the hit under the
     * newest entry's time, which keeps the log ordered and the expiry monotonic.
     */
    public void record(long now, long cost) {
        if (size > 0 && newest() >= now) {
            costs[slot(size - 1)] += cost;
            used += cost;
        } else {
            append(now, cost);
        }
    }

    /** Appends an entry as it is (RDB load); entries must come oldest first. */
    void append(long time, long cost) {
        if (size == times.length) {
            resize(times.length * 2);
        }
        int s = slot(size);
        times[s] = time;
        costs[s] = cost;
        size++;
        used += cost;
    }

    /**
     * Milliseconds until a hit of {@code cost} fits under {@code limit}, given the log already evicted for
     * {@code window} at {@code now}: 0 when it fits now, -1 when it never can (cost above the limit).
     */
    public long retryAfter(long now, long window, long limit, long cost, long usedNow) {
        if (cost > limit) {
            return -1;
        }
        long over = cost - (limit - usedNow);
        if (over <= 0) {
            return 0;
        }
        long freed = 0;
        for (int i = 0; i < size; i++) {
            long t = timeAt(i);
            if (t + window <= now) {
                continue;
            }
            freed += costAt(i);
            if (freed >= over) {
                return t + window - now;
            }
        }
        return 0;
    }

    private int slot(int i) {
        return (head + i) % times.length;
    }

    private void resize(int capacity) {
        long[] t = new long[capacity];
        long[] c = new long[capacity];
        for (int i = 0; i < size; i++) {
            t[i] = timeAt(i);
            c[i] = costAt(i);
        }
        times = t;
        costs = c;
        head = 0;
    }

    @Override
    public String typeName() {
        return "ratelimit";
    }

    /** OBJECT ENCODING: the representation, a sliding log. */
    @Override
    public String encoding() {
        return "slidinglog";
    }

    @Override
    public long memoryUsage() {
        // object (header + 2 refs + 2 ints + 1 long) and two long[] of the ring's capacity
        return 40 + 2L * (16 + 8L * times.length);
    }

    @Override
    public RedisValue copy() {
        RateLimiter c = new RateLimiter();
        c.times = Arrays.copyOf(times, times.length);
        c.costs = Arrays.copyOf(costs, costs.length);
        c.head = head;
        c.size = size;
        c.used = used;
        return c;
    }
}
