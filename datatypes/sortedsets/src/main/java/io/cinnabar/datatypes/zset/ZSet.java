package io.cinnabar.datatypes.zset;

import io.cinnabar.api.RedisValue;
import io.cinnabar.api.ServerConfig;
import java.util.Arrays;

/**
 * A sorted set, ordered by (score, member bytes unsigned). While small (within zset-max-listpack-entries and
 * -value) it is two parallel sorted arrays, reported as "listpack"; past either limit it becomes a
 * {@link ZSkiplist} with its member-to-node index ("skiplist") and never converts back, as in Redis.
 * Elements are addressed by 0-based rank; sequential rank access over the skiplist is O(1) per step.
 */
final class ZSet implements RedisValue, io.cinnabar.api.Sortable {
    private byte[][] members;
    private double[] scores;
    private int size;

    private ZSkiplist skiplist;
    /** The last node reached by rank (0: none), so iterating ranks in order does not search again. */
    private int cursorNode;
    private int cursorRank = -1;

    @Override
    public long prefetchMember(byte[] b, int off, int len, int stage, long prior) {
        return skiplist == null ? 0 : skiplist.prefetch(b, off, len, stage, prior);
    }

    /** A member bytes wrapper for hash maps of members (set operations). */
    record Member(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Member m && Arrays.equals(bytes, m.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** An empty set, compact unless {@code skiplist}. */
    ZSet(boolean skiplist) {
        if (skiplist) {
            this.skiplist = new ZSkiplist(0);
        } else {
            members = new byte[4][];
            scores = new double[4];
        }
    }

    /** Redis's zsetTypeCreate: compact when the expected size and longest member fit the listpack limits. */
    static ZSet create(long sizeHint, long maxMemberLength, Limits limits) {
        return new ZSet(sizeHint > limits.entries() || maxMemberLength > limits.value());
    }

    /**
     * zset-max-listpack-entries and zset-max-listpack-value; from the configuration, read on first use only, so
     * writes to a skiplist never pay for the lookups.
     */
    static final class Limits {
        private ServerConfig config;
        private long entries;
        private long value;

        Limits(long entries, long value) {
            this.entries = entries;
            this.value = value;
        }

        Limits(ServerConfig config) {
            this.config = config;
        }

        long entries() {
            load();
            return entries;
        }

        long value() {
            load();
            return value;
        }

        private void load() {
            if (config != null) {
                entries = config.getLong("zset-max-listpack-entries");
                value = config.getLong("zset-max-listpack-value");
                config = null;
            }
        }
    }

    boolean isListpack() {
        return skiplist == null;
    }

    int size() {
        return skiplist == null ? size : skiplist.length();
    }

    /** Redis's zsetTypeMaybeConvert: converts when the expected size or a member is past the limits. */
    void maybeConvert(long sizeHint, long maxMemberLength, Limits limits) {
        if (skiplist == null && (sizeHint > limits.entries() || maxMemberLength > limits.value())) {
            convertToSkiplist();
        }
    }

    /** Back to the compact form when the result of a store fits (zsetConvertToListpackIfNeeded). */
    void convertToListpackIfFits(long maxMemberLength, Limits limits) {
        if (skiplist == null || skiplist.length() > limits.entries() || maxMemberLength > limits.value()) {
            return;
        }
        int n = skiplist.length();
        byte[][] m = new byte[Math.max(4, n)][];
        double[] s = new double[m.length];
        int i = 0;
        for (int x = skiplist.first(); x != 0; x = skiplist.next(x)) {
            m[i] = skiplist.member(x);
            s[i++] = skiplist.score(x);
        }
        members = m;
        scores = s;
        size = n;
        skiplist = null;
        resetCursor();
    }

    private void convertToSkiplist() {
        ZSkiplist sl = new ZSkiplist(size);
        for (int i = 0; i < size; i++) {
            sl.insert(scores[i], members[i]);
        }
        skiplist = sl;
        members = null;
        scores = null;
        size = 0;
        resetCursor();
    }

    private void resetCursor() {
        cursorNode = 0;
        cursorRank = -1;
    }

    private int indexOf(byte[] member) {
        for (int i = 0; i < size; i++) {
            if (Arrays.equals(members[i], member)) {
                return i;
            }
        }
        return -1;
    }

    /** The member's score, or NaN when absent (a score is never NaN). */
    double score(byte[] member) {
        if (skiplist == null) {
            int i = indexOf(member);
            return i < 0 ? Double.NaN : scores[i];
        }
        int n = skiplist.find(member);
        return n == 0 ? Double.NaN : skiplist.score(n);
    }

    /** 0-based ascending rank of the member, -1 when absent. */
    int rank(byte[] member) {
        if (skiplist == null) {
            return indexOf(member);
        }
        int n = skiplist.find(member);
        if (n == 0) {
            return -1;
        }
        double s = skiplist.score(n);
        return skiplist.countBefore((sc, m) -> ZSkiplist.compare(sc, m, s, member) < 0);
    }

    @Override
    public int sortLength() {
        return size();
    }

    @Override
    public byte[] sortElement(int i) {
        return memberAt(i);
    }

    /** sort.c converts a listpack sorted set to a skiplist before sorting it, even for SORT_RO. */
    @Override
    public void beforeSort() {
        if (skiplist == null) {
            convertToSkiplist();
        }
    }

    byte[] memberAt(int rank) {
        return skiplist == null ? members[rank] : skiplist.member(nodeAt(rank));
    }

    double scoreAt(int rank) {
        return skiplist == null ? scores[rank] : skiplist.score(nodeAt(rank));
    }

    /**
     * The {@code count} (at least 1) elements from rank {@code from} on (down when {@code reverse}) into
     * {@code members} and {@code scores}. Over a skiplist this is one walk that reads each node once and leaves
     * the cursor on the last, so a caller that gathers a range before writing it reads the members' arrays all
     * together.
     */
    void elements(int from, int count, boolean reverse, byte[][] members, double[] scores) {
        if (skiplist == null) {
            for (int i = 0; i < count; i++) {
                int r = reverse ? from - i : from + i;
                members[i] = this.members[r];
                scores[i] = this.scores[r];
            }
            return;
        }
        int n = nodeAt(from);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                n = reverse ? skiplist.previous(n) : skiplist.next(n);
            }
            members[i] = skiplist.member(n);
            scores[i] = skiplist.score(n);
        }
        cursorNode = n;
        cursorRank = reverse ? from - count + 1 : from + count - 1;
    }

