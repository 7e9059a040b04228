package io.cinnabar.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.function.IntConsumer;

/**
 * An open-addressing hash index of int ids (1 and up) for a collection that keeps its entries itself (dense
 * arrays, a node store): the hashtable encodings of sets and hashes and the member index of a skiplist zset.
 * A slot holds an id in its low {@code bits} bits (0: empty) and the high bits of the entry's hash above them,
 * so a probe rejects another entry without reading it: a lookup that finds its entry reads one slot and the
 * entry, where a chained table also reads a link and every entry before it in the chain.
 *
 * <p>Collisions probe linearly; a removal shifts the rest of the run back (no tombstones). The index holds at
 * most three quarters of its slots and every id is at most that many, so ids always fit below the hash bits.
 * An entry's home slot is its hash's low bits, as a bucket of Redis's dict, and it lies in the run of occupied
 * slots from its home on, so {@link #scan} walks homes with Redis's reverse-binary cursor and visits every
 * entry present for the whole scan at least once even when the index grows or shrinks between calls.
 *
 * <p>Hashes are not kept: the {@link Hasher} computes an entry's again when a run shifts, the index resizes or
 * is scanned. The lookup loop is the caller's, so that its comparison of an entry is compiled into it:
 * <pre>{@code
 *   int p = index.home(h);
 *   for (int v; (v = index.slot(p)) != 0; p = index.next(p)) {
 *       if (index.tagMatches(v, h) && isTheOneSought(index.id(v))) {
 *           return p;
 *       }
 *   }
 *   return ~p; // the free slot ending the run: add(~p, h, id) puts a new entry there
 * }</pre>
 * Slots live in pages of 4096 (16 KB), so a large index is many small arrays rather than one huge one.
 */
public final class SlotIndex {
    /** The hash of the entry an id names (the same {@link #hash} the caller looks entries up with). */
    public interface Hasher {
        int hash(int id);
    }

    private static final int MIN_BITS = 3;
    /** The largest index: 2^30 slots hold 805 million entries, more than a heap of Java arrays holds in practice. */
    private static final int MAX_BITS = 30;
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE - 1;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Hasher hasher;
    private int[][] slots;
    private int bits;
    /** (1 << bits) - 1: a hash's home slot, and a slot's id bits. */
    private int mask;
    private int count;

    /** An index with room for {@code expected} entries of ids up to that many. */
    public SlotIndex(int expected, Hasher hasher) {
        this.hasher = hasher;
        allocate(bitsFor(expected));
    }

