package io.cinnabar.datatypes.lists;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of the quicklist Redis 7.2 would hold for a list (quicklist.c): per node its element count,
 * its listpack bytes and whether it is plain. The elements themselves stay in the {@link ListValue}; this
 * follows every push, pop, insert, replace and delete the way quicklist.c splits, fills and merges nodes,
 * because Redis converts a list back to a listpack only when a single packed node is left.
 */
final class QuicklistShape {
    private final ListValue list;
    /** The quicklist's fill, fixed when it was created (quicklistNew(server.list_max_listpack_size)). */
    private final long fill;
    final List<QuicklistNode> nodes;

    QuicklistShape(ListValue list, long fill) {
        this.list = list;
        this.fill = fill;
        this.nodes = new ArrayList<>();
    }

    /** A copy of {@code o}'s nodes for the copy {@code list}. */
    QuicklistShape(ListValue list, QuicklistShape o) {
        this.list = list;
        this.fill = o.fill;
        this.nodes = new ArrayList<>(o.nodes.size());
        for (QuicklistNode n : o.nodes) {
            nodes.add(new QuicklistNode(n.count, n.bytes, n.plain));
        }
    }

    /**
     * Marks the elements at the ascending indexes (of listpack entry sizes {@code sizes}) for removal, then drops
     * the nodes left empty, walking only the nodes from the first index's to the last's.
     */
    void removeAll(int[] idx, int[] sizes, int n) {
        int[] at = locate(idx[0]);
        int first = at[0];
        int k = first;
        QuicklistNode node = nodes.get(k);
        int nodeEnd = idx[0] - at[1] + node.count;
        for (int j = 0; j < n; j++) {
            while (idx[j] >= nodeEnd) {
                node = nodes.get(++k);
                nodeEnd += node.count;
            }
            node.removed++;
            node.bytes -= node.plain ? 0 : sizes[j];
        }
        nodes.subList(first, k + 1).removeIf(QuicklistNode::applyRemoved);
    }

    @Override
    public String toString() {
        return nodes.toString();
    }

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
    void push(byte[] v, boolean atHead) {
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
     * offset inside it in [1]. The nodes must account for exactly the list's size when called.
     */
    private int[] locate(int i) {
        if (i < list.size() / 2) {
            int acc = 0;
            for (int k = 0; k < nodes.size(); k++) {
                int c = nodes.get(k).count;
                if (i < acc + c) {
                    return new int[] {k, i - acc};
                }
                acc += c;
            }
        } else {
            int acc = list.size();
            for (int k = nodes.size() - 1; k >= 0; k--) {
                acc -= nodes.get(k).count;
                if (i >= acc) {
                    return new int[] {k, i - acc};
                }
            }
        }
        throw new IllegalStateException("index " + i + " outside the quicklist");
    }

    /** The first ({@code head}) or last element, of listpack entry size {@code entrySize}, leaves its node. */
    void pop(boolean head, int entrySize) {
        int k = head ? 0 : nodes.size() - 1;
        QuicklistNode n = nodes.get(k);
        if (!n.plain) {
            n.bytes -= entrySize;
        }
        if (--n.count == 0) {
            nodes.remove(k);
        }
    }

    /**
     * Elements [start, start + count) leave their nodes (quicklistDelRange: no merging). Only the first and
     * last nodes can keep some; the whole nodes between them leave the list together.
     */
    void remove(int start, int count) {
        int[] at = locate(start);
        int k = at[0];
        int acc = start - at[1];
        int i = start;
        int end = start + count;
        int firstDropped = -1;
        int dropped = 0;
        while (i < end) {
            QuicklistNode n = nodes.get(k);
            int nodeEnd = acc + n.count;
            int stop = Math.min(end, nodeEnd);
            if (stop - i == n.count) {
                if (dropped++ == 0) {
                    firstDropped = k;
                }
            } else {
                if (!n.plain) {
                    n.bytes -= list.entrySizes(i, stop);
                }
                n.count -= stop - i;
            }
            i = stop;
            acc = nodeEnd;
            k++;
        }
        if (dropped > 0) {
            nodes.subList(firstDropped, firstDropped + dropped).clear();
        }
    }

    /**
     * quicklistReplaceEntry (7.2), called while element {@code i} still holds the old value (of listpack
     * entry size {@code oldSize}): in place in a packed node, or a large value over a plain one; otherwise the
     * node is split after the element, a node holding the new value goes after it, and the old element is
     * deleted (its node too when it held only that element, else the new node is merged with its neighbours).
     */
    void replace(int i, int oldSize, byte[] v, long delta) {
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
            n.bytes -= oldSize;
            mergeAround(k + 1);
        }
    }

    private long bytesOf(int from, int to) {
        return ListpackSizes.EMPTY + list.entrySizes(from, to);
    }

    /** quicklist.c _quicklistInsert, called before the element is placed (pivot at index i). */
    void insert(int i, byte[] v, boolean after) {
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
    static final class QuicklistNode {
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
}
