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

    /**
     * An element with one level, as three nodes in four are: its level-0 link ({@link #next}) is a field, and
     * a level-0 link always spans one element (t_zset.c keeps that 1 in every node; here it is implied).
     */
    static class Node {
        final byte[] member;
        double score;
        Node backward;
        /** The level-0 forward link: the next element in order. */
        Node next;
        /** The next node of the same {@link MemberTable} bucket, and this member's hash there. */
        Node hashNext;
        int hash;

        Node(double score, byte[] member) {
            this.member = member;
            this.score = score;
        }
    }

    /** A node of two levels or more: the links of levels 1 and up, with the span each crosses. */
    static final class TallNode extends Node {
        final Node[] up;
        final int[] span;

        TallNode(int level, double score, byte[] member) {
            super(score, member);
            up = new Node[level - 1];
            span = new int[level - 1];
        }
    }

    private static Node newNode(int level, double score, byte[] member) {
        return level == 1 ? new Node(score, member) : new TallNode(level, score, member);
    }

    private static int levelOf(Node x) {
        return x instanceof TallNode t ? t.up.length + 1 : 1;
    }

    /** {@code x}'s level-{@code i} link ({@code x} has more than {@code i} levels). */
    private static Node forward(Node x, int i) {
        return i == 0 ? x.next : ((TallNode) x).up[i - 1];
    }

    private static void setForward(Node x, int i, Node to) {
        if (i == 0) {
            x.next = to;
        } else {
            ((TallNode) x).up[i - 1] = to;
        }
    }

    /** The span of {@code x}'s level-{@code i} link (which must lead to a node). */
    private static long span(Node x, int i) {
        return i == 0 ? 1 : ((TallNode) x).span[i - 1];
    }

    /** Adds {@code delta} to the span of {@code x}'s level-{@code i} link, {@code i > 0}. */
    private static void addSpan(Node x, int i, int delta) {
        ((TallNode) x).span[i - 1] += delta;
    }

    private static void setSpan(Node x, int i, int v) {
        ((TallNode) x).span[i - 1] = v;
    }

    /** What a monotone bound says of an element: true while the element lies before the bound. */
    interface Before {
        boolean test(double score, byte[] member);
    }

    private final Node header = new TallNode(MAX_LEVEL, 0, null);
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
        return header.next;
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
        return link(newNode(randomLevel(), score, member));
    }

    /**
     * t_zset.c zslUpdateScore: a node whose new score keeps its place is updated in place; otherwise it is
     * unlinked and linked again at its new place (the same node, so the member's hash entry stays valid).
     */
    void updateScore(Node x, double newScore) {
        if ((x.backward == null || x.backward.score < newScore)
                && (x.next == null || x.next.score > newScore)) {
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
            for (Node f = forward(n, i); f != null && compare(f.score, f.member, score, member) < 0;
                    f = forward(n, i)) {
                rank[i] += span(n, i);
                n = f;
            }
            update[i] = n;
        }
        int lvl = levelOf(x);
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                setSpan(header, i, length);
            }
            level = lvl;
        }
        for (int i = 0; i < lvl; i++) {
            setForward(x, i, forward(update[i], i));
            setForward(update[i], i, x);
            if (i > 0) {
                setSpan(x, i, (int) (span(update[i], i) - (rank[0] - rank[i])));
                setSpan(update[i], i, (int) ((rank[0] - rank[i]) + 1));
            }
        }
        for (int i = Math.max(lvl, 1); i < level; i++) {
            addSpan(update[i], i, 1);
        }
        x.backward = update[0] == header ? null : update[0];
        if (x.next != null) {
            x.next.backward = x;
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
            for (Node f = forward(x, i); f != null && compare(f.score, f.member, score, member) < 0;
                    f = forward(x, i)) {
                x = f;
            }
            update[i] = x;
        }
        x = x.next;
        if (x == null || compare(x.score, x.member, score, member) != 0) {
            return false;
        }
        for (int i = 0; i < level; i++) {
            if (forward(update[i], i) == x) {
                if (i > 0) {
                    addSpan(update[i], i, (int) span(x, i) - 1);
                }
                setForward(update[i], i, forward(x, i));
            } else if (i > 0) {
                addSpan(update[i], i, -1);
            }
        }
        if (x.next != null) {
            x.next.backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && forward(header, level - 1) == null) {
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
            for (Node f = forward(x, i); f != null && bound.test(f.score, f.member); f = forward(x, i)) {
                traversed += span(x, i);
                x = f;
            }
        }
        boundNode = x.next;
        return (int) traversed;
    }

    /** The first node not before the bound of the last {@link #countBefore}, or null past the end. */
    Node boundNode() {
        return boundNode;
    }

    /** The heap of the nodes, their level arrays and their members. */
    long memoryUsage() {
        long bytes = 64 + nodeBytes(header);
        for (Node x = header.next; x != null; x = x.next) {
            bytes += nodeBytes(x) + align(16 + x.member.length);
        }
        return bytes;
    }

    /** A one-level node is 40 bytes (12 of header, 28 of fields); a taller one adds two references and two arrays. */
    private static long nodeBytes(Node x) {
        int up = levelOf(x) - 1;
        return up == 0 ? 40 : 48 + 2 * align(16 + up * 4L);
    }

    static long align(long n) {
        return (n + 7) & ~7L;
    }

    /** The node at 0-based {@code rank}. */
    Node nodeAt(int rank) {
        long target = rank + 1L;
        Node x = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            for (Node f = forward(x, i); f != null && traversed + span(x, i) <= target; f = forward(x, i)) {
                traversed += span(x, i);
                x = f;
            }
            if (traversed == target) {
                return x;
            }
        }
        throw new IndexOutOfBoundsException(rank);
    }
}
