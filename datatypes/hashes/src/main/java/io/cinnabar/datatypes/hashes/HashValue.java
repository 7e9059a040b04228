package io.cinnabar.datatypes.hashes;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.RedisValue;
import io.cinnabar.api.Reply;
import io.cinnabar.api.ServerConfig;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hash value. Small hashes are "listpack": like Redis's listpack, ONE byte array of field and value entries
 * back to back in insertion order, each with a {@link PackedLength} prefix, searched linearly, and sized to
 * fit exactly (a multi-field HSET grows it once). A hash converts to "hashtable" ({@link FieldTable}) once
 * it holds more than {@code hash-max-listpack-entries} fields or a field or value longer than
 * {@code hash-max-listpack-value} bytes, and never converts back, as in Redis's t_hash.c.
 */
final class HashValue implements RedisValue, io.cinnabar.api.FieldReadable {
    private static final byte[] EMPTY = new byte[0];
    /** The longest array a JVM reliably allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    /** The listpack's entries ({@code packed.length == used} between commands); null once a hashtable. */
    private byte[] packed = EMPTY;
    private int used;
    /** The listpack's field count. */
    private int size;
    /** Non-null once converted to the hashtable encoding. */
    private FieldTable table;
    /** Per-field deadlines; null until a field first gets a TTL (then kept, as Redis keeps "listpackex"). */
    private FieldExpiries expiries;

    /** Receives a field and its value as slices of one array (valid only during the call). */
    interface Visitor {
        void visit(byte[] b, int fieldOff, int fieldLen, int valueOff, int valueLen);
    }

    HashValue() {
    }

    @Override
    public String typeName() {
        return "hash";
    }

    @Override
    public String encoding() {
        if (table != null) {
            return "hashtable";
        }
        return expiries == null ? "listpack" : "listpackex";
    }

    /** The object (header and five fields) and its listpack array or table. */
    @Override
    public long memoryUsage() {
        long total = 32 + (table == null ? (16 + packed.length + 7) & ~7L : table.memoryUsage());
        if (expiries != null) {
            total += expiries.memoryUsage();
        }
        return total;
    }

    @Override
    public RedisValue copy() {
        HashValue h = new HashValue();
        if (table != null) {
            h.table = table.copy();
            h.packed = null;
        } else {
            h.packed = Arrays.copyOf(packed, used);
            h.used = used;
            h.size = size;
        }
        h.expiries = expiries == null ? null : expiries.copy();
        return h;
    }

    @Override
    public long prefetchMember(byte[] b, int off, int len, int stage, long prior) {
        return table != null ? table.prefetch(b, off, len, stage, prior) : 0;
    }

    boolean isListpack() {
        return table == null;
    }

    int size() {
        return table == null ? size : table.size();
    }

    // ---- the listpack (its layout and reads are in ListpackPairs) ----

    private int indexOf(byte[] field) {
        return ListpackPairs.find(packed, used, field);
    }

    private void visitPair(int o, Visitor v) {
        ListpackPairs.visit(packed, o, v);
    }

    /** Appends a new pair, growing the array to fit it plus {@code room} more bytes when it must grow. */
    private void append(byte[] field, byte[] value, int room) {
        int need = ListpackPairs.pairSize(field.length, value.length);
        if (used + need > packed.length) {
            long want = (long) used + need + room;
            packed = Arrays.copyOf(packed, want > MAX_ARRAY ? used + need : (int) want);
        }
        int at = PackedLength.write(packed, used, field.length);
        System.arraycopy(field, 0, packed, at, field.length);
        at = PackedLength.write(packed, at + field.length, value.length);
        System.arraycopy(value, 0, packed, at, value.length);
        used = at + value.length;
        size++;
    }

    /** Replaces the value of the pair at {@code o}: in place when its length is unchanged, else re-packed. */
    private void replaceValue(int o, byte[] value) {
        int vp = ListpackPairs.valuePrefixAt(packed, o);
        int oldEnd = vp + PackedLength.sizeAt(packed, vp) + PackedLength.read(packed, vp);
        int fresh = PackedLength.size(value.length) + value.length;
        if (fresh == oldEnd - vp) {
            int at = PackedLength.write(packed, vp, value.length);
            System.arraycopy(value, 0, packed, at, value.length);
            return;
        }
        int newUsed = used - (oldEnd - vp) + fresh;
        byte[] p = new byte[newUsed + (packed.length - used)];
        System.arraycopy(packed, 0, p, 0, vp);
        int at = PackedLength.write(p, vp, value.length);
        System.arraycopy(value, 0, p, at, value.length);
        System.arraycopy(packed, oldEnd, p, at + value.length, used - oldEnd);
        packed = p;
        used = newUsed;
    }

