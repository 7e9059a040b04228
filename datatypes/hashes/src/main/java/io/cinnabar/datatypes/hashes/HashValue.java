package io.cinnabar.datatypes.hashes;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.RedisValue;
import java.util.Arrays;

/**
 * A hash value. Small hashes are "listpack": parallel arrays of fields and values in insertion order,
 * searched linearly as Redis searches its listpack. A hash converts to "hashtable" ({@link FieldTable})
 * once it holds more than {@code hash-max-listpack-entries} fields or a field or value longer than
 * {@code hash-max-listpack-value} bytes, and never converts back, as in Redis's t_hash.c.
 */
final class HashValue implements RedisValue, io.cinnabar.api.FieldReadable {
    private byte[][] fields;
    private byte[][] values;
    private int size;
    /** Non-null once converted to the hashtable encoding. */
    private FieldTable table;
    /** Per-field deadlines; null until a field first gets a TTL (then kept, as Redis keeps "listpackex"). */
    private FieldExpiries expiries;

    HashValue() {
        fields = new byte[4][];
        values = new byte[4][];
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

    @Override
    public long memoryUsage() {
        long[] total = {table == null ? 16 + 8L * fields.length * 2 : 64 + 8L * table.bucketCount()};
        int perEntry = table == null ? 4 : 48;
        forEach((f, v) -> total[0] += f.length + v.length + perEntry);
        if (expiries != null) {
            total[0] += 48 + 56L * expiries.size();
        }
        return total[0];
    }

    @Override
    public RedisValue copy() {
        HashValue h = new HashValue();
        if (table != null) {
            h.table = table.copy();
        } else {
            h.fields = Arrays.copyOf(fields, fields.length);
            h.values = Arrays.copyOf(values, values.length);
            h.size = size;
        }
        h.expiries = expiries == null ? null : expiries.copy();
        return h;
    }

    boolean isListpack() {
        return table == null;
    }

    int size() {
        return table == null ? size : table.size();
    }

    private int indexOf(byte[] field) {
        for (int i = 0; i < size; i++) {
            if (Arrays.equals(fields[i], field)) {
                return i;
            }
        }
        return -1;
    }

    /** SORT's {@code ->field} lookups: a field whose TTL passed reads as absent (it is not deleted here). */
    @Override
    public byte[] readField(byte[] field, long nowMillis) {
        long at = expireAt(field);
        return at >= 0 && at < nowMillis ? null : get(field);
    }

    /** The value of the field, or null. */
    byte[] get(byte[] field) {
        if (table != null) {
            FieldTable.Entry e = table.find(field);
            return e == null ? null : e.value;
        }
        int i = indexOf(field);
        return i < 0 ? null : values[i];
    }

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

    /** Redis's {@code hashTypeSet}: true when the field is new. Converts before a long field or value, after growing past the limit. */
    boolean set(Limits limits, byte[] field, byte[] value) {
        return set(limits, field, value, false);
    }

    /** Like {@link #set(Limits, byte[], byte[])}; an overwrite clears the field's TTL unless {@code keepTtl}. */
    boolean set(Limits limits, byte[] field, byte[] value, boolean keepTtl) {
        if (expiries != null && !keepTtl) {
            expiries.remove(field);
        }
        if (table == null) {
            if (field.length > limits.maxValue() || value.length > limits.maxValue()) {
                convert(size + 1);
            }
        }
        if (table != null) {
            return table.put(field, value);
        }
        int i = indexOf(field);
        if (i >= 0) {
            values[i] = value;
            return false;
        }
        if (size == fields.length) {
            fields = Arrays.copyOf(fields, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        fields[size] = field;
        values[size] = value;
        size++;
        if (size > limits.maxEntries()) {
            convert(size);
        }
        return true;
    }

    /** True when the field existed. */
    boolean delete(byte[] field) {
        if (expiries != null) {
            expiries.remove(field);
        }
        if (table != null) {
            return table.remove(field);
        }
        int i = indexOf(field);
        if (i < 0) {
            return false;
        }
        System.arraycopy(fields, i + 1, fields, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
        fields[size] = null;
        values[size] = null;
        return true;
    }

    /** The field's deadline in unix ms, -1 when it has none (the field must exist). */
    long expireAt(byte[] field) {
        return expiries == null ? -1 : expiries.get(field);
    }

    /** Sets the deadline of an existing field. */
    void setExpireAt(byte[] field, long unixMillis) {
        if (expiries == null) {
            expiries = new FieldExpiries();
        }
        expiries.put(field, unixMillis);
    }

    /** True when some field has a TTL now. */
    boolean hasFieldExpiries() {
        return expiries != null && expiries.size() > 0;
    }

    /** Removes the field's deadline; true when it had one. */
    boolean persist(byte[] field) {
        return expiries != null && expiries.remove(field);
    }

    /** True when a field may have expired at {@code now}: one comparison for hashes with TTLs, none without. */
    boolean anyDue(long now) {
        return expiries != null && expiries.anyDue(now);
    }

    /** Deletes the fields expired at {@code now}; their number. */
    int deleteDue(long now) {
        int n = 0;
        for (byte[] f : expiries.takeDue(now)) {
            if (delete(f)) {
                n++;
            }
        }
        return n;
    }

    /** Every field and value: insertion order for a listpack, table order for a hashtable. */
    void forEach(FieldTable.Visitor v) {
        if (table != null) {
            table.forEach(v);
            return;
        }
        for (int i = 0; i < size; i++) {
            v.visit(fields[i], values[i]);
        }
    }

    /** One HSCAN step over a hashtable (see {@link FieldTable#scan}). */
    long scan(long cursor, FieldTable.Visitor v) {
        return table.scan(cursor, v);
    }

    /** Listpack entry {@code i}'s field (listpack encoding only). */
    byte[] fieldAt(int i) {
        return fields[i];
    }

    byte[] valueAt(int i) {
        return values[i];
    }

    /** A random entry of a hashtable-encoded hash. */
    FieldTable.Entry randomEntry() {
        return table.random();
    }

    private void convert(int expected) {
        FieldTable t = new FieldTable(expected);
        for (int i = 0; i < size; i++) {
            t.put(fields[i], values[i]);
        }
        table = t;
        fields = null;
        values = null;
        size = 0;
    }

    /** {@code hash-max-listpack-entries} and {@code hash-max-listpack-value}, read once per command. */
    record Limits(long maxEntries, long maxValue) {
        static Limits of(CommandContext ctx) {
            return new Limits(ctx.config().getLong("hash-max-listpack-entries"),
                    ctx.config().getLong("hash-max-listpack-value"));
        }
    }
}