    /** A multiply-rotate hash over 8 bytes at a time, finished so every bit (home and tag) depends on all input. */
    public static int hash(byte[] b, int off, int len) {
        long h = 0x9E3779B97F4A7C15L ^ len;
        int i = off;
        int end = off + len;
        for (int last = end - 7; i < last; i += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(b, i) * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        long tail = 0;
        for (int s = 0; i < end; i++, s += 8) {
            tail |= (b[i] & 0xFFL) << s;
        }
        h ^= tail * 0x165667B19E3779F9L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }

    public static int hash(byte[] b) {
        return hash(b, 0, b.length);
    }

    public int size() {
        return count;
    }

    /** Where the probe for hash {@code h} starts. */
    public int home(int h) {
        return h & mask;
    }

    /**
     * One stage of {@link RedisValue#prefetchMember} for a collection that keeps its entries as {@code byte[]}
     * in pages of {@code 1 << pageShift} (id {@code i} at {@code pages[(i - 1) >>> pageShift][(i - 1) & mask]})
     * and finds them through this index: 0 hashes ({@link #prefetchHash}), 1 loads the home slot ({@link
     * #prefetchSlot}), 2 the reference to the entry the probe meets first with the tag ({@link #prefetchId}),
     * 3 the entry's first byte and the one past the {@code len} bytes sought (an array may straddle two cache
     * lines). Returns what the next stage takes, 0 when there is nothing more to load.
     */
    public long prefetchEntry(byte[] b, int off, int len, int stage, long prior, byte[][][] pages, int pageShift) {
        return prefetchEntry(b, off, len, stage, prior, pages, pageShift, 1);
    }

    /**
     * {@link #prefetchEntry(byte[], int, int, int, long, byte[][][], int)} for entries whose ids start at
     * {@code firstId}: id {@code i} is at {@code pages[(i - firstId) >>> pageShift][(i - firstId) & mask]}.
     * Stage 2 returns the id plus one, so that an id 0 is not taken for "nothing more".
     */
    public long prefetchEntry(byte[] b, int off, int len, int stage, long prior, byte[][][] pages, int pageShift,
                              int firstId) {
        int pageMask = (1 << pageShift) - 1;
        return switch (stage) {
            case 0 -> prefetchHash(b, off, len);
            case 1 -> prefetchSlot(prior);
            case 2 -> {
                int at = prefetchId(prior) - firstId;
                yield at < 0 || pages[at >>> pageShift][at & pageMask] == null ? 0 : at + 1L;
            }
            default -> {
                int at = (int) prior - 1;
                byte[] e = pages[at >>> pageShift][at & pageMask];
                yield e.length == 0 ? 0 : e[0] + e[Math.min(e.length - 1, len + 8)];
            }
        };
    }

    /**
     * Stage 0 of a prefetched lookup ({@link RedisValue#prefetchMember}) of the entry held in {@code b[off,
     * off + len)}: no load, only its hash and home, for {@link #prefetchSlot}. Hashing apart from the loads
     * keeps the stages that load small, so the CPU runs the loads of many lookups at once.
     */
    public long prefetchHash(byte[] b, int off, int len) {
        int h = hash(b, off, len);
        return (long) h << 32 | home(h);
    }

    /** Stage 1: loads the home slot; returns {@code home} again, or 0 when the slot is empty (entry absent). */
    public long prefetchSlot(long home) {
        return slot((int) home & mask) == 0 ? 0 : home;
    }

    /**
     * Stage 2: the id the probe from the home meets first with the entry's tag (the slots are loaded
     * already), or 0 when the run holds none. The caller then loads that entry.
     */
    public int prefetchId(long home) {
        int h = (int) (home >>> 32);
        int p = (int) home & mask;
        for (int v; (v = slot(p)) != 0; p = next(p)) {
            if (tagMatches(v, h)) {
                return id(v);
            }
        }
        return 0;
    }

    /** The slot after {@code p}, wrapping around. */
    public int next(int p) {
        return (p + 1) & mask;
    }

    /** Slot {@code p}'s content: 0 when empty. */
    public int slot(int p) {
        return slots[p >>> PAGE_SHIFT][p & PAGE_MASK];
    }

    /** Whether the non-empty slot content {@code v} may name an entry of hash {@code h}. */
    public boolean tagMatches(int v, int h) {
        return ((v ^ h) & ~mask) == 0;
    }

    /** The id in the non-empty slot content {@code v}. */
    public int id(int v) {
        return v & mask;
    }

    /**
     * Adds {@code id}, an entry of hash {@code h} the index does not hold, at the free slot {@code p} where the
     * lookup for it ended (-1: find one). When the entries or the id outgrow three quarters of the slots, the
     * index doubles first and finds the slot itself.
     */
    public void add(int p, int h, int id) {
        boolean grown = false;
        while (Math.max(count + 1L, id) * 4 > 3L << bits) {
            if (bits == MAX_BITS) {
                throw new IllegalStateException("collection too large");
            }
            rehash(bits + 1);
            grown = true;
        }
        if (grown || p < 0) {
            p = h & mask;
            while (slot(p) != 0) {
                p = (p + 1) & mask;
            }
        }
        setSlot(p, (h & ~mask) | id);
        count++;
    }

    /** The slot that holds {@code id}, an entry of hash {@code h}. */
    public int slotOf(int id, int h) {
        int p = h & mask;
        while ((slot(p) & mask) != id) {
            p = (p + 1) & mask;
        }
        return p;
    }

    /** Slot {@code p} (non-empty) names {@code id} from now on: its entry moved to that id. */
    public void relabel(int p, int id) {
        setSlot(p, (slot(p) & ~mask) | id);
    }

    /**
     * Empties slot {@code p} and closes the gap (Knuth's algorithm R): each later slot of the run moves back
     * into the hole unless its home lies cyclically after the hole, so every entry stays reachable from its home.
     * The ids of the run must still name their entries (their hashes are computed again).
     */
    public void remove(int p) {
        int hole = p;
        for (int j = (hole + 1) & mask, v; (v = slot(j)) != 0; j = (j + 1) & mask) {
            int home = hasher.hash(v & mask) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                setSlot(hole, v);
                hole = j;
            }
        }
        setSlot(hole, 0);
        count--;
    }

