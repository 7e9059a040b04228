package io.cinnabar.datatypes.zset;

import java.util.Arrays;

/**
 * The nodes of a {@link ZSkiplist} as records in paged {@code long[]} arrays, addressed by int ids: no object
 * per node, and above all no object references between nodes. Relinking a node (every ZADD that moves a
 * member) writes only longs, which need no GC write barrier; with nodes as objects each link stored into an
 * old node dirtied a card that G1's refinement threads then scanned, a quarter of the server's CPU on ZADD.
 *
 * <p>A node of L levels is one record of L + 1 longs, as Redis's zskiplistNode keeps its levels inline: its
 * score's bits; {@code next << 32 | backward}; then for each level i from 1 {@code forward << 32 | span}. So
 * a descent step reads the links of the node it stands on from the record it has just compared, and only the
 * next node's record is new. A level-0 link always spans one node (t_zset.c keeps that 1 in every node; here
 * it is implied). Records start at an even long and an id counts pairs of longs ({@code id * 2} is the
 * record's offset), so the member and level tables are indexed by id too; a record never crosses a page.
 *
 * <p>Id 0 is the header (no link ever leads to it, so 0 also ends a chain and means "none"). A removed
 * node's record goes on a free list of its level and is reused by the next node of that level;
 * {@link ZSkiplist} renumbers the nodes into fresh arrays when most of the records are free.
 */
final class SkiplistNodes {
    static final int HEADER = 0;
    /** Ids (pairs of longs) per page: 4096 longs, 32 KB. */
    static final int SHIFT = 11;
    private static final int PER_PAGE = 1 << SHIFT;
    private static final int MASK = PER_PAGE - 1;
    private static final long LOW = 0xFFFFFFFFL;

    private final int maxLevel;
    private long[][] records;
    private byte[][][] members;
    private byte[][] levels;
    /** Ids below top have been handed out (some to records now free); ids below capacity have room. */
    private int top;
    private int capacity;
    /** The ids used by live nodes' records, the header's included. */
    private int used;
    /** The first free record of each level (0: none), chained through their next links. */
    private final int[] free;
    /** The heap of the members' arrays, kept as nodes come and go. */
    private long memberBytes;

    SkiplistNodes(int maxLevel, int expected) {
        this.maxLevel = maxLevel;
        free = new int[maxLevel + 1];
        int headerIds = idsFor(maxLevel);
        // about 1.3 ids per node: three in four have one level (one id), the rest two or more
        long want = headerIds + expected + (expected >> 2) + (expected >> 4) + 8;
        int pages = (int) Math.max(1, (want + MASK) >>> SHIFT);
        records = new long[pages][];
        members = new byte[pages][][];
        levels = new byte[pages][];
        capacity = (int) Math.min(PER_PAGE, want);
        records[0] = new long[capacity * 2];
        members[0] = new byte[capacity][];
        levels[0] = new byte[capacity];
        top = headerIds;
        used = headerIds;
        levels[0][HEADER] = (byte) maxLevel;
    }

    /** A record of {@code level} levels takes this many ids (pairs of longs). */
    private static int idsFor(int level) {
        return (level + 2) >>> 1;
    }

    /** Whether three quarters of the ids handed out are free: time to renumber (a small set is not worth it). */
    boolean mostlyFree() {
        return top > 256 && used * 4L < top;
    }

    double score(int n) {
        return Double.longBitsToDouble(records[n >>> SHIFT][(n & MASK) << 1]);
    }

    void setScore(int n, double score) {
        records[n >>> SHIFT][(n & MASK) << 1] = Double.doubleToRawLongBits(score);
    }

    byte[] member(int n) {
        return members[n >>> SHIFT][n & MASK];
    }

    /** The members' pages: node {@code n}'s member is {@code [n >>> SHIFT][n & (1 << SHIFT) - 1]}. */
    byte[][][] memberPages() {
        return members;
    }

    int level(int n) {
        return levels[n >>> SHIFT][n & MASK];
    }

