package io.cinnabar.datatypes.lists;

import io.cinnabar.api.RedisValue;

/**
 * A list value (Redis's t_list.c object): the elements in a ring buffer of byte arrays (O(1) at both ends
 * and by index), plus just enough bookkeeping to report the encoding Redis 7.2 would. While
 * {@code listpack}, that is the listpack's byte size; once {@code quicklist}, it is the shape of Redis's
 * quicklist nodes (element count, listpack bytes, plain or packed), because Redis converts back to a
 * listpack only when a single packed node remains that is at most half the limit.
 */
final class ListValue implements RedisValue, io.cinnabar.api.Sortable {
    private byte[][] items;
    private int head;
    private int size;
    /** lpBytes of the listpack while listpack-encoded. */
    private long listpackBytes = ListpackSizes.EMPTY;
    /** The quicklist's shape, or null while listpack-encoded. */
    private QuicklistShape quicklist;

    ListValue() {
        items = new byte[8][];
    }

    private ListValue(ListValue o) {
        items = new byte[o.items.length][];
        for (int i = 0; i < o.size; i++) {
            items[i] = o.get(i);
        }
        size = o.size;
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
        long m = 48 + 4L * items.length;
        for (int i = 0; i < size; i++) {
            m += 16 + get(i).length;
        }
        return m;
    }

    @Override
    public RedisValue copy() {
        return new ListValue(this);
    }

    int size() {
        return size;
    }

    @Override
    public int sortLength() {
        return size;
    }

    @Override
    public byte[] sortElement(int i) {
        return get(i);
    }

    byte[] get(int i) {
        return items[(head + i) & (items.length - 1)];
    }

    // ---- encoding conversions (t_list.c listTypeTryConversion*) ----

    /**
     * listTypeTryConversionAppend: before adding elements whose lengths sum to {@code addBytes}, a listpack
     * that would exceed list-max-listpack-size becomes a quicklist (its listpack the first node).
     */
    void growFor(long fillNow, long addBytes, long addCount) {
        if (quicklist != null || !ListpackSizes.exceedsLimit(fillNow, listpackBytes + addBytes, size + addCount)) {
            return;
        }
        quicklist = new QuicklistShape(this, fillNow);
        if (size > 0) {
            quicklist.nodes.add(new QuicklistShape.QuicklistNode(size, listpackBytes, false));
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
     * An empty list already in quicklist form, as SORT ... STORE creates its result (createQuicklistObject),
     * to be filled with {@link #addLast} and then given {@link #tryConvertQuicklist}.
     */
    static ListValue emptyQuicklist(long fillNow) {
        ListValue l = new ListValue();
        l.quicklist = new QuicklistShape(l, fillNow);
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
                : size <= ListpackSizes.countLimit(fillNow);
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
        return quicklist == null ? size : quicklist.nodes.get(k).count;
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
            long bytes = ListpackSizes.EMPTY;
            for (int e = first; e < first + counts[k]; e++) {
                bytes += ListpackSizes.entrySize(get(e));
            }
            quicklist.nodes.add(new QuicklistShape.QuicklistNode(counts[k], plain[k] ? get(first).length : bytes,
                    plain[k]));
            first += counts[k];
        }
        long bytes = quicklist.nodes.get(0).bytes;
        if (n == 1 && !plain[0] && !ListpackSizes.exceedsLimit(fillNow, bytes, size)) {
            listpackBytes = bytes;
            quicklist = null;
        }
    }

    // ---- element operations ----

    void addFirst(byte[] v) {
        grow();
        head = (head - 1) & (items.length - 1);
        items[head] = v;
        size++;
        if (quicklist == null) {
            listpackBytes += ListpackSizes.entrySize(v);
        } else {
            quicklist.push(v, true);
        }
    }

    void addLast(byte[] v) {
        grow();
        items[(head + size) & (items.length - 1)] = v;
        size++;
        if (quicklist == null) {
            listpackBytes += ListpackSizes.entrySize(v);
        } else {
            quicklist.push(v, false);
        }
    }

    byte[] removeFirst() {
        byte[] v = get(0);
        removeRange(0, 1);
        return v;
    }

    byte[] removeLast() {
        byte[] v = get(size - 1);
        removeRange(size - 1, 1);
        return v;
    }

    void set(int i, byte[] v) {
        int slot = (head + i) & (items.length - 1);
        byte[] old = items[slot];
        long delta = ListpackSizes.entrySize(v) - ListpackSizes.entrySize(old);
        if (quicklist == null) {
            listpackBytes += delta;
        } else {
            quicklist.replace(i, old, v, delta);
        }
        items[slot] = v;
    }

    /** Inserts {@code v} before ({@code after} false) or after the element at {@code pivot}. */
    void insert(int pivot, byte[] v, boolean after) {
        if (quicklist != null) {
            quicklist.insert(pivot, v, after);
        } else {
            listpackBytes += ListpackSizes.entrySize(v);
        }
        int at = after ? pivot + 1 : pivot;
        grow();
        int mask = items.length - 1;
        if (at < size - at) {
            head = (head - 1) & mask;
            for (int i = 0; i < at; i++) {
                items[(head + i) & mask] = items[(head + i + 1) & mask];
            }
        } else {
            for (int i = size; i > at; i--) {
                items[(head + i) & mask] = items[(head + i - 1) & mask];
            }
        }
        items[(head + at) & mask] = v;
        size++;
    }

    /** Removes {@code count} elements from index {@code start} on. */
    void removeRange(int start, int count) {
        if (count <= 0) {
            return;
        }
        if (quicklist == null) {
            for (int i = start; i < start + count; i++) {
                listpackBytes -= ListpackSizes.entrySize(get(i));
            }
        } else {
            quicklist.remove(start, count);
        }
        int mask = items.length - 1;
        int tail = size - start - count;
        if (start < tail) {
            for (int i = start - 1; i >= 0; i--) {
                items[(head + i + count) & mask] = items[(head + i) & mask];
            }
            for (int i = 0; i < count; i++) {
                items[(head + i) & mask] = null;
            }
            head = (head + count) & mask;
        } else {
            for (int i = start; i < start + tail; i++) {
                items[(head + i) & mask] = items[(head + i + count) & mask];
            }
            for (int i = size - count; i < size; i++) {
                items[(head + i) & mask] = null;
            }
        }
        size -= count;
    }

    /**
     * Removes the elements at the {@code n} ascending indexes {@code idx} in one pass (LREM). Quicklist
     * deletions never merge nodes, so removing them together leaves the same nodes as one by one.
     */
    void removeAll(int[] idx, int n) {
        if (n == 0) {
            return;
        }
        if (quicklist == null) {
            for (int j = 0; j < n; j++) {
                listpackBytes -= ListpackSizes.entrySize(get(idx[j]));
            }
        } else {
            quicklist.removeAll(idx, n);
        }
        int mask = items.length - 1;
        int w = 0;
        int j = 0;
        for (int r = 0; r < size; r++) {
            if (j < n && idx[j] == r) {
                j++;
            } else {
                items[(head + w++) & mask] = items[(head + r) & mask];
            }
        }
        for (int r = w; r < size; r++) {
            items[(head + r) & mask] = null;
        }
        size = w;
    }

    private void grow() {
        if (size < items.length) {
            return;
        }
        byte[][] bigger = new byte[items.length * 2][];
        for (int i = 0; i < size; i++) {
            bigger[i] = get(i);
        }
        items = bigger;
        head = 0;
    }

    @Override
    public String toString() {
        return quicklist == null ? "listpack of " + listpackBytes + " bytes" : "quicklist " + quicklist;
    }
}
