package io.cinnabar.datatypes.lists;

import io.cinnabar.api.Reply;
import java.util.Arrays;

/**
 * The elements of a list packed into byte arrays, as Redis's quicklist packs them into listpacks: a ring of
 * nodes, each one {@code byte[]} holding up to {@link #NODE_LIMIT} bytes of entries back to back. An entry is
 * its length, its bytes, and its length again written to be read backwards (listpack's back-length), so both
 * ends of a node step in O(1): pushes and pops at either end of the list touch one node and move no other
 * bytes. A node keeps free room at both of its ends ({@code start}/{@code end} inside the array) and grows
 * geometrically up to the limit; an element bigger than the limit gets a node of its own (quicklist's plain
 * node). A canonical decimal integer is stored as a number (1 to 10 bytes) and read back as its exact digits.
 * An index is found by walking node counts from the nearer end of the list, then entries from the nearer end
 * of the node.
 *
 * <p>This is storage only: which encoding Redis would report is {@link ListValue}'s business. Reads never
 * change the object (a snapshot thread may serialise it while the execution thread reads it).
 */
final class PackedList {
    /** The most entry bytes a node holds (Redis's default list-max-listpack-size -2 is 8 KB per node). */
    static final int NODE_LIMIT = 8192;
    /** The smallest array a growing node gets. */
    private static final int MIN_CAPACITY = 32;
    /**
     * The first array of a new end node next to a full one: big enough to skip the smallest growth steps,
     * small enough that a list pushed and popped across a node boundary does not churn 8 KB arrays.
     */
    private static final int NEXT_NODE_CAPACITY = 1024;
    /** A node's array shrinks once its entries take under a quarter of it, and it is at least this big. */
    private static final int SHRINK_FROM = 256;

    /** One node: entries in {@code buf[start, end)}, {@code count} of them. */
    static final class Node {
        byte[] buf;
        int start;
        int end;
        int count;

        Node(byte[] buf, int start, int end, int count) {
            this.buf = buf;
            this.start = start;
            this.end = end;
            this.count = count;
        }

        int used() {
            return end - start;
        }
    }

    private Node[] ring;
    private int ringHead;
    private int nodes;
    private int size;
    /** Counts changes, so a cached {@link Cursor} can tell it is stale. */
    private int modCount;

    PackedList() {
        ring = new Node[2];
    }

    /** A deep copy of {@code o}, each node's entries in an array of their own size. */
    PackedList(PackedList o) {
        int cap = 2;
        while (cap < o.nodes) {
            cap <<= 1;
        }
        ring = new Node[cap];
        for (int k = 0; k < o.nodes; k++) {
            Node n = o.node(k);
            ring[k] = new Node(Arrays.copyOfRange(n.buf, n.start, n.end), 0, n.used(), n.count);
        }
        nodes = o.nodes;
        size = o.size;
    }

    int size() {
        return size;
    }

    int modCount() {
        return modCount;
    }

    /** Bytes taken: this object, the ring and every node with its array (object headers included). */
    long memoryUsage() {
        long m = 32 + 16 + 4L * ring.length;
        for (int k = 0; k < nodes; k++) {
            m += 24 + 16 + node(k).buf.length;
        }
        return m;
    }

    // ---- entry format ----
    //
    // A string entry: its length, its bytes, its length again (read backwards). The length's first byte says
    // its size: 0x00-0x7F the length itself, 0x80-0xBF six high bits and one more byte, 0xC0 four more bytes;
    // backwards the same bytes mirrored, so the entry's last byte says the size again. An integer entry holds
    // a canonical decimal string (as listpack's lpStringToInt64 sees one, so it reads back byte for byte) as
    // a number: 0xD0-0xFF alone is 0..47, else a tag 0xC1-0xC4, 1, 2, 4 or 8 bytes, and the tag again.

