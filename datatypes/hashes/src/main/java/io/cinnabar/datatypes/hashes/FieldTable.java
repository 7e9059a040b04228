package io.cinnabar.datatypes.hashes;

import io.cinnabar.api.SlotIndex;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The "hashtable" encoding of a hash, without an object per field: each field and its value are one byte
 * array (length-prefixed field, then the value), held in a dense array {@code entries[0..size)} indexed by a
 * {@link SlotIndex} of entry index + 1. The index's slots carry hash tag bits, so a lookup that finds its field
 * reads one slot, one entry reference and the entry, and HSCAN walks the index with Redis's reverse-binary
 * cursor. A removal moves the last entry into the hole, so the entries stay dense and a random field is one
 * draw. Hashes are not kept but computed again when an entry moves or the index is resized or scanned. Every
 * array is paged ({@link Pages}) so a big hash makes no humongous objects.
 */
final class FieldTable {
    private static final int MIN_CAPACITY = 4;
    /** Array header bytes and reference size of a compressed-oops JVM, for memory accounting. */
    private static final int ARRAY_HEADER = 16;

    private static final int SHIFT = Pages.SHIFT;
    private static final int MASK = Pages.MASK;

    private byte[][][] entries;
    /** Entry i is id i + 1. */
    private final SlotIndex index;
    private int capacity;
    private int size;
    /** The heap bytes of the entry arrays, kept for MEMORY USAGE. */
    private long entryBytes;

    FieldTable(int expected) {
        capacity = Math.max(MIN_CAPACITY, expected);
        entries = Pages.refs(capacity);
        index = new SlotIndex(expected, this::hashOf);
    }

    int size() {
        return size;
    }

    /** The heap bytes of the table and its entries. */
    long memoryUsage() {
        return 32 + (1 + entries.length) * ARRAY_HEADER + 4L * capacity + index.memoryUsage() + entryBytes;
    }

    private static long heapSize(byte[] e) {
        return (ARRAY_HEADER + e.length + 7) & ~7L;
    }

    /** The hash of the field of id {@code id} (entry id - 1). */
    private int hashOf(int id) {
        return entryHash(entryAt(id - 1));
    }

    /** The hash of entry {@code e}'s field. */
    private static int entryHash(byte[] e) {
        return SlotIndex.hash(e, PackedLength.sizeAt(e, 0), PackedLength.read(e, 0));
    }

    private static boolean fieldEquals(byte[] e, byte[] b, int off, int len) {
        int at = PackedLength.sizeAt(e, 0);
        return PackedLength.read(e, 0) == len && Arrays.equals(e, at, at + len, b, off, off + len);
    }

    // ---- paged element access ----

    /**
     * RedisValue#prefetchMember's stages ({@link SlotIndex#prefetchEntry}: entries are ids 1 and up, a field's
     * packed length of 1 or 4 bytes comes before its bytes, within the 8 the last stage reads past them).
     */
    long prefetch(byte[] b, int off, int len, int stage, long prior) {
        return index.prefetchEntry(b, off, len, stage, prior, entries, SHIFT);
    }

    private byte[] entryAt(int i) {
        return entries[i >>> SHIFT][i & MASK];
    }

    private void setEntry(int i, byte[] e) {
        entries[i >>> SHIFT][i & MASK] = e;
    }

    // ---- lookups ----

    /** The slot holding the field (whose hash is {@code h}), or {@code ~p} for the free slot p ending its run. */
    private int findSlot(byte[] b, int off, int len, int h) {
        SlotIndex x = index;
        int p = x.home(h);
        for (int v; (v = x.slot(p)) != 0; p = x.next(p)) {
            if (x.tagMatches(v, h) && fieldEquals(entryAt(x.id(v) - 1), b, off, len)) {
                return p;
            }
        }
        return ~p;
    }

    /** The index of the field's entry, or -1. */
    int find(byte[] b, int off, int len) {
        int p = findSlot(b, off, len, SlotIndex.hash(b, off, len));
        return p < 0 ? -1 : index.id(index.slot(p)) - 1;
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
        int h = SlotIndex.hash(fb, fo, fl);
        int p = findSlot(fb, fo, fl, h);
        if (p >= 0) {
            int i = index.id(index.slot(p)) - 1;
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
        if (size == capacity) {
            // past one page, growing adds a page and copies nothing, so the slack stays under a page
            resizeEntries(size < Pages.SIZE ? size + (size >> 1) : size + Pages.SIZE);
        }
        byte[] e = new byte[PackedLength.size(fl) + fl + vl];
        int at = PackedLength.write(e, 0, fl);
        System.arraycopy(fb, fo, e, at, fl);
        System.arraycopy(vb, vo, e, at + fl, vl);
        setEntry(size, e);
        size++;
        entryBytes += heapSize(e);
        index.add(~p, h, size);
        return true;
    }

    boolean put(byte[] field, byte[] value) {
        return put(field, 0, field.length, value, 0, value.length);
    }

    boolean remove(byte[] field) {
        int p = findSlot(field, 0, field.length, SlotIndex.hash(field));
        if (p < 0) {
            return false;
        }
        removeEntry(p, index.id(index.slot(p)) - 1);
        return true;
    }

    /** Removes entry {@code i}; the last entry moves into its slot (index {@code size() - 1} becomes {@code i}). */
    void removeAt(int i) {
        removeEntry(index.slotOf(i + 1, entryHash(entryAt(i))), i);
    }

    private void removeEntry(int p, int i) {
        entryBytes -= heapSize(entryAt(i));
        index.remove(p);
        int last = --size;
        if (i != last) {
            byte[] moved = entryAt(last);
            index.relabel(index.slotOf(last + 1, entryHash(moved)), i + 1);
            setEntry(i, moved);
        }
        setEntry(last, null);
        // under a tenth full the index shrinks, as Redis's htNeedsResize would on the next cron; the entries follow
        index.shrinkIfSparse(size);
        if (capacity > MIN_CAPACITY && size * 4L < capacity) {
            resizeEntries(Math.max(MIN_CAPACITY, size * 2));
        }
    }

    private void resizeEntries(int n) {
        entries = Pages.resize(entries, n);
        capacity = Pages.capacity(entries);
    }

    // ---- iteration ----

    /** Visits every entry (dense order). */
    void forEach(HashValue.Visitor v) {
        for (int i = 0; i < size; i++) {
            visit(i, v);
        }
    }

    /** Visits the fields whose home is the cursor's slot and returns the next cursor (0: done). */
    long scan(long cursor, HashValue.Visitor v) {
        return index.scan(cursor, id -> visit(id - 1, v));
    }

    /** A uniformly random entry index (the table must not be empty). */
    int randomIndex(ThreadLocalRandom rnd) {
        return rnd.nextInt(size);
    }

    FieldTable copy() {
        return new FieldTable(this);
    }

    private FieldTable(FieldTable from) {
        capacity = from.capacity;
        entries = Pages.refs(capacity);
        for (int i = 0; i < from.size; i++) {
            setEntry(i, from.entryAt(i).clone());
        }
        size = from.size;
        entryBytes = from.entryBytes;
        index = from.index.copy(this::hashOf);
    }
}
