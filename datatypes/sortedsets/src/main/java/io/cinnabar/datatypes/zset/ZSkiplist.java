package io.cinnabar.datatypes.zset;

import io.cinnabar.api.SlotIndex;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Redis's zset of the skiplist encoding (t_zset.c): a zskiplist ordered by (score, member bytes unsigned), each
 * level link carrying the span it crosses so a rank is found in O(log n), plus the member-to-node dict, here a
 * {@link SlotIndex} of node ids. Nodes are int ids into {@link SkiplistNodes} (0: none); a node keeps its id
 * while it lives, including across a score update that moves it. When three quarters of the records are free
 * again, the nodes are renumbered in order into fresh arrays (and the index with them), so a set that shrank
 * gives its memory back as Redis's would.
 */
final class ZSkiplist {
    static final int MAX_LEVEL = 32;
    private static final int P_NUMERATOR = 1; // ZSKIPLIST_P = 0.25
    private static final int P_DENOMINATOR = 4;
    private static final int HEADER = SkiplistNodes.HEADER;

    /** What a monotone bound says of an element: true while the element lies before the bound. */
    interface Before {
        boolean test(double score, byte[] member);
    }

    /** Receives an element of a scan. */
    interface Visitor {
        void visit(byte[] member, double score);
    }

    private SkiplistNodes nodes;
    private final SlotIndex index;
    private int tail;
    private int length;
    private int level = 1;
    /** Scratch for insert and delete (one command runs at a time), so they allocate nothing but the node. */
    private final int[] update = new int[MAX_LEVEL];
    private final long[] rank = new long[MAX_LEVEL];
    /** After {@link #countBefore}: the first node not before the bound, or 0. */
    private int boundNode;

    ZSkiplist(int expected) {
        nodes = new SkiplistNodes(MAX_LEVEL, expected);
        index = new SlotIndex(expected, id -> SlotIndex.hash(nodes.member(id)));
    }

    int length() {
        return length;
    }

    int first() {
        return nodes.next(HEADER);
    }

    int last() {
        return tail;
    }

    int next(int n) {
        return nodes.next(n);
    }

    int previous(int n) {
        return nodes.backward(n);
    }

    double score(int n) {
        return nodes.score(n);
    }

    byte[] member(int n) {
        return nodes.member(n);
    }

