package io.cinnabar.datatypes.sets;

import io.cinnabar.api.SlotIndex;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The hashtable encoding of a set: dense entry arrays indexed by a {@link SlotIndex} of entry index + 1.
 * Entries stay dense (a removal moves the last entry into the hole) so a random member is one uniform index.
 * The index's slots carry hash tag bits, so a lookup that finds its member reads one slot, one entry reference
 * and the member's bytes, and SSCAN walks the index with Redis's reverse-binary cursor. The index shrinks under
 * a tenth full, as Redis's dict.
 *
 * <p>Hashes are not kept: they are computed again when an entry moves, the index is resized or scanned. The
 * index costs 4 bytes per entry reference and 4 per slot (1.33 to 2.67 slots per entry); the entry arrays grow
 * by half, then by pages, so a large set carries little spare.
 */
final class MemberTable {
    private static final int MIN_ENTRIES = 4;
    /** Entries live in pages of 4096 (16 KB), a large table in many small arrays. */
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE - 1;

    /** Entry i's member, i in [0, size). */
    private byte[][][] members;
    /** Entry i is id i + 1. */
    private final SlotIndex index;
    /** Entry slots allocated: page 0 grows by half up to a full page, then whole pages are added. */
    private int capacity;
    private int size;
    /** The heap of the members' own arrays, kept as they come and go so MEMORY USAGE walks nothing. */
    private long memberBytes;

    MemberTable(int expected) {
        members = new byte[1][][];
        allocateEntries(Math.max(MIN_ENTRIES, expected));
        index = new SlotIndex(expected, this::hashOf);
    }

    /** A copy sharing the members' arrays (members never change in place). */
    private MemberTable(MemberTable from) {
        members = new byte[from.members.length][][];
        for (int p = 0; p < members.length && from.members[p] != null; p++) {
            members[p] = from.members[p].clone();
        }
        capacity = from.capacity;
        size = from.size;
        memberBytes = from.memberBytes;
        index = from.index.copy(this::hashOf);
    }

    MemberTable copy() {
        return new MemberTable(this);
    }

    private int hashOf(int id) {
        return SlotIndex.hash(at(id - 1));
    }

    int size() {
        return size;
    }

    /** RedisValue#prefetchMember's stages ({@link SlotIndex#prefetchEntry}: members are ids 1 and up). */
    long prefetch(byte[] b, int off, int len, int stage, long prior) {
        return index.prefetchEntry(b, off, len, stage, prior, members, PAGE_SHIFT);
    }

    byte[] at(int i) {
        return members[i >>> PAGE_SHIFT][i & PAGE_MASK];
    }

    boolean contains(byte[] m) {
        return find(m, SlotIndex.hash(m)) >= 0;
    }

    boolean add(byte[] m) {
        int h = SlotIndex.hash(m);
        int p = find(m, h);
        if (p >= 0) {
            return false;
        }
        if (size == capacity) {
            allocateEntries(size < PAGE ? Math.min(PAGE, size + (size >> 1) + 1) : size + PAGE);
        }
        members[size >>> PAGE_SHIFT][size & PAGE_MASK] = m;
        memberBytes += align(16 + m.length);
        size++;
        index.add(~p, h, size);
        return true;
    }

    boolean remove(byte[] m) {
        int p = find(m, SlotIndex.hash(m));
        if (p < 0) {
            return false;
        }
        removeEntry(p, index.id(index.slot(p)) - 1);
        return true;
    }

    /** Removes entry {@code i}; the last entry takes its index. */
    void removeAt(int i) {
        removeEntry(index.slotOf(i + 1, SlotIndex.hash(at(i))), i);
    }

    /** Removes entry {@code i}, whose slot is {@code p}. */
    private void removeEntry(int p, int i) {
        memberBytes -= align(16 + at(i).length);
        index.remove(p);
        int last = size - 1;
        if (i != last) {
            byte[] moved = at(last);
            index.relabel(index.slotOf(last + 1, SlotIndex.hash(moved)), i + 1);
            members[i >>> PAGE_SHIFT][i & PAGE_MASK] = moved;
        }
        members[last >>> PAGE_SHIFT][last & PAGE_MASK] = null;
        size--;
        index.shrinkIfSparse(size);
        releaseEntries();
    }

    /** One step of SSCAN: the members whose home is the cursor's slot, and the next cursor (0: done). */
    long scan(long cursor, Consumer<byte[]> visitor) {
        return index.scan(cursor, id -> visitor.accept(at(id - 1)));
    }

    /** The heap this table holds (compressed references: 4 bytes a slot, 16-byte array headers, 8-byte alignment). */
    long memoryUsage() {
        long bytes = 32 + align(16 + members.length * 4L) + index.memoryUsage();
        for (int p = 0; p < members.length && members[p] != null; p++) {
            bytes += align(16 + members[p].length * 4L);
        }
        return bytes + memberBytes;
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    /** The slot holding {@code m} (whose hash is {@code h}), or {@code ~p} for the free slot p ending its run. */
    private int find(byte[] m, int h) {
        SlotIndex x = index;
        int p = x.home(h);
        for (int v; (v = x.slot(p)) != 0; p = x.next(p)) {
            if (x.tagMatches(v, h) && Arrays.equals(at(x.id(v) - 1), m)) {
                return p;
            }
        }
        return ~p;
    }

    /** Grows the entry slots to {@code cap}: page 0 up to a full page, then whole pages. */
    private void allocateEntries(int cap) {
        if (cap <= PAGE) {
            members[0] = members[0] == null ? new byte[cap][] : Arrays.copyOf(members[0], cap);
            capacity = cap;
            return;
        }
        if (capacity < PAGE) {
            allocateEntries(PAGE);
        }
        int pages = (cap + PAGE_MASK) >>> PAGE_SHIFT;
        if (pages > members.length) {
            members = Arrays.copyOf(members, Math.max(pages, members.length * 2));
        }
        for (int p = capacity >>> PAGE_SHIFT; p < pages; p++) {
            members[p] = new byte[PAGE][];
        }
        capacity = pages << PAGE_SHIFT;
    }

    /**
     * Gives back entry slots no longer needed: a table under a quarter full that fits in half a page goes
     * back to one page of twice its size; a larger one keeps one spare page past the last in use.
     */
    private void releaseEntries() {
        if (capacity > MIN_ENTRIES && size * 4 < capacity && size * 2 <= PAGE) {
            int cap = Math.max(MIN_ENTRIES, size * 2);
            members[0] = Arrays.copyOf(members[0], cap);
            for (int p = 1; p < members.length; p++) {
                members[p] = null;
            }
            capacity = cap;
        } else if (capacity > PAGE) {
            int keep = ((size - 1) >>> PAGE_SHIFT) + 2;
            if ((capacity >>> PAGE_SHIFT) > keep) {
                for (int p = keep; p < members.length; p++) {
                    members[p] = null;
                }
                capacity = keep << PAGE_SHIFT;
            }
        }
    }
}
