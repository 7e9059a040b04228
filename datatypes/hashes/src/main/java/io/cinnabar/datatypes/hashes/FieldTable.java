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
 * random field is one draw.
 */
final class FieldTable {
    private static final int MIN_BUCKETS = 4;
    private static final int MIN_CAPACITY = 4;
    /** Array header bytes and reference size of a compressed-oops JVM, for memory accounting. */
    private static final int ARRAY_HEADER = 16;

    private byte[][] entries;
    private int[] hashes;
    private int[] next;
    private int[] heads;
    private int size;
    /** The heap bytes of the entry arrays, kept for MEMORY USAGE. */
    private long entryBytes;

    FieldTable(int expected) {
        int n = MIN_BUCKETS;
        while (n < expected && n < (1 << 30)) {
            n <<= 1;
        }
        heads = new int[n];
        int capacity = Math.max(MIN_CAPACITY, expected);
        entries = new byte[capacity][];
        hashes = new int[capacity];
        next = new int[capacity];
    }

    int size() {
        return size;
    }

    int bucketCount() {
        return heads.length;
    }

    /** The heap bytes of the table and its entries. */
    long memoryUsage() {
        long arrays = 4L * ARRAY_HEADER + 4L * heads.length + 12L * entries.length;
        return 40 + arrays + entryBytes;
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

    /** The index of the field's entry, or -1. */
    int find(byte[] b, int off, int len) {
        int h = hash(b, off, len);
        for (int j = heads[h & (heads.length - 1)]; j != 0; j = next[j - 1]) {
            int i = j - 1;
            if (hashes[i] == h && fieldEquals(entries[i], b, off, len)) {
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
        byte[] e = entries[i];
        int at = PackedLength.sizeAt(e, 0);
        int fieldLen = PackedLength.read(e, 0);
        int valueAt = at + fieldLen;
        v.visit(e, at, fieldLen, valueAt, e.length - valueAt);
    }

    /** Entry {@code i}'s array (its value is the tail from {@link #valueOffset}). */
    byte[] entry(int i) {
        return entries[i];
    }

    static int valueOffset(byte[] e) {
        return PackedLength.sizeAt(e, 0) + PackedLength.read(e, 0);
    }

    /** Sets the value of the field given as slices; true when the field is new. */
    boolean put(byte[] fb, int fo, int fl, byte[] vb, int vo, int vl) {
        int i = find(fb, fo, fl);
        if (i >= 0) {
            byte[] e = entries[i];
            int valueAt = valueOffset(e);
            if (e.length - valueAt == vl) {
                System.arraycopy(vb, vo, e, valueAt, vl);
            } else {
                byte[] fresh = Arrays.copyOf(e, valueAt + vl);
                System.arraycopy(vb, vo, fresh, valueAt, vl);
                entryBytes += heapSize(fresh) - heapSize(e);
                entries[i] = fresh;
            }
            return false;
        }
        if (size >= heads.length && heads.length < (1 << 30)) {
            rehash(heads.length << 1);
        }
        if (size == entries.length) {
            resizeEntries(size + (size >> 1));
        }
        byte[] e = new byte[PackedLength.size(fl) + fl + vl];
        int at = PackedLength.write(e, 0, fl);
        System.arraycopy(fb, fo, e, at, fl);
        System.arraycopy(vb, vo, e, at + fl, vl);
        int h = hash(fb, fo, fl);
        int b = h & (heads.length - 1);
        entries[size] = e;
        hashes[size] = h;
        next[size] = heads[b];
        heads[b] = size + 1;
        size++;
        entryBytes += heapSize(e);
        return true;
    }

    boolean put(byte[] field, byte[] value) {
        return put(field, 0, field.length, value, 0, value.length);
    }

    boolean remove(byte[] field) {
        int h = hash(field, 0, field.length);
        int b = h & (heads.length - 1);
        int prev = 0;
        for (int j = heads[b]; j != 0; prev = j, j = next[j - 1]) {
            int i = j - 1;
            if (hashes[i] == h && fieldEquals(entries[i], field, 0, field.length)) {
                if (prev == 0) {
                    heads[b] = next[i];
                } else {
                    next[prev - 1] = next[i];
                }
                entryBytes -= heapSize(entries[i]);
                fillHole(i);
                shrinkIfSparse();
                return true;
            }
        }
        return false;
    }

    /** Moves the last entry into the unlinked slot {@code i}, relinking the chain that pointed to it. */
    private void fillHole(int i) {
        int last = --size;
        if (i != last) {
            int b = hashes[last] & (heads.length - 1);
            if (heads[b] == last + 1) {
                heads[b] = i + 1;
            } else {
                int j = heads[b];
                while (next[j - 1] != last + 1) {
                    j = next[j - 1];
                }
                next[j - 1] = i + 1;
            }
            entries[i] = entries[last];
            hashes[i] = hashes[last];
            next[i] = next[last];
        }
        entries[last] = null;
        next[last] = 0;
    }

    /** Below 1/8 fill the buckets halve, as Redis's htNeedsResize would on the next cron; the entries follow. */
    private void shrinkIfSparse() {
        while (heads.length > MIN_BUCKETS && size * 8L < heads.length) {
            rehash(heads.length >> 1);
        }
        if (entries.length > MIN_CAPACITY && size * 4L < entries.length) {
            resizeEntries(Math.max(MIN_CAPACITY, size * 2));
        }
    }

    private void resizeEntries(int capacity) {
        entries = Arrays.copyOf(entries, capacity);
        hashes = Arrays.copyOf(hashes, capacity);
        next = Arrays.copyOf(next, capacity);
    }

    private void rehash(int buckets) {
        int[] fresh = new int[buckets];
        int mask = buckets - 1;
        for (int i = 0; i < size; i++) {
            int b = hashes[i] & mask;
            next[i] = fresh[b];
            fresh[b] = i + 1;
        }
        heads = fresh;
    }

    /** Visits every entry (dense order). */
    void forEach(HashValue.Visitor v) {
        for (int i = 0; i < size; i++) {
            visit(i, v);
        }
    }

    /** Visits the bucket the cursor names and returns the next cursor (Redis's reverse-binary increment). */
    long scan(long cursor, HashValue.Visitor v) {
        long mask = heads.length - 1;
        for (int j = heads[(int) (cursor & mask)]; j != 0; j = next[j - 1]) {
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
        t.heads = heads.clone();
        t.hashes = hashes.clone();
        t.next = next.clone();
        t.entries = new byte[entries.length][];
        for (int i = 0; i < size; i++) {
            t.entries[i] = entries[i].clone();
        }
        t.size = size;
        t.entryBytes = entryBytes;
        return t;
    }
}
