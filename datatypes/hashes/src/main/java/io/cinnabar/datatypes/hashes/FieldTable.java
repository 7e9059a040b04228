package io.cinnabar.datatypes.hashes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The "hashtable" encoding of a hash, without an object per field: each field and its value are one byte
 * array (length-prefixed field, then the value), held in a dense array {@code entries[0..size)} indexed by an
 * open-addressing table of int slots.
 *
 * <p>A slot holds the entry's index + 1 in its low {@code slotBits} bits (0: empty) and the high bits of the
 * field's hash above them, so a probe rejects another field without loading its entry: a lookup that finds its
 * field reads one slot, one entry reference and the entry. Collisions probe linearly and a removal shifts the
 * run after it back (no tombstones). The table holds at most three quarters of its slots, so an index + 1
 * always fits below the slot bits; it doubles past that and shrinks under an eighth full.
 *
 * <p>A field's home slot is its hash's low bits, as a bucket of Redis's dict, and it lies in the run of
 * occupied slots from its home on: HSCAN walks homes with Redis's reverse-binary cursor, which visits every
 * field present for the whole scan at least once even when the table grows or shrinks between calls. A
 * removal moves the last entry into the hole, so the entries stay dense and a random field is one draw.
 * Hashes are not kept but computed again when an entry moves, a run shifts, or the table is resized or
 * scanned. Every array is paged ({@link Pages}) so a big hash makes no humongous objects.
 */
final class FieldTable {
    private static final int MIN_SLOT_BITS = 3;
    /** The largest table: 2^30 slots hold 805 million fields, more than a heap of Java arrays holds in practice. */
    private static final int MAX_SLOT_BITS = 30;
    private static final int MIN_CAPACITY = 4;
    /** Array header bytes and reference size of a compressed-oops JVM, for memory accounting. */
    private static final int ARRAY_HEADER = 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int SHIFT = Pages.SHIFT;
    private static final int MASK = Pages.MASK;

    private byte[][][] entries;
    /** Slot p: 0 when empty, else (the field's hash without its low slotBits) | (entry index + 1). */
    private int[][] slots;
    private int slotBits;
    /** (1 << slotBits) - 1: a hash's home slot, and a slot's index bits. */
    private int slotMask;
    private int capacity;
    private int size;
    /** The heap bytes of the entry arrays, kept for MEMORY USAGE. */
    private long entryBytes;

    FieldTable(int expected) {
        setSlotBits(slotBitsFor(expected));
        capacity = Math.max(MIN_CAPACITY, expected);
        entries = Pages.refs(capacity);
    }

    int size() {
        return size;
    }

    /** The heap bytes of the table and its entries. */
    long memoryUsage() {
        long pages = slots.length + entries.length;
        long arrays = (2 + pages) * ARRAY_HEADER + 4L * (slotMask + 1L) + 4L * capacity;
        return 48 + arrays + entryBytes;
    }

    private static long heapSize(byte[] e) {
        return (ARRAY_HEADER + e.length + 7) & ~7L;
    }

