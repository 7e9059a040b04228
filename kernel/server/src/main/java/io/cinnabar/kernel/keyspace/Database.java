package io.cinnabar.kernel.keyspace;

import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.RedisValue;
import io.cinnabar.api.Values;
import io.cinnabar.kernel.cluster.KeySlot;
import io.cinnabar.kernel.storage.ValueStore;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One database: a dict per hash slot (one dict in standalone mode, 16384 in cluster mode, created on
 * first use) and a parallel expires dict per slot holding absolute unix-ms deadlines.
 */
public final class Database implements Db {
    private final int id;
    private final KeyspaceHooks hooks;
    private Dict[] main;
    private Dict[] expires;
    /** Told before a key's entry changes while a background snapshot runs; null otherwise. */
    private ChangeListener changeListener;
    private long keys;
    private long expiresCount;
    /** Where values live when the storage engine keeps them outside the dicts; null for the heap engine. */
    private ValueStore store;
    /** The cluster router's slot for the current command's first key (Redis's getKeySlot using c->slot). */
    private byte[] hintedKey;
    private int hintedSlot;
    /** Slot cursor bits start here in cluster-mode SCAN cursors. */
    private static final int SLOT_SHIFT = 48;

    /** {@link #lookup} flags, as Redis's lookupKey flags: do not update the access stamp. */
    public static final int LOOKUP_NOTOUCH = 1;
    /** Do not emit the "keymiss" event on a miss. */
    public static final int LOOKUP_NONOTIFY = 1 << 1;
    /** Do not count keyspace hits/misses. */
    public static final int LOOKUP_NOSTATS = 1 << 2;
    /** A lookup for writing (lookupKeyWrite): no stats, no "keymiss". */
    public static final int LOOKUP_WRITE = 1 << 3;

    /**
     * Told before a key's value, TTL or existence changes (writes, deletes, expiry), while a forkless snapshot
     * needs to keep the key's state as it was. FLUSH and SWAPDB replace the tables instead (see {@link #tables}).
     */
    public interface ChangeListener {
        void beforeChange(Database db, byte[] key);
    }

    public void setChangeListener(ChangeListener l) {
        this.changeListener = l;
    }

    private void beforeChange(byte[] key) {
        if (changeListener != null) {
            changeListener.beforeChange(this, key);
        }
    }

    /** Visits one entry of a {@link Tables} walk. */
    public interface EntryVisitor {
        void entry(byte[] key, Object value, long expireAt, int stamp) throws java.io.IOException;
    }

    /**
     * The hash tables holding this database's content right now. FLUSHDB/FLUSHALL give the database new tables
     * and SWAPDB exchanges them, so a snapshot holding a Tables keeps walking the content it started with.
     * Entries never move inside a table (rehashing moves their slots only), so a position is (slot, entry index).
     */
    public static final class Tables {
        private final Dict[] main;
        private final Dict[] expires;
        private final ValueStore store;

        private Tables(Dict[] main, Dict[] expires, ValueStore store) {
            this.main = main;
            this.expires = expires;
            this.store = store;
        }

        private Object valueAt(Dict d, int e, byte[] k) {
            Object v = d.valueAt(e);
            return store == null ? v : store.load(k, v);
        }

        /** True when {@code db} still holds these tables. */
        public boolean heldBy(Database db) {
            return db.main == main;
        }

        /** Keys and keys with a TTL (RESIZEDB's hints). */
        public long[] sizes() {
            long k = 0;
            long e = 0;
            for (int s = 0; s < main.length; s++) {
                k += main[s] == null ? 0 : main[s].size();
                e += expires[s] == null ? 0 : expires[s].size();
            }
            return new long[] {k, e};
        }

        /** The position of {@code key} ((slot << 32) | entry index), or -1 when absent. */
        public long positionOf(byte[] key) {
            int slot = main.length == 1 ? 0 : KeySlot.slot(key);
            Dict d = main[slot];
            int e = d == null ? -1 : d.find(key);
            return e < 0 ? -1 : ((long) slot << 32) | e;
        }

