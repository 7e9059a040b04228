package io.cinnabar.datatypes.sets;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The hashtable encoding of a set: chained buckets over dense entry arrays. Entries stay dense (a removal
 * moves the last entry into the hole) so a random member is one uniform index; buckets are a power of two so
 * SSCAN can walk them with Redis's reverse-binary cursor, which visits every member present for the whole
 * scan at least once even when the table grows or shrinks between calls.
 *
 * <p>The index costs 8 bytes per entry (the member reference and the chain link) plus 4 per bucket: hashes
 * are not cached but computed again when an entry moves or the buckets are resized, and the entry arrays
 * grow by half, so a large set carries about a quarter of spare entries on average rather than half.
 */
final class MemberTable {
    private static final int MIN_BUCKETS = 4;
    private static final int MIN_ENTRIES = 4;
    /** Entries and buckets live in pages of 4096 slots (16 KB), a large table in many small arrays. */
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE - 1;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Entry i: its member and the next entry of its bucket's chain (-1 ends it). */
    private byte[][][] members;
    private int[][] next;
    /** The first entry of each bucket's chain (-1: empty); a power of two of buckets. */
    private int[][] heads;
    private int buckets;
    /** Entry slots allocated: page 0 grows by half up to a full page, then whole pages are added. */
    private int capacity;
    private int size;
    /** The heap of the members' own arrays, kept as they come and go so MEMORY USAGE walks nothing. */
    private long memberBytes;

    MemberTable(int expected) {
        members = new byte[1][][];
        next = new int[1][];
        allocateEntries(Math.max(MIN_ENTRIES, expected));
        buckets = bucketsFor(expected);
        heads = newHeads(buckets);
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
        if (find(m, h) >= 0) {
            return false;
        }
        if (size == capacity) {
            allocateEntries(size < PAGE ? Math.min(PAGE, size + (size >> 1) + 1) : size + PAGE);
        }
        if (size + 1 > buckets) {
            rehash(buckets * 2);
        }
        int b = h & (buckets - 1);
        members[size >>> PAGE_SHIFT][size & PAGE_MASK] = m;
        memberBytes += align(16 + m.length);
        setNext(size, head(b));
        setHead(b, size);
        size++;
        return true;
    }

    boolean remove(byte[] m) {
        int h = hash(m);
        int i = find(m, h);
        if (i < 0) {
            return false;
        }
        removeAt(i, h);
        return true;
    }

    /** Removes entry {@code i}; the last entry takes its index. */
    void removeAt(int i) {
        removeAt(i, hash(at(i)));
    }

    private void removeAt(int i, int h) {
        int mask = buckets - 1;
        unlink(i, h & mask);
        memberBytes -= align(16 + at(i).length);
        int last = size - 1;
        byte[] moved = at(last);
        if (i != last) {
            int b = hash(moved) & mask;
            unlink(last, b);
            members[i >>> PAGE_SHIFT][i & PAGE_MASK] = moved;
            setNext(i, head(b));
            setHead(b, i);
        }
        members[last >>> PAGE_SHIFT][last & PAGE_MASK] = null;
        size--;
        // as Redis's dict, shrink when under a tenth full; the entries give back what they no longer need
        if (buckets > MIN_BUCKETS && size * 10 < buckets) {
            rehash(bucketsFor(size));
        }
        releaseEntries();
    }

    /**
     * One step of Redis's {@code dictScan}: visits the chain of bucket {@code cursor & mask} and returns the
     * next cursor in reverse-binary order (0 when the walk is complete).
     */
    long scan(long cursor, Consumer<byte[]> visitor) {
        long mask = buckets - 1;
        for (int i = head((int) (cursor & mask)); i >= 0; i = next(i)) {
            visitor.accept(at(i));
        }
        cursor |= ~mask;
        cursor = Long.reverse(cursor);
        cursor++;
        return Long.reverse(cursor);
    }

    /** The heap this table holds (compressed references: 4 bytes a slot, 16-byte array headers, 8-byte alignment). */
    long memoryUsage() {
        long bytes = 32 + 2 * align(16 + members.length * 4L) + align(16 + heads.length * 4L);
        for (int[] page : heads) {
            bytes += align(16 + page.length * 4L);
        }
        for (int p = 0; p < members.length && members[p] != null; p++) {
            bytes += 2 * align(16 + members[p].length * 4L);
        }
        return bytes + memberBytes;
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    private int find(byte[] m, int h) {
        for (int i = head(h & (buckets - 1)); i >= 0; i = next(i)) {
            if (Arrays.equals(at(i), m)) {
                return i;
            }
        }
        return -1;
    }

    private void unlink(int i, int b) {
        int p = head(b);
        if (p == i) {
            setHead(b, next(i));
            return;
        }
        while (next(p) != i) {
            p = next(p);
        }
        setNext(p, next(i));
    }

    private int next(int i) {
        return next[i >>> PAGE_SHIFT][i & PAGE_MASK];
    }

    private void setNext(int i, int v) {
        next[i >>> PAGE_SHIFT][i & PAGE_MASK] = v;
    }

    private int head(int b) {
        return heads[b >>> PAGE_SHIFT][b & PAGE_MASK];
    }

    private void setHead(int b, int v) {
        heads[b >>> PAGE_SHIFT][b & PAGE_MASK] = v;
    }

    /** Grows the entry slots to {@code cap}: page 0 up to a full page, then whole pages. */
    private void allocateEntries(int cap) {
        if (cap <= PAGE) {
            members[0] = members[0] == null ? new byte[cap][] : Arrays.copyOf(members[0], cap);
            next[0] = next[0] == null ? new int[cap] : Arrays.copyOf(next[0], cap);
            capacity = cap;
            return;
        }
        if (capacity < PAGE) {
            allocateEntries(PAGE);
        }
        int pages = (cap + PAGE_MASK) >>> PAGE_SHIFT;
        if (pages > members.length) {
            int n = Math.max(pages, members.length * 2);
            members = Arrays.copyOf(members, n);
            next = Arrays.copyOf(next, n);
        }
        for (int p = capacity >>> PAGE_SHIFT; p < pages; p++) {
            members[p] = new byte[PAGE][];
            next[p] = new int[PAGE];
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
            next[0] = Arrays.copyOf(next[0], cap);
            for (int p = 1; p < members.length; p++) {
                members[p] = null;
                next[p] = null;
            }
            capacity = cap;
        } else if (capacity > PAGE) {
            int keep = ((size - 1) >>> PAGE_SHIFT) + 2;
            if ((capacity >>> PAGE_SHIFT) > keep) {
                for (int p = keep; p < members.length; p++) {
                    members[p] = null;
                    next[p] = null;
                }
                capacity = keep << PAGE_SHIFT;
            }
        }
    }

    private void rehash(int n) {
        heads = newHeads(n);
        buckets = n;
        int mask = n - 1;
        for (int i = 0; i < size; i++) {
            int b = hash(at(i)) & mask;
            setNext(i, head(b));
            setHead(b, i);
        }
    }

    private static int bucketsFor(int n) {
        int b = MIN_BUCKETS;
        while (b < n) {
            b <<= 1;
        }
        return b;
    }

    private static int[][] newHeads(int n) {
        int pages = Math.max(1, n >>> PAGE_SHIFT);
        int[][] h = new int[pages][];
        for (int p = 0; p < pages; p++) {
            h[p] = new int[Math.min(n, PAGE)];
            Arrays.fill(h[p], -1);
        }
        return h;
    }

    /** A multiply-rotate hash over 8 bytes at a time, finished so the low bits (the bucket) depend on all input. */
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
