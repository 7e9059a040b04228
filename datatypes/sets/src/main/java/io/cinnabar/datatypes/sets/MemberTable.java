package io.cinnabar.datatypes.sets;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The hashtable encoding of a set: dense entry arrays indexed by an open-addressing table of int slots.
 * Entries stay dense (a removal moves the last entry into the hole) so a random member is one uniform index.
 *
 * <p>A slot holds the entry's index + 1 in its low {@code slotBits} bits (0: empty) and the high bits of the
 * member's hash above them, so a probe rejects another member without loading its bytes: a lookup that finds
 * its member reads one slot, one entry reference and the member, where a chain would also read the link and
 * the bytes of every member before it. Collisions probe linearly and a removal shifts the run after it back
 * (no tombstones). The table holds at most three quarters of its slots, so an index + 1 always fits below the
 * slot bits; it grows by doubling past that and halves (at least) under a tenth full, as Redis's dict.
 *
 * <p>A member's home slot is its hash's low bits, as a bucket of Redis's dict, and it lies in the run of
 * occupied slots from its home on: SSCAN walks homes with Redis's reverse-binary cursor and visits every
 * member present for the whole scan at least once even when the table grows or shrinks between calls.
 *
 * <p>Hashes are not kept: they are computed again when an entry moves, a run shifts, the table is resized or
 * scanned. The index costs 4 bytes per entry reference and 4 per slot (1.33 to 2.67 slots per entry); the
 * entry arrays grow by half, then by pages, so a large set carries little spare.
 */
final class MemberTable {
    private static final int MIN_SLOT_BITS = 3;
    /** The largest table: 2^30 slots hold 805 million members, more than a heap of Java arrays holds in practice. */
    private static final int MAX_SLOT_BITS = 30;
    private static final int MIN_ENTRIES = 4;
    /** Entries and slots live in pages of 4096 (16 KB), a large table in many small arrays. */
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE - 1;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Entry i's member, i in [0, size). */
    private byte[][][] members;
    /** Slot p: 0 when empty, else (the member's hash without its low slotBits) | (entry index + 1). */
    private int[][] slots;
    private int slotBits;
    /** (1 << slotBits) - 1: a hash's home slot, and a slot's index bits. */
    private int slotMask;
    /** Entry slots allocated: page 0 grows by half up to a full page, then whole pages are added. */
    private int capacity;
    private int size;
    /** The heap of the members' own arrays, kept as they come and go so MEMORY USAGE walks nothing. */
    private long memberBytes;

    MemberTable(int expected) {
        members = new byte[1][][];
        allocateEntries(Math.max(MIN_ENTRIES, expected));
        setSlotBits(slotBitsFor(expected));
    }

    int size() {
        return size;
    }

    byte[] at(int i) {
        return members[i >>> PAGE_SHIFT][i & PAGE_MASK];
    }

    boolean contains(byte[] m) {
        return find(m, hash(m)) >= 0;
    }

    boolean add(byte[] m) {
        int h = hash(m);
        int p = find(m, h);
        if (p >= 0) {
            return false;
        }
        if (size == capacity) {
            allocateEntries(size < PAGE ? Math.min(PAGE, size + (size >> 1) + 1) : size + PAGE);
        }
        if ((size + 1L) * 4 > 3L << slotBits) {
            if (slotBits == MAX_SLOT_BITS) {
                throw new IllegalStateException("set too large");
            }
            rehash(slotBits + 1);
            p = find(m, h);
        }
        members[size >>> PAGE_SHIFT][size & PAGE_MASK] = m;
        memberBytes += align(16 + m.length);
        setSlot(~p, (h & ~slotMask) | (size + 1));
        size++;
        return true;
    }

    boolean remove(byte[] m) {
        int p = find(m, hash(m));
        if (p < 0) {
            return false;
        }
        removeEntry(p, slot(p) & slotMask);
        return true;
    }

    /** Removes entry {@code i}; the last entry takes its index. */
    void removeAt(int i) {
        removeEntry(slotOfEntry(i, hash(at(i))), i + 1);
    }

    /** Removes the entry of index {@code link - 1}, whose slot is {@code p}. */
    private void removeEntry(int p, int link) {
        int i = link - 1;
        memberBytes -= align(16 + at(i).length);
        clearSlot(p);
        int last = size - 1;
        if (i != last) {
            byte[] moved = at(last);
            int q = slotOfEntry(last, hash(moved));
            setSlot(q, (slot(q) & ~slotMask) | link);
            members[i >>> PAGE_SHIFT][i & PAGE_MASK] = moved;
        }
        members[last >>> PAGE_SHIFT][last & PAGE_MASK] = null;
        size--;
        // as Redis's dict, shrink when under a tenth full; the entries give back what they no longer need
        if (slotBits > MIN_SLOT_BITS && size * 10L < 1L << slotBits) {
            rehash(slotBitsFor(size));
        }
        releaseEntries();
    }

    /**
     * One step of Redis's {@code dictScan}: visits the members whose home is slot {@code cursor & mask} and
     * returns the next cursor in reverse-binary order (0 when the walk is complete).
     */
    long scan(long cursor, Consumer<byte[]> visitor) {
        int mask = slotMask;
        int home = (int) (cursor & mask);
        for (int p = home, v; (v = slot(p)) != 0; p = (p + 1) & mask) {
            byte[] m = at((v & mask) - 1);
            if ((hash(m) & mask) == home) {
                visitor.accept(m);
            }
        }
        cursor |= ~(long) mask;
        cursor = Long.reverse(cursor);
        cursor++;
        return Long.reverse(cursor);
    }

