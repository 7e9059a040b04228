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

    /**
     * A node of two levels (three in sixteen): its level-1 link and span are fields too. A search spends most
     * of its steps on the lower levels, over nodes too many to stay in cache: links held in the node itself
     * save a memory load per step there.
     */
    static class Node2 extends Node {
        Node up1;
        int span1;

        Node2(double score, byte[] member) {
            super(score, member);
        }
    }

    /**
     * A node of three levels or more (one in sixteen): the level-2 link is a field, levels 3 and up (one node
     * in sixty-four has any) are in arrays, null for a node of exactly three levels.
     */
    static final class NodeN extends Node2 {
        Node up2;
        int span2;
        final Node[] up;
        final int[] span;

        NodeN(int level, double score, byte[] member) {
            super(score, member);
            up = level > 3 ? new Node[level - 3] : null;
            span = level > 3 ? new int[level - 3] : null;
        }
    }

    private static Node newNode(int level, double score, byte[] member) {
        return switch (level) {
            case 1 -> new Node(score, member);
            case 2 -> new Node2(score, member);
            default -> new NodeN(level, score, member);
        };
    }

    private static int levelOf(Node x) {
        if (x instanceof NodeN n) {
            return n.up == null ? 3 : 3 + n.up.length;
        }
        return x instanceof Node2 ? 2 : 1;
    }

    /** {@code x}'s level-{@code i} link ({@code x} has more than {@code i} levels). */
    private static Node forward(Node x, int i) {
        return switch (i) {
            case 0 -> x.next;
            case 1 -> ((Node2) x).up1;
            case 2 -> ((NodeN) x).up2;
            default -> ((NodeN) x).up[i - 3];
        };
    }

    private static void setForward(Node x, int i, Node to) {
        switch (i) {
            case 0 -> x.next = to;
            case 1 -> ((Node2) x).up1 = to;
            case 2 -> ((NodeN) x).up2 = to;
            default -> ((NodeN) x).up[i - 3] = to;
        }
    }

    /** The span of {@code x}'s level-{@code i} link (which must lead to a node). */
    private static long span(Node x, int i) {
        return switch (i) {
            case 0 -> 1;
            case 1 -> ((Node2) x).span1;
            case 2 -> ((NodeN) x).span2;
            default -> ((NodeN) x).span[i - 3];
        };
    }

    /** Sets the span of {@code x}'s level-{@code i} link, {@code i > 0}. */
    private static void setSpan(Node x, int i, int v) {
        switch (i) {
            case 1 -> ((Node2) x).span1 = v;
            case 2 -> ((NodeN) x).span2 = v;
            default -> ((NodeN) x).span[i - 3] = v;
        }
    }

    /** Adds {@code delta} to the span of {@code x}'s level-{@code i} link, {@code i > 0}. */
    private static void addSpan(Node x, int i, int delta) {
        setSpan(x, i, (int) span(x, i) + delta);
    }

    /** What a monotone bound says of an element: true while the element lies before the bound. */
    interface Before {
        boolean test(double score, byte[] member);
    }

    private final Node header = new NodeN(MAX_LEVEL, 0, null);
    private Node tail;
    private int length;
    private int level = 1;
    /** The heap of the nodes and their members, kept as nodes are linked and unlinked. */
    private long heapBytes;
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

    /** Scores are never NaN; -0.0 and 0.0 are the same score. */
    static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        if (s1 < s2) {
            return -1;
        }
        return s1 > s2 ? 1 : Arrays.compareUnsigned(m1, m2);
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

    /** Links node {@code x} (its level given by its class) at the place of its score and member. */
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
        heapBytes += nodeBytes(x) + align(16 + member.length);
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
        heapBytes -= nodeBytes(x) + align(16 + x.member.length);
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

    /**
     * {@link #countBefore} for the bound "score below {@code x}" (or at {@code x} too when {@code orEqual}), the
     * bound of every score range: no member is read and no bound object is called.
     */
    int countBelow(double x, boolean orEqual) {
        Node n = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            for (Node f = forward(n, i); f != null && (f.score < x || (orEqual && f.score == x)); f = forward(n, i)) {
                traversed += span(n, i);
                n = f;
            }
        }
        boundNode = n.next;
        return (int) traversed;
    }

    /** The first node not before the bound of the last {@link #countBefore}, or null past the end. */
    Node boundNode() {
        return boundNode;
    }

    /** The heap of the nodes, their level arrays and their members. */
    long memoryUsage() {
        return 64 + nodeBytes(header) + heapBytes;
    }

    /** A one-level node is 40 bytes (12 of header, 28 of fields), each level up to 3 adds a link and a span. */
    private static long nodeBytes(Node x) {
        int level = levelOf(x);
        return switch (level) {
            case 1 -> 40;
            case 2 -> 48;
            case 3 -> 64;
            default -> 64 + 2 * align(16 + (level - 3) * 4L);
        };
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
