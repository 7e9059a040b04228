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

    private ZSkiplist.Node[] buckets = new ZSkiplist.Node[MIN_SIZE];
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
        for (ZSkiplist.Node n = buckets[h & (buckets.length - 1)]; n != null; n = n.hashNext) {
            if (n.hash == h && Arrays.equals(n.member, member)) {
                return n;
            }
        }
        return null;
    }

    /** Adds a node whose member is absent. */
    void put(ZSkiplist.Node node) {
        if (count >= buckets.length) {
            resize(buckets.length * 2);
        }
        node.hash = hash(node.member);
        int i = node.hash & (buckets.length - 1);
        node.hashNext = buckets[i];
        buckets[i] = node;
        count++;
    }

    /** Unlinks and returns the member's node, or null. */
    ZSkiplist.Node remove(byte[] member) {
        int h = hash(member);
        int i = h & (buckets.length - 1);
        ZSkiplist.Node prev = null;
        for (ZSkiplist.Node n = buckets[i]; n != null; prev = n, n = n.hashNext) {
            if (n.hash == h && Arrays.equals(n.member, member)) {
                if (prev == null) {
                    buckets[i] = n.hashNext;
                } else {
                    prev.hashNext = n.hashNext;
                }
                n.hashNext = null;
                count--;
                if (buckets.length > MIN_SIZE && count * 8 < buckets.length) {
                    resize(buckets.length / 2);
                }
                return n;
            }
        }
        return null;
    }

    private void resize(int size) {
        ZSkiplist.Node[] old = buckets;
        buckets = new ZSkiplist.Node[size];
        for (ZSkiplist.Node head : old) {
            for (ZSkiplist.Node n = head; n != null; ) {
                ZSkiplist.Node next = n.hashNext;
                int i = n.hash & (size - 1);
                n.hashNext = buckets[i];
                buckets[i] = n;
                n = next;
            }
        }
    }

    interface Visitor {
        void visit(ZSkiplist.Node node);
    }

    /** Visits one bucket and returns the next cursor (0 when the iteration is complete). */
    long scan(long cursor, Visitor visitor) {
        long mask = buckets.length - 1;
        for (ZSkiplist.Node n = buckets[(int) (cursor & mask)]; n != null; n = n.hashNext) {
            visitor.visit(n);
        }
        cursor |= ~mask; // increment the reversed cursor over the unmasked bits
        cursor = Long.reverse(cursor);
        cursor++;
        return Long.reverse(cursor);
    }
}
