package io.cinnabar.kernel.keyspace;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * A hash table from byte[] keys to values, shaped like Redis's dict: power-of-two bucket arrays with
 * chaining, two tables during an incremental rehash (each operation moves a bucket), and SCAN with the
 * reverse-binary cursor so a full scan returns every key present throughout, even across resizes.
 *
 * <p>Entries live in paged parallel arrays (key, value, next index) instead of one object per entry:
 * 12 bytes of bookkeeping per entry plus 4-8 bytes of bucket array, and growing never copies entries.
 * Bucket heads and next links hold entry index + 1 (0 = end of chain).
 */
final class Dict {
    private static final int PAGE_BITS = 12;
    private static final int PAGE = 1 << PAGE_BITS;
    private static final int PAGE_MASK = PAGE - 1;
    private static final int INITIAL_BUCKETS = 4;

    // Entry i of a page: key at kv[2i], value at kv[2i+1]; next link at links[2i], LRU/LFU stamp
    // (Redis's robj.lru) at links[2i+1]. Interleaving keeps a key and its value (and a link and its stamp)
    // in one cache line: a lookup touches two page arrays instead of four.
    private Object[][] kv = new Object[0][];
    private int[][] links = new int[0][];
    // page 0 of each, also held directly: a table under PAGE entries (cluster mode's per-slot tables) then
    // costs a lookup no load of the outer array
    private Object[] kv0;
    private int[] links0;
    private int highWater;      // entries ever allocated (free ones are on the free list)
    private int freeHead;       // index + 1 of the first free entry, 0 = none
    private int size;

    private int[] t0 = new int[0];
    private int[] t1;            // non-null while rehashing
    private int rehashIdx = -1;  // next t0 bucket to move
    private int pauseRehash;     // >0 while a scan step runs
    private long reservedFor;    // a load announced this many entries: no shrinking below them meanwhile
    private int removals;        // see removals()

    int size() {
        return size;
    }

