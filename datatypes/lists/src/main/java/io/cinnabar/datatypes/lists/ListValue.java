package io.cinnabar.datatypes.lists;

import io.cinnabar.api.RedisValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A list value (Redis's t_list.c object): the elements in a ring buffer of byte arrays (O(1) at both ends
 * and by index), plus just enough bookkeeping to report the encoding Redis 7.2 would. While
 * {@code listpack}, that is the listpack's byte size; once {@code quicklist}, it is the shape of Redis's
 * quicklist nodes (element count, listpack bytes, plain or packed), because Redis converts back to a
 * listpack only when a single packed node remains that is at most half the limit.
 */
final class ListValue implements RedisValue {
    private byte[][] items;
    private int head;
    private int size;
    /** lpBytes of the listpack while listpack-encoded. */
    private long listpackBytes = ListpackSizes.EMPTY;
    /** The quicklist's nodes, or null while listpack-encoded. */
    private List<QuicklistNode> nodes;
    /** The quicklist's fill, fixed when it was created (quicklistNew(server.list_max_listpack_size)). */
    private long fill;

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
        fill = o.fill;
        if (o.nodes != null) {
            nodes = new ArrayList<>(o.nodes.size());
            for (QuicklistNode n : o.nodes) {
                nodes.add(new QuicklistNode(n.count, n.bytes, n.plain));
            }
        }
    }

    @Override
    public String typeName() {
        return "list";
    }

    @Override
    public String encoding() {
        return nodes == null ? "listpack" : "quicklist";
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

    byte[] get(int i) {
        return items[(head + i) & (items.length - 1)];
    }

    // ---- encoding conversions (t_list.c listTypeTryConversion*) ----

    /**
     * listTypeTryConversionAppend: before adding elements whose lengths sum to {@code addBytes}, a listpack
     * that would exceed list-max-listpack-size becomes a quicklist (its listpack the first node).
     */
    void growFor(long fillNow, long addBytes, long addCount) {
        if (nodes != null || !ListpackSizes.exceedsLimit(fillNow, listpackBytes + addBytes, size + addCount)) {
            return;
        }
        nodes = new ArrayList<>();
        fill = fillNow;
        if (size > 0) {
            nodes.add(new QuicklistNode(size, listpackBytes, false));
        }
    }

    /** listTypeTryConvertQuicklist(shrinking): one packed node at most half the limit becomes a listpack again. */
    void tryShrink(long fillNow) {
        if (nodes == null || nodes.size() != 1 || nodes.get(0).plain) {
            return;
        }
        QuicklistNode n = nodes.get(0);
        if (fillNow < 0) {
            if (n.bytes > ListpackSizes.sizeLimit(fillNow) / 2) {
                return;
            }
        } else if (n.count > ListpackSizes.countLimit(fillNow) / 2) {
            return;
        }
        listpackBytes = n.bytes;
        nodes = null;
    }

    // ---- persistence (rdbSaveObject / rdbLoadObject for RDB_TYPE_LIST_QUICKLIST_2) ----

    /** Number of nodes as Redis saves them: a listpack is one packed node. */
    int nodeCount() {
        return nodes == null ? 1 : nodes.size();
    }

    int nodeElements(int k) {
        return nodes == null ? size : nodes.get(k).count;
    }

    boolean nodePlain(int k) {
        return nodes != null && nodes.get(k).plain;
    }

    /**
     * After loading elements node by node ({@code counts[k]} elements each, {@code plain[k]} for plain
     * nodes): the quicklist as saved, converted to a listpack when it is one packed node within the limits
     * of {@code fillNow} (rdbLoadObject's listTypeTryConversionRaw).
     */
    void adoptNodes(int[] counts, boolean[] plain, int n, long fillNow) {
        nodes = new ArrayList<>(n);
        fill = fillNow;
        int first = 0;
        for (int k = 0; k < n; k++) {
            long bytes = plain[k] ? get(first).length : bytesOf(first, first + counts[k]);
            nodes.add(new QuicklistNode(counts[k], bytes, plain[k]));
            first += counts[k];
        }
        if (n == 1 && !plain[0] && !ListpackSizes.exceedsLimit(fillNow, nodes.get(0).bytes, size)) {
            listpackBytes = nodes.get(0).bytes;
            nodes = null;
        }
    }

    // ---- element operations ----

    void addFirst(byte[] v) {
        grow();
        head = (head - 1) & (items.length - 1);
        items[head] = v;
        size++;
        if (nodes == null) {
            listpackBytes += ListpackSizes.entrySize(v);
        } else {
            pushNode(v, true);
        }
    }

    void addLast(byte[] v) {
        grow();
        items[(head + size) & (items.length - 1)] = v;
        size++;
        if (nodes == null) {
            listpackBytes += ListpackSizes.entrySize(v);
        } else {
            pushNode(v, false);
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
        items[slot] = v;
        long delta = ListpackSizes.entrySize(v) - ListpackSizes.entrySize(old);
        if (nodes == null) {
            listpackBytes += delta;
        } else {
            replaceInNode(i, old, v, delta);
        }
    }

    /** Inserts {@code v} before ({@code after} false) or after the element at {@code pivot}. */
    void insert(int pivot, byte[] v, boolean after) {
        if (nodes != null) {
            insertNode(pivot, v, after);
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
        if (nodes == null) {
            for (int i = start; i < start + count; i++) {
                listpackBytes -= ListpackSizes.entrySize(get(i));
            }
        } else {
            removeFromNodes(start, count);
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
        if (nodes == null) {
            for (int j = 0; j < n; j++) {
                listpackBytes -= ListpackSizes.entrySize(get(idx[j]));
            }
        } else {
            int k = 0;
            QuicklistNode node = nodes.get(0);
            int nodeEnd = node.count;
            for (int j = 0; j < n; j++) {
                while (idx[j] >= nodeEnd) {
                    node = nodes.get(++k);
                    nodeEnd += node.count;
                }
                node.removed++;
                node.bytes -= node.plain ? 0 : ListpackSizes.entrySize(get(idx[j]));
            }
            nodes.removeIf(QuicklistNode::applyRemoved);
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

    // ---- quicklist node model (quicklist.c) ----

    /** quicklist.c _quicklistNodeAllowInsert. */
    private boolean allowInsert(QuicklistNode n, int rawLength) {
        if (n == null || n.plain || ListpackSizes.isLarge(rawLength, fill)) {
            return false;
        }
        return !ListpackSizes.exceedsLimit(fill, n.bytes + rawLength + ListpackSizes.ESTIMATE_OVERHEAD, n.count + 1L);
    }

    private static QuicklistNode packed(byte[] v) {
        return new QuicklistNode(1, ListpackSizes.EMPTY + ListpackSizes.entrySize(v), false);
    }

    private QuicklistNode single(byte[] v) {
        return ListpackSizes.isLarge(v.length, fill) ? new QuicklistNode(1, v.length, true) : packed(v);
    }

    /** quicklistPushHead / quicklistPushTail. */
    private void pushNode(byte[] v, boolean atHead) {
        QuicklistNode end = nodes.isEmpty() ? null : nodes.get(atHead ? 0 : nodes.size() - 1);
        if (!ListpackSizes.isLarge(v.length, fill) && allowInsert(end, v.length)) {
            end.count++;
            end.bytes += ListpackSizes.entrySize(v);
        } else {
            nodes.add(atHead ? 0 : nodes.size(), single(v));
        }
    }

    /**
     * The node holding element {@code i}, scanning from the nearer end: its index in [0], the element's
     * offset inside it in [1]. The node model must account for exactly {@code size} elements when called.
     */
    private int[] locate(int i) {
        if (i < size / 2) {
            int acc = 0;
            for (int k = 0; k < nodes.size(); k++) {
                int c = nodes.get(k).count;
                if (i < acc + c) {
                    return new int[] {k, i - acc};
                }
                acc += c;
            }
        } else {
            int acc = size;
            for (int k = nodes.size() - 1; k >= 0; k--) {
                acc -= nodes.get(k).count;
                if (i >= acc) {
                    return new int[] {k, i - acc};
                }
            }
        }
        throw new IllegalStateException("index " + i + " outside the quicklist");
    }

    private void removeFromNodes(int start, int count) {
        int[] at = locate(start);
        int k = at[0];
        int acc = start - at[1];
        int i = start;
        int end = start + count;
        while (i < end) {
            QuicklistNode n = nodes.get(k);
            int nodeEnd = acc + n.count;
            int stop = Math.min(end, nodeEnd);
            for (int e = i; e < stop; e++) {
                n.bytes -= n.plain ? 0 : ListpackSizes.entrySize(get(e));
            }
            n.count -= stop - i;
            i = stop;
            if (n.count == 0) {
                nodes.remove(k);
                acc = stop;
            } else {
                acc = nodeEnd;
                k++;
            }
        }
    }

    /**
     * quicklistReplaceEntry (7.2): in place in a packed node, or a large value over a plain one; otherwise the
     * node is split after the element, a node holding the new value goes after it, and the old element is
     * deleted (its node too when it held only that element, else the new node is merged with its neighbours).
     */
    private void replaceInNode(int i, byte[] old, byte[] v, long delta) {
        int[] at = locate(i);
        int k = at[0];
        int off = at[1];
        QuicklistNode n = nodes.get(k);
        boolean large = ListpackSizes.isLarge(v.length, fill);
        if (!n.plain && !large) {
            n.bytes += delta;
            return;
        }
        if (n.plain && large) {
            n.bytes = v.length;
            return;
        }
        int first = i - off;
        items[(head + i) & (items.length - 1)] = old;
        QuicklistNode split = off != n.count - 1 ? split(k, first, off, true) : null;
        QuicklistNode created = single(v);
        nodes.add(k + 1, created);
        if (split != null) {
            nodes.add(k + 2, split);
        }
        if (n.count == 1) {
            nodes.remove(k);
        } else {
            n.count--;
            n.bytes -= ListpackSizes.entrySize(old);
            mergeAround(k + 1);
        }
        items[(head + i) & (items.length - 1)] = v;
    }

    private long bytesOf(int from, int to) {
        long b = ListpackSizes.EMPTY;
        for (int e = from; e < to; e++) {
            b += ListpackSizes.entrySize(get(e));
        }
        return b;
    }

    /** quicklist.c _quicklistInsert, on the node model (elements are still in place, pivot at index i). */
    private void insertNode(int i, byte[] v, boolean after) {
        int[] at = locate(i);
        int k = at[0];
        int off = at[1];
        QuicklistNode node = nodes.get(k);
        int sz = v.length;
        boolean full = !allowInsert(node, sz);
        boolean atTail = false;
        boolean atHead = false;
        boolean availNext = false;
        boolean availPrev = false;
        if (after && off == node.count - 1) {
            atTail = true;
            availNext = allowInsert(k + 1 < nodes.size() ? nodes.get(k + 1) : null, sz);
        }
        if (!after && off == 0) {
            atHead = true;
            availPrev = allowInsert(k > 0 ? nodes.get(k - 1) : null, sz);
        }
        int first = i - off;
        if (ListpackSizes.isLarge(sz, fill)) {
            QuicklistNode plainNode = new QuicklistNode(1, sz, true);
            if (node.plain || (atTail && after) || (atHead && !after)) {
                nodes.add(after ? k + 1 : k, plainNode);
            } else {
                QuicklistNode split = split(k, first, off, after);
                if (after) {
                    nodes.add(k + 1, plainNode);
                    nodes.add(k + 2, split);
                } else {
                    nodes.add(k, plainNode);
                    nodes.add(k, split);
                }
            }
        } else if (!full) {
            node.count++;
            node.bytes += ListpackSizes.entrySize(v);
        } else if (atTail && availNext && after) {
            QuicklistNode next = nodes.get(k + 1);
            next.count++;
            next.bytes += ListpackSizes.entrySize(v);
        } else if (atHead && availPrev && !after) {
            QuicklistNode prev = nodes.get(k - 1);
            prev.count++;
            prev.bytes += ListpackSizes.entrySize(v);
        } else if ((atTail && after) || (atHead && !after)) {
            nodes.add(after ? k + 1 : k, packed(v));
        } else {
            QuicklistNode split = split(k, first, off, after);
            split.count++;
            split.bytes += ListpackSizes.entrySize(v);
            nodes.add(after ? k + 1 : k, split);
            mergeAround(nodes.indexOf(node));
        }
    }

    /**
     * quicklist.c _quicklistSplitNode: node {@code k} keeps [0..off] (after) or [off..] (before); the
     * returned new node (not yet linked) holds the rest.
     */
    private QuicklistNode split(int k, int first, int off, boolean after) {
        QuicklistNode node = nodes.get(k);
        int count = node.count;
        QuicklistNode rest;
        if (after) {
            rest = new QuicklistNode(count - off - 1, bytesOf(first + off + 1, first + count), false);
            node.count = off + 1;
            node.bytes = bytesOf(first, first + off + 1);
        } else {
            rest = new QuicklistNode(off, bytesOf(first, first + off), false);
            node.count = count - off;
            node.bytes = bytesOf(first + off, first + count);
        }
        return rest;
    }

    /** quicklist.c _quicklistMergeNodes around the node at {@code c}. */
    private void mergeAround(int c) {
        QuicklistNode center = nodes.get(c);
        if (c >= 2 && allowMerge(nodes.get(c - 1), nodes.get(c - 2))) {
            merge(c - 2);
            c--;
        }
        if (c + 2 < nodes.size() && allowMerge(nodes.get(c + 1), nodes.get(c + 2))) {
            merge(c + 1);
        }
        int target = c;
        if (c >= 1 && allowMerge(center, nodes.get(c - 1))) {
            merge(c - 1);
            target = c - 1;
        }
        if (target + 1 < nodes.size() && allowMerge(nodes.get(target), nodes.get(target + 1))) {
            merge(target);
        }
    }

    private boolean allowMerge(QuicklistNode a, QuicklistNode b) {
        if (a.plain || b.plain) {
            return false;
        }
        return !ListpackSizes.exceedsLimit(fill, a.bytes + b.bytes - ListpackSizes.EMPTY, (long) a.count + b.count);
    }

    /** Merges node {@code k + 1} into node {@code k}. */
    private void merge(int k) {
        QuicklistNode a = nodes.get(k);
        QuicklistNode b = nodes.remove(k + 1);
        a.count += b.count;
        a.bytes += b.bytes - ListpackSizes.EMPTY;
    }

    /** One quicklist node as Redis sizes it: element count, listpack bytes (raw length when plain). */
    private static final class QuicklistNode {
        int count;
        long bytes;
        final boolean plain;
        /** Elements marked for removal by {@link #removeAll}. */
        int removed;

        QuicklistNode(int count, long bytes, boolean plain) {
            this.count = count;
            this.bytes = bytes;
            this.plain = plain;
        }

        /** Applies the marked removals; true when the node is left empty. */
        boolean applyRemoved() {
            count -= removed;
            removed = 0;
            return count == 0;
        }

        @Override
        public String toString() {
            return (plain ? "plain:" : "") + count + "/" + bytes;
        }
    }

    @Override
    public String toString() {
        return "ListValue" + Arrays.toString(nodes == null ? new Object[] {listpackBytes} : nodes.toArray());
    }
}