    /** A multiply-rotate hash over 8 bytes at a time, finished so every bit (home and tag) depends on all input. */
    static int hash(byte[] b, int off, int len) {
        long h = 0x9E3779B97F4A7C15L ^ len;
        int i = off;
        int end = off + len;
        for (int last = end - 7; i < last; i += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(b, i) * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        long tail = 0;
        for (int s = 0; i < end; i++, s += 8) {
            tail |= (b[i] & 0xFFL) << s;
        }
        h ^= tail * 0x165667B19E3779F9L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }

    /** The hash of entry {@code e}'s field. */
    private static int entryHash(byte[] e) {
        return hash(e, PackedLength.sizeAt(e, 0), PackedLength.read(e, 0));
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

    private int slot(int p) {
        return slots[p >>> SHIFT][p & MASK];
    }

    private void setSlot(int p, int v) {
        slots[p >>> SHIFT][p & MASK] = v;
    }

    // ---- lookups ----

    /** The slot holding the field (whose hash is {@code h}), or {@code ~p} for the empty slot p ending its run. */
    private int findSlot(byte[] b, int off, int len, int h) {
        int mask = slotMask;
        int tag = h & ~mask;
        for (int p = h & mask; ; p = (p + 1) & mask) {
            int v = slot(p);
            if (v == 0) {
                return ~p;
            }
            if ((v & ~mask) == tag && fieldEquals(entryAt((v & mask) - 1), b, off, len)) {
                return p;
            }
        }
    }

    /** The index of the field's entry, or -1. */
    int find(byte[] b, int off, int len) {
        int p = findSlot(b, off, len, hash(b, off, len));
        return p < 0 ? -1 : (slot(p) & slotMask) - 1;
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
        int h = hash(fb, fo, fl);
        int p = findSlot(fb, fo, fl, h);
        if (p >= 0) {
            int i = (slot(p) & slotMask) - 1;
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
        if ((size + 1L) * 4 > 3L << slotBits) {
            if (slotBits == MAX_SLOT_BITS) {
                throw new IllegalStateException("hash too large");
            }
            rehash(slotBits + 1);
            p = findSlot(fb, fo, fl, h);
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
        setSlot(~p, (h & ~slotMask) | (size + 1));
        size++;
        entryBytes += heapSize(e);
        return true;
    }

    boolean put(byte[] field, byte[] value) {
        return put(field, 0, field.length, value, 0, value.length);
    }

    boolean remove(byte[] field) {
        int p = findSlot(field, 0, field.length, hash(field, 0, field.length));
        if (p < 0) {
            return false;
        }
        removeEntry(p, (slot(p) & slotMask) - 1);
        return true;
    }

    /** Removes entry {@code i}; the last entry moves into its slot (index {@code size() - 1} becomes {@code i}). */
    void removeAt(int i) {
        removeEntry(slotOfEntry(i, entryHash(entryAt(i))), i);
    }

    private void removeEntry(int p, int i) {
        entryBytes -= heapSize(entryAt(i));
        clearSlot(p);
        int last = --size;
        if (i != last) {
            byte[] moved = entryAt(last);
            int q = slotOfEntry(last, entryHash(moved));
            setSlot(q, (slot(q) & ~slotMask) | (i + 1));
            setEntry(i, moved);
        }
        setEntry(last, null);
        shrinkIfSparse();
    }

    /** The slot of entry {@code i}, whose field's hash is {@code h}. */
    private int slotOfEntry(int i, int h) {
        int mask = slotMask;
        int p = h & mask;
        while ((slot(p) & mask) != i + 1) {
            p = (p + 1) & mask;
        }
        return p;
    }

    /**
     * Empties slot {@code hole} and closes the gap (Knuth's algorithm R): each later slot of the run moves back
     * into the hole unless its home lies cyclically after the hole, so every field stays reachable from its home.
     */
    private void clearSlot(int hole) {
        int mask = slotMask;
        for (int j = (hole + 1) & mask, v; (v = slot(j)) != 0; j = (j + 1) & mask) {
            int home = entryHash(entryAt((v & mask) - 1)) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                setSlot(hole, v);
                hole = j;
            }
        }
        setSlot(hole, 0);
    }

    /** Below 1/8 fill the slots halve (at least), as Redis's htNeedsResize would on the next cron; the entries follow. */
    private void shrinkIfSparse() {
        if (slotBits > MIN_SLOT_BITS && size * 8L < 1L << slotBits) {
            rehash(slotBitsFor(size));
        }
        if (capacity > MIN_CAPACITY && size * 4L < capacity) {
            resizeEntries(Math.max(MIN_CAPACITY, size * 2));
        }
    }

    private void resizeEntries(int n) {
        entries = Pages.resize(entries, n);
        capacity = Pages.capacity(entries);
    }

    private void rehash(int bits) {
        setSlotBits(bits);
        int mask = slotMask;
        for (int i = 0; i < size; i++) {
            int h = entryHash(entryAt(i));
            int p = h & mask;
            while (slot(p) != 0) {
                p = (p + 1) & mask;
            }
            setSlot(p, (h & ~mask) | (i + 1));
        }
    }

    private void setSlotBits(int bits) {
        slots = Pages.ints(1 << bits);
        slotBits = bits;
        slotMask = (1 << bits) - 1;
    }

    /** The fewest slot bits whose table holds {@code n} entries within three quarters. */
    private static int slotBitsFor(long n) {
        int bits = MIN_SLOT_BITS;
        while (bits < MAX_SLOT_BITS && n * 4 > 3L << bits) {
            bits++;
        }
        return bits;
    }

    // ---- iteration ----

    /** Visits every entry (dense order). */
    void forEach(HashValue.Visitor v) {
        for (int i = 0; i < size; i++) {
            visit(i, v);
        }
    }

    /** Visits the fields whose home is the cursor's slot and returns the next cursor (Redis's reverse-binary increment). */
    long scan(long cursor, HashValue.Visitor v) {
        int mask = slotMask;
        int home = (int) (cursor & mask);
        for (int p = home, s; (s = slot(p)) != 0; p = (p + 1) & mask) {
            int i = (s & mask) - 1;
            if ((entryHash(entryAt(i)) & mask) == home) {
                visit(i, v);
            }
        }
        cursor |= ~(long) mask;
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
        t.slots = Pages.copy(slots);
        t.slotBits = slotBits;
        t.slotMask = slotMask;
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
