package io.cinnabar.datatypes.zset;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Redis's zskiplist (t_zset.c): nodes ordered by (score, member bytes unsigned), each level link carrying the
 * span it crosses so a rank is found in O(log n). Members are looked up by the {@link ZSet}'s hash map.
 */
final class ZSkiplist {
    static final int MAX_LEVEL = 32;
    private static final int P_NUMERATOR = 1; // ZSKIPLIST_P = 0.25
    private static final int P_DENOMINATOR = 4;

    static final class Node {
        final byte[] member;
        double score;
        Node backward;
        /** The next node of the same {@link MemberTable} bucket, and this member's hash there. */
        Node hashNext;
        int hash;
        final Node[] forward;
        final long[] span;

        Node(int level, double score, byte[] member) {
            this.member = member;
            this.score = score;
            this.forward = new Node[level];
            this.span = new long[level];
        }
    }

    /** What a monotone bound says of an element: true while the element lies before the bound. */
    interface Before {
        boolean test(double score, byte[] member);
    }

    private final Node header = new Node(MAX_LEVEL, 0, null);
    private Node tail;
    private int length;
    private int level = 1;
    /** Scratch for insert and delete (one command runs at a time), so they allocate nothing but the node. */
    private final Node[] update = new Node[MAX_LEVEL];
    private final long[] rank = new long[MAX_LEVEL];
    /** After {@link #countBefore}: the first node not before the bound, or null. */
    private Node boundNode;

    int length() {
        return length;
    }

    Node first() {
        return header.forward[0];
    }

    Node last() {
        return tail;
    }

    static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        int c = Double.compare(s1, s2);
        if (s1 == s2) {
            c = 0; // -0.0 and 0.0 are the same score
        }
        return c != 0 ? c : Arrays.compareUnsigned(m1, m2);
    }

    private static int randomLevel() {
        int lvl = 1;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (lvl < MAX_LEVEL && r.nextInt(P_DENOMINATOR) < P_NUMERATOR) {
            lvl++;
        }
        return lvl;
    }

    /** Inserts a member known to be absent. */
    Node insert(double score, byte[] member) {
        return link(new Node(randomLevel(), score, member));
    }

    /**
     * t_zset.c zslUpdateScore: a node whose new score keeps its place is updated in place; otherwise it is
     * unlinked and linked again at its new place (the same node, so the member's hash entry stays valid).
     */
    void updateScore(Node x, double newScore) {
        if ((x.backward == null || x.backward.score < newScore)
                && (x.forward[0] == null || x.forward[0].score > newScore)) {
            x.score = newScore;
            return;
        }
        delete(x.score, x.member);
        x.score = newScore;
        link(x);
    }

    /** Links node {@code x} (its level is its array length) at the place of its score and member. */
    private Node link(Node x) {
        double score = x.score;
        byte[] member = x.member;
        Node[] update = this.update;
        long[] rank = this.rank;
        Node n = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (n.forward[i] != null && compare(n.forward[i].score, n.forward[i].member, score, member) < 0) {
                rank[i] += n.span[i];
                n = n.forward[i];
            }
            update[i] = n;
        }
        int lvl = x.forward.length;
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                update[i].span[i] = length;
            }
            level = lvl;
        }
        for (int i = 0; i < lvl; i++) {
            x.forward[i] = update[i].forward[i];
            update[i].forward[i] = x;
            x.span[i] = update[i].span[i] - (rank[0] - rank[i]);
            update[i].span[i] = (rank[0] - rank[i]) + 1;
        }
        for (int i = lvl; i < level; i++) {
            update[i].span[i]++;
        }
        x.backward = update[0] == header ? null : update[0];
        if (x.forward[0] != null) {
            x.forward[0].backward = x;
        } else {
            tail = x;
        }
        length++;
        return x;
    }

    /** Removes the element (score, member); false when absent. */
    boolean delete(double score, byte[] member) {
        Node[] update = this.update;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && compare(x.forward[i].score, x.forward[i].member, score, member) < 0) {
                x = x.forward[i];
            }
            update[i] = x;
        }
        x = x.forward[0];
        if (x == null || compare(x.score, x.member, score, member) != 0) {
            return false;
        }
        for (int i = 0; i < level; i++) {
            if (update[i].forward[i] == x) {
                update[i].span[i] += x.span[i] - 1;
                update[i].forward[i] = x.forward[i];
            } else {
                update[i].span[i] -= 1;
            }
        }
        if (x.forward[0] != null) {
            x.forward[0].backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && header.forward[level - 1] == null) {
            level--;
        }
        length--;
        return true;
    }

    /** How many elements lie before the bound (the bound must split the order in a prefix and the rest). */
    int countBefore(Before bound) {
        Node x = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && bound.test(x.forward[i].score, x.forward[i].member)) {
                traversed += x.span[i];
                x = x.forward[i];
            }
        }
        boundNode = x.forward[0];
        return (int) traversed;
    }

    /** The first node not before the bound of the last {@link #countBefore}, or null past the end. */
    Node boundNode() {
        return boundNode;
    }

    /** The node at 0-based {@code rank}. */
    Node nodeAt(int rank) {
        long target = rank + 1L;
        Node x = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && traversed + x.span[i] <= target) {
                traversed += x.span[i];
                x = x.forward[i];
            }
            if (traversed == target) {
                return x;
            }
        }
        throw new IndexOutOfBoundsException(rank);
    }
}
