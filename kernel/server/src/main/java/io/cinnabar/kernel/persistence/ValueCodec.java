package io.cinnabar.kernel.persistence;

import io.cinnabar.api.DataType;
import io.cinnabar.api.RawString;
import io.cinnabar.api.RedisValue;
import io.cinnabar.api.rdb.RdbStrings;
import io.cinnabar.api.rdb.RdbType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * One stored value in RDB form, whatever its type (rdbSaveObjectType + rdbSaveObject, rdbLoadObject): strings
 * are the kernel's own (RDB_TYPE_STRING), every other value goes to the {@link DataType} of its plugin. DUMP,
 * RESTORE, the RDB file and MIGRATE all serialize values through here.
 */
public final class ValueCodec {
    private ValueCodec() {
    }

    /** The RDB type id written for {@code value}, or -1 when no loaded plugin can serialize it. */
    public static int typeOf(Object value, List<DataType> types) {
        if (stringBytes(value) != null) {
            return RdbType.STRING;
        }
        DataType t = typeFor((RedisValue) value, types);
        return t == null ? -1 : t.rdbTypeOf((RedisValue) value);
    }

    /** Writes the value (without its type byte); IOException when no loaded plugin can serialize it. */
    public static void write(Object value, DataOutput out, List<DataType> types) throws IOException {
        byte[] s = stringBytes(value);
        if (s != null) {
            RdbStrings.writeString(out, s);
            return;
        }
        DataType t = typeFor((RedisValue) value, types);
        if (t == null) {
            throw new IOException("no serializer for " + ((RedisValue) value).typeName());
        }
        t.write((RedisValue) value, out);
    }

    /**
     * Reads a value of RDB type {@code rdbType}. Corrupt input, an unknown type or a value no loaded plugin
     * reads all give an IOException; an unchecked exception from a plugin's reader is reported the same way.
     */
    public static Object read(int rdbType, DataInput in, List<DataType> types) throws IOException {
        if (rdbType == RdbType.STRING) {
            return RdbStrings.readString(in);
        }
        for (DataType t : types) {
            for (int id : t.rdbTypes()) {
                if (id == rdbType) {
                    return readWith(t, rdbType, in);
                }
            }
        }
        throw new IOException("unknown RDB value type " + rdbType);
    }

    private static Object readWith(DataType t, int rdbType, DataInput in) throws IOException {
        try {
            RedisValue v = t.read(rdbType, in);
            if (v == null) {
                throw new IOException("RDB value type " + rdbType + " not loaded");
            }
            return v;
        } catch (RuntimeException e) {
            throw new IOException("corrupt RDB value of type " + rdbType + ": " + e, e);
        }
    }

    private static DataType typeFor(RedisValue value, List<DataType> types) {
        for (DataType t : types) {
            if (t.valueClass().isInstance(value)) {
                return t;
            }
        }
        return null;
    }

    private static byte[] stringBytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        return value instanceof RawString r ? r.toBytes() : null;
    }
}
