package io.cinnabar.datatypes.sets;

import io.cinnabar.api.RedisNumbers;
import io.cinnabar.api.RedisValue;
import io.cinnabar.api.Reply;
import io.cinnabar.api.rdb.Intset;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A set value in one of Redis 7.2's three encodings (t_set.c), converting when Redis converts and never back:
 * {@code intset} (sorted {@code long[]}, every member a canonical integer), {@code listpack} (members in
 * insertion order, linear search) and {@code hashtable} ({@link MemberTable}). Iteration order is the
 * encoding's: ascending for an intset, insertion order for a listpack.
 */
final class SetValue implements RedisValue, io.cinnabar.api.MemberSet, io.cinnabar.api.Sortable {
    static final int INTSET = 0;
    static final int LISTPACK = 1;
    static final int HASHTABLE = 2;

    private int encoding;
    private long[] ints;
    private byte[][] list;
    private MemberTable table;
    private int size;
    /** The intset's element width in bytes (2, 4 or 8): it only widens, as Redis's intset (RDB bytes show it). */
    private int intsetWidth = 2;

    @Override
    public long prefetchMember(byte[] b, int off, int len, int stage, long prior) {
        return encoding == HASHTABLE ? table.prefetch(b, off, len, stage, prior) : 0;
    }

    private SetValue(int encoding, int capacity) {
        this.encoding = encoding;
        switch (encoding) {
            case INTSET -> ints = new long[Math.max(4, capacity)];
            case LISTPACK -> list = new byte[Math.max(4, capacity)][];
            default -> table = new MemberTable(capacity);
        }
    }

    static SetValue empty(int encoding) {
        return new SetValue(encoding, 4);
    }

    /**
     * Redis's {@code setTypeCreate}: the empty set for a new key whose first member is {@code first},
     * about {@code hint} members to come.
     */
    static SetValue create(byte[] first, long hint, SetLimits limits) {
        if (isInteger(first) && hint <= limits.intsetEntries()) {
            return empty(INTSET);
        }
        if (hint <= limits.listpackEntries()) {
            return empty(LISTPACK);
        }
        return new SetValue(HASHTABLE, (int) Math.min(hint, 1 << 20));
    }

    /** True when {@code m} is what Redis's {@code string2ll} accepts: the members an intset can hold. */
    static boolean isInteger(byte[] m) {
        int n = m.length;
        if (n == 0 || n > 20) {
            return false;
        }
        int i = m[0] == '-' ? 1 : 0;
        if (i == n) {
            return false;
        }
        if (m[i] == '0') {
            return n == 1; // "0" alone: no leading zeros, no "-0"
        }
        for (; i < n; i++) {
            if (m[i] < '0' || m[i] > '9') {
                return false;
            }
        }
        return n < 19 || RedisNumbers.isCanonicalLong(m); // only long ones can overflow
    }

    /** A loaded intset (RDB_TYPE_SET_INTSET): sorted distinct values at the blob's width. */
    static SetValue fromIntset(long[] values, int width) {
        SetValue s = new SetValue(INTSET, values.length);
        System.arraycopy(values, 0, s.ints, 0, values.length);
        s.size = values.length;
        s.intsetWidth = width;
        return s;
    }

    /** The intset blob Redis would save for this set (intset encoding only). */
    byte[] intsetBlob() {
        return Intset.write(ints, size, intsetWidth);
    }

    int encodingId() {
        return encoding;
    }

    int size() {
        return size;
    }

    /** Redis's {@code setTypeMaybeConvert}: a bulk add of {@code hint} members goes straight to a hashtable. */
    void maybeConvert(long hint, SetLimits limits) {
        if ((encoding == LISTPACK && hint > limits.listpackEntries())
                || (encoding == INTSET && hint > limits.intsetEntries())) {
            toHashtable((int) Math.min(hint, 1 << 20));
        }
    }

