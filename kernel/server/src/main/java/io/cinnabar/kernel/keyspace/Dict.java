package io.cinnabar.kernel.keyspace;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * A hash table from byte[] keys to values with Redis dict's behaviour: power-of-two tables, two of them during
 * an incremental rehash (each operation moves a little), and SCAN with the reverse-binary cursor so a full scan
 * returns every key present throughout, even across resizes.
 *
 * <p>Entries live in paged arrays (key at {@code 2i}, value at {@code 2i + 1} of a page): growing never copies
 * them, and an entry's index stays valid until it is removed. They are found through open-addressing tables
 * of {@code long} slots ({@link Table}): a slot holds the entry's index + 1, its LRU/LFU stamp (Redis's 24-bit
 * {@code robj.lru}) and 8 bits of its hash as a tag. A lookup reads the slot at its key's home (the hash's low
 * bits) and the run of occupied slots after it, rejects other entries by their tag without reading them, and
 * finds the stamp it updates in the slot it already read: slot, entry, then key and value, where a chained
 * table would also read a link (and the entries before it in its chain).
 *
 * <p>Collisions probe linearly; a removal shifts the rest of the run back (no tombstones). A table holds at
 * most three quarters of its slots. Every entry lies in the run of occupied slots from its home on, so moving a
 * whole run moves every entry whose home is in it: a rehash moves one run per step from the old table to the
 * new, and an entry is always in exactly one of them. SCAN visits homes, as Redis's dictScan visits buckets.
 */
final class Dict {
    private static final int PAGE_BITS = 12;
    private static final int PAGE = 1 << PAGE_BITS;
    private static final int PAGE_MASK = PAGE - 1;
    private static final int INITIAL_SLOTS = 8;
    private static final long META_MASK = 0xFF_FFFFL << 32;

    /**
     * One open-addressing table: slots in pages of 4096 (32 KB), page 0 also held directly so a small table
     * (cluster mode's per-slot ones) costs a lookup no load of the outer array. A slot is 0 when empty, else
     * {@code tag << 56 | meta << 32 | (entry index + 1)}.
     */
    private static final class Table {
        final long[][] pages;
        final long[] page0;
        final int mask;
        int count;

        Table(int slots) {
            pages = new long[Math.max(1, slots >>> PAGE_BITS)][];
            for (int p = 0; p < pages.length; p++) {
                pages[p] = new long[Math.min(slots, PAGE)];
            }
            page0 = pages[0];
            mask = slots - 1;
        }

        int capacity() {
            return mask + 1;
        }

        long get(int p) {
            return p < PAGE ? page0[p] : pages[p >>> PAGE_BITS][p & PAGE_MASK];
        }

        void set(int p, long s) {
            pages[p >>> PAGE_BITS][p & PAGE_MASK] = s;
        }

        int next(int p) {
            return (p + 1) & mask;
        }

        /** Whether one more entry keeps this table within three quarters full. */
        boolean roomForOneMore() {
            return (count + 1L) * 4 <= capacity() * 3L;
        }
    }

    /** The table of an empty dict: one empty slot, never written (an insert allocates a real table first). */
    private static final Table EMPTY = new Table(1);

    private Object[][] kv = new Object[0][];
    private Object[] kv0; // page 0, also held directly
    private int highWater;      // entries ever allocated (free ones are on the free stack)
    private int[] free = new int[0];
    private int freeCount;
    private int size;

    private Table t0 = EMPTY;
    private Table t1;            // non-null while rehashing: new entries go there, runs of t0 move there
    private int rehashIdx;       // next t0 slot to move
    private int rehashLeft;      // t0 slots not yet visited (the walk started at an empty slot, going round once)
    private int pauseRehash;     // >0 while a scan step runs
    private long reservedFor;    // a load announced this many entries: no shrinking below them meanwhile
    private int removals;        // see removals()
    // the slot the last find or insert met (checked before use): the stamp update after a lookup reads no more
    private Table lastTable;
    private int lastPos;

    int size() {
        return size;
    }

    /** The home positions (slots) of both tables, as Redis counts buckets. */
    int buckets() {
        return (t0 == EMPTY ? 0 : t0.capacity()) + (t1 == null ? 0 : t1.capacity());
    }