    private static final int TAG_LONG_STRING = 0xC0;
    private static final int TAG_INT8 = 0xC1;
    private static final int TAG_INT16 = 0xC2;
    private static final int TAG_INT32 = 0xC3;
    private static final int TAG_INT64 = 0xC4;
    private static final int TAG_SMALL = 0xD0;
    private static final int SMALL_MAX = 0xFF - TAG_SMALL;

    /** Bytes of one length field: 1 below 128, 2 below 16384, else 5. */
    static int lengthBytes(int len) {
        return len < 0x80 ? 1 : len < 0x4000 ? 2 : 5;
    }

    /** Bytes of a string entry of {@code len} data bytes. */
    static int stringEntryBytes(int len) {
        return 2 * lengthBytes(len) + len;
    }

    private static int intEntryBytes(long x) {
        if (x >= 0 && x <= SMALL_MAX) {
            return 1;
        }
        if (x == (byte) x) {
            return 3;
        }
        if (x == (short) x) {
            return 4;
        }
        return x == (int) x ? 6 : 10;
    }

    /** Bytes of the entry {@code v} becomes. */
    static int entryBytes(byte[] v) {
        if (ListpackSizes.isListpackInt(v, 0, v.length)) {
            return intEntryBytes(ListpackSizes.parse(v, 0, v.length));
        }
        return stringEntryBytes(v.length);
    }

    /** Bytes of the entry at {@code off}. */
    static int entryBytesAt(byte[] buf, int off) {
        int b = buf[off] & 0xFF;
        if (b < 0x80) {
            return 2 + b;
        }
        if (b < 0xC0) {
            return 4 + ((b & 0x3F) << 8 | buf[off + 1] & 0xFF);
        }
        return switch (b) {
            case TAG_LONG_STRING -> 10 + readInt(buf, off + 1);
            case TAG_INT8 -> 3;
            case TAG_INT16 -> 4;
            case TAG_INT32 -> 6;
            case TAG_INT64 -> 10;
            default -> 1;
        };
    }

    /** The entry after the one at {@code off}. */
    static int nextEntry(byte[] buf, int off) {
        return off + entryBytesAt(buf, off);
    }

    /** The start of the entry that ends at {@code end}. */
    static int previousEntry(byte[] buf, int end) {
        int b = buf[end - 1] & 0xFF;
        if (b < 0x80) {
            return end - 2 - b;
        }
        if (b < 0xC0) {
            return end - 4 - ((b & 0x3F) << 8 | buf[end - 2] & 0xFF);
        }
        return switch (b) {
            case TAG_LONG_STRING -> end - 10 - readInt(buf, end - 5);
            case TAG_INT8 -> end - 3;
            case TAG_INT16 -> end - 4;
            case TAG_INT32 -> end - 6;
            case TAG_INT64 -> end - 10;
            default -> end - 1;
        };
    }

    /** Whether the entry at {@code off} holds an integer. */
    static boolean isInt(byte[] buf, int off) {
        return (buf[off] & 0xFF) > TAG_LONG_STRING;
    }

    /** The integer of the integer entry at {@code off}. */
    static long intAt(byte[] buf, int off) {
        int b = buf[off] & 0xFF;
        return switch (b) {
            case TAG_INT8 -> buf[off + 1];
            case TAG_INT16 -> (short) ((buf[off + 1] & 0xFF) << 8 | buf[off + 2] & 0xFF);
            case TAG_INT32 -> readInt(buf, off + 1);
            case TAG_INT64 -> (long) readInt(buf, off + 1) << 32 | readInt(buf, off + 5) & 0xFFFFFFFFL;
            default -> b - TAG_SMALL;
        };
    }

    /** The data length of the string entry at {@code off}. */
    static int lengthAt(byte[] buf, int off) {
        int b = buf[off] & 0xFF;
        if (b < 0x80) {
            return b;
        }
        if (b < 0xC0) {
            return (b & 0x3F) << 8 | buf[off + 1] & 0xFF;
        }
        return readInt(buf, off + 1);
    }