    int next(int n) {
        return (int) (records[n >>> SHIFT][((n & MASK) << 1) + 1] >>> 32);
    }

    int backward(int n) {
        return (int) records[n >>> SHIFT][((n & MASK) << 1) + 1];
    }

    void setBackward(int n, int to) {
        long[] page = records[n >>> SHIFT];
        int at = ((n & MASK) << 1) + 1;
        page[at] = (page[at] & ~LOW) | (to & LOW);
    }

    /** {@code n}'s level-{@code i} link (0: none); {@code n} has more than {@code i} levels. */
    int forward(int n, int i) {
        return (int) (records[n >>> SHIFT][((n & MASK) << 1) + 1 + i] >>> 32);
    }

    void setForward(int n, int i, int to) {
        long[] page = records[n >>> SHIFT];
        int at = ((n & MASK) << 1) + 1 + i;
        page[at] = (page[at] & LOW) | ((long) to << 32);
    }

    /** The span of {@code n}'s level-{@code i} link. */
    int span(int n, int i) {
        return i == 0 ? 1 : (int) records[n >>> SHIFT][((n & MASK) << 1) + 1 + i];
    }

    /** Sets the span of {@code n}'s level-{@code i} link, {@code i > 0}. */
    void setSpan(int n, int i, int span) {
        long[] page = records[n >>> SHIFT];
        int at = ((n & MASK) << 1) + 1 + i;
        page[at] = (page[at] & ~LOW) | (span & LOW);
    }

    /** A node of {@code level} levels, its links all 0. */
    int allocate(int level, double score, byte[] member) {
        int ids = idsFor(level);
        int n = free[level];
        if (n != HEADER) {
            free[level] = next(n);
        } else {
            if ((top & MASK) + ids > PER_PAGE) {
                top = (top | MASK) + 1; // a record never crosses a page: the rest of this one stays unused
            }
            while (top + ids > capacity) {
                grow();
            }
            n = top;
            top += ids;
        }
        long[] page = records[n >>> SHIFT];
        int at = (n & MASK) << 1;
        Arrays.fill(page, at, at + level + 1, 0L);
        page[at] = Double.doubleToRawLongBits(score);
        members[n >>> SHIFT][n & MASK] = member;
        levels[n >>> SHIFT][n & MASK] = (byte) level;
        used += ids;
        memberBytes += ZSkiplist.align(16 + member.length);
        return n;
    }

    /** Puts node {@code n}'s record on the free list of its level. */
    void release(int n) {
        int level = level(n);
        memberBytes -= ZSkiplist.align(16 + member(n).length);
        members[n >>> SHIFT][n & MASK] = null;
        setForward(n, 0, free[level]);
        free[level] = n;
        used -= idsFor(level);
    }

    /** Page 0 grows by half up to a full page, then whole pages are added. */
    private void grow() {
        if (capacity < PER_PAGE) {
            capacity = Math.min(PER_PAGE, capacity + (capacity >> 1));
            records[0] = Arrays.copyOf(records[0], capacity * 2);
            members[0] = Arrays.copyOf(members[0], capacity);
            levels[0] = Arrays.copyOf(levels[0], capacity);
            return;
        }
        int page = capacity >>> SHIFT;
        if (page == records.length) {
            records = Arrays.copyOf(records, page * 2);
            members = Arrays.copyOf(members, page * 2);
            levels = Arrays.copyOf(levels, page * 2);
        }
        records[page] = new long[PER_PAGE * 2];
        members[page] = new byte[PER_PAGE][];
        levels[page] = new byte[PER_PAGE];
        capacity += PER_PAGE;
    }

    /** The heap of the pages and the members (4-byte references, 16-byte array headers). */
    long memoryUsage() {
        long perId = 2 * 8L + 4 + 1;
        long pages = (capacity + MASK) >>> SHIFT;
        return 48 + 4L * maxLevel + 3 * ZSkiplist.align(16 + records.length * 4L) + pages * 3 * 16
                + perId * capacity + memberBytes;
    }
}