    static int hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    /** The hash of the key held in {@code key[off, off + n)} (Murmur3's 32-bit variant). */
    static int hash(byte[] key, int off, int n) {
        int h = 0x9747b28c;
        int i = off;
        int end = off + n;
        for (; i + 3 < end; i += 4) {
            int k = (key[i] & 0xff) | (key[i + 1] & 0xff) << 8 | (key[i + 2] & 0xff) << 16 | key[i + 3] << 24;
            k *= 0xcc9e2d51;
            k = Integer.rotateLeft(k, 15);
            k *= 0x1b873593;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int k = 0;
        switch (end - i) {
            case 3:
                k ^= (key[i + 2] & 0xff) << 16;
            case 2:
                k ^= (key[i + 1] & 0xff) << 8;
            case 1:
                k ^= key[i] & 0xff;
                k *= 0xcc9e2d51;
                k = Integer.rotateLeft(k, 15);
                k *= 0x1b873593;
                h ^= k;
            default:
        }
        h ^= n;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static long slot(int e, int meta, int h) {
        return (long) (h >>> 24) << 56 | (long) (meta & 0xFF_FFFF) << 32 | (e + 1L);
    }

    private static boolean tagMatches(long s, int h) {
        return (int) (s >>> 56) == h >>> 24;
    }

    private static int entryOf(long s) {
        return (int) s - 1;
    }

    private Object[] kvPage(int e) {
        return e < PAGE ? kv0 : kv[e >>> PAGE_BITS];
    }

    private byte[] keyAt(int e) {
        return (byte[]) kvPage(e)[(e & PAGE_MASK) << 1];
    }

    Object valueAt(int e) {
        return kvPage(e)[((e & PAGE_MASK) << 1) + 1];
    }

    byte[] keyOf(int e) {
        return keyAt(e);
    }

    void setValueAt(int e, Object v) {
        kvPage(e)[((e & PAGE_MASK) << 1) + 1] = v;
    }

    /** The LRU/LFU stamp of entry {@code e} (24 bits). */
    int metaAt(int e) {
        Table t = locate(e);
        return (int) (t.get(lastPos) >>> 32) & 0xFF_FFFF;
    }

    /** Sets entry {@code e}'s LRU/LFU stamp (its low 24 bits). */
    void setMetaAt(int e, int m) {
        Table t = locate(e);
        long s = t.get(lastPos);
        t.set(lastPos, s & ~META_MASK | (long) (m & 0xFF_FFFF) << 32);
    }

    /** The table holding entry {@code e}'s slot, with {@link #lastPos} at it. */
    private Table locate(int e) {
        Table t = lastTable;
        if ((t == t0 || t == t1) && t != null && entryOf(t.get(lastPos)) == e) {
            return t;
        }
        int h = hash(keyAt(e));
        if (seek(t0, h, e)) {
            return lastTable = t0;
        }
        if (t1 != null && seek(t1, h, e)) {
            return lastTable = t1;
        }
        throw new IllegalStateException("entry " + e + " has no slot");
    }

    private boolean seek(Table t, int h, int e) {
        for (int p = h & t.mask; ; p = t.next(p)) {
            long s = t.get(p);
            if (s == 0) {
                return false;
            }
            if (entryOf(s) == e) {
                lastPos = p;
                return true;
            }
        }
    }

    /**
     * The slot at the home of a key of hash {@code h}: the first load of a lookup, done early by {@link
     * Database#prefetch}. 0 when empty.
     */
    long homeSlot(int h) {
        return t0.get(h & t0.mask);
    }

    /**
     * The link (entry index + 1, 0 = none) of the first entry whose tag matches {@code h} in the run from the
     * home {@link #homeSlot} read (its content {@code home}): the candidate {@link Database#prefetch} loads.
     */
    int candidate(int h, long home) {
        if (home == 0) {
            return 0;
        }
        if (tagMatches(home, h)) {
            return entryOf(home) + 1;
        }
        Table t = t0;
        for (int p = t.next(h & t.mask); ; p = t.next(p)) {
            long s = t.get(p);
            if (s == 0) {
                return 0;
            }
            if (tagMatches(s, h)) {
                return entryOf(s) + 1;
            }
        }
    }

    /**
     * The key reference of the entry a link names, uncast: a cast would load the key's header here, and
     * {@link Database#prefetch} makes that load a stage of its own.
     */
    Object keyRefOfLink(int link) {
        int e = link - 1;
        return kvPage(e)[(e & PAGE_MASK) << 1];
    }

    /** The entry index of {@code key}, or -1. */
    int find(byte[] key) {
        if (size == 0) {
            return -1;
        }
        if (t1 != null) {
            rehashStep();
        }
        int h = hash(key);
        int e = findIn(t0, h, key);
        if (e < 0 && t1 != null) {
            e = findIn(t1, h, key);
        }
        return e;
    }

    private int findIn(Table t, int h, byte[] key) {
        for (int p = h & t.mask; ; p = t.next(p)) {
            long s = t.get(p);
            if (s == 0) {
                return -1;
            }
            if (tagMatches(s, h)) {
                int e = entryOf(s);
                byte[] k = keyAt(e);
                if (k.length == key.length && Arrays.equals(k, key)) {
                    lastTable = t;
                    lastPos = p;
                    return e;
                }
            }
        }
    }

    Object get(byte[] key) {
        int e = find(key);
        return e < 0 ? null : valueAt(e);
    }

    /** Inserts or replaces; returns the previous value or null. */
    Object put(byte[] key, Object value) {
        int e = find(key);
        if (e >= 0) {
            Object old = valueAt(e);
            setValueAt(e, value);
            return old;
        }
        insertNew(key, value);
        return null;
    }

    /** Inserts a key known to be absent, with stamp 0; returns its entry index. */
    int insertNew(byte[] key, Object value) {
        if (t1 != null) {
            rehashStep(); // as dictAdd: every insert moves the rehash on
        }
        expandIfNeeded();
        int e = allocEntry();
        Object[] page = kvPage(e);
        page[(e & PAGE_MASK) << 1] = key;
        page[((e & PAGE_MASK) << 1) + 1] = value;
        Table t = t1 != null ? t1 : t0;
        int h = hash(key);
        lastPos = place(t, h, slot(e, 0, h));
        lastTable = t;
        size++;
        return e;
    }

    /** Puts slot content {@code s} of hash {@code h} in the first empty slot from its home; returns where. */
    private static int place(Table t, int h, long s) {
        int p = h & t.mask;
        while (t.get(p) != 0) {
            p = t.next(p);
        }
        t.set(p, s);
        t.count++;
        return p;
    }

    /** Removes {@code key}; returns its value or null. */
    Object remove(byte[] key) {
        if (size == 0) {
            return null;
        }
        reservedFor = 0; // deleting: whatever load reserved the table is over
        if (t1 != null) {
            rehashStep();
        }
        int h = hash(key);
        Object v = removeFrom(t0, h, key);
        if (v == null && t1 != null) {
            v = removeFrom(t1, h, key);
        }
        return v;
    }

    private Object removeFrom(Table t, int h, byte[] key) {
        int e = findIn(t, h, key);
        if (e < 0) {
            return null;
        }
        closeGap(t, lastPos);
        Object v = valueAt(e);
        if (--size == 0) {
            clear(); // an empty dict drops all its storage
        } else {
            freeEntry(e);
        }
        return v;
    }

    /**
     * Empties slot {@code p} and closes the gap (Knuth's algorithm R): each later slot of the run moves back
     * into the hole unless its home lies cyclically after the hole, so every entry stays reachable from its home.
     */
    private void closeGap(Table t, int p) {
        int hole = p;
        for (int j = t.next(hole); ; j = t.next(j)) {
            long s = t.get(j);
            if (s == 0) {
                break;
            }
            int home = hash(keyAt(entryOf(s))) & t.mask;
            if (((j - home) & t.mask) >= ((j - hole) & t.mask)) {
                t.set(hole, s);
                hole = j;
            }
        }
        t.set(hole, 0);
        t.count--;
    }

    private int allocEntry() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        int e = highWater++;
        int page = e >>> PAGE_BITS;
        if (page == kv.length) {
            kv = Arrays.copyOf(kv, page + 1);
            int cap = Math.min(PAGE, Math.max(8, highWater * 2)); // small dicts stay small
            kv[page] = new Object[cap * 2];
        } else if ((e & PAGE_MASK) << 1 == kv[page].length) {
            int cap = Math.min(PAGE, kv[page].length); // double the entries: twice the current half-length
            kv[page] = Arrays.copyOf(kv[page], cap * 2);
        }
        kv0 = kv[0];
        return e;
    }

    /** Entries freed so far (with {@link #clear}): an entry index known from before stays valid while it holds. */
    int removals() {
        return removals;
    }

    private void freeEntry(int e) {
        removals++;
        Object[] page = kv[e >>> PAGE_BITS];
        page[(e & PAGE_MASK) << 1] = null;
        page[((e & PAGE_MASK) << 1) + 1] = null;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, Math.max(8, freeCount * 2));
        }
        free[freeCount++] = e;
    }

    void clear() {
        removals++;
        reservedFor = 0;
        kv = new Object[0][];
        kv0 = null;
        highWater = 0;
        free = new int[0];
        freeCount = 0;
        size = 0;
        t0 = EMPTY;
        t1 = null;
        lastTable = null;
    }

    private void expandIfNeeded() {
        if (t1 != null) {
            if (t1.roomForOneMore()) {
                return;
            }
            finishRehash(); // inserts outran the rehash: the new table would fill up
        }
        if (t0 == EMPTY) {
            t0 = new Table(INITIAL_SLOTS);
        } else if (!t0.roomForOneMore()) {
            startRehash(t0.capacity() * 2);
        }
    }

    /** The fewest slots (a power of two, at least 8) that hold {@code n} entries within three quarters. */
    private static int slotsFor(long n) {
        int s = INITIAL_SLOTS;
        while (s < 1 << 30 && n * 4 > s * 3L) {
            s <<= 1;
        }
        return s;
    }

    /**
     * Sizes the table for {@code entries} at once (an RDB's RESIZEDB, as Redis's dictExpand on load): the
     * load then neither rehashes step by step nor meets a table that fills up.
     */
    void reserve(long entries) {
        int n = slotsFor(Math.min(entries, 3L << 28));
        int current = t1 != null ? t1.capacity() : t0 == EMPTY ? 0 : t0.capacity();
        if (n <= current) {
            return;
        }
        reservedFor = entries;
        if (size == 0 && t1 == null) {
            t0 = new Table(n);
        } else if (t1 == null) {
            startRehash(n);
        }
    }

    /** Shrinks the table when it is under 1/8 full (called from the server cron, as Redis's tryResizeHashTables). */
    void shrinkIfSparse() {
        if (reservedFor > 0) {
            if (size < reservedFor) {
                return; // still loading into the reserved table
            }
            reservedFor = 0;
        }
        if (t1 == null && t0.capacity() > INITIAL_SLOTS && size * 8L < t0.capacity()) {
            int n = slotsFor(size * 2L); // half full at most: room for the inserts that come while it rehashes
            if (n < t0.capacity()) {
                startRehash(n);
            }
        }
    }

    private void startRehash(int slots) {
        t1 = new Table(slots);
        int start = 0;
        while (t0.get(start) != 0) {
            start++; // at most three quarters are occupied: an empty slot is near
        }
        rehashIdx = start; // an empty slot: no run crosses it, and none ever will (t0 takes no more entries)
        rehashLeft = t0.capacity();
    }

    /** Moves one run of entries (visiting at most 10 empty slots on the way) from the old table to the new one. */
    void rehashStep() {
        if (pauseRehash == 0 && t1 != null) {
            moveRuns(1);
        }
    }

    private void finishRehash() {
        while (t1 != null) {
            moveRuns(Integer.MAX_VALUE);
        }
    }

    private void moveRuns(int runs) {
        Table from = t0;
        Table to = t1;
        int emptyVisits = 10;
        while (rehashLeft > 0 && runs > 0) {
            long s = from.get(rehashIdx);
            if (s == 0) {
                if (--emptyVisits == 0 && runs == 1) {
                    rehashIdx = from.next(rehashIdx);
                    rehashLeft--;
                    break;
                }
            } else {
                place(to, hash(keyAt(entryOf(s))), s);
                from.set(rehashIdx, 0);
                from.count--;
                if (from.get(from.next(rehashIdx)) == 0) {
                    runs--; // the run ended: every entry whose home is in it moved with it
                }
            }
            rehashIdx = from.next(rehashIdx);
            rehashLeft--;
        }
        if (rehashLeft == 0) {
            t0 = to;
            t1 = null;
        }
    }

    /** Rehashes for about {@code millis} ms (the cron's active rehashing). */
    void rehashFor(long millis) {
        if (t1 == null) {
            return; // no clock read for a table that is not rehashing (a cluster node has one per slot)
        }
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (t1 != null && System.nanoTime() < deadline) {
            for (int i = 0; i < 100 && t1 != null; i++) {
                rehashStep();
            }
        }
    }

    /**
     * A random entry index, or -1 when empty: a uniformly random occupied slot of the two tables (after 100 empty
     * draws, a very sparse table not shrunk yet, the first occupied slot from a random one).
     */
    int randomEntry() {
        if (size == 0) {
            return -1;
        }
        if (t1 != null) {
            rehashStep();
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int n0 = t0.capacity();
        int total = n0 + (t1 == null ? 0 : t1.capacity());
        int i = rnd.nextInt(total);
        for (int draws = 0; draws < 100; draws++, i = rnd.nextInt(total)) {
            long s = i < n0 ? t0.get(i) : t1.get(i - n0);
            if (s != 0) {
                return entryOf(s);
            }
        }
        for (; ; i = i + 1 == total ? 0 : i + 1) {
            long s = i < n0 ? t0.get(i) : t1.get(i - n0);
            if (s != 0) {
                return entryOf(s);
            }
        }
    }

    /**
     * One SCAN step (Redis's dictScan): visits the home at {@code cursor} in the smaller table and every home it
     * expands to in the larger one, then returns the reverse-binary increment of the cursor.
     */
    long scan(long cursor, BiConsumer<byte[], Object> visitor) {
        if (size == 0) {
            return 0;
        }
        pauseRehash++;
        try {
            long v = cursor;
            if (t1 == null) {
                long m0 = t0.mask;
                visitHome(t0, (int) (v & m0), visitor);
                v |= ~m0;
                v = Long.reverse(v);
                v++;
                v = Long.reverse(v);
            } else {
                Table small = t0.capacity() <= t1.capacity() ? t0 : t1;
                Table large = small == t0 ? t1 : t0;
                long m0 = small.mask;
                long m1 = large.mask;
                visitHome(small, (int) (v & m0), visitor);
                do {
                    visitHome(large, (int) (v & m1), visitor);
                    v |= ~m1;
                    v = Long.reverse(v);
                    v++;
                    v = Long.reverse(v);
                } while ((v & (m0 ^ m1)) != 0);
            }
            return v;
        } finally {
            pauseRehash--;
        }
    }

    /** Visits the entries whose home is {@code home}: they lie in the run from it. */
    private void visitHome(Table t, int home, BiConsumer<byte[], Object> visitor) {
        for (int p = home; ; p = t.next(p)) {
            long s = t.get(p);
            if (s == 0) {
                return;
            }
            int e = entryOf(s);
            byte[] k = keyAt(e);
            if ((hash(k) & t.mask) == home) {
                visitor.accept(k, valueAt(e));
            }
        }
    }

    /** One past the highest entry index ever allocated since the last clear (the snapshot walk's bound). */
    int highWater() {
        return highWater;
    }

    /** The key of entry index {@code e} below {@link #highWater()}, or null for a free entry. */
    byte[] keyAtIndex(int e) {
        Object[] page = kv[e >>> PAGE_BITS];
        int i = (e & PAGE_MASK) << 1;
        return i < page.length ? (byte[]) page[i] : null;
    }

    /** Visits every entry; the visitor must not modify this dict. */
    void forEach(BiConsumer<byte[], Object> visitor) {
        for (int p = 0; p < kv.length; p++) {
            Object[] page = kv[p];
            int limit = Math.min(page.length >> 1, highWater - (p << PAGE_BITS));
            for (int i = 0; i < limit; i++) {
                Object k = page[i << 1];
                if (k != null) {
                    visitor.accept((byte[]) k, page[(i << 1) + 1]);
                }
            }
        }
    }
}