    /** The heap this table holds (compressed references: 4 bytes a slot, 16-byte array headers, 8-byte alignment). */
    long memoryUsage() {
        long bytes = 32 + align(16 + members.length * 4L) + align(16 + slots.length * 4L);
        for (int[] page : slots) {
            bytes += align(16 + page.length * 4L);
        }
        for (int p = 0; p < members.length && members[p] != null; p++) {
            bytes += align(16 + members[p].length * 4L);
        }
        return bytes + memberBytes;
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    /** The slot holding {@code m} (whose hash is {@code h}), or {@code ~p} for the empty slot p ending its run. */
    private int find(byte[] m, int h) {
        int mask = slotMask;
        int tag = h & ~mask;
        for (int p = h & mask; ; p = (p + 1) & mask) {
            int v = slot(p);
            if (v == 0) {
                return ~p;
            }
            if ((v & ~mask) == tag && Arrays.equals(at((v & mask) - 1), m)) {
                return p;
            }
        }
    }

    /** The slot of entry {@code i}, whose member's hash is {@code h}. */
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
     * into the hole unless its home lies cyclically after the hole, so every member stays reachable from its home.
     */
    private void clearSlot(int hole) {
        int mask = slotMask;
        for (int j = (hole + 1) & mask, v; (v = slot(j)) != 0; j = (j + 1) & mask) {
            int home = hash(at((v & mask) - 1)) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                setSlot(hole, v);
                hole = j;
            }
        }
        setSlot(hole, 0);
    }

    private int slot(int p) {
        return slots[p >>> PAGE_SHIFT][p & PAGE_MASK];
    }

    private void setSlot(int p, int v) {
        slots[p >>> PAGE_SHIFT][p & PAGE_MASK] = v;
    }

    /** Grows the entry slots to {@code cap}: page 0 up to a full page, then whole pages. */
    private void allocateEntries(int cap) {
        if (cap <= PAGE) {
            members[0] = members[0] == null ? new byte[cap][] : Arrays.copyOf(members[0], cap);
            capacity = cap;
            return;
        }
        if (capacity < PAGE) {
            allocateEntries(PAGE);
        }
        int pages = (cap + PAGE_MASK) >>> PAGE_SHIFT;
        if (pages > members.length) {
            members = Arrays.copyOf(members, Math.max(pages, members.length * 2));
        }
        for (int p = capacity >>> PAGE_SHIFT; p < pages; p++) {
            members[p] = new byte[PAGE][];
        }
        capacity = pages << PAGE_SHIFT;
    }

    /**
     * Gives back entry slots no longer needed: a table under a quarter full that fits in half a page goes
     * back to one page of twice its size; a larger one keeps one spare page past the last in use.
     */
    private void releaseEntries() {
        if (capacity > MIN_ENTRIES && size * 4 < capacity && size * 2 <= PAGE) {
            int cap = Math.max(MIN_ENTRIES, size * 2);
            members[0] = Arrays.copyOf(members[0], cap);
            for (int p = 1; p < members.length; p++) {
                members[p] = null;
            }
            capacity = cap;
        } else if (capacity > PAGE) {
            int keep = ((size - 1) >>> PAGE_SHIFT) + 2;
            if ((capacity >>> PAGE_SHIFT) > keep) {
                for (int p = keep; p < members.length; p++) {
                    members[p] = null;
                }
                capacity = keep << PAGE_SHIFT;
            }
        }
    }

    private void rehash(int bits) {
        setSlotBits(bits);
        int mask = slotMask;
        for (int i = 0; i < size; i++) {
            int h = hash(at(i));
            int p = h & mask;
            while (slot(p) != 0) {
                p = (p + 1) & mask;
            }
            setSlot(p, (h & ~mask) | (i + 1));
        }
    }

    private void setSlotBits(int bits) {
        int n = 1 << bits;
        int[][] s = new int[Math.max(1, n >>> PAGE_SHIFT)][];
        for (int p = 0; p < s.length; p++) {
            s[p] = new int[Math.min(n, PAGE)];
        }
        slots = s;
        slotBits = bits;
        slotMask = n - 1;
    }

    /** The fewest slot bits whose table holds {@code n} entries within three quarters. */
    private static int slotBitsFor(long n) {
        int bits = MIN_SLOT_BITS;
        while (bits < MAX_SLOT_BITS && n * 4 > 3L << bits) {
            bits++;
        }
        return bits;
    }

    /** A multiply-rotate hash over 8 bytes at a time, finished so every bit (home and tag) depends on all input. */
    static int hash(byte[] m) {
        long h = 0x9E3779B97F4A7C15L ^ m.length;
        int i = 0;
        for (int end = m.length - 7; i < end; i += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(m, i) * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        long tail = 0;
        for (int s = 0; i < m.length; i++, s += 8) {
            tail |= (m[i] & 0xFFL) << s;
        }
        h ^= tail * 0x165667B19E3779F9L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }
}
