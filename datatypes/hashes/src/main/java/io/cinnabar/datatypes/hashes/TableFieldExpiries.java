package io.cinnabar.datatypes.hashes;

/**
 * The field deadlines of a hashtable hash, ordered: a binary min-heap of (deadline, position) pairs in two
 * parallel arrays, and for every position of the {@link FieldTable} its place in the heap plus one (0 for
 * none). A field's deadline is two array reads, the earliest is the heap's top, and setting, clearing or
 * expiring one costs a sift, so the due fields of a big hash come out in deadline order without a walk
 * over the others. About 16 bytes per field with a TTL, plus 4 per field position below the last that
 * has one. Every array is paged ({@link Pages}), as the table's are.
 */
final class TableFieldExpiries extends FieldExpiries {
    private static final int SHIFT = Pages.SHIFT;
    private static final int MASK = Pages.MASK;
    private static final int MIN_CAPACITY = 4;

    /** Per table position: its heap index plus one, 0 when it has no deadline. */
    private int[][] places = Pages.ints(0);
    private int placeCapacity;
    /** The heap: entry i's deadline and position; entries [0, count). */
    private long[][] deadlines = Pages.longs(0);
    private int[][] positions = Pages.ints(0);
    private int heapCapacity;
    private int count;

    private int placeOf(int pos) {
        return pos < placeCapacity ? places[pos >>> SHIFT][pos & MASK] : 0;
    }

    private void setPlace(int pos, int place) {
        places[pos >>> SHIFT][pos & MASK] = place;
    }

    private long deadlineAt(int i) {
        return deadlines[i >>> SHIFT][i & MASK];
    }

    private int positionAt(int i) {
        return positions[i >>> SHIFT][i & MASK];
    }

    /** Puts entry (deadline, pos) at heap index {@code i}. */
    private void setEntry(int i, long deadline, int pos) {
        deadlines[i >>> SHIFT][i & MASK] = deadline;
        positions[i >>> SHIFT][i & MASK] = pos;
        setPlace(pos, i + 1);
    }

    @Override
    long get(int pos) {
        int p = placeOf(pos);
        return p == 0 ? -1 : deadlineAt(p - 1);
    }

    @Override
    void put(int pos, long deadline, int fields) {
        int p = placeOf(pos);
        if (p != 0) {
            long old = deadlineAt(p - 1);
            deadlines[(p - 1) >>> SHIFT][(p - 1) & MASK] = deadline;
            if (deadline < old) {
                siftUp(p - 1);
            } else {
                siftDown(p - 1);
            }
        } else {
            if (pos >= placeCapacity) {
                places = Pages.resize(places, grown(placeCapacity, Math.max(pos + 1, fields)));
                placeCapacity = Pages.capacity(places);
            }
            if (count == heapCapacity) {
                int n = grown(heapCapacity, count + 1);
                deadlines = Pages.resize(deadlines, n);
                positions = Pages.resize(positions, n);
                heapCapacity = Pages.capacity(positions);
            }
            setEntry(count, deadline, pos);
            siftUp(count++);
        }
        anySet = true;
    }

    /** A capacity of at least {@code need}, growing by half below a page and by pages above (as FieldTable). */
    private static int grown(int capacity, int need) {
        int n = capacity < Pages.SIZE ? capacity + (capacity >> 1) : capacity + Pages.SIZE;
        return Math.max(Math.max(n, need), MIN_CAPACITY);
    }

    @Override
    boolean remove(int pos) {
        int p = placeOf(pos);
        if (p == 0) {
            return false;
        }
        setPlace(pos, 0);
        int i = p - 1;
        int last = --count;
        if (i != last) {
            setEntry(i, deadlineAt(last), positionAt(last));
            if (i > 0 && deadlineAt(i) < deadlineAt((i - 1) >>> 1)) {
                siftUp(i);
            } else {
                siftDown(i);
            }
        }
        if (heapCapacity > MIN_CAPACITY && count * 4L < heapCapacity) {
            int n = Math.max(MIN_CAPACITY, count * 2);
            deadlines = Pages.resize(deadlines, n);
            positions = Pages.resize(positions, n);
            heapCapacity = Pages.capacity(positions);
        }
        return true;
    }

    /** The table moved its last entry (position {@code fields - 1}) into the hole at {@code pos}. */
    @Override
    void fieldRemoved(int pos, int fields) {
        remove(pos);
        int last = fields - 1;
        int p = placeOf(last);
        if (last != pos && p != 0) {
            setPlace(last, 0);
            positions[(p - 1) >>> SHIFT][(p - 1) & MASK] = pos;
            setPlace(pos, p);
        }
        if (placeCapacity > MIN_CAPACITY && last * 4L < placeCapacity) {
            places = Pages.resize(places, Math.max(MIN_CAPACITY, last * 2));
            placeCapacity = Pages.capacity(places);
        }
    }

    private void siftUp(int i) {
        long d = deadlineAt(i);
        int pos = positionAt(i);
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            long pd = deadlineAt(parent);
            if (pd <= d) {
                break;
            }
            setEntry(i, pd, positionAt(parent));
            i = parent;
        }
        setEntry(i, d, pos);
    }

    private void siftDown(int i) {
        long d = deadlineAt(i);
        int pos = positionAt(i);
        int half = count >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            long cd = deadlineAt(child);
            if (child + 1 < count && deadlineAt(child + 1) < cd) {
                child++;
                cd = deadlineAt(child);
            }
            if (d <= cd) {
                break;
            }
            setEntry(i, cd, positionAt(child));
            i = child;
        }
        setEntry(i, d, pos);
    }

    @Override
    int size() {
        return count;
    }

    @Override
    boolean anyDue(long now) {
        return count > 0 && deadlineAt(0) < now;
    }

    @Override
    long earliestDeadline() {
        return count == 0 ? -1 : deadlineAt(0);
    }

    @Override
    int earliest() {
        return positionAt(0);
    }

    @Override
    FieldExpiries forTable() {
        return this;
    }

    @Override
    FieldExpiries copy() {
        TableFieldExpiries c = new TableFieldExpiries();
        c.places = Pages.copy(places);
        c.placeCapacity = placeCapacity;
        c.deadlines = Pages.copy(deadlines);
        c.positions = Pages.copy(positions);
        c.heapCapacity = heapCapacity;
        c.count = count;
        return c;
    }

    @Override
    long memoryUsage() {
        long pages = places.length + deadlines.length + positions.length;
        return 40 + 3 * 16 + 16 * pages + 4L * placeCapacity + 12L * heapCapacity;
    }
}