    /** Where the data of the string entry at {@code off} begins. */
    static int dataAt(byte[] buf, int off) {
        int b = buf[off] & 0xFF;
        return off + (b < 0x80 ? 1 : b < 0xC0 ? 2 : 5);
    }

    private static int readInt(byte[] buf, int off) {
        return (buf[off] & 0xFF) << 24 | (buf[off + 1] & 0xFF) << 16 | (buf[off + 2] & 0xFF) << 8
                | buf[off + 3] & 0xFF;
    }

    /** Writes {@code v} as an entry of {@code need} bytes (its {@link #entryBytes}) at {@code off}; returns where it ends. */
    private static int writeEntry(byte[] buf, int off, byte[] v, int need) {
        int len = v.length;
        // an integer's entry is always smaller than its digits' string entry (1, 3, 4, 6 or 10 bytes against
        // 3; 4-6; 5 and up; 7 and up; 12 and up), so the size tells which form entryBytes chose
        if (need != stringEntryBytes(len)) {
            return writeInt(buf, off, ListpackSizes.parse(v, 0, len), need);
        }
        if (len < 0x80) {
            buf[off++] = (byte) len;
            System.arraycopy(v, 0, buf, off, len);
            off += len;
            buf[off++] = (byte) len;
        } else if (len < 0x4000) {
            buf[off++] = (byte) (0x80 | len >>> 8);
            buf[off++] = (byte) len;
            System.arraycopy(v, 0, buf, off, len);
            off += len;
            buf[off++] = (byte) len;
            buf[off++] = (byte) (0x80 | len >>> 8);
        } else {
            buf[off++] = (byte) TAG_LONG_STRING;
            off = putInt(buf, off, len);
            System.arraycopy(v, 0, buf, off, len);
            off += len;
            off = putInt(buf, off, len);
            buf[off++] = (byte) TAG_LONG_STRING;
        }
        return off;
    }

    /** Writes the integer entry of {@code need} bytes for {@code x} at {@code off}; returns where it ends. */
    private static int writeInt(byte[] buf, int off, long x, int need) {
        if (need == 1) {
            buf[off] = (byte) (TAG_SMALL + x);
            return off + 1;
        }
        int tag = need == 3 ? TAG_INT8 : need == 4 ? TAG_INT16 : need == 6 ? TAG_INT32 : TAG_INT64;
        buf[off] = (byte) tag;
        for (int i = need - 2; i >= 1; i--) {
            buf[off + i] = (byte) x;
            x >>= 8;
        }
        buf[off + need - 1] = (byte) tag;
        return off + need;
    }

    private static int putInt(byte[] buf, int off, int x) {
        buf[off] = (byte) (x >>> 24);
        buf[off + 1] = (byte) (x >>> 16);
        buf[off + 2] = (byte) (x >>> 8);
        buf[off + 3] = (byte) x;
        return off + 4;
    }

    /** Writes the decimal digits of {@code x} at the end of {@code out} (20 bytes); returns where they begin. */
    static int formatLong(long x, byte[] out) {
        int i = out.length;
        long n = x < 0 ? x : -x;
        do {
            out[--i] = (byte) ('0' - n % 10);
            n /= 10;
        } while (n != 0);
        if (x < 0) {
            out[--i] = '-';
        }
        return i;
    }

    // ---- nodes ----

    Node node(int k) {
        return ring[(ringHead + k) & (ring.length - 1)];
    }

    private void setNode(int k, Node n) {
        ring[(ringHead + k) & (ring.length - 1)] = n;
    }

    /** Links {@code n} as node {@code k} (0..nodes), moving the shorter side of the ring. */
    private void insertNode(int k, Node n) {
        if (nodes == ring.length) {
            resizeRing(ring.length * 2);
        }
        if (k < nodes - k) {
            ringHead = (ringHead - 1) & (ring.length - 1);
            for (int i = 0; i < k; i++) {
                setNode(i, node(i + 1));
            }
        } else {
            for (int i = nodes; i > k; i--) {
                setNode(i, node(i - 1));
            }
        }
        setNode(k, n);
        nodes++;
    }