    private int nodeAt(int rank) {
        int n;
        if (cursorNode != 0 && rank == cursorRank) {
            n = cursorNode;
        } else if (cursorNode != 0 && rank == cursorRank + 1) {
            n = skiplist.next(cursorNode);
        } else if (cursorNode != 0 && rank == cursorRank - 1) {
            n = skiplist.previous(cursorNode);
        } else {
            n = skiplist.nodeAt(rank);
        }
        cursorNode = n;
        cursorRank = rank;
        return n;
    }

    /**
     * One step of ZSCAN over a skiplist-encoded set (listpacks are answered whole by the caller): visits
     * the (member, score) pairs of one hash bucket and returns the next cursor.
     */
    long scan(long cursor, ZSkiplist.Visitor visitor) {
        return skiplist.scan(cursor, visitor);
    }

    /** How many elements come before a monotone bound (the rank where the bound falls). */
    int countBefore(ZSkiplist.Before bound) {
        if (skiplist != null) {
            int n = skiplist.countBefore(bound);
            // the node at that rank is at hand: a range reply starting there needs no second descent
            int at = skiplist.boundNode();
            if (at != 0) {
                cursorNode = at;
                cursorRank = n;
            }
            return n;
        }
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (bound.test(scores[mid], members[mid])) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** How many elements have a score below {@code x} (or equal to it when {@code orEqual}). */
    int countBelow(double x, boolean orEqual) {
        if (skiplist == null) {
            return countBefore((s, m) -> s < x || (orEqual && s == x));
        }
        int n = skiplist.countBelow(x, orEqual);
        int at = skiplist.boundNode();
        if (at != 0) {
            cursorNode = at;
            cursorRank = n;
        }
        return n;
    }

    /**
     * Adds an absent member, converting to the skiplist first when the set would outgrow the listpack
     * limits (zsetAdd).
     */
    void insert(byte[] member, double score, Limits limits) {
        if (skiplist == null && (size + 1 > limits.entries() || member.length > limits.value())) {
            convertToSkiplist();
        }
        resetCursor();
        if (skiplist != null) {
            skiplist.insert(score, member);
            return;
        }
        double stored = score == 0 ? 0.0 : score; // a listpack keeps scores as text and reads "-0" back as 0
        int at = countBefore((s, m) -> ZSkiplist.compare(s, m, stored, member) < 0);
        if (size == members.length) {
            members = Arrays.copyOf(members, size * 2);
            scores = Arrays.copyOf(scores, size * 2);
        }
        System.arraycopy(members, at, members, at + 1, size - at);
        System.arraycopy(scores, at, scores, at + 1, size - at);
        members[at] = member;
        scores[at] = stored;
        size++;
    }

    /** Changes the score of a present member. */
    void updateScore(byte[] member, double newScore, Limits limits) {
        if (skiplist != null) {
            resetCursor();
            skiplist.updateScore(skiplist.find(member), newScore);
            return;
        }
        remove(member);
        insert(member, newScore, limits);
    }

    /** Removes the member; false when absent. */
    boolean remove(byte[] member) {
        resetCursor();
        if (skiplist == null) {
            int i = indexOf(member);
            if (i < 0) {
                return false;
            }
            removeAt(i, i + 1);
            return true;
        }
        return skiplist.remove(member);
    }

    /** Removes the elements of ranks [from, to). */
    void removeRange(int from, int to) {
        if (from >= to) {
            return;
        }
        if (skiplist == null) {
            removeAt(from, to);
            return;
        }
        byte[][] gone = new byte[to - from][];
        for (int r = from; r < to; r++) {
            gone[r - from] = memberAt(r);
        }
        for (byte[] m : gone) {
            remove(m);
        }
    }

    private void removeAt(int from, int to) {
        System.arraycopy(members, to, members, from, size - to);
        System.arraycopy(scores, to, scores, from, size - to);
        int n = to - from;
        Arrays.fill(members, size - n, size, null);
        size -= n;
        resetCursor();
    }

    @Override
    public String typeName() {
        return "zset";
    }

    @Override
    public String encoding() {
        return skiplist == null ? "listpack" : "skiplist";
    }

    /** The heap this value holds (4-byte references, 16-byte array headers, 8-byte alignment). */
    @Override
    public long memoryUsage() {
        if (skiplist != null) {
            return 40 + skiplist.memoryUsage();
        }
        long bytes = 40 + ZSkiplist.align(16 + members.length * 4L) + ZSkiplist.align(16 + scores.length * 8L);
        for (int i = 0; i < size; i++) {
            bytes += ZSkiplist.align(16 + members[i].length);
        }
        return bytes;
    }

    @Override
    public ZSet copy() {
        ZSet c = new ZSet(skiplist != null);
        Limits unbounded = new Limits(Long.MAX_VALUE, Long.MAX_VALUE);
        int n = size();
        for (int r = 0; r < n; r++) {
            c.insert(memberAt(r), scoreAt(r), unbounded);
        }
        return c;
    }
}