    /**
     * Shrinks the slots when under a tenth full (Redis's {@code HT_MIN_FILL}) to the fewest that hold the
     * entries and ids up to {@code maxId} within three quarters.
     */
    public void shrinkIfSparse(int maxId) {
        if (bits > MIN_BITS && count * 10L < 1L << bits) {
            int b = bitsFor(Math.max(count, maxId));
            if (b < bits) {
                rehash(b);
            }
        }
    }

    /** Empties the index, sized for {@code expected} entries (a caller that renumbers its ids adds them again). */
    public void clear(int expected) {
        allocate(bitsFor(expected));
        count = 0;
    }

    /**
     * One step of Redis's {@code dictScan}: visits the ids whose home is slot {@code cursor & mask} and returns
     * the next cursor in reverse-binary order (0 when the walk is complete).
     */
    public long scan(long cursor, IntConsumer visitor) {
        int home = (int) (cursor & mask);
        for (int p = home, v; (v = slot(p)) != 0; p = (p + 1) & mask) {
            if ((hasher.hash(v & mask) & mask) == home) {
                visitor.accept(v & mask);
            }
        }
        cursor |= ~(long) mask;
        cursor = Long.reverse(cursor);
        cursor++;
        return Long.reverse(cursor);
    }

    /** A copy of this index for a copy of its collection, whose entries {@code hasher} hashes. */
    public SlotIndex copy(Hasher hasher) {
        SlotIndex c = new SlotIndex(0, hasher);
        c.slots = new int[slots.length][];
        for (int p = 0; p < slots.length; p++) {
            c.slots[p] = slots[p].clone();
        }
        c.bits = bits;
        c.mask = mask;
        c.count = count;
        return c;
    }

    /** The heap of the slot pages (4-byte slots and references, 16-byte array headers, 8-byte alignment). */
    public long memoryUsage() {
        return 32 + ((16 + slots.length * 4L + 7) & ~7L) + slots.length * 16L + (mask + 1L) * 4;
    }

    private void setSlot(int p, int v) {
        slots[p >>> PAGE_SHIFT][p & PAGE_MASK] = v;
    }

    private void rehash(int newBits) {
        int[][] old = slots;
        int oldMask = mask;
        allocate(newBits);
        for (int[] page : old) {
            for (int v : page) {
                if (v != 0) {
                    int id = v & oldMask;
                    int h = hasher.hash(id);
                    int p = h & mask;
                    while (slot(p) != 0) {
                        p = (p + 1) & mask;
                    }
                    setSlot(p, (h & ~mask) | id);
                }
            }
        }
    }

    private void allocate(int newBits) {
        int n = 1 << newBits;
        int[][] s = new int[Math.max(1, n >>> PAGE_SHIFT)][];
        for (int p = 0; p < s.length; p++) {
            s[p] = new int[Math.min(n, PAGE)];
        }
        slots = s;
        bits = newBits;
        mask = n - 1;
    }

    /** The fewest bits whose slots hold {@code n} entries within three quarters. */
    private static int bitsFor(long n) {
        int b = MIN_BITS;
        while (b < MAX_BITS && n * 4 > 3L << b) {
            b++;
        }
        return b;
    }
}