    /** Removes the pair at {@code o}, re-packing to the exact size. */
    private void removePair(int o) {
        int end = ListpackPairs.pairEnd(packed, o);
        byte[] p = new byte[used - (end - o)];
        System.arraycopy(packed, 0, p, 0, o);
        System.arraycopy(packed, end, p, o, used - end);
        packed = p;
        used = p.length;
        size--;
    }

    /** Makes room for {@code bytes} more listpack bytes (a loader that knows what comes); {@link #trim} after. */
    void reserve(int bytes) {
        if (table == null && used + bytes > packed.length) {
            packed = Arrays.copyOf(packed, used + bytes);
        }
    }

    /** Like {@link #reserve}, but at least doubling the listpack: a loader adding pairs one by one. */
    void reserveGrowing(int bytes) {
        if (table == null && used + bytes > packed.length) {
            packed = Arrays.copyOf(packed, (int) Math.min(MAX_ARRAY, Math.max((long) used + bytes, 2L * packed.length)));
        }
    }

    /** Drops unused listpack room left by {@link #reserve} or a multi-field write. */
    void trim() {
        if (table == null && packed.length != used) {
            packed = Arrays.copyOf(packed, used);
        }
    }

    // ---- reads ----

    /** SORT's {@code ->field} lookups: a field whose TTL passed reads as absent (it is not deleted here). */
    @Override
    public byte[] readField(byte[] field, long nowMillis) {
        long at = expireAt(field);
        return at >= 0 && at < nowMillis ? null : get(field);
    }

    /** A copy of the value of the field, or null. */
    byte[] get(byte[] field) {
        if (table != null) {
            int i = table.find(field);
            if (i < 0) {
                return null;
            }
            byte[] e = table.entry(i);
            return Arrays.copyOfRange(e, FieldTable.valueOffset(e), e.length);
        }
        int o = indexOf(field);
        if (o < 0) {
            return null;
        }
        int vp = ListpackPairs.valuePrefixAt(packed, o);
        int at = vp + PackedLength.sizeAt(packed, vp);
        return Arrays.copyOfRange(packed, at, at + PackedLength.read(packed, vp));
    }

    boolean contains(byte[] field) {
        return table != null ? table.find(field) >= 0 : indexOf(field) >= 0;
    }

    /** Replies the field's value as a bulk string; false (nothing written) when the field is absent. */
    boolean replyValue(Reply reply, byte[] field) {
        if (table != null) {
            int i = table.find(field);
            if (i < 0) {
                return false;
            }
            byte[] e = table.entry(i);
            int at = FieldTable.valueOffset(e);
            reply.bulk(e, at, e.length - at);
            return true;
        }
        int o = indexOf(field);
        if (o < 0) {
            return false;
        }
        int vp = ListpackPairs.valuePrefixAt(packed, o);
        reply.bulk(packed, vp + PackedLength.sizeAt(packed, vp), PackedLength.read(packed, vp));
        return true;
    }

    /** The length of the field's value, -1 when the field is absent. */
    int valueLength(byte[] field) {
        if (table != null) {
            int i = table.find(field);
            if (i < 0) {
                return -1;
            }
            byte[] e = table.entry(i);
            return e.length - FieldTable.valueOffset(e);
        }
        int o = indexOf(field);
        return o < 0 ? -1 : PackedLength.read(packed, ListpackPairs.valuePrefixAt(packed, o));
    }

    // ---- writes ----

    /**
     * Redis's {@code hashTypeTryConversion} before a write of arguments {@code start..end}: converts when
     * more new fields may come than the listpack may hold (counting duplicates, as Redis guesses) or when
     * any argument is longer than {@code hash-max-listpack-value}.
     */
    void tryConversion(Limits limits, Args args, int start, int end) {
        if (table != null) {
            return;
        }
        long newFields = (end - start + 1) / 2;
        if (newFields > limits.maxEntries()) {
            convert((int) Math.min(newFields + size, 1 << 30));
            return;
        }
        for (int i = start; i <= end; i++) {
            if (args.get(i).length > limits.maxValue()) {
                convert(size);
                return;
            }
        }
    }

