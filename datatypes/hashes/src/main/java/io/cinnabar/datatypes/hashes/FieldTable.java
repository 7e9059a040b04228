package io.cinnabar.datatypes.hashes;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The "hashtable" encoding of a hash, without an object per field: each field and its value are one byte
 * array (length-prefixed field, then the value), held in a dense array {@code entries[0..size)} with parallel
 * arrays of cached hashes and chain links, and chained from a power-of-two array of bucket heads. Links are
 * entry index + 1 (0 ends a chain), so fresh arrays need no filling.
 *
 * <p>Power-of-two buckets let HSCAN use Redis's reverse-binary cursor, which visits every field present for
 * the whole scan at least once even when the table grows or shrinks between calls; a removal moves the last
 * entry into the hole, which keeps it in its bucket (so scans are unaffected) and the entries dense, so a
 * random field is one draw. Every array is paged ({@link Pages}) so a big hash makes no humongous objects.
 */
final class FieldTable {
    private static final int MIN_BUCKETS = 4;
    private static final int MIN_CAPACITY = 4;
    /** Array header bytes and reference size of a compressed-oops JVM, for memory accounting. */
    private static final int ARRAY_HEADER = 16;

    private static final int SHIFT = Pages.SHIFT;
    private static final int MASK = Pages.MASK;

    private byte[][][] entries;
    private int[][] hashes;
    private int[][] next;
    private int[][] heads;
    /** The bucket count (a power of two) minus one. */
    private int bucketMask;
    private int capacity;
    private int size;
    /** The heap bytes of the entry arrays, kept for MEMORY USAGE. */
    private long entryBytes;

    FieldTable(int expected) {
        int n = MIN_BUCKETS;
        while (n < expected && n < (1 << 30)) {
            n <<= 1;
        }
        heads = Pages.ints(n);
        bucketMask = n - 1;
        capacity = Math.max(MIN_CAPACITY, expected);
        entries = Pages.refs(capacity);
        hashes = Pages.ints(capacity);
        next = Pages.ints(capacity);
    }

    int size() {
        return size;
    }

    int bucketCount() {
        return bucketMask + 1;
    }

    /** The heap bytes of the table and its entries. */
    long memoryUsage() {
        long pages = heads.length + entries.length * 3L;
        long arrays = (4 + pages) * ARRAY_HEADER + 4L * (bucketMask + 1) + 12L * capacity;
        return 48 + arrays + entryBytes;
    }

    private static long heapSize(byte[] e) {
        return (ARRAY_HEADER + e.length + 7) & ~7L;
    }