    int buckets() {
        return t0.length + (t1 == null ? 0 : t1.length);
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

    private Object[] kvPage(int e) {
        return e < PAGE ? kv0 : kv[e >>> PAGE_BITS];
    }

    private int[] linksPage(int e) {
        return e < PAGE ? links0 : links[e >>> PAGE_BITS];
    }

    private byte[] keyAt(int e) {
        return (byte[]) kvPage(e)[(e & PAGE_MASK) << 1];
    }

    private int nextOf(int e) {
        return linksPage(e)[(e & PAGE_MASK) << 1];
    }

    private void setNext(int e, int link) {
        linksPage(e)[(e & PAGE_MASK) << 1] = link;
    }

    Object valueAt(int e) {
        return kvPage(e)[((e & PAGE_MASK) << 1) + 1];
    }

    byte[] keyOf(int e) {
        return keyAt(e);
    }

    int metaAt(int e) {
        return linksPage(e)[((e & PAGE_MASK) << 1) + 1];
    }

    void setMetaAt(int e, int m) {
        linksPage(e)[((e & PAGE_MASK) << 1) + 1] = m;
    }

    void setValueAt(int e, Object v) {
        kvPage(e)[((e & PAGE_MASK) << 1) + 1] = v;
    }

    /**
     * The head link of the bucket a key of hash {@code h} starts in (entry index + 1, 0 = empty): the first
     * load of a lookup, done early by {@link Database#prefetch}.
     */
    int bucketHead(int h) {
        int[] t = t0;
        return t.length == 0 ? 0 : t[h & (t.length - 1)];
    }

    /**
     * The key reference of the entry a head link names, uncast: a cast would load the key's header here, and
     * {@link Database#prefetch} makes that load a stage of its own.
     */
    Object keyRefOfLink(int link) {
        int e = link - 1;
        return kvPage(e)[(e & PAGE_MASK) << 1];
    }

    /** The link after {@code link} in its bucket's chain (0 = end), for {@link Database#prefetch}. */
    int nextLink(int link) {
        return nextOf(link - 1);
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

    private int findIn(int[] table, int h, byte[] key) {
        if (table.length == 0) {
            return -1;
        }
        for (int link = table[h & (table.length - 1)]; link != 0; link = nextOf(link - 1)) {
            byte[] k = keyAt(link - 1);
            if (k.length == key.length && Arrays.equals(k, key)) {
                return link - 1;
            }
        }
        return -1;
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

    /** Inserts a key known to be absent; returns its entry index. */
    int insertNew(byte[] key, Object value) {
        if (t1 != null) {
            rehashStep(); // as dictAdd: every insert moves the rehash on, or the new table would fill up unrehashed
        }
        expandIfNeeded();
        int e = allocEntry();
        Object[] page = kvPage(e);
        page[(e & PAGE_MASK) << 1] = key;
        page[((e & PAGE_MASK) << 1) + 1] = value;
        int[] table = t1 != null ? t1 : t0;
        int b = hash(key) & (table.length - 1);
        setNext(e, table[b]);
        table[b] = e + 1;
        size++;
        return e;
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

    private Object removeFrom(int[] table, int h, byte[] key) {
        if (table.length == 0) {
            return null;
        }
        int b = h & (table.length - 1);
        int prev = 0;
        for (int link = table[b]; link != 0; link = nextOf(link - 1)) {
            int e = link - 1;
            byte[] k = keyAt(e);
            if (k.length == key.length && Arrays.equals(k, key)) {
                if (prev == 0) {
                    table[b] = nextOf(e);
                } else {
                    setNext(prev - 1, nextOf(e));
                }
                Object v = valueAt(e);
                if (--size == 0) {
                    clear(); // an empty dict drops all its storage
                } else {
                    freeEntry(e);
                }
                return v;
            }
            prev = link;
        }
        return null;
    }

    private int allocEntry() {
        if (freeHead != 0) {
            int e = freeHead - 1;
            freeHead = nextOf(e);
            return e;
        }
        int e = highWater++;
        int page = e >>> PAGE_BITS;
        if (page == kv.length) {
            kv = Arrays.copyOf(kv, page + 1);
            links = Arrays.copyOf(links, page + 1);
            int cap = Math.min(PAGE, Math.max(8, highWater * 2)); // small dicts stay small
            kv[page] = new Object[cap * 2];
            links[page] = new int[cap * 2];
        } else if ((e & PAGE_MASK) << 1 == kv[page].length) {
            int cap = Math.min(PAGE, kv[page].length); // double the entries: twice the current half-length
            kv[page] = Arrays.copyOf(kv[page], cap * 2);
            links[page] = Arrays.copyOf(links[page], cap * 2);
        }
        kv0 = kv[0];
        links0 = links[0];
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
        setNext(e, freeHead);
        freeHead = e + 1;
    }

    void clear() {
        removals++;
        reservedFor = 0;
        kv = new Object[0][];
        links = new int[0][];
        kv0 = null;
        links0 = null;
        highWater = 0;
        freeHead = 0;
        size = 0;
        t0 = new int[0];
        t1 = null;
        rehashIdx = -1;
    }

    private void expandIfNeeded() {
        if (t1 != null) {
            return;
        }
        if (t0.length == 0) {
            t0 = new int[INITIAL_BUCKETS];
            return;
        }
        if (size >= t0.length) {
            startRehash(t0.length * 2);
        }
    }

    /**
     * Sizes the table for {@code entries} at once (an RDB's RESIZEDB, as Redis's dictExpand on load): the
     * load then neither rehashes step by step nor walks chains longer than one bucket's share.
     */
    void reserve(long entries) {
        long want = Math.min(entries, 1 << 30);
        int current = t1 != null ? t1.length : t0.length;
        if (want <= current) {
            return;
        }
        int n = INITIAL_BUCKETS;
        while (n < want) {
            n <<= 1;
        }
        reservedFor = want;
        if (size == 0 && t1 == null) {
            t0 = new int[n];
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
        if (t1 == null && t0.length > INITIAL_BUCKETS && size * 8 < t0.length) {
            int n = INITIAL_BUCKETS;
            while (n < size) {
                n <<= 1;
            }
            startRehash(n);
        }
    }

    private void startRehash(int buckets) {
        t1 = new int[buckets];
        rehashIdx = 0;
    }

    /** Moves one non-empty bucket (visiting at most 10 empty ones) from t0 to t1. */
    void rehashStep() {
        if (pauseRehash > 0 || t1 == null) {
            return;
        }
        int emptyVisits = 10;
        while (rehashIdx < t0.length && t0[rehashIdx] == 0) {
            rehashIdx++;
            if (--emptyVisits == 0) {
                break;
            }
        }
        if (rehashIdx < t0.length && t0[rehashIdx] != 0) {
            int mask = t1.length - 1;
            for (int link = t0[rehashIdx]; link != 0; ) {
                int e = link - 1;
                int nxt = nextOf(e);
                int b = hash(keyAt(e)) & mask;
                setNext(e, t1[b]);
                t1[b] = e + 1;
                link = nxt;
            }
            t0[rehashIdx] = 0;
            rehashIdx++;
        }
        if (rehashIdx >= t0.length) {
            t0 = t1;
            t1 = null;
            rehashIdx = -1;
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

    /** A random entry index, or -1 when empty (bucket first, then a uniform pick in its chain). */
    int randomEntry() {
        if (size == 0) {
            return -1;
        }
        if (t1 != null) {
            rehashStep();
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int head;
        if (t1 != null) {
            do {
                int i = rnd.nextInt(t0.length + t1.length);
                head = i < t0.length ? (i >= rehashIdx ? t0[i] : 0) : t1[i - t0.length];
            } while (head == 0);
        } else {
            do {
                head = t0[rnd.nextInt(t0.length)];
            } while (head == 0);
        }
        int len = 0;
        for (int l = head; l != 0; l = nextOf(l - 1)) {
            len++;
        }
        int pick = rnd.nextInt(len);
        int l = head;
        while (pick-- > 0) {
            l = nextOf(l - 1);
        }
        return l - 1;
    }

    /**
     * One SCAN step (Redis's dictScan): visits the bucket at {@code cursor} in the smaller table and every
     * bucket it expands to in the larger one, then returns the reverse-binary increment of the cursor.
     */
    long scan(long cursor, BiConsumer<byte[], Object> visitor) {
        if (size == 0) {
            return 0;
        }
        pauseRehash++;
        try {
            long v = cursor;
            if (t1 == null) {
                long m0 = t0.length - 1;
                visitBucket(t0, (int) (v & m0), visitor);
                v |= ~m0;
                v = Long.reverse(v);
                v++;
                v = Long.reverse(v);
            } else {
                int[] small = t0.length <= t1.length ? t0 : t1;
                int[] large = small == t0 ? t1 : t0;
                long m0 = small.length - 1;
                long m1 = large.length - 1;
                visitBucket(small, (int) (v & m0), visitor);
                do {
                    visitBucket(large, (int) (v & m1), visitor);
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

    private void visitBucket(int[] table, int b, BiConsumer<byte[], Object> visitor) {
        for (int link = table[b]; link != 0; link = nextOf(link - 1)) {
            visitor.accept(keyAt(link - 1), valueAt(link - 1));
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
