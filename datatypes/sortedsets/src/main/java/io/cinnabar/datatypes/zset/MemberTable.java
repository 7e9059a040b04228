package io.cinnabar.datatypes.zset;

import java.util.Arrays;

/**
 * The member-to-node index of a skiplist-encoded sorted set (Redis's zset dict): a chained hash table of
 * power-of-two size whose chains run through {@link ZSkiplist.Node#hashNext}, so lookups allocate nothing.
 * {@link #scan} is Redis's dictScan over one table: a reverse-binary cursor that visits every member present
 * for the whole iteration at least once even when the table grows or shrinks between calls.
 */
final class MemberTable {
    private static final int MIN_SIZE = 4;
    /** Buckets live in pages of 4096 (16 KB), so a large table is many small arrays rather than one huge one. */
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE - 1;

    private ZSkiplist.Node[][] buckets = newBuckets(MIN_SIZE);
    private int size = MIN_SIZE;
    private int count;

    static int hash(byte[] member) {
        int h = Arrays.hashCode(member);
        h ^= h >>> 16; // spread the high bits into the low ones the mask keeps
        h *= 0x85ebca6b;
        return h ^ (h >>> 13);
    }

    int size() {
        return count;
    }

    ZSkiplist.Node get(byte[] member) {
        int h = hash(member);
        for (ZSkiplist.Node n = bucket(h & (size - 1)); n != null; n = n.hashNext) {
            if (n.hash == h && Arrays.equals(n.member, member)) {
                return n;
            }
        }
        return null;
    }

    /** Adds a node whose member is absent. */
    void put(ZSkiplist.Node node) {
        if (count >= size) {
            resize(size * 2);
        }
        node.hash = hash(node.member);
        int i = node.hash & (size - 1);
        node.hashNext = bucket(i);
        setBucket(i, node);
        count++;
    }

    /** Unlinks and returns the member's node, or null. */
    ZSkiplist.Node remove(byte[] member) {
        int h = hash(member);
        int i = h & (size - 1);
        ZSkiplist.Node prev = null;
        for (ZSkiplist.Node n = bucket(i); n != null; prev = n, n = n.hashNext) {
            if (n.hash == h && Arrays.equals(n.member, member)) {
                if (prev == null) {
                    setBucket(i, n.hashNext);
                } else {
                    prev.hashNext = n.hashNext;
                }
                n.hashNext = null;
                count--;
                if (size > MIN_SIZE && count * 8 < size) {
                    resize(size / 2);
                }
                return n;
            }
        }
        return null;
    }

    /** The heap of the bucket pages (4-byte references, 16-byte array headers). */
    long memoryUsage() {
        return 16 + buckets.length * 4L + buckets.length * (16L + buckets[0].length * 4L);
    }

    private ZSkiplist.Node bucket(int i) {
        return buckets[i >>> PAGE_SHIFT][i & PAGE_MASK];
    }

    private void setBucket(int i, ZSkiplist.Node n) {
        buckets[i >>> PAGE_SHIFT][i & PAGE_MASK] = n;
    }

    private static ZSkiplist.Node[][] newBuckets(int n) {
        ZSkiplist.Node[][] b = new ZSkiplist.Node[Math.max(1, n >>> PAGE_SHIFT)][];
        for (int p = 0; p < b.length; p++) {
            b[p] = new ZSkiplist.Node[Math.min(n, PAGE)];
        }
        return b;
    }

    private void resize(int n) {
        ZSkiplist.Node[][] old = buckets;
        buckets = newBuckets(n);
        size = n;
        for (ZSkiplist.Node[] page : old) {
            for (ZSkiplist.Node head : page) {
                for (ZSkiplist.Node x = head; x != null; ) {
                    ZSkiplist.Node next = x.hashNext;
                    int i = x.hash & (n - 1);
                    x.hashNext = bucket(i);
                    setBucket(i, x);
                    x = next;
                }
            }
        }
    }

    interface Visitor {
        void visit(ZSkiplist.Node node);
    }

    /** Visits one bucket and returns the next cursor (0 when the iteration is complete). */
    long scan(long cursor, Visitor visitor) {
        long mask = size - 1;
        for (ZSkiplist.Node n = bucket((int) (cursor & mask)); n != null; n = n.hashNext) {
            visitor.visit(n);
        }
        cursor |= ~mask; // increment the reversed cursor over the unmasked bits
        cursor = Long.reverse(cursor);
        cursor++;
        return Long.reverse(cursor);
    }
}