    private static int hash(byte[] b, int off, int len) {
        int h = 1;
        for (int i = off, end = off + len; i < end; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }

    private static boolean fieldEquals(byte[] e, byte[] b, int off, int len) {
        int at = PackedLength.sizeAt(e, 0);
        return PackedLength.read(e, 0) == len && Arrays.equals(e, at, at + len, b, off, off + len);
    }

    // ---- paged element access ----

    private byte[] entryAt(int i) {
        return entries[i >>> SHIFT][i & MASK];
    }

    private void setEntry(int i, byte[] e) {
        entries[i >>> SHIFT][i & MASK] = e;
    }

    private int hashAt(int i) {
        return hashes[i >>> SHIFT][i & MASK];
    }

    private int nextAt(int i) {
        return next[i >>> SHIFT][i & MASK];
    }

    private void setNext(int i, int link) {
        next[i >>> SHIFT][i & MASK] = link;
    }

    private int head(int b) {
        return heads[b >>> SHIFT][b & MASK];
    }

    private void setHead(int b, int link) {
        heads[b >>> SHIFT][b & MASK] = link;
    }

    // ---- lookups ----

    /** The index of the field's entry, or -1. */
    int find(byte[] b, int off, int len) {
        int h = hash(b, off, len);
        for (int j = head(h & bucketMask); j != 0; j = nextAt(j - 1)) {
            int i = j - 1;
            if (hashAt(i) == h && fieldEquals(entryAt(i), b, off, len)) {
                return i;
            }
        }
        return -1;
    }

    int find(byte[] field) {
        return find(field, 0, field.length);
    }

    /** Entry {@code i}'s field and value to the visitor. */
    void visit(int i, HashValue.Visitor v) {
        byte[] e = entryAt(i);
        int at = PackedLength.sizeAt(e, 0);
        int fieldLen = PackedLength.read(e, 0);
        int valueAt = at + fieldLen;
        v.visit(e, at, fieldLen, valueAt, e.length - valueAt);
    }

    /** Entry {@code i}'s array (its value is the tail from {@link #valueOffset}). */
    byte[] entry(int i) {
        return entryAt(i);
    }

    static int valueOffset(byte[] e) {
        return PackedLength.sizeAt(e, 0) + PackedLength.read(e, 0);
    }

    // ---- writes ----

    /** Sets the value of the field given as slices; true when the field is new. */
    boolean put(byte[] fb, int fo, int fl, byte[] vb, int vo, int vl) {
        int i = find(fb, fo, fl);
        if (i >= 0) {
            byte[] e = entryAt(i);
            int valueAt = valueOffset(e);
            if (e.length - valueAt == vl) {
                System.arraycopy(vb, vo, e, valueAt, vl);
            } else {
                byte[] fresh = Arrays.copyOf(e, valueAt + vl);
                System.arraycopy(vb, vo, fresh, valueAt, vl);
                entryBytes += heapSize(fresh) - heapSize(e);
                setEntry(i, fresh);
            }
            return false;
        }
        if (size > bucketMask && bucketMask < (1 << 30) - 1) {
            rehash((bucketMask + 1) << 1);
        }
        if (size == capacity) {
            // past one page, growing adds a page and copies nothing, so the slack stays under a page
            resizeEntries(size < Pages.SIZE ? size + (size >> 1) : size + Pages.SIZE);
        }
        byte[] e = new byte[PackedLength.size(fl) + fl + vl];
        int at = PackedLength.write(e, 0, fl);
        System.arraycopy(fb, fo, e, at, fl);
        System.arraycopy(vb, vo, e, at + fl, vl);
        int h = hash(fb, fo, fl);
        int b = h & bucketMask;
        setEntry(size, e);
        hashes[size >>> SHIFT][size & MASK] = h;
        setNext(size, head(b));
        setHead(b, size + 1);
        size++;
        entryBytes += heapSize(e);
        return true;
    }

    boolean put(byte[] field, byte[] value) {
        return put(field, 0, field.length, value, 0, value.length);
    }

    boolean remove(byte[] field) {
        int i = find(field);
        if (i < 0) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /** Removes entry {@code i}; the last entry moves into its slot (index {@code size() - 1} becomes {@code i}). */
    void removeAt(int i) {
        int b = hashAt(i) & bucketMask;
        if (head(b) == i + 1) {
            setHead(b, nextAt(i));
        } else {
            int j = head(b);
            while (nextAt(j - 1) != i + 1) {
                j = nextAt(j - 1);
            }
            setNext(j - 1, nextAt(i));
        }
        entryBytes -= heapSize(entryAt(i));
        fillHole(i);
        shrinkIfSparse();
    }

    /** Moves the last entry into the unlinked slot {@code i}, relinking the chain that pointed to it. */
    private void fillHole(int i) {
        int last = --size;
        if (i != last) {
            int b = hashAt(last) & bucketMask;
            if (head(b) == last + 1) {
                setHead(b, i + 1);
            } else {
                int j = head(b);
                while (nextAt(j - 1) != last + 1) {
                    j = nextAt(j - 1);
                }
                setNext(j - 1, i + 1);
            }
            setEntry(i, entryAt(last));
            hashes[i >>> SHIFT][i & MASK] = hashAt(last);
            setNext(i, nextAt(last));
        }
        setEntry(last, null);
        setNext(last, 0);
    }

    /** Below 1/8 fill the buckets halve, as Redis's htNeedsResize would on the next cron; the entries follow. */
    private void shrinkIfSparse() {
        while (bucketMask + 1 > MIN_BUCKETS && size * 8L < bucketMask + 1) {
            rehash((bucketMask + 1) >> 1);
        }
        if (capacity > MIN_CAPACITY && size * 4L < capacity) {
            resizeEntries(Math.max(MIN_CAPACITY, size * 2));
        }
    }

    private void resizeEntries(int n) {
        entries = Pages.resize(entries, n);
        hashes = Pages.resize(hashes, n);
        next = Pages.resize(next, n);
        capacity = Pages.capacity(hashes);
    }

    private void rehash(int buckets) {
        heads = Pages.ints(buckets);
        bucketMask = buckets - 1;
        for (int i = 0; i < size; i++) {
            int b = hashAt(i) & bucketMask;
            setNext(i, head(b));
            setHead(b, i + 1);
        }
    }

    // ---- iteration ----

    /** Visits every entry (dense order). */
    void forEach(HashValue.Visitor v) {
        for (int i = 0; i < size; i++) {
            visit(i, v);
        }
    }

    /** Visits the bucket the cursor names and returns the next cursor (Redis's reverse-binary increment). */
    long scan(long cursor, HashValue.Visitor v) {
        long mask = bucketMask;
        for (int j = head((int) (cursor & mask)); j != 0; j = nextAt(j - 1)) {
            visit(j - 1, v);
        }
        cursor |= ~mask;
        cursor = Long.reverse(cursor);
        cursor++;
        return Long.reverse(cursor);
    }

    /** A uniformly random entry index (the table must not be empty). */
    int randomIndex(ThreadLocalRandom rnd) {
        return rnd.nextInt(size);
    }

    FieldTable copy() {
        FieldTable t = new FieldTable(0);
        t.heads = Pages.copy(heads);
        t.bucketMask = bucketMask;
        t.hashes = Pages.copy(hashes);
        t.next = Pages.copy(next);
        t.entries = Pages.refs(capacity);
        t.capacity = capacity;
        for (int i = 0; i < size; i++) {
            t.setEntry(i, entryAt(i).clone());
        }
        t.size = size;
        t.entryBytes = entryBytes;
        return t;
    }
}