        /** Visits the single entry at {@code position} (from {@link #positionOf}). */
        public void walkOne(long position, EntryVisitor visitor) throws java.io.IOException {
            int slot = (int) (position >>> 32);
            int e = (int) position;
            Dict d = main[slot];
            byte[] k = d.keyAtIndex(e);
            Dict ex = expires[slot];
            Object when = ex == null || ex.size() == 0 ? null : ex.get(k);
            visitor.entry(k, valueAt(d, e, k), when == null ? -1 : (Long) when, d.metaAt(e));
        }

        /**
         * Visits entries from {@code position} in (slot, entry index) order, at most {@code max}, skipping
         * free entries; returns the position after the last visited, or -1 when the walk is complete.
         */
        public long walk(long position, int max, EntryVisitor visitor) throws java.io.IOException {
            int slot = (int) (position >>> 32);
            int e = (int) position;
            int visited = 0;
            while (slot < main.length) {
                Dict d = main[slot];
                int limit = d == null ? 0 : d.highWater();
                while (e < limit) {
                    if (visited == max) {
                        return ((long) slot << 32) | e;
                    }
                    byte[] k = d.keyAtIndex(e);
                    if (k != null) {
                        Dict ex = expires[slot];
                        Object when = ex == null || ex.size() == 0 ? null : ex.get(k);
                        visitor.entry(k, valueAt(d, e, k), when == null ? -1 : (Long) when, d.metaAt(e));
                        visited++;
                    }
                    e++;
                }
                slot++;
                e = 0;
            }
            return -1;
        }
    }

    public Tables tables() {
        return new Tables(main, expires, store);
    }

    /** Adds a key read from an RDB file: no "new" event (Redis's dbAddRDBLoad); false when it exists. */
    public boolean addLoaded(byte[] key, Object value, long expireAt, int stamp) {
        beforeChange(key); // DEBUG RELOAD NOSAVE NOFLUSH may load while a snapshot runs
        int slot = slotOf(key);
        Dict d = mainFor(slot);
        if (d.find(key) >= 0) {
            return false;
        }
        int e = d.insertNew(key, store == null ? value : store.put(key, value, null));
        d.setMetaAt(e, stamp);
        keys++;
        if (expireAt != -1 && expiresFor(slot).put(d.keyOf(e), expireAt) == null) {
            expiresCount++;
        }
        if (expireAt != -1 && store != null) {
            d.setValueAt(e, store.expire(key, d.valueAt(e), expireAt));
        }
        return true;
    }

    /**
     * A load announced how many keys and TTLs follow (RESIZEDB): the tables are sized for them at once. Cluster
     * mode's per-slot tables have no per-slot count to go by and grow as keys come.
     */
    public void reserve(long keyCount, long expireCount) {
        if (!perSlot()) {
            mainFor(0).reserve(keys + keyCount);
            expiresFor(0).reserve(expiresCount + expireCount);
        }
    }

    /** The storage engine's value store of this database (null: values on the heap). Set before any key exists. */
    public void setValueStore(ValueStore store) {
        this.store = store;
    }

    public ValueStore valueStore() {
        return store;
    }

    /**
     * A warm restart: adds a key with what its dict entry holds (a handle from the value store), no events; false
     * (nothing changes) when the key is there already.
     */
    public boolean restoreEntry(byte[] key, Object stored) {
        Dict d = mainFor(slotOf(key));
        if (d.find(key) >= 0) {
            return false; // restored already, from a newer copy
        }
        int e = d.insertNew(key, stored);
        d.setMetaAt(e, hooks.creationStamp());
        keys++;
        return true;
    }

    /** A warm restart: the TTL of a restored key; false when the key is not there. */
    public boolean restoreExpire(byte[] key, long unixMillis) {
        int slot = slotOf(key);
        Dict d = main[slot];
        int e = d == null ? -1 : d.find(key);
        if (e < 0) {
            return false;
        }
        if (expiresFor(slot).put(d.keyOf(e), unixMillis) == null) {
            expiresCount++;
        }
        return true;
    }

    /** Visits every entry with what its dict holds (a value, or a value store handle). */
    public void forEachStoredEntry(java.util.function.BiConsumer<byte[], Object> visitor) {
        for (Dict d : main) {
            if (d != null) {
                d.forEach(visitor);
            }
        }
    }

