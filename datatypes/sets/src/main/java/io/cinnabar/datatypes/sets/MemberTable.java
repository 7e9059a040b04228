package io.cinnabar.datatypes.sets;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The hashtable encoding of a set: chained buckets over dense entry arrays. Entries stay dense (a removal
 * moves the last entry into the hole) so a random member is one uniform index; buckets are a power of two so
 * SSCAN can walk them with Redis's reverse-binary cursor, which visits every member present for the whole
 * scan at least once even when the table grows or shrinks between calls.
 */
final class MemberTable {
    private static final int MIN_BUCKETS = 4;

    private byte[][] members;
    private int[] hashes;
    private int[] next;
    private int[] heads;
    private int size;

    MemberTable(int expected) {
        int cap = Math.max(MIN_BUCKETS, expected);
        members = new byte[cap][];
        hashes = new int[cap];
        next = new int[cap];
        heads = newHeads(bucketsFor(cap));
    }

    int size() {
        return size;
    }

    byte[] at(int i) {
        return members[i];
    }

    boolean contains(byte[] m) {
        return find(m, hash(m)) >= 0;
    }

    boolean add(byte[] m) {
        int h = hash(m);
        if (find(m, h) >= 0) {
            return false;
        }
        if (size == members.length) {
            int cap = size * 2;
            members = Arrays.copyOf(members, cap);
            hashes = Arrays.copyOf(hashes, cap);
            next = Arrays.copyOf(next, cap);
        }
        members[size] = m;
        hashes[size] = h;
        int b = h & (heads.length - 1);
        next[size] = heads[b];
        heads[b] = size;
        size++;
        if (size > heads.length) {
            rehash(heads.length * 2);
        }
        return true;
    }

    boolean remove(byte[] m) {
        int i = find(m, hash(m));
        if (i < 0) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /** Removes entry {@code i}; the last entry takes its index. */
    void removeAt(int i) {
        unlink(i);
        int last = size - 1;
        if (i != last) {
            unlink(last);
            members[i] = members[last];
            hashes[i] = hashes[last];
            int b = hashes[i] & (heads.length - 1);
            next[i] = heads[b];
            heads[b] = i;
        }
        members[last] = null;
        size--;
        // as Redis's dict, shrink when under a tenth full
        if (heads.length > MIN_BUCKETS && size * 10 < heads.length) {
            rehash(bucketsFor(size));
        }
    }

    /**
     * One step of Redis's {@code dictScan}: visits the chain of bucket {@code cursor & mask} and returns the
     * next cursor in reverse-binary order (0 when the walk is complete).
     */
    long scan(long cursor, Consumer<byte[]> visitor) {
        long mask = heads.length - 1;
        for (int i = heads[(int) (cursor & mask)]; i >= 0; i = next[i]) {
            visitor.accept(members[i]);
        }
        cursor |= ~mask;
        cursor = Long.reverse(cursor);
        cursor++;
        return Long.reverse(cursor);
    }

    long memoryUsage() {
        long bytes = 64 + members.length * 16L + heads.length * 4L;
        for (int i = 0; i < size; i++) {
            bytes += 16 + members[i].length;
        }
        return bytes;
    }

    private int find(byte[] m, int h) {
        for (int i = heads[h & (heads.length - 1)]; i >= 0; i = next[i]) {
            if (hashes[i] == h && Arrays.equals(members[i], m)) {
                return i;
            }
        }
        return -1;
    }

    private void unlink(int i) {
        int b = hashes[i] & (heads.length - 1);
        if (heads[b] == i) {
            heads[b] = next[i];
            return;
        }
        int p = heads[b];
        while (next[p] != i) {
            p = next[p];
        }
        next[p] = next[i];
    }

    private void rehash(int buckets) {
        heads = newHeads(buckets);
        for (int i = 0; i < size; i++) {
            int b = hashes[i] & (buckets - 1);
            next[i] = heads[b];
            heads[b] = i;
        }
    }

    private static int bucketsFor(int n) {
        int b = MIN_BUCKETS;
        while (b < n) {
            b <<= 1;
        }
        return b;
    }

    private static int[] newHeads(int n) {
        int[] h = new int[n];
        Arrays.fill(h, -1);
        return h;
    }

    private static int hash(byte[] m) {
        int h = 0x811c9dc5;
        for (byte b : m) {
            h = (h ^ b) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        return h ^ (h >>> 13);
    }
}
