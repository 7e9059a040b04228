package io.cinnabar.datatypes.lists;

import io.cinnabar.api.RedisValue;
import io.cinnabar.api.Reply;

/**
 * A list value (Redis's t_list.c object): the elements packed into byte-array nodes ({@link PackedList}: O(1)
 * at both ends, an index found by walking node counts from the nearer end), plus just enough bookkeeping to
 * report the encoding Redis 7.2 would. While {@code listpack}, that is the listpack's byte size; once
 * {@code quicklist}, it is the shape of Redis's quicklist nodes (element count, listpack bytes, plain or
 * packed), because Redis converts back to a listpack only when a single packed node remains that is at most
 * half the limit.
 */
final class ListValue implements RedisValue, io.cinnabar.api.Sortable {
    private final PackedList items;
    /** lpBytes of the listpack while listpack-encoded. */
    private long listpackBytes = ListpackSizes.EMPTY;
    /** The quicklist's shape, or null while listpack-encoded. */
    private QuicklistShape quicklist;

    /** SORT's cursor (execution thread only), valid while {@link #sortMod} is the list's modCount. */
    private PackedList.Cursor sortCursor;
    private int sortMod;

    ListValue() {
        items = new PackedList();
    }

    private ListValue(ListValue o) {
        items = new PackedList(o.items);
        listpackBytes = o.listpackBytes;
        if (o.quicklist != null) {
            quicklist = new QuicklistShape(this, o.quicklist);
        }
    }

    @Override
    public String typeName() {
        return "list";
    }

    @Override
    public String encoding() {
        return quicklist == null ? "listpack" : "quicklist";
    }

    @Override
    public long memoryUsage() {
        long m = 40 + items.memoryUsage();
        if (quicklist != null) {
            m += 40 + 44L * quicklist.nodes.size();
        }
        return m;
    }

    @Override
    public RedisValue copy() {
        return new ListValue(this);
    }

    int size() {
        return items.size();
    }

    @Override
    public int sortLength() {
        return items.size();
    }

    /** Element {@code i}; consecutive indexes (either way) step a cached cursor in O(1). */
    @Override
    public byte[] sortElement(int i) {
        PackedList.Cursor c = sortCursor;
        if (c == null || sortMod != items.modCount()) {
            c = items.cursor(i);
            sortCursor = c;
            sortMod = items.modCount();
        } else if (i == c.index() + 1) {
            c.next();
        } else if (i == c.index() - 1) {
            c.previous();
        } else if (i != c.index()) {
            c.moveTo(i);
        }
        return c.copy();
    }

    /** A copy of element {@code i}. */
    byte[] get(int i) {
        return items.get(i);
    }

    /** Element {@code i} as a bulk reply. */
    void reply(Reply reply, int i) {
        items.reply(reply, i);
    }

    /** Elements [from, from + n) as bulk replies, in order. */
    void replyRange(Reply reply, int from, int n) {
        items.replyRange(reply, from, n);
    }

    /** A cursor on element {@code i} (0 <= i < size); valid until the list changes. */
    PackedList.Cursor cursor(int i) {
        return items.cursor(i);
    }

    /** The listpack entry sizes (as Redis counts them) of elements [from, to), summed. */
    long entrySizes(int from, int to) {
        if (from >= to) {
            return 0;
        }
        PackedList.Cursor c = items.cursor(from);
        long sum = 0;
        for (int i = from; i < to; i++) {
            sum += c.listpackEntrySize();
            c.next();
        }
        return sum;
    }

    // ---- encoding conversions (t_list.c listTypeTryConversion*) ----

    /**
     * listTypeTryConversionAppend: before adding elements whose lengths sum to {@code addBytes}, a listpack
     * that would exceed list-max-listpack-size becomes a quicklist (its listpack the first node).
     */
    void growFor(long fillNow, long addBytes, long addCount) {
        if (quicklist != null || !ListpackSizes.exceedsLimit(fillNow, listpackBytes + addBytes, size() + addCount)) {
            return;
        }
        quicklist = new QuicklistShape(this, fillNow);
        if (size() > 0) {
            quicklist.nodes.add(new QuicklistShape.QuicklistNode(size(), listpackBytes, false));
        }
    }

    /** A quicklist whatever its size: Redis 7.2 loads RDB_TYPE_LIST_ZIPLIST so and never converts it back then. */
    void toQuicklist(long fillNow) {
        if (quicklist == null) {
            growFor(fillNow, Long.MAX_VALUE / 4, 0);
        }
    }

    /** listTypeTryConvertQuicklist(shrinking): one packed node at most half the limit becomes a listpack again. */
    void tryShrink(long fillNow) {
        if (quicklist == null || quicklist.nodes.size() != 1 || quicklist.nodes.get(0).plain) {
            return;
        }
        QuicklistShape.QuicklistNode n = quicklist.nodes.get(0);
        if (fillNow < 0) {
            if (n.bytes > ListpackSizes.sizeLimit(fillNow) / 2) {
                return;
            }
        } else if (n.count > ListpackSizes.countLimit(fillNow) / 2) {
            return;
        }
        listpackBytes = n.bytes;
        quicklist = null;
    }

    /**
     * An empty list already in quicklist form with the given fill, as SORT ... STORE creates its result
     * (createQuicklistObject), to be filled with {@link #addLast} and then given {@link #tryConvertQuicklist}.
     */
    static ListValue emptyQuicklist(long fill) {
        ListValue l = new ListValue();
        l.quicklist = new QuicklistShape(l, fill);
        return l;
    }