    /** Scores are never NaN; -0.0 and 0.0 are the same score. */
    static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        if (s1 < s2) {
            return -1;
        }
        return s1 > s2 ? 1 : Arrays.compareUnsigned(m1, m2);
    }

    /**
     * True when node {@code f} sorts before (score, member): {@code compare(...) < 0} that loads the node's
     * member only when the scores tie, so a descent reads one array per step, not two.
     */
    private static boolean precedes(SkiplistNodes nodes, int f, double score, byte[] member) {
        double s = nodes.score(f);
        return s < score || (s == score && Arrays.compareUnsigned(nodes.member(f), member) < 0);
    }

    private static int randomLevel() {
        int lvl = 1;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (lvl < MAX_LEVEL && r.nextInt(P_DENOMINATOR) < P_NUMERATOR) {
            lvl++;
        }
        return lvl;
    }

    /**
     * RedisValue#prefetchMember's stages for a member's node ({@link SlotIndex#prefetchEntry}, node ids being
     * the members' indexes); the last also loads the node's links, which a score update reads first.
     */
    long prefetch(byte[] b, int off, int len, int stage, long prior) {
        long r = index.prefetchEntry(b, off, len, stage, prior, nodes.memberPages(), SkiplistNodes.SHIFT, 0);
        return stage == 3 && r != 0 ? r + nodes.next((int) prior - 1) : r;
    }

    /** The member's node, or 0. */
    int find(byte[] member) {
        int h = SlotIndex.hash(member);
        SlotIndex x = index;
        for (int p = x.home(h), v; (v = x.slot(p)) != 0; p = x.next(p)) {
            if (x.tagMatches(v, h) && Arrays.equals(nodes.member(x.id(v)), member)) {
                return x.id(v);
            }
        }
        return 0;
    }

    /** Inserts a member known to be absent; its node. */
    int insert(double score, byte[] member) {
        int x = nodes.allocate(randomLevel(), score, member);
        link(x);
        index.add(-1, SlotIndex.hash(member), x);
        return x;
    }

    /**
     * t_zset.c zslUpdateScore: a node whose new score keeps its place is updated in place; otherwise it is
     * unlinked and linked again at its new place (the same node, so the member's index entry stays valid).
     */
    void updateScore(int x, double newScore) {
        int back = nodes.backward(x);
        int next = nodes.next(x);
        if ((back == HEADER || nodes.score(back) < newScore) && (next == HEADER || nodes.score(next) > newScore)) {
            nodes.setScore(x, newScore);
            return;
        }
        unlink(x);
        nodes.setScore(x, newScore);
        link(x);
    }

    /** Removes the member; false when absent. */
    boolean remove(byte[] member) {
        int h = SlotIndex.hash(member);
        SlotIndex x = index;
        for (int p = x.home(h), v; (v = x.slot(p)) != 0; p = x.next(p)) {
            int n = x.id(v);
            if (x.tagMatches(v, h) && Arrays.equals(nodes.member(n), member)) {
                x.remove(p);
                unlink(n);
                nodes.release(n);
                if (nodes.mostlyFree()) {
                    compact();
                }
                return true;
            }
        }
        return false;
    }

    /** Links node {@code x} (its level and score set) at the place of its score and member. */
    private void link(int x) {
        SkiplistNodes nodes = this.nodes;
        double score = nodes.score(x);
        byte[] member = nodes.member(x);
        int[] update = this.update;
        long[] rank = this.rank;
        int n = HEADER;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            for (int f = nodes.forward(n, i); f != 0 && precedes(nodes, f, score, member);
                    f = nodes.forward(n, i)) {
                rank[i] += nodes.span(n, i);
                n = f;
            }
            update[i] = n;
        }
        int lvl = nodes.level(x);
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = HEADER;
                nodes.setSpan(HEADER, i, length);
            }
            level = lvl;
        }
        for (int i = 0; i < lvl; i++) {
            nodes.setForward(x, i, nodes.forward(update[i], i));
            nodes.setForward(update[i], i, x);
            if (i > 0) {
                nodes.setSpan(x, i, (int) (nodes.span(update[i], i) - (rank[0] - rank[i])));
                nodes.setSpan(update[i], i, (int) ((rank[0] - rank[i]) + 1));
            }
        }
        for (int i = Math.max(lvl, 1); i < level; i++) {
            nodes.setSpan(update[i], i, nodes.span(update[i], i) + 1);
        }
        nodes.setBackward(x, update[0]);
        int next = nodes.next(x);
        if (next != 0) {
            nodes.setBackward(next, x);
        } else {
            tail = x;
        }
        length++;
    }

    /**
     * Unlinks node {@code x} from every level (t_zset.c zslDeleteNode after its descent); its id stays. On the
     * levels x is on, the descent needs no member: every node met before x with x's score precedes it, so only
     * the levels above x compare members when scores tie.
     */
    private void unlink(int x) {
        SkiplistNodes nodes = this.nodes;
        double score = nodes.score(x);
        byte[] member = nodes.member(x);
        int xLevel = nodes.level(x);
        int[] update = this.update;
        int n = HEADER;
        for (int i = level - 1; i >= xLevel; i--) {
            for (int f = nodes.forward(n, i); f != 0 && precedes(nodes, f, score, member);
                    f = nodes.forward(n, i)) {
                n = f;
            }
            update[i] = n;
        }
        for (int i = Math.min(level, xLevel) - 1; i >= 0; i--) {
            for (int f = nodes.forward(n, i); f != x; f = nodes.forward(n, i)) {
                n = f;
            }
            update[i] = n;
        }
        for (int i = 0; i < level; i++) {
            if (nodes.forward(update[i], i) == x) {
                if (i > 0) {
                    nodes.setSpan(update[i], i, nodes.span(update[i], i) + nodes.span(x, i) - 1);
                }
                nodes.setForward(update[i], i, nodes.forward(x, i));
            } else if (i > 0) {
                nodes.setSpan(update[i], i, nodes.span(update[i], i) - 1);
            }
        }
        int next = nodes.next(x);
        if (next != 0) {
            nodes.setBackward(next, nodes.backward(x));
        } else {
            tail = nodes.backward(x);
        }
        while (level > 1 && nodes.forward(HEADER, level - 1) == 0) {
            level--;
        }
        length--;
    }

    /**
     * Renumbers the nodes 1..length in order into fresh arrays, keeping each node's level, and relinks them
     * in one pass (each level's last node so far is the predecessor); the index is built again for the new ids.
     */
    private void compact() {
        SkiplistNodes old = nodes;
        SkiplistNodes fresh = new SkiplistNodes(MAX_LEVEL, length);
        nodes = fresh;
        index.clear(length);
        int[] lastAt = new int[MAX_LEVEL];
        int[] rankAt = new int[MAX_LEVEL];
        int prev = HEADER;
        int r = 0;
        level = 1;
        for (int x = old.next(HEADER); x != 0; x = old.next(x)) {
            int lvl = old.level(x);
            byte[] member = old.member(x);
            int y = fresh.allocate(lvl, old.score(x), member);
            r++;
            for (int i = 0; i < lvl; i++) {
                fresh.setForward(lastAt[i], i, y);
                if (i > 0) {
                    fresh.setSpan(lastAt[i], i, r - rankAt[i]);
                }
                lastAt[i] = y;
                rankAt[i] = r;
            }
            fresh.setBackward(y, prev);
            prev = y;
            level = Math.max(level, lvl);
            index.add(-1, SlotIndex.hash(member), y);
        }
        tail = prev;
    }

    /** How many elements lie before the bound (the bound must split the order in a prefix and the rest). */
    int countBefore(Before bound) {
        SkiplistNodes nodes = this.nodes;
        int x = HEADER;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            for (int f = nodes.forward(x, i); f != 0 && bound.test(nodes.score(f), nodes.member(f));
                    f = nodes.forward(x, i)) {
                traversed += nodes.span(x, i);
                x = f;
            }
        }
        boundNode = nodes.next(x);
        return (int) traversed;
    }

    /**
     * {@link #countBefore} for the bound "score below {@code x}" (or at {@code x} too when {@code orEqual}), the
     * bound of every score range: no member is read and no bound object is called.
     */
    int countBelow(double x, boolean orEqual) {
        SkiplistNodes nodes = this.nodes;
        int n = HEADER;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            for (int f = nodes.forward(n, i); f != 0; f = nodes.forward(n, i)) {
                double s = nodes.score(f);
                if (!(s < x || (orEqual && s == x))) {
                    break;
                }
                traversed += nodes.span(n, i);
                n = f;
            }
        }
        boundNode = nodes.next(n);
        return (int) traversed;
    }

    /** The first node not before the bound of the last {@link #countBefore}, or 0 past the end. */
    int boundNode() {
        return boundNode;
    }

    /** The node at 0-based {@code rank}. */
    int nodeAt(int rank) {
        SkiplistNodes nodes = this.nodes;
        long target = rank + 1L;
        int x = HEADER;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            for (int f = nodes.forward(x, i); f != 0 && traversed + nodes.span(x, i) <= target;
                    f = nodes.forward(x, i)) {
                traversed += nodes.span(x, i);
                x = f;
            }
            if (traversed == target) {
                return x;
            }
        }
        throw new IndexOutOfBoundsException(rank);
    }

    /** One step of ZSCAN: the elements whose home is the cursor's slot of the index, and the next cursor. */
    long scan(long cursor, Visitor visitor) {
        return index.scan(cursor, n -> visitor.visit(nodes.member(n), nodes.score(n)));
    }

    /** The heap of the nodes, their members and the index. */
    long memoryUsage() {
        return 64 + nodes.memoryUsage() + index.memoryUsage();
    }

    static long align(long n) {
        return (n + 7) & ~7L;
    }
}