    /**
     * HSET's field/value pairs from argument {@code start} on: the conversion check, then each pair; the
     * listpack grows once, to fit every pair should all be new, and is trimmed after. The number created.
     */
    int setPairs(Limits limits, Args args, int start) {
        tryConversion(limits, args, start, args.size() - 1);
        long room = 0;
        if (table == null) {
            for (int i = start; i < args.size(); i += 2) {
                room += ListpackPairs.pairSize(args.get(i).length, args.get(i + 1).length);
            }
        }
        int created = 0;
        for (int i = start; i < args.size(); i += 2) {
            byte[] field = args.get(i);
            byte[] value = args.get(i + 1);
            room -= ListpackPairs.pairSize(field.length, value.length);
            if (set(limits, field, value, false, (int) Math.min(room, MAX_ARRAY))) {
                created++;
            }
        }
        trim();
        return created;
    }

    /** Redis's {@code hashTypeSet}: true when the field is new. Converts before a long field or value, after growing past the limit. */
    boolean set(Limits limits, byte[] field, byte[] value) {
        return set(limits, field, value, false, 0);
    }

    /** Like {@link #set(Limits, byte[], byte[])}; an overwrite clears the field's TTL unless {@code keepTtl}. */
    boolean set(Limits limits, byte[] field, byte[] value, boolean keepTtl) {
        return set(limits, field, value, keepTtl, 0);
    }

    private boolean set(Limits limits, byte[] field, byte[] value, boolean keepTtl, int room) {
        if (!keepTtl && hasFieldExpiries()) {
            int pos = positionOf(field);
            if (pos >= 0) {
                expiries.remove(pos);
            }
        }
        if (table == null) {
            if (field.length > limits.maxValue() || value.length > limits.maxValue()) {
                convert(size + 1);
            }
        }
        if (table != null) {
            return table.put(field, value);
        }
        int o = indexOf(field);
        if (o >= 0) {
            replaceValue(o, value);
            return false;
        }
        append(field, value, room);
        if (size > limits.maxEntries()) {
            convert(size);
        }
        return true;
    }

    /** True when the field existed. */
    boolean delete(byte[] field) {
        if (table != null) {
            int i = table.find(field);
            if (i < 0) {
                return false;
            }
            deleteAt(i, -1);
            return true;
        }
        int o = indexOf(field);
        if (o < 0) {
            return false;
        }
        deleteAt(hasFieldExpiries() ? ListpackPairs.ordinalAt(packed, o) : -1, o);
        return true;
    }

    /**
     * Deletes the field at position {@code pos} (see {@link #positionOf}; for a listpack -1 will do when no
     * field has a TTL) whose pair is at offset {@code o} (listpack only, -1 to find it from {@code pos}).
     */
    private void deleteAt(int pos, int o) {
        int before = size();
        if (table != null) {
            table.removeAt(pos);
        } else {
            removePair(o >= 0 ? o : ListpackPairs.offsetOf(packed, pos));
        }
        if (hasFieldExpiries()) {
            expiries.fieldRemoved(pos, before);
        }
    }

    // ---- field TTLs ----

    /** The field's position: its pair's ordinal in the listpack, its entry's index in the table; -1 when absent. */
    private int positionOf(byte[] field) {
        if (table != null) {
            return table.find(field);
        }
        int o = indexOf(field);
        return o < 0 ? -1 : ListpackPairs.ordinalAt(packed, o);
    }

    /** The field's deadline in unix ms, -1 when it has none (or is absent). */
    long expireAt(byte[] field) {
        if (!hasFieldExpiries()) {
            return -1;
        }
        int pos = positionOf(field);
        return pos < 0 ? -1 : expiries.get(pos);
    }

    /** Sets the deadline of an existing field. */
    void setExpireAt(byte[] field, long unixMillis) {
        putDeadline(positionOf(field), unixMillis);
    }

    /**
     * Sets the deadline of the field added last, which is at the last position whatever the encoding (a
     * loader's call right after adding it: no search).
     */
    void setLastFieldExpireAt(long unixMillis) {
        putDeadline(size() - 1, unixMillis);
    }

    private void putDeadline(int pos, long unixMillis) {
        if (expiries == null) {
            expiries = table == null ? new ListpackFieldExpiries() : new TableFieldExpiries();
        }
        expiries.put(pos, unixMillis, size());
    }

    /** True when some field has a TTL now. */
    boolean hasFieldExpiries() {
        return expiries != null && expiries.size() > 0;
    }