    /** listTypeTryConvertQuicklist (not shrinking): one packed node within the limits becomes a listpack. */
    void tryConvertQuicklist(long fillNow) {
        if (quicklist == null || quicklist.nodes.size() != 1 || quicklist.nodes.get(0).plain) {
            return;
        }
        QuicklistShape.QuicklistNode n = quicklist.nodes.get(0);
        // quicklistNodeLimit: a size limit for a negative fill, else only a count limit (no safety limit here)
        boolean fits = fillNow < 0 ? n.bytes <= ListpackSizes.sizeLimit(fillNow)
                : size() <= ListpackSizes.countLimit(fillNow);
        if (fits) {
            listpackBytes = n.bytes;
            quicklist = null;
        }
    }

    // ---- persistence (rdbSaveObject / rdbLoadObject for RDB_TYPE_LIST_QUICKLIST_2) ----

    /** Number of nodes as Redis saves them: a listpack is one packed node. */
    int nodeCount() {
        return quicklist == null ? 1 : quicklist.nodes.size();
    }

    int nodeElements(int k) {
        return quicklist == null ? size() : quicklist.nodes.get(k).count;
    }

    boolean nodePlain(int k) {
        return quicklist != null && quicklist.nodes.get(k).plain;
    }

    /**
     * After loading elements node by node ({@code counts[k]} elements each, {@code plain[k]} for plain
     * nodes): the quicklist as saved, converted to a listpack when it is one packed node within the limits
     * of {@code fillNow} (rdbLoadObject's listTypeTryConversionRaw).
     */
    void adoptNodes(int[] counts, boolean[] plain, int n, long fillNow) {
        quicklist = new QuicklistShape(this, fillNow);
        int first = 0;
        for (int k = 0; k < n; k++) {
            long bytes = plain[k] ? items.cursor(first).length() : ListpackSizes.EMPTY + entrySizes(first,
                    first + counts[k]);
            quicklist.nodes.add(new QuicklistShape.QuicklistNode(counts[k], bytes, plain[k]));
            first += counts[k];
        }
        long bytes = quicklist.nodes.get(0).bytes;
        if (n == 1 && !plain[0] && !ListpackSizes.exceedsLimit(fillNow, bytes, size())) {
            listpackBytes = bytes;
            quicklist = null;
        }
    }

    // ---- element operations ----

    void addFirst(byte[] v) {
        items.addFirst(v);
        if (quicklist == null) {
            listpackBytes += ListpackSizes.entrySize(v);
        } else {
            quicklist.push(v, true);
        }
    }

    void addLast(byte[] v) {
        items.addLast(v);
        if (quicklist == null) {
            listpackBytes += ListpackSizes.entrySize(v);
        } else {
            quicklist.push(v, false);
        }
    }

    byte[] removeFirst() {
        PackedList.Cursor c = items.cursor(0);
        byte[] v = c.copy();
        popped(true, c.listpackEntrySize());
        return v;
    }

    byte[] removeLast() {
        PackedList.Cursor c = items.cursor(items.size() - 1);
        byte[] v = c.copy();
        popped(false, c.listpackEntrySize());
        return v;
    }

    /** Replies with the first ({@code head}) or last element as a bulk and removes it. */
    void pop(Reply reply, boolean head) {
        PackedList.Cursor c = items.cursor(head ? 0 : items.size() - 1);
        c.reply(reply);
        popped(head, c.listpackEntrySize());
    }

    /** The first ({@code head}) or last element, of listpack entry size {@code entrySize}, leaves. */
    private void popped(boolean head, int entrySize) {
        if (quicklist == null) {
            listpackBytes -= entrySize;
        } else {
            quicklist.pop(head, entrySize);
        }
        if (head) {
            items.removeFirst();
        } else {
            items.removeLast();
        }
    }

    void set(int i, byte[] v) {
        PackedList.Cursor c = items.cursor(i);
        int oldSize = c.listpackEntrySize();
        long delta = ListpackSizes.entrySize(v) - oldSize;
        if (quicklist == null) {
            listpackBytes += delta;
        } else {
            quicklist.replace(i, oldSize, v, delta);
        }
        items.set(i, v);
    }

    /** Inserts {@code v} before ({@code after} false) or after the element at {@code pivot}. */
    void insert(int pivot, byte[] v, boolean after) {
        if (quicklist != null) {
            quicklist.insert(pivot, v, after);
        } else {
            listpackBytes += ListpackSizes.entrySize(v);
        }
        items.insert(after ? pivot + 1 : pivot, v);
    }

    /** Removes {@code count} elements from index {@code start} on. */
    void removeRange(int start, int count) {
        if (count <= 0) {
            return;
        }
        if (quicklist == null) {
            listpackBytes -= entrySizes(start, start + count);
        } else {
            quicklist.remove(start, count);
        }
        items.removeRange(start, count);
    }

    /**
     * Removes the elements at the {@code n} ascending indexes {@code idx} in one pass (LREM). Quicklist
     * deletions never merge nodes, so removing them together leaves the same nodes as one by one.
     */
    void removeAll(int[] idx, int n) {
        if (n == 0) {
            return;
        }
        int[] sizes = new int[n];
        PackedList.Cursor c = items.cursor(idx[0]);
        for (int j = 0; j < n; j++) {
            while (c.index() < idx[j]) {
                c.next();
            }
            sizes[j] = c.listpackEntrySize();
        }
        if (quicklist == null) {
            for (int j = 0; j < n; j++) {
                listpackBytes -= sizes[j];
            }
        } else {
            quicklist.removeAll(idx, sizes, n);
        }
        items.removeAll(idx, n);
    }

    @Override
    public String toString() {
        return quicklist == null ? "listpack of " + listpackBytes + " bytes" : "quicklist " + quicklist;
    }
}
