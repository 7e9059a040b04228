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
 * Values in their RDB form: strings ({@code byte[]} or {@link RawString}) are the kernel's own, every other
 * value belongs to the {@link DataType} the plugins registered for its class or its RDB type id. The kernel
 * never knows a plugin's type.
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

    private DataType typeOf(RedisValue v) throws IOException {
        DataType t = byClass.get(v.getClass());
        if (t == null) {
            for (DataType c : types) {
                if (c.valueClass().isInstance(v)) {
                    t = c;
                    break;
                }
            }
            if (t == null) {
                throw new IOException("no loaded data type can save a value of type '" + v.typeName() + "'");
            }
            byClass.put(v.getClass(), t);
        }
        return t;
    }

    /**
     * Writes type byte, key and value as RDB format {@code version} holds them (rdbSaveObjectType, the key,
     * rdbSaveObject); IOException when the value's type has no form that version knows.
     */
    public void write(DataOutput out, byte[] key, Object value, int version) throws IOException {
        if (value instanceof byte[] || value instanceof RawString) {
            out.writeByte(RdbType.STRING);
            RdbStrings.writeString(out, key);
            RdbStrings.writeString(out, value instanceof byte[] b ? b : ((RawString) value).toBytes());
            return;
        }
        RedisValue v = (RedisValue) value;
        DataType t = typeOf(v);
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

    /** Reads a value of RDB type {@code id} (the type byte already consumed). */
    public Object read(int id, DataInput in) throws IOException {
        if (id == RdbType.STRING) {
            return RdbStrings.readString(in);
        }
        DataType t = byRdbType.get(id);
        if (t == null) {
            throw new IOException("no loaded data type reads RDB type " + id);
        }
        RedisValue v = t.read(id, in);
        if (v == null) {
            throw new IOException("RDB type " + id + " value rejected by its data type");
        }
        return v;
    }
}