    /** Unlinks node {@code k}. */
    private void removeNode(int k) {
        removeNodes(k, 1);
    }

    /**
     * Unlinks the {@code m} nodes from {@code k} on, moving the shorter side of the ring once (a range delete
     * over many nodes costs the nodes it drops plus that side, not a shift per node).
     */
    private void removeNodes(int k, int m) {
        if (m == 0) {
            return;
        }
        if (k < nodes - k - m) {
            for (int i = k - 1; i >= 0; i--) {
                setNode(i + m, node(i));
            }
            for (int i = 0; i < m; i++) {
                setNode(i, null);
            }
            ringHead = (ringHead + m) & (ring.length - 1);
        } else {
            for (int i = k + m; i < nodes; i++) {
                setNode(i - m, node(i));
            }
            for (int i = nodes - m; i < nodes; i++) {
                setNode(i, null);
            }
        }
        nodes -= m;
        int cap = ring.length;
        while (cap > 8 && nodes * 4 < cap) {
            cap /= 2;
        }
        if (cap != ring.length) {
            resizeRing(cap);
        }
    }

    private void resizeRing(int capacity) {
        Node[] r = new Node[capacity];
        for (int i = 0; i < nodes; i++) {
            r[i] = node(i);
        }
        ring = r;
        ringHead = 0;
    }

    /**
     * A new node holding {@code v} alone, its array sized for more pushes when {@code roomy} (the entry at the
     * array's end when {@code atBack}, so pushes at the node's head find room).
     */
    private static Node newNode(byte[] v, boolean roomy, boolean atBack) {
        int need = entryBytes(v);
        int cap = need;
        if (need <= NODE_LIMIT) {
            cap = Math.max(roomy ? NEXT_NODE_CAPACITY : MIN_CAPACITY, need);
        }
        int off = atBack ? cap - need : 0;
        byte[] buf = new byte[cap];
        writeEntry(buf, off, v, need);
        return new Node(buf, off, off + need, 1);
    }

    /** Whether a new end node next to {@code n} should start with a bigger array: {@code n} is a full packed node. */
    private static boolean roomyNextTo(Node n) {
        return n.used() >= NODE_LIMIT / 2 && n.used() <= NODE_LIMIT;
    }

    private static boolean fits(Node n, int need) {
        return n.used() + need <= NODE_LIMIT;
    }

    /**
     * Makes at least {@code need} bytes of room at the head ({@code atHead}) or tail of {@code n}, whose entries
     * plus {@code need} fit the node limit: recentres the entries in place when the array has plenty of free
     * room, else grows the array geometrically (up to the limit), keeping the other side's room when it can.
     */
    private static void makeRoom(Node n, int need, boolean atHead) {
        int used = n.used();
        int cap = n.buf.length;
        int free = cap - used;
        if (free >= need && (cap >= NODE_LIMIT || free >= used)) {
            int other = (free - need) / 2;
            int newStart = atHead ? cap - other - used : other;
            System.arraycopy(n.buf, n.start, n.buf, newStart, used);
            n.start = newStart;
            n.end = newStart + used;
            return;
        }
        int newCap = Math.min(NODE_LIMIT, Math.max(Math.max(cap * 2, MIN_CAPACITY), used + need));
        int other = Math.min(atHead ? cap - n.end : n.start, newCap - used - need);
        int newStart = atHead ? newCap - other - used : other;
        byte[] bigger = new byte[newCap];
        System.arraycopy(n.buf, n.start, bigger, newStart, used);
        n.buf = bigger;
        n.start = newStart;
        n.end = newStart + used;
    }

    /** Adds {@code v} as the first entry of {@code n} (which must fit it). */
    private static void prependTo(Node n, byte[] v, int need) {
        if (n.start < need) {
            makeRoom(n, need, true);
        }
        n.start -= need;
        writeEntry(n.buf, n.start, v, need);
        n.count++;
    }