    /** Redis's {@code setTypeAddAux}: adds a member, converting the encoding when a threshold is crossed. */
    boolean add(byte[] m, SetLimits limits) {
        switch (encoding) {
            case INTSET -> {
                if (isInteger(m)) {
                    long v = RedisNumbers.parseLong(m, null);
                    int at = Arrays.binarySearch(ints, 0, size, v);
                    if (at >= 0) {
                        return false;
                    }
                    at = -at - 1;
                    if (size == ints.length) {
                        ints = Arrays.copyOf(ints, size * 2);
                    }
                    System.arraycopy(ints, at, ints, at + 1, size - at);
                    ints[at] = v;
                    size++;
                    intsetWidth = Math.max(intsetWidth, Intset.widthOf(v));
                    if (size > limits.intsetEntries()) {
                        toHashtable(size);
                    }
                    return true;
                }
                int maxLen = size == 0 ? 0 : Math.max(digits(ints[0]), digits(ints[size - 1]));
                if (size < limits.listpackEntries() && m.length <= limits.listpackValue()
                        && maxLen <= limits.listpackValue()) {
                    toListpack();
                } else {
                    toHashtable(size + 1);
                }
                return add(m, limits);
            }
            case LISTPACK -> {
                if (indexOf(m) >= 0) {
                    return false;
                }
                if (size < limits.listpackEntries() && m.length <= limits.listpackValue()) {
                    if (size == list.length) {
                        list = Arrays.copyOf(list, size * 2);
                    }
                    list[size++] = m;
                    return true;
                }
                toHashtable(size + 1);
                return add(m, limits);
            }
            default -> {
                if (table.add(m)) {
                    size++;
                    return true;
                }
                return false;
            }
        }
    }

    boolean remove(byte[] m) {
        switch (encoding) {
            case INTSET -> {
                if (!isInteger(m)) {
                    return false;
                }
                int at = Arrays.binarySearch(ints, 0, size, RedisNumbers.parseLong(m, null));
                if (at < 0) {
                    return false;
                }
                removeAt(at);
                return true;
            }
            case LISTPACK -> {
                int at = indexOf(m);
                if (at < 0) {
                    return false;
                }
                removeAt(at);
                return true;
            }
            default -> {
                if (table.remove(m)) {
                    size--;
                    return true;
                }
                return false;
            }
        }
    }

    boolean contains(byte[] m) {
        return switch (encoding) {
            case INTSET -> isInteger(m) && Arrays.binarySearch(ints, 0, size, RedisNumbers.parseLong(m, null)) >= 0;
            case LISTPACK -> indexOf(m) >= 0;
            default -> table.contains(m);
        };
    }

    @Override
    public int sortLength() {
        return size;
    }

    @Override
    public byte[] sortElement(int i) {
        return at(i);
    }

    /** The member at position {@code i} of the encoding's order (0 <= i < size). */
    byte[] at(int i) {
        return switch (encoding) {
            case INTSET -> RedisNumbers.toBytes(ints[i]);
            case LISTPACK -> list[i];
            default -> table.at(i);
        };
    }

    /** Writes the member at position {@code i} as a bulk reply (an intset's without building its bytes). */
    void reply(Reply reply, int i) {
        if (encoding == INTSET) {
            reply.bulk(ints[i]);
        } else {
            reply.bulk(at(i));
        }
    }

    /**
     * Whether every set in {@code others} (skipping {@code this} itself) holds member {@code i} of this set; an
     * intset member is checked against other intsets as a number, without its bytes.
     */
    boolean allContain(SetValue[] others, int i) {
        byte[] bytes = encoding == INTSET ? null : at(i);
        for (SetValue o : others) {
            if (o == this) {
                continue;
            }
            if (encoding == INTSET && o.encoding == INTSET) {
                if (Arrays.binarySearch(o.ints, 0, o.size, ints[i]) < 0) {
                    return false;
                }
                continue;
            }
            if (bytes == null) {
                bytes = at(i);
            }
            if (!o.contains(bytes)) {
                return false;
            }
        }
        return true;
    }

