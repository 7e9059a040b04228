package io.cinnabar.datatypes.hashes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The per-field deadlines (unix ms) of one hash, Redis 7.4's hash field expiration. A hash gets one only
 * when a field first gets a TTL, so hashes without field TTLs pay nothing. {@link #nextDeadline} is a
 * lower bound of the earliest deadline: a lookup compares one long before doing any work.
 */
final class FieldExpiries {
    /** Set once any hash of this JVM got a field TTL: the active sweep does nothing before that. */
    static volatile boolean anySet;

    private final Map<Field, Long> deadlines = new HashMap<>();
    private long nextDeadline = Long.MAX_VALUE;

    /** A field as a map key (byte[] compares by identity). */
    private record Field(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Field f && Arrays.equals(bytes, f.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** The deadline of {@code field}, or -1 when it has none. */
    long get(byte[] field) {
        Long d = deadlines.get(new Field(field));
        return d == null ? -1 : d;
    }

    void put(byte[] field, long deadline) {
        deadlines.put(new Field(field), deadline);
        nextDeadline = Math.min(nextDeadline, deadline);
        anySet = true;
    }

    /** True when the field had a deadline. */
    boolean remove(byte[] field) {
        return !deadlines.isEmpty() && deadlines.remove(new Field(field)) != null;
    }

    int size() {
        return deadlines.size();
    }

    /** True when some field may be expired at {@code now} (expired means deadline < now, as Redis). */
    boolean anyDue(long now) {
        return nextDeadline < now;
    }

    /** Removes and returns the fields expired at {@code now}, recomputing the earliest deadline. */
    List<byte[]> takeDue(long now) {
        List<byte[]> due = new ArrayList<>();
        long next = Long.MAX_VALUE;
        for (Iterator<Map.Entry<Field, Long>> it = deadlines.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Field, Long> e = it.next();
            long d = e.getValue();
            if (d < now) {
                due.add(e.getKey().bytes());
                it.remove();
            } else {
                next = Math.min(next, d);
            }
        }
        nextDeadline = next;
        return due;
    }

    FieldExpiries copy() {
        FieldExpiries c = new FieldExpiries();
        c.deadlines.putAll(deadlines);
        c.nextDeadline = nextDeadline;
        return c;
    }
}