    /** Adds {@code v} as the last entry of {@code n} (which must fit it). */
    private static void appendTo(Node n, byte[] v, int need) {
        if (n.buf.length - n.end < need) {
            makeRoom(n, need, false);
        }
        n.end = writeEntry(n.buf, n.end, v, need);
        n.count++;
    }

    /** A node that lost entries and now uses under a quarter of a big array gets a smaller one. */
    private static void maybeShrink(Node n) {
        int used = n.used();
        if (n.buf.length < SHRINK_FROM || used * 4 >= n.buf.length) {
            return;
        }
        int cap = Math.max(MIN_CAPACITY, used * 2);
        int newStart = (cap - used) / 2;
        byte[] smaller = new byte[cap];
        System.arraycopy(n.buf, n.start, smaller, newStart, used);
        n.buf = smaller;
        n.start = newStart;
        n.end = newStart + used;
    }

    // ---- locating ----

    /** Node {@code k} and index {@code j} inside it of element {@code i}, packed as k << 32 | j. */
    private long locate(int i) {
        if (i < size / 2) {
            for (int k = 0; ; k++) {
                int c = node(k).count;
                if (i < c) {
                    return (long) k << 32 | i;
                }
                i -= c;
            }
        }
        int fromEnd = size - i;
        for (int k = nodes - 1; ; k--) {
            int c = node(k).count;
            if (fromEnd <= c) {
                return (long) k << 32 | (c - fromEnd);
            }
            fromEnd -= c;
        }
    }

    /** The offset of entry {@code j} of {@code n}, walking from the nearer end of the node. */
    private static int offsetIn(Node n, int j) {
        byte[] buf = n.buf;
        if (j <= n.count / 2) {
            int off = n.start;
            for (int e = 0; e < j; e++) {
                off = nextEntry(buf, off);
            }
            return off;
        }
        int off = n.end;
        for (int e = n.count; e > j; e--) {
            off = previousEntry(buf, off);
        }
        return off;
    }

    /** A cursor on element {@code i} (0 <= i < size). */
    Cursor cursor(int i) {
        Cursor c = new Cursor();
        c.moveTo(i);
        return c;
    }

    /** A copy of element {@code i}. */
    byte[] get(int i) {
        return cursor(i).copy();
    }

    /** Element {@code i} as a bulk reply, straight from its node. */
    void reply(Reply reply, int i) {
        cursor(i).reply(reply);
    }

    /** Elements [from, from + n) as bulk replies, in order, straight from their nodes (LRANGE's loop). */
    void replyRange(Reply reply, int from, int n) {
        if (n <= 0) {
            return;
        }
        long at = locate(from);
        int k = (int) (at >>> 32);
        Node nd = node(k);
        int off = offsetIn(nd, (int) at);
        byte[] buf = nd.buf;
        int nodeEnd = nd.end;
        byte[] digits = null;
        for (int i = 0; i < n; i++) {
            if (off >= nodeEnd) {
                nd = node(++k);
                buf = nd.buf;
                off = nd.start;
                nodeEnd = nd.end;
            }
            int t = buf[off] & 0xFF;
            if (t < 0x80) {
                reply.bulk(buf, off + 1, t);
                off += t + 2;
            } else if (t < 0xC0) {
                int len = (t & 0x3F) << 8 | buf[off + 1] & 0xFF;
                reply.bulk(buf, off + 2, len);
                off += len + 4;
            } else if (t == TAG_LONG_STRING) {
                int len = readInt(buf, off + 1);
                reply.bulk(buf, off + 5, len);
                off += len + 10;
            } else {
                if (digits == null) {
                    digits = new byte[20];
                }
                int d = formatLong(intAt(buf, off), digits);
                reply.bulk(digits, d, digits.length - d);
                off += entryBytesAt(buf, off);
            }
        }
    }

    // ---- changes ----

