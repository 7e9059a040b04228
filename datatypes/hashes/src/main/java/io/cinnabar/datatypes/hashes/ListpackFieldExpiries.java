package io.cinnabar.datatypes.hashes;

import java.util.Arrays;

/**
 * The field deadlines of a listpack hash: one long per pair ordinal (-1 for none), as long as the hash has
 * pairs. A listpack holds few fields (hash-max-listpack-entries), so finding the earliest is a scan; the
 * earliest deadline itself is kept, exact, so a lookup checks one long.
 */
final class ListpackFieldExpiries extends FieldExpiries {
    private static final long NONE = -1;
    private long[] deadlines = new long[0];
    private int count;
    /** The earliest deadline, {@code Long.MAX_VALUE} when none. */
    private long earliest = Long.MAX_VALUE;

    @Override
    long get(int pos) {
        return pos < deadlines.length ? deadlines[pos] : NONE;
    }

    @Override
    void put(int pos, long deadline, int positions) {
        if (pos >= deadlines.length) {
            int old = deadlines.length;
            deadlines = Arrays.copyOf(deadlines, Math.max(pos + 1, positions));
            Arrays.fill(deadlines, old, deadlines.length, NONE);
        }
        long old = deadlines[pos];
        deadlines[pos] = deadline;
        if (old == NONE) {
            count++;
        }
        if (deadline <= earliest) {
            earliest = deadline;
        } else if (old == earliest) {
            earliest = scanEarliest();
        }
        anySet = true;
    }

    @Override
    boolean remove(int pos) {
        if (pos >= deadlines.length || deadlines[pos] == NONE) {
            return false;
        }
        long old = deadlines[pos];
        deadlines[pos] = NONE;
        count--;
        if (old == earliest) {
            earliest = scanEarliest();
        }
        return true;
    }

    /** The pairs after {@code pos} moved down one: so do their deadlines. */
    @Override
    void fieldRemoved(int pos, int positions) {
        remove(pos);
        int end = Math.min(positions, deadlines.length);
        if (pos >= end) {
            return;
        }
        System.arraycopy(deadlines, pos + 1, deadlines, pos, end - pos - 1);
        deadlines[end - 1] = NONE;
        if (deadlines.length > 8 && deadlines.length >= 2 * (positions - 1)) {
            deadlines = Arrays.copyOf(deadlines, positions - 1);
        }
    }

    private long scanEarliest() {
        long min = Long.MAX_VALUE;
        for (long d : deadlines) {
            if (d != NONE && d < min) {
                min = d;
            }
        }
        return min;
    }

    @Override
    int size() {
        return count;
    }

    @Override
    boolean anyDue(long now) {
        return earliest < now;
    }

    @Override
    long earliestDeadline() {
        return count == 0 ? NONE : earliest;
    }

    @Override
    int earliest() {
        for (int k = 0; k < deadlines.length; k++) {
            if (deadlines[k] == earliest) {
                return k;
            }
        }
        throw new IllegalStateException("no field has a deadline");
    }

    @Override
    FieldExpiries forTable() {
        TableFieldExpiries t = new TableFieldExpiries();
        for (int k = 0; k < deadlines.length; k++) {
            if (deadlines[k] != NONE) {
                t.put(k, deadlines[k], deadlines.length);
            }
        }
        return t;
    }

    @Override
    FieldExpiries copy() {
        ListpackFieldExpiries c = new ListpackFieldExpiries();
        c.deadlines = deadlines.clone();
        c.count = count;
        c.earliest = earliest;
        return c;
    }

    @Override
    long memoryUsage() {
        return 32 + 16 + 8L * deadlines.length;
    }
}