    /** Removes the member at position {@code i}; a listpack and an intset keep the order of the rest. */
    void removeAt(int i) {
        switch (encoding) {
            case INTSET -> System.arraycopy(ints, i + 1, ints, i, size - i - 1);
            case LISTPACK -> {
                System.arraycopy(list, i + 1, list, i, size - i - 1);
                list[size - 1] = null;
            }
            default -> table.removeAt(i);
        }
        size--;
    }

    int randomIndex() {
        return ThreadLocalRandom.current().nextInt(size);
    }

    void forEach(Consumer<byte[]> visitor) {
        for (int i = 0; i < size; i++) {
            visitor.accept(at(i));
        }
    }

    /** One SSCAN step over a hashtable (the small encodings are returned whole by the caller). */
    long scan(long cursor, Consumer<byte[]> visitor) {
        return table.scan(cursor, visitor);
    }

    /**
     * What SINTERSTORE does with an all-integer result: it becomes an intset when it has no more members than
     * {@code set-max-intset-entries}.
     */
    void maybeToIntset(SetLimits limits) {
        if (encoding == INTSET || size > limits.intsetEntries()) {
            return;
        }
        long[] v = new long[Math.max(4, size)];
        for (int i = 0; i < size; i++) {
            byte[] m = at(i);
            if (!isInteger(m)) {
                return;
            }
            v[i] = RedisNumbers.parseLong(m, null);
        }
        Arrays.sort(v, 0, size);
        intsetWidth = 2;
        for (int i = 0; i < size; i++) {
            intsetWidth = Math.max(intsetWidth, Intset.widthOf(v[i]));
        }
        ints = v;
        list = null;
        table = null;
        encoding = INTSET;
    }

    private int indexOf(byte[] m) {
        for (int i = 0; i < size; i++) {
            if (Arrays.equals(list[i], m)) {
                return i;
            }
        }
        return -1;
    }

    private void toListpack() {
        byte[][] l = new byte[Math.max(4, size + 1)][];
        for (int i = 0; i < size; i++) {
            l[i] = RedisNumbers.toBytes(ints[i]);
        }
        list = l;
        ints = null;
        encoding = LISTPACK;
    }

    private void toHashtable(int expected) {
        MemberTable t = new MemberTable(expected);
        for (int i = 0; i < size; i++) {
            t.add(at(i));
        }
        table = t;
        ints = null;
        list = null;
        encoding = HASHTABLE;
    }

    /** Redis's {@code sdigits10}: the decimal length including a minus sign. */
    private static int digits(long v) {
        return RedisNumbers.toBytes(v).length;
    }

    @Override
    public long memberCount() {
        return size();
    }

    @Override
    public boolean containsMember(byte[] member) {
        return contains(member);
    }

    @Override
    public void forEachMember(Consumer<byte[]> visitor) {
        forEach(visitor);
    }

    @Override
    public String typeName() {
        return "set";
    }

    @Override
    public String encoding() {
        return switch (encoding) {
            case INTSET -> "intset";
            case LISTPACK -> "listpack";
            default -> "hashtable";
        };
    }

    @Override
    public long memoryUsage() {
        return switch (encoding) {
            case INTSET -> 32 + ints.length * 8L;
            case LISTPACK -> {
                long b = 32 + list.length * 8L;
                for (int i = 0; i < size; i++) {
                    b += 16 + list[i].length;
                }
                yield b;
            }
            default -> 32 + table.memoryUsage();
        };
    }

    @Override
    public RedisValue copy() {
        SetValue c = new SetValue(encoding, encoding == HASHTABLE ? 0 : size);
        switch (encoding) {
            case INTSET -> c.ints = Arrays.copyOf(ints, Math.max(4, size));
            case LISTPACK -> c.list = Arrays.copyOf(list, Math.max(4, size));
            default -> c.table = table.copy();
        }
        c.size = size;
        c.intsetWidth = intsetWidth;
        return c;
    }
}