    void addFirst(byte[] v) {
        int need = entryBytes(v);
        Node h = nodes == 0 ? null : node(0);
        if (h != null && fits(h, need)) {
            prependTo(h, v, need);
        } else {
            insertNode(0, newNode(v, h != null && roomyNextTo(h), true));
        }
        size++;
        modCount++;
    }

    void addLast(byte[] v) {
        int need = entryBytes(v);
        Node t = nodes == 0 ? null : node(nodes - 1);
        if (t != null && fits(t, need)) {
            appendTo(t, v, need);
        } else {
            insertNode(nodes, newNode(v, t != null && roomyNextTo(t), false));
        }
        size++;
        modCount++;
    }

    /** Inserts {@code v} so that it becomes element {@code i} (0 <= i <= size). */
    void insert(int i, byte[] v) {
        if (i == 0) {
            addFirst(v);
            return;
        }
        if (i == size) {
            addLast(v);
            return;
        }
        long at = locate(i);
        int k = (int) (at >>> 32);
        int j = (int) at;
        int need = entryBytes(v);
        if (j == 0) {
            insertBetween(k, v, need);
        } else {
            Node n = node(k);
            int p = offsetIn(n, j);
            if (fits(n, need)) {
                insertInside(n, p, v, need);
            } else {
                Node right = new Node(Arrays.copyOfRange(n.buf, p, n.end), 0, n.end - p, n.count - j);
                n.end = p;
                n.count = j;
                insertNode(k + 1, right);
                maybeShrink(n);
                insertBetween(k + 1, v, need);
            }
        }
        size++;
        modCount++;
    }

    /** Inserts {@code v} between nodes {@code k - 1} and {@code k}: at the end of one, the start of the other, or alone. */
    private void insertBetween(int k, byte[] v, int need) {
        Node before = node(k - 1);
        Node after = node(k);
        if (fits(before, need)) {
            appendTo(before, v, need);
        } else if (fits(after, need)) {
            prependTo(after, v, need);
        } else {
            insertNode(k, newNode(v, false, false));
        }
    }

    /** Inserts {@code v} at offset {@code p} inside {@code n} (which fits it), moving the shorter side. */
    private static void insertInside(Node n, int p, byte[] v, int need) {
        boolean tailRoom = n.buf.length - n.end >= need;
        boolean headRoom = n.start >= need;
        if (tailRoom && (!headRoom || n.end - p <= p - n.start)) {
            System.arraycopy(n.buf, p, n.buf, p + need, n.end - p);
            writeEntry(n.buf, p, v, need);
            n.end += need;
        } else if (headRoom) {
            System.arraycopy(n.buf, n.start, n.buf, n.start - need, p - n.start);
            n.start -= need;
            writeEntry(n.buf, p - need, v, need);
        } else {
            int used = n.used();
            int cap = Math.min(NODE_LIMIT, Math.max(n.buf.length * 2, used + need));
            int newStart = (cap - used - need) / 2;
            byte[] bigger = new byte[cap];
            int headPart = p - n.start;
            System.arraycopy(n.buf, n.start, bigger, newStart, headPart);
            writeEntry(bigger, newStart + headPart, v, need);
            System.arraycopy(n.buf, p, bigger, newStart + headPart + need, n.end - p);
            n.buf = bigger;
            n.start = newStart;
            n.end = newStart + used + need;
        }
        n.count++;
    }

    /** Replaces element {@code i} by {@code v}: in place when the entry keeps its size. */
    void set(int i, byte[] v) {
        long at = locate(i);
        Node n = node((int) (at >>> 32));
        int off = offsetIn(n, (int) at);
        int need = entryBytes(v);
        if (entryBytesAt(n.buf, off) == need) {
            writeEntry(n.buf, off, v, need);
            modCount++;
            return;
        }
        removeRange(i, 1);
        insert(i, v);
    }

    /** Removes the first element. */
    void removeFirst() {
        Node n = node(0);
        if (n.count == 1) {
            removeNode(0);
        } else {
            n.start = nextEntry(n.buf, n.start);
            n.count--;
            maybeShrink(n);
        }
        size--;
        modCount++;
    }

