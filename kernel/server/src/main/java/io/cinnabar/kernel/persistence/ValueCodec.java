package io.cinnabar.kernel.persistence;

import io.cinnabar.api.DataType;
import io.cinnabar.api.RawString;
import io.cinnabar.api.RedisValue;
import io.cinnabar.api.rdb.RdbStrings;
import io.cinnabar.api.rdb.RdbType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One stored value in RDB form, whatever its type (rdbSaveObjectType + rdbSaveObject, rdbLoadObject): strings
 * ({@code byte[]} or {@link RawString}) are the kernel's own, every other value belongs to the {@link DataType}
 * the plugins registered for its class or its RDB type id. DUMP, RESTORE, the RDB file, full resyncs and
 * MIGRATE all serialize values through here; the kernel never knows a plugin's type.
 */
public final class ValueCodec {
    private final List<DataType> types;
    private final Map<Class<?>, DataType> byClass = new HashMap<>();
    private final Map<Integer, DataType> byRdbType = new HashMap<>();

    public ValueCodec(List<DataType> types) {
        this.types = types;
        for (DataType t : types) {
            for (int id : t.rdbTypes()) {
                byRdbType.putIfAbsent(id, t);
            }
        }
    }

    private DataType typeFor(RedisValue v) {
        DataType t = byClass.get(v.getClass());
        if (t == null) {
            for (DataType c : types) {
                if (c.valueClass().isInstance(v)) {
                    t = c;
                    break;
                }
            }
            if (t != null) {
                byClass.put(v.getClass(), t);
            }
        }
        return t;
    }

    private DataType typeOrFail(RedisValue v) throws IOException {
        DataType t = typeFor(v);
        if (t == null) {
            throw new IOException("no loaded data type can save a value of type '" + v.typeName() + "'");
        }
        return t;
    }

    /** The RDB type id written for {@code value} (current version), or -1 when no loaded plugin can serialize it. */
    public int typeOf(Object value) {
        if (stringBytes(value) != null) {
            return RdbType.STRING;
        }
        DataType t = typeFor((RedisValue) value);
        return t == null ? -1 : t.rdbTypeOf((RedisValue) value);
    }

    /** Writes the value alone (no type byte, current version): a DUMP payload's body. */
    public void writeValue(Object value, DataOutput out) throws IOException {
        byte[] s = stringBytes(value);
        if (s != null) {
            RdbStrings.writeString(out, s);
            return;
        }
        RedisValue v = (RedisValue) value;
        typeOrFail(v).write(v, out);
    }

    /**
     * Writes type byte, key and value as RDB format {@code version} holds them (rdbSaveObjectType, the key,
     * rdbSaveObject); IOException when the value's type has no form that version knows.
     */
    public void write(DataOutput out, byte[] key, Object value, int version) throws IOException {
        byte[] s = stringBytes(value);
        if (s != null) {
            out.writeByte(RdbType.STRING);
            RdbStrings.writeString(out, key);
            RdbStrings.writeString(out, s);
            return;
        }
        RedisValue v = (RedisValue) value;
        DataType t = typeOrFail(v);
        boolean current = version >= RdbType.VERSION;
        int id = current ? t.rdbTypeOf(v) : t.rdbTypeOf(v, version);
        if (RdbType.minVersion(id) > version) {
            throw new IOException("a " + v.typeName() + " value (RDB type " + id + ") cannot be written in RDB version "
                    + version);
        }
        out.writeByte(id);
        RdbStrings.writeString(out, key);
        if (current) {
            t.write(v, out);
        } else {
            t.write(v, out, version);
        }
    }

    /** True when some loaded type (or the kernel, for strings) reads RDB type {@code id}. */
    public boolean knows(int id) {
        return id == RdbType.STRING || byRdbType.containsKey(id);
    }

    /**
     * Reads a value of RDB type {@code id} (the type byte already consumed). Corrupt input, an unknown type or
     * a value no loaded plugin reads all give an IOException; an unchecked exception from a plugin's reader
     * is reported the same way.
     */
    public Object read(int id, DataInput in) throws IOException {
        if (id == RdbType.STRING) {
            return RdbStrings.readString(in);
        }
        DataType t = byRdbType.get(id);
        if (t == null) {
            throw new IOException("unknown RDB value type " + id);
        }
        try {
            RedisValue v = t.read(id, in);
            if (v == null) {
                throw new IOException("RDB value type " + id + " rejected by its data type");
            }
            return v;
        } catch (RuntimeException e) {
            throw new IOException("corrupt RDB value of type " + id + ": " + e, e);
        }
    }

    private static byte[] stringBytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        return value instanceof RawString r ? r.toBytes() : null;
    }
}
