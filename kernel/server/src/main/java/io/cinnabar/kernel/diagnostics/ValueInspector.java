package io.cinnabar.kernel.diagnostics;

import io.cinnabar.api.DataType;
import io.cinnabar.api.RawString;
import io.cinnabar.api.RedisValue;
import io.cinnabar.api.rdb.RdbStrings;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * What DEBUG OBJECT and DEBUG DIGEST need to know about a stored value: its RDB serialized length
 * (rdbSavedObjectLen) and its serialized bytes. Strings are measured exactly as Redis writes them
 * (integer encodings, LZF when rdbcompression is on and it pays, else length-prefixed); other types are
 * serialized by their plugin's {@link DataType}.
 */
public final class ValueInspector {
    private ValueInspector() {
    }

    /** The string bytes of a string value, null for other types. */
    static byte[] stringBytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof RawString r) {
            return r.toBytes();
        }
        return null;
    }

    /** rdbSavedObjectLen; 0 for a value whose type has no persistence hooks. */
    public static long serializedLength(Object value, List<DataType> types, boolean compression) {
        byte[] s = stringBytes(value);
        if (s != null) {
            return RdbStrings.stringSize(s, compression);
        }
        RedisValue v = (RedisValue) value;
        for (DataType t : types) {
            if (t.valueClass().isInstance(v)) {
                Counting c = new Counting();
                try (DataOutputStream out = new io.cinnabar.api.rdb.RdbOutput(c, compression)) {
                    t.write(v, out);
                } catch (IOException e) {
                    return 0;
                }
                return c.count;
            }
        }
        return 0;
    }

    /** The value as its plugin writes it, or null when no loaded type handles it. */
    static byte[] serialize(RedisValue value, List<DataType> types) {
        for (DataType t : types) {
            if (t.valueClass().isInstance(value)) {
                java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
                try (DataOutputStream out = new DataOutputStream(bo)) {
                    t.write(value, out);
                } catch (IOException e) {
                    return null;
                }
                return bo.toByteArray();
            }
        }
        return null;
    }

    /** An OutputStream that only counts, so measuring a large value copies nothing. */
    static final class Counting extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