    /** The earliest field deadline, or -1 when no field has one. */
    long earliestDeadline() {
        return expiries == null ? -1 : expiries.earliestDeadline();
    }

    /** Removes the field's deadline; true when it had one. */
    boolean persist(byte[] field) {
        if (!hasFieldExpiries()) {
            return false;
        }
        int pos = positionOf(field);
        return pos >= 0 && expiries.remove(pos);
    }

    /** True when a field has expired at {@code now}: one comparison for hashes with TTLs, none without. */
    boolean anyDue(long now) {
        return expiries != null && expiries.anyDue(now);
    }

    /** Deletes the fields expired at {@code now}, earliest first; their number. */
    int deleteDue(long now) {
        int n = 0;
        while (expiries.anyDue(now)) {
            deleteAt(expiries.earliest(), -1);
            n++;
        }
        return n;
    }

    // ---- iteration ----

    /** Receives a field and its value as {@link Visitor} does, and the field's deadline (-1 for none). */
    interface DeadlineVisitor {
        void visit(byte[] b, int fieldOff, int fieldLen, int valueOff, int valueLen, long deadline);
    }

    /** Every field and value with its deadline, in {@link #forEach} order (which is position order). */
    void forEachWithDeadline(DeadlineVisitor v) {
        int[] pos = {0};
        forEach((b, fo, fl, vo, vl) -> {
            long deadline = expiries == null ? -1 : expiries.get(pos[0]);
            pos[0]++;
            v.visit(b, fo, fl, vo, vl, deadline);
        });
    }

    /** Every field and value: insertion order for a listpack, table order for a hashtable. */
    void forEach(Visitor v) {
        if (table != null) {
            table.forEach(v);
            return;
        }
        for (int o = 0; o < used; o = ListpackPairs.pairEnd(packed, o)) {
            visitPair(o, v);
        }
    }

    /** One HSCAN step over a hashtable (see {@link FieldTable#scan}). */
    long scan(long cursor, Visitor v) {
        return table.scan(cursor, v);
    }

    /**
     * Positions for {@link #visitAt}, one per field: the pairs' offsets for a listpack (found in one walk,
     * as Redis's lpRandomPairs walks), null for a hashtable (whose positions are {@code 0..size-1}).
     */
    int[] positions() {
        if (table != null) {
            return null;
        }
        int[] at = new int[size];
        for (int o = 0, k = 0; o < used; o = ListpackPairs.pairEnd(packed, o)) {
            at[k++] = o;
        }
        return at;
    }

    /** The {@code k}-th field (in {@link #positions} order) to the visitor. */
    void visitAt(int[] positions, int k, Visitor v) {
        if (table != null) {
            table.visit(k, v);
        } else {
            visitPair(positions[k], v);
        }
    }

    /** A uniformly random field to the visitor (the hash must not be empty). */
    void visitRandom(ThreadLocalRandom rnd, Visitor v) {
        if (table != null) {
            table.visit(table.randomIndex(rnd), v);
            return;
        }
        int o = 0;
        for (int k = rnd.nextInt(size); k > 0; k--) {
            o = ListpackPairs.pairEnd(packed, o);
        }
        visitPair(o, v);
    }

    private void convert(int expected) {
        FieldTable t = new FieldTable(expected);
        forEach((b, fo, fl, vo, vl) -> t.put(b, fo, fl, b, vo, vl));
        table = t;
        packed = null;
        used = 0;
        size = 0;
        if (expiries != null) {
            expiries = expiries.forTable();
        }
    }

    /**
     * {@code hash-max-listpack-entries} and {@code hash-max-listpack-value}; from the configuration, read on
     * first use only, so writes to a hashtable never pay for the lookups.
     */
    static final class Limits {
        private ServerConfig config;
        private long maxEntries;
        private long maxValue;

        Limits(long maxEntries, long maxValue) {
            this.maxEntries = maxEntries;
            this.maxValue = maxValue;
        }

        private Limits(ServerConfig config) {
            this.config = config;
        }

        static Limits of(CommandContext ctx) {
            return new Limits(ctx.config());
        }

        long maxEntries() {
            load();
            return maxEntries;
        }

        long maxValue() {
            load();
            return maxValue;
        }

        private void load() {
            if (config != null) {
                maxEntries = config.getLong("hash-max-listpack-entries");
                maxValue = config.getLong("hash-max-listpack-value");
                config = null;
            }
        }
    }
}