    /** Removes the last element. */
    void removeLast() {
        Node n = node(nodes - 1);
        if (n.count == 1) {
            removeNode(nodes - 1);
        } else {
            n.end = previousEntry(n.buf, n.end);
            n.count--;
            maybeShrink(n);
        }
        size--;
        modCount++;
    }

    /**
     * Removes {@code count} elements from index {@code start} on (quicklistDelRange): the first and last
     * nodes may lose some of their entries, the whole nodes between them are unlinked together.
     */
    void removeRange(int start, int count) {
        if (count <= 0) {
            return;
        }
        modCount++;
        long at = locate(start);
        size -= count;
        int k = (int) (at >>> 32);
        int j = (int) at;
        int left = count;
        Node first = node(k);
        int r = Math.min(left, first.count - j);
        if (r < first.count) {
            removeEntries(first, j, r);
            left -= r;
            k++;
        }
        int whole = 0;
        while (left > 0 && node(k + whole).count <= left) {
            left -= node(k + whole).count;
            whole++;
        }
        if (left > 0) {
            removeEntries(node(k + whole), 0, left);
        }
        removeNodes(k, whole);
    }

    /** Removes entries [j, j + r) of {@code n}, which keeps at least one. */
    private static void removeEntries(Node n, int j, int r) {
        int a = j == 0 ? n.start : offsetIn(n, j);
        int b;
        if (j + r == n.count) {
            b = n.end;
        } else {
            b = a;
            for (int e = 0; e < r; e++) {
                b = nextEntry(n.buf, b);
            }
        }
        cut(n, a, b);
        n.count -= r;
        maybeShrink(n);
    }

    /** Removes bytes [a, b) of {@code n}, moving the shorter side. */
    private static void cut(Node n, int a, int b) {
        if (a == n.start) {
            n.start = b;
        } else if (b == n.end) {
            n.end = a;
        } else if (a - n.start < n.end - b) {
            System.arraycopy(n.buf, n.start, n.buf, n.start + (b - a), a - n.start);
            n.start += b - a;
        } else {
            System.arraycopy(n.buf, b, n.buf, a, n.end - b);
            n.end -= b - a;
        }
    }

    /**
     * Removes the elements at the {@code n} ascending indexes {@code idx} in one pass over the nodes they span:
     * each node holding some is compacted in place; once one is left empty, the kept nodes after it slide
     * down over the gap, and the empty slots are unlinked together at the end.
     */
    void removeAll(int[] idx, int n) {
        if (n == 0) {
            return;
        }
        modCount++;
        long at = locate(idx[0]);
        int k = (int) (at >>> 32);
        int base = idx[0] - (int) at;
        int j = 0;
        int gap = -1;
        while (j < n) {
            Node nd = node(k);
            int nodeEnd = base + nd.count;
            if (idx[j] < nodeEnd) {
                int before = nd.count;
                j = removeMarked(nd, base, idx, j, n);
                size -= before - nd.count;
            }
            if (nd.count == 0) {
                if (gap < 0) {
                    gap = k;
                }
            } else if (gap >= 0) {
                setNode(gap++, nd);
            }
            base = nodeEnd;
            k++;
        }
        if (gap >= 0) {
            removeNodes(gap, k - gap);
        }
    }

    /**
     * Drops from {@code nd} (whose first element is element {@code base}) the elements at {@code idx[j..n)}
     * that fall inside it, compacting the rest in place; returns the index of the first one past the node.
     */
    private static int removeMarked(Node nd, int base, int[] idx, int j, int n) {
        byte[] buf = nd.buf;
        int nodeEnd = base + nd.count;
        int r = nd.start;
        int w = nd.start;
        int kept = 0;
        for (int e = base; e < nodeEnd; e++) {
            int next = nextEntry(buf, r);
            if (j < n && idx[j] == e) {
                j++;
            } else {
                if (w != r) {
                    System.arraycopy(buf, r, buf, w, next - r);
                }
                w += next - r;
                kept++;
            }
            r = next;
        }
        nd.end = w;
        nd.count = kept;
        if (kept > 0) {
            maybeShrink(nd);
        }
        return j;
    }