    public Database(int id, boolean perSlot, KeyspaceHooks hooks) {
        this.id = id;
        this.hooks = hooks;
        int n = perSlot ? KeySlot.SLOTS : 1;
        this.main = new Dict[n];
        this.expires = new Dict[n];
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public long size() {
        return keys;
    }

    public long expiresSize() {
        return expiresCount;
    }

    /**
     * INFO keyspace's avg_ttl: the mean remaining TTL in ms of volatile keys not yet expired, over all of them
     * when there are few and over random samples otherwise (Redis keeps a running estimate from its expiry
     * sampling; this is the same estimate taken on demand). 0 when there are none.
     */
    public long averageTtl(long nowMillis) {
        final int exactUpTo = 1024;
        final int samples = 256;
        long[] sum = new long[2];
        if (expiresCount <= exactUpTo) {
            for (Dict ex : expires) {
                if (ex != null) {
                    ex.forEach((k, when) -> {
                        long ttl = (Long) when - nowMillis;
                        if (ttl > 0) {
                            sum[0] += ttl;
                            sum[1]++;
                        }
                    });
                }
            }
        } else {
            for (int i = 0; i < samples; i++) {
                Dict ex = randomNonEmptyDict(expires);
                long ttl = (Long) ex.valueAt(ex.randomEntry()) - nowMillis;
                if (ttl > 0) {
                    sum[0] += ttl;
                    sum[1]++;
                }
            }
        }
        return sum[1] == 0 ? 0 : sum[0] / sum[1];
    }

    /** Scratch of {@link #prefetch}: per key, its dict, hash, home slot, candidate link and key reference. */
    private final Dict[] prefetchDicts = new Dict[PREFETCH_MAX];
    private final int[] prefetchHashes = new int[PREFETCH_MAX];
    private final long[] prefetchSlots = new long[PREFETCH_MAX];
    private final int[] prefetchLinks = new int[PREFETCH_MAX];
    private final Object[] prefetchRefs = new Object[PREFETCH_MAX];
    private final long[] prefetchPrior = new long[PREFETCH_MAX];
    /** Keeps the prefetch loads from being optimised away. */
    private long prefetchSink;
    /** The most keys one {@link #prefetch} call takes. */
    public static final int PREFETCH_MAX = 16;
    /** Longer keys (and members) are left out of a prefetch: their lookups are not worth the look-ahead. */
    public static final int PREFETCH_KEY_MAX = 64;
    /** The most stages of a member's prefetch ({@link RedisValue#prefetchMember}). */
    private static final int MEMBER_STAGES = 4;

    /** Scratch of {@link #prefetch(byte[][], int)}: the keys side by side, as the pipeline look-ahead has them. */
    private final byte[] keyWindow = new byte[PREFETCH_MAX * PREFETCH_KEY_MAX];
    private final int[] keyOffsets = new int[PREFETCH_MAX];
    private final int[] keyLengths = new int[PREFETCH_MAX];
    private static final int[] NO_MEMBERS = noMembers();

    private static int[] noMembers() {
        int[] a = new int[PREFETCH_MAX];
        Arrays.fill(a, -1);
        return a;
    }

    /**
     * {@link #prefetch(byte[], int[], int[], int[], int[], int)} for whole keys without members: the first
     * {@code n} of {@code keys} (at most {@link #PREFETCH_MAX}), leaving out those longer than
     * {@link #PREFETCH_KEY_MAX}. Returns how many it prefetched: none when fewer than two are left.
     */
    public int prefetch(byte[][] keys, int n) {
        int m = 0;
        int used = 0;
        for (int i = 0; i < n && m < PREFETCH_MAX; i++) {
            byte[] k = keys[i];
            if (k.length <= PREFETCH_KEY_MAX) {
                System.arraycopy(k, 0, keyWindow, used, k.length);
                keyOffsets[m] = used;
                keyLengths[m++] = k.length;
                used += k.length;
            }
        }
        if (m < 2) {
            return 0;
        }
        prefetch(keyWindow, keyOffsets, keyLengths, keyOffsets, NO_MEMBERS, m);
        return m;
    }

    /**
     * Starts the memory loads the lookups of the next commands' keys will make (Valkey's batched key
     * prefetch): key {@code i} is {@code keys[offsets[i], offsets[i] + lengths[i])}. A lookup is a chain of
     * dependent loads (slot, entry, then key and value), each likely a cache miss in a big keyspace; made one
     * stage at a time across all the keys, the misses of a stage overlap instead of following each other.
     * Only loads happen: nothing changes, and a wrong guess costs nothing but the load. When a key holds a
     * collection, the lookup of its member or field {@code keys[memberOffsets[i], ...)} (length -1: none)
     * follows, through the value's {@link RedisValue#prefetchMember}. Returns whether it could have saved a
     * miss: false when every key was found at one entry and no member lookup began (a pipeline of pushes or
     * pops on one list), so the caller may look ahead less often.
     */
    public boolean prefetch(byte[] keys, int[] offsets, int[] lengths, int[] memberOffsets, int[] memberLengths,
                            int n) {
        Dict[] m = main;
        n = Math.min(n, PREFETCH_MAX);
        // the hashing first, apart from the loads: a loop of small bodies lets the CPU run many loads ahead
        for (int i = 0; i < n; i++) {
            prefetchDicts[i] = m[m.length == 1 ? 0 : KeySlot.slot(keys, offsets[i], lengths[i])];
            prefetchHashes[i] = Dict.hash(keys, offsets[i], lengths[i]);
        }
        for (int i = 0; i < n; i++) {
            Dict d = prefetchDicts[i];
            prefetchSlots[i] = d == null ? 0 : d.homeSlot(prefetchHashes[i]);
        }
        // the run from the home is in the line just loaded: the first entry of the key's tag is the candidate
        for (int i = 0; i < n; i++) {
            long home = prefetchSlots[i];
            prefetchLinks[i] = home == 0 ? 0 : prefetchDicts[i].candidate(prefetchHashes[i], home);
        }
        long sink = 0;
        for (int i = 0; i < n; i++) {
            int link = prefetchLinks[i];
            if (link > 0) {
                prefetchRefs[i] = prefetchDicts[i].keyRefOfLink(link);
            }
        }
        for (int i = 0; i < n; i++) {
            if (prefetchLinks[i] > 0 && prefetchRefs[i] instanceof byte[] key) {
                sink += key.length; // the loads alone: the comparison below would fill the CPU's window
            }
        }
        for (int i = 0; i < n; i++) {
            int link = prefetchLinks[i];
            if (link > 0 && prefetchRefs[i] instanceof byte[] key) {
                // found: its value is the next stage (another key of the same tag: the lookup finds its way)
                boolean found = Arrays.equals(key, 0, key.length, keys, offsets[i], offsets[i] + lengths[i]);
                prefetchLinks[i] = found ? -link : 0;
            }
        }
        boolean useful = false;
        for (int i = 0; i < n; i++) {
            useful |= prefetchLinks[i] >= 0 || prefetchLinks[i] != prefetchLinks[0]
                    || prefetchDicts[i] != prefetchDicts[0];
        }
        for (int i = 0; i < n; i++) {
            int link = -prefetchLinks[i];
            prefetchRefs[i] = null;
            if (link > 0) {
                Object v = prefetchDicts[i].valueAt(link - 1);
                if (v instanceof byte[] b) {
                    sink += b.length;
                } else if (v instanceof RedisValue rv && memberLengths[i] >= 0 && store == null) {
                    prefetchRefs[i] = rv; // a collection: its member's lookup is the next stage
                }
            }
            prefetchDicts[i] = null;
        }
        long[] prior = prefetchPrior;
        boolean more = true;
        for (int stage = 0; stage < MEMBER_STAGES && more; stage++) {
            more = false;
            for (int i = 0; i < n; i++) {
                if (prefetchRefs[i] instanceof RedisValue rv && (stage == 0 || prior[i] != 0)) {
                    long r = rv.prefetchMember(keys, memberOffsets[i], memberLengths[i], stage,
                            stage == 0 ? 0 : prior[i]);
                    prior[i] = r;
                    sink += r;
                    more |= r != 0;
                    useful |= r != 0;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            prefetchRefs[i] = null;
        }
        prefetchSink += sink;
        return useful;
    }

    public boolean perSlot() {
        return main.length > 1;
    }

    private int slotOf(byte[] key) {
        if (main.length == 1) {
            return 0;
        }
        return key == hintedKey ? hintedSlot : KeySlot.slot(key);
    }

    /**
     * The cluster router computed {@code key}'s slot already: a lookup of this very array (the command's
     * argument, never changed once decoded) reuses it instead of hashing the key again. Null clears it.
     */
    public void hintSlot(byte[] key, int slot) {
        hintedKey = key;
        hintedSlot = slot;
    }

    private Dict mainFor(int slot) {
        Dict d = main[slot];
        if (d == null) {
            d = main[slot] = new Dict();
        }
        return d;
    }

    private Dict expiresFor(int slot) {
        Dict d = expires[slot];
        if (d == null) {
            d = expires[slot] = new Dict();
        }
        return d;
    }

    /** Deletes {@code key} when its deadline passed; true when the key is (logically) expired. */
    private boolean expireIfNeeded(int slot, byte[] key) {
        if (expiresCount == 0) {
            return false;
        }
        Dict ex = expires[slot];
        if (ex == null) {
            return false;
        }
        Object when = ex.get(key);
        if (when == null || (Long) when >= hooks.now() || hooks.keysNeverExpire()) { // expired only when now > when
            return false;
        }
        if (hooks.mayDeleteExpired()) {
            deleteExpired(key);
        }
        return true;
    }

    /** Redis's expireIfNeeded for one key: deletes it when its deadline passed; true when it is logically expired. */
    public boolean expireIfNeeded(byte[] key) {
        return expireIfNeeded(slotOf(key), key);
    }

    /** Removes a key whose TTL passed and runs the expiry hooks. */
    public void deleteExpired(byte[] key) {
        if (delete(key)) {
            hooks.onExpired(this, key);
        }
    }

    private int liveEntry(byte[] key, boolean touch) {
        int slot = slotOf(key);
        Dict d = main[slot];
        if (d == null || d.size() == 0) {
            return -1;
        }
        if (expireIfNeeded(slot, key)) {
            return -1;
        }
        int e = d.find(key);
        if (e >= 0 && touch) {
            touch(d, e);
        }
        return e;
    }

    @Override
    public Object get(byte[] key) {
        return lookup(key, hooks.lookupFlags());
    }

    @Override
    public Object getForRead(byte[] key) {
        return lookup(key, hooks.lookupFlags() & ~LOOKUP_WRITE);
    }

    /** Updates an entry's LRU/LFU stamp, writing only when it changes (a read should not dirty the line). */
    private void touch(Dict d, int e) {
        int old = d.metaAt(e);
        int stamp = hooks.accessStamp(old);
        if (stamp != old) {
            d.setMetaAt(e, stamp);
        }
    }

    /**
     * The entry the last {@link #lookup} found, kept for a write of the same key that follows (INCR, APPEND:
     * Redis's dbReplaceValue after lookupKeyWrite), which then skips hashing and searching again. Valid while
     * its dict frees no entry (entry indexes are stable until then); {@code key} is the command's argument array.
     */
    private byte[] foundKey;
    private Dict foundDict;
    private int foundEntry;
    private int foundRemovals;

    private void found(byte[] key, Dict d, int e) {
        foundKey = key;
        foundDict = d;
        foundEntry = e;
        foundRemovals = d.removals();
    }

    /** Drops the kept entry with the tables it is in (FLUSHDB, SWAPDB): they must not stay reachable. */
    private void forgetFound() {
        foundKey = null;
        foundDict = null;
    }

    /** {@code key}'s entry in {@code d}: the one {@link #found} kept when it still holds, else a search. */
    private int foundBefore(byte[] key, Dict d) {
        if (key == foundKey && d == foundDict && d.removals() == foundRemovals) {
            int e = foundEntry;
            if (Arrays.equals(d.keyOf(e), key)) {
                return e;
            }
        }
        return d.find(key);
    }

    /**
     * Redis's lookupKey: the live value or null, after lazy expiry; updates the access stamp unless
     * {@link #LOOKUP_NOTOUCH}; a read lookup (no {@link #LOOKUP_WRITE}) counts a keyspace hit or miss and
     * emits "keymiss" on a miss, unless {@link #LOOKUP_NOSTATS} / {@link #LOOKUP_NONOTIFY}.
     */
    public Object lookup(byte[] key, int flags) {
        int slot = slotOf(key);
        Dict d = main[slot];
        Object value = null;
        if (d != null && d.size() > 0 && !expireIfNeeded(slot, key)) {
            int e = d.find(key);
            if (e >= 0) {
                found(key, d, e);
                value = d.valueAt(e);
                if (store != null) {
                    value = store.load(key, value);
                }
                if ((flags & LOOKUP_NOTOUCH) == 0 && !hooks.touchSuppressed()) {
                    touch(d, e);
                }
            }
        }
        if ((flags & LOOKUP_WRITE) == 0) {
            hooks.onReadLookup(this, key, value != null, flags);
        }
        return value;
    }

    @Override
    public Object peek(byte[] key) {
        int slot = slotOf(key);
        Dict d = main[slot];
        if (d == null || d.size() == 0 || expireIfNeeded(slot, key)) {
            return null;
        }
        Object v = d.get(key);
        return store == null || v == null ? v : store.load(key, v);
    }

    /** The value without expiry check or access update: DEBUG commands look at logically expired keys too. */
    public Object peekRaw(byte[] key) {
        Dict d = main[slotOf(key)];
        Object v = d == null ? null : d.get(key);
        return store == null || v == null ? v : store.load(key, v);
    }

    /** The LRU/LFU stamp of a live key, or -1 (OBJECT IDLETIME / FREQ). */
    public int accessMeta(byte[] key) {
        int slot = slotOf(key);
        if (main[slot] == null || liveEntry(key, false) < 0) {
            return -1;
        }
        return main[slot].metaAt(main[slot].find(key));
    }

    /** Sets the LRU/LFU stamp of a live key (RESTORE IDLETIME/FREQ, DEBUG). */
    public void setAccessMeta(byte[] key, int stamp) {
        int slot = slotOf(key);
        int e = liveEntry(key, false);
        if (e >= 0) {
            main[slot].setMetaAt(e, stamp);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends RedisValue> T get(byte[] key, Class<T> type) {
        Object v = get(key);
        if (v == null) {
            return null;
        }
        if (!type.isInstance(v)) {
            throw new CommandException(Errors.WRONGTYPE);
        }
        return (T) v;
    }

    @Override
    public byte[] getString(byte[] key) {
        Object v = get(key);
        return v == null ? null : Values.stringBytes(v);
    }

    /** True when {@code key} is stored, even if logically expired; nothing is deleted (WATCH bookkeeping). */
    public boolean containsIncludingExpired(byte[] key) {
        Dict d = main[slotOf(key)];
        return d != null && d.size() > 0 && d.find(key) >= 0;
    }

    @Override
    public boolean exists(byte[] key) {
        return lookup(key, LOOKUP_NOTOUCH | hooks.lookupFlags()) != null;
    }

    @Override
    public void set(byte[] key, Object value) {
        int slot = slotOf(key);
        if (store(slot, key, value)) {
            removeExpire(slot, key);
        }
    }

    @Override
    public void setKeepTtl(byte[] key, Object value) {
        store(slotOf(key), key, value);
    }

    /**
     * Redis's setKey without the TTL part: an expired key is reclaimed first (its lookup for writing), an
     * existing key keeps its entry with the access stamp of that lookup (so LFU counters survive overwrites),
     * a new key is added. True when the key existed.
     */
    private boolean store(int slot, byte[] key, Object value) {
        beforeChange(key);
        Dict d = mainFor(slot);
        expireIfNeeded(slot, key);
        int e = foundBefore(key, d);
        if (e >= 0) {
            d.setValueAt(e, store == null ? value : store.put(key, value, d.valueAt(e)));
            if (!hooks.touchSuppressed()) {
                touch(d, e);
            }
            return true;
        }
        insert(d, key, value);
        return false;
    }

    @Override
    public void add(byte[] key, Object value) {
        beforeChange(key);
        insert(mainFor(slotOf(key)), key, value);
    }

    /** Redis's dbAdd: a new entry with a creation stamp, and the "new" event. */
    private void insert(Dict d, byte[] key, Object value) {
        int e = d.insertNew(key, store == null ? value : store.put(key, value, null));
        d.setMetaAt(e, hooks.creationStamp());
        keys++;
        hooks.onNewKey(this, key);
    }

    @Override
    public boolean delete(byte[] key) {
        int slot = slotOf(key);
        Dict d = main[slot];
        if (d == null) {
            return false;
        }
        beforeChange(key);
        Object old = d.remove(key);
        if (old == null) {
            return false;
        }
        if (store != null) {
            store.remove(key, old);
        }
        keys--;
        removeExpire(slot, key);
        return true;
    }

    private boolean removeExpire(int slot, byte[] key) {
        Dict ex = expires[slot];
        if (ex == null || expiresCount == 0 || ex.remove(key) == null) {
            return false;
        }
        expiresCount--;
        if (store != null) {
            store.expire(key, null, -1);
        }
        return true;
    }

    @Override
    public long getExpire(byte[] key) {
        int slot = slotOf(key);
        Dict ex = expires[slot];
        if (ex == null || expiresCount == 0) {
            return -1;
        }
        Object when = ex.get(key);
        return when == null ? -1 : (Long) when;
    }

    @Override
    public void setExpire(byte[] key, long unixMillis) {
        int slot = slotOf(key);
        Dict d = main[slot];
        int e = d == null ? -1 : d.find(key);
        if (e < 0) {
            return;
        }
        beforeChange(key);
        // share the main dict's key array, as Redis shares the sds
        if (expiresFor(slot).put(d.keyOf(e), unixMillis) == null) {
            expiresCount++;
        }
        if (store != null) {
            d.setValueAt(e, store.expire(key, d.valueAt(e), unixMillis));
        }
    }

    @Override
    public boolean persist(byte[] key) {
        int slot = slotOf(key);
        if (liveEntry(key, false) < 0) {
            return false;
        }
        beforeChange(key);
        return removeExpire(slot, key);
    }

    @Override
    public byte[] randomKey() {
        for (int attempt = 0; attempt < 100 && keys > 0; attempt++) {
            Dict d = randomNonEmptyDict(main);
            int e = d.randomEntry();
            byte[] key = d.keyOf(e);
            int slot = slotOf(key);
            if (expiresCount > 0 && expires[slot] != null) {
                Object when = expires[slot].get(key);
                if (when != null && (Long) when < hooks.now()) {
                    if (keys == expiresCount && attempt > 50 && !hooks.mayDeleteExpired()) {
                        return key; // all keys volatile on a replica: give up like Redis does
                    }
                    expireIfNeeded(slot, key);
                    continue;
                }
            }
            return key;
        }
        return null;
    }

    private Dict randomNonEmptyDict(Dict[] dicts) {
        if (dicts.length == 1) {
            return dicts[0];
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while (true) {
            Dict d = dicts[rnd.nextInt(dicts.length)];
            if (d != null && d.size() > 0) {
                return d;
            }
        }
    }

    @Override
    public long scan(long cursor, Consumer<byte[]> visitor) {
        if (main.length == 1) {
            return main[0] == null ? 0 : main[0].scan(cursor, (k, v) -> visitor.accept(k));
        }
        int slot = (int) (cursor >>> SLOT_SHIFT);
        long inner = cursor & ((1L << SLOT_SHIFT) - 1);
        while (slot < main.length) {
            Dict d = main[slot];
            if (d != null && d.size() > 0) {
                long next = d.scan(inner, (k, v) -> visitor.accept(k));
                if (next != 0) {
                    return ((long) slot << SLOT_SHIFT) | next;
                }
                slot++;
                return slot >= main.length ? 0 : (long) slot << SLOT_SHIFT;
            }
            slot++;
            inner = 0;
        }
        return 0;
    }

    /** SCAN restricted to one slot's dict (CLUSTER GETKEYSINSLOT, slot migration). */
    public void forEachKeyInSlot(int slot, Consumer<byte[]> visitor) {
        Dict d = main[main.length == 1 ? 0 : slot];
        if (d != null) {
            d.forEach((k, v) -> visitor.accept(k));
        }
    }

    public long countKeysInSlot(int slot) {
        Dict d = main[main.length == 1 ? 0 : slot];
        return d == null ? 0 : d.size();
    }

    @Override
    public void forEachKey(Consumer<byte[]> visitor) {
        long now = hooks.now();
        for (int s = 0; s < main.length; s++) {
            Dict d = main[s];
            if (d == null) {
                continue;
            }
            Dict ex = expires[s];
            d.forEach((k, v) -> {
                if (ex != null && expiresCount > 0) {
                    Object when = ex.get(k);
                    if (when != null && (Long) when < now) {
                        return;
                    }
                }
                visitor.accept(k);
            });
        }
    }

    /** Visits live entries with their values (persistence, DEBUG DIGEST). */
    public void forEachEntry(java.util.function.BiConsumer<byte[], Object> visitor) {
        ValueStore s = store;
        for (Dict d : main) {
            if (d != null) {
                d.forEach(s == null ? visitor : (k, v) -> visitor.accept(k, s.load(k, v)));
            }
        }
    }

    @Override
    public void clear() {
        if (store != null) {
            if (changeListener != null) {
                materializeValues(); // the snapshot walking the old tables still needs the values the store drops
            }
            store.clear();
        }
        // new tables rather than emptied ones: a running snapshot keeps walking the old content
        main = new Dict[main.length];
        expires = new Dict[expires.length];
        keys = 0;
        expiresCount = 0;
        forgetFound();
    }

    /** Replaces every value store handle in the current tables by the value itself. */
    private void materializeValues() {
        for (Dict d : main) {
            for (int e = 0, n = d == null ? 0 : d.highWater(); e < n; e++) {
                byte[] k = d.keyAtIndex(e);
                if (k != null && ValueStore.isHandle(d.valueAt(e))) {
                    d.setValueAt(e, store.load(k, d.valueAt(e)));
                }
            }
        }
    }

    /** Swaps the whole content with {@code other} (SWAPDB). */
    public void swapWith(Database other) {
        forgetFound();
        other.forgetFound();
        if (store != null) {
            store.exchangeWith(other.store);
            ValueStore s = store;
            store = other.store;
            other.store = s;
        }
        // the tables themselves change hands, so a running snapshot follows each content (see Tables)
        Dict[] m = main;
        main = other.main;
        other.main = m;
        Dict[] e = expires;
        expires = other.expires;
        other.expires = e;
        long k = keys;
        keys = other.keys;
        other.keys = k;
        long x = expiresCount;
        expiresCount = other.expiresCount;
        other.expiresCount = x;
    }

    /**
     * One active-expire sampling round (Redis's activeExpireCycle for one db): samples up to
     * {@code samples} volatile keys, deletes the expired ones, returns how many expired.
     */
    public int activeExpireSample(int samples) {
        if (expiresCount == 0) {
            return 0;
        }
        int expired = 0;
        long now = hooks.now();
        for (int i = 0; i < samples && expiresCount > 0; i++) {
            Dict ex = randomNonEmptyDict(expires);
            int e = ex.randomEntry();
            if ((Long) ex.valueAt(e) < now) {
                deleteExpired(ex.keyOf(e));
                expired++;
            }
        }
        return expired;
    }

    /**
     * At most this many slots' tables per cron call: a cluster node has 16384 of them, and visiting every one at
     * each call (10 times a second) cost a few percent of the CPU; each table is still visited every 1.6 s.
     */
    private static final int CRON_SLOTS = 1024;
    private int cronCursor;

    /** Cron housekeeping: shrink sparse dicts and rehash for up to {@code millis}. */
    public void cron(long millis) {
        int n = Math.min(main.length, CRON_SLOTS);
        if (cronCursor >= main.length) {
            cronCursor = 0;
        }
        for (int i = 0; i < n; i++) {
            int s = cronCursor;
            cronCursor = s + 1 == main.length ? 0 : s + 1;
            if (main[s] != null) {
                if (main[s].size() == 0 && main.length > 1) {
                    main[s] = null;
                } else {
                    main[s].shrinkIfSparse();
                    main[s].rehashFor(millis);
                }
            }
            if (expires[s] != null) {
                expires[s].shrinkIfSparse();
                expires[s].rehashFor(millis);
            }
        }
    }
}