    /**
     * A position in the list, stepping to the next or previous element in O(1). Valid while the list is not
     * changed (except through {@link ListValue}'s own cached use, which checks {@link #modCount}).
     */
    final class Cursor {
        private int k;
        private Node node;
        private int off;
        private int index;
        /** The current entry, decoded: an integer, or a string's data offset and length; where it ends. */
        private boolean integer;
        private int data;
        private int len;
        private int end;
        /** Where integer elements are written out as digits. */
        private byte[] digits;

        /** Moves to element {@code i}; outside 0..size-1 the cursor is invalid (no element to read). */
        void moveTo(int i) {
            index = i;
            if (i < 0 || i >= size) {
                node = null;
                return;
            }
            long at = locate(i);
            k = (int) (at >>> 32);
            node = node(k);
            off = offsetIn(node, (int) at);
            decode();
        }

        private void decode() {
            byte[] buf = node.buf;
            int t = buf[off] & 0xFF;
            if (t < 0x80) {
                integer = false;
                len = t;
                data = off + 1;
                end = data + t + 1;
            } else if (t < 0xC0) {
                integer = false;
                len = (t & 0x3F) << 8 | buf[off + 1] & 0xFF;
                data = off + 2;
                end = data + len + 2;
            } else if (t == TAG_LONG_STRING) {
                integer = false;
                len = readInt(buf, off + 1);
                data = off + 5;
                end = data + len + 5;
            } else {
                integer = true;
                end = off + entryBytesAt(buf, off);
            }
        }

        int index() {
            return index;
        }

        /** Steps to the next element; past the last one the cursor is invalid. */
        void next() {
            index++;
            off = end;
            if (off >= node.end) {
                if (index >= size) {
                    return;
                }
                node = node(++k);
                off = node.start;
            }
            decode();
        }

        /** Steps to the previous element; before the first one the cursor is invalid. */
        void previous() {
            index--;
            if (index < 0) {
                return;
            }
            if (off == node.start) {
                node = node(--k);
                off = node.end;
            }
            off = previousEntry(node.buf, off);
            decode();
        }

        /** The element's length in bytes. */
        int length() {
            if (integer) {
                byte[] d = digits();
                return d.length - formatLong(intAt(node.buf, off), d);
            }
            return len;
        }

        /** The element's bytes, in a new array. */
        byte[] copy() {
            if (integer) {
                byte[] d = digits();
                int from = formatLong(intAt(node.buf, off), d);
                return Arrays.copyOfRange(d, from, d.length);
            }
            return Arrays.copyOfRange(node.buf, data, data + len);
        }

        /** Whether the element's bytes are {@code x}'s. */
        boolean contentEquals(byte[] x) {
            if (integer) {
                byte[] d = digits();
                int from = formatLong(intAt(node.buf, off), d);
                return Arrays.equals(d, from, d.length, x, 0, x.length);
            }
            return len == x.length && Arrays.equals(node.buf, data, data + len, x, 0, len);
        }

        /** The element as a bulk reply. */
        void reply(Reply reply) {
            if (integer) {
                byte[] d = digits();
                int from = formatLong(intAt(node.buf, off), d);
                reply.bulk(d, from, d.length - from);
                return;
            }
            reply.bulk(node.buf, data, len);
        }

        /** Redis's listpack byte size of the current element. */
        int listpackEntrySize() {
            if (integer) {
                return ListpackSizes.intEntrySize(intAt(node.buf, off));
            }
            return ListpackSizes.entrySize(node.buf, data, len);
        }

        private byte[] digits() {
            if (digits == null) {
                digits = new byte[20];
            }
            return digits;
        }
    }
}
