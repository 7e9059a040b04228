package io.cinnabar.kernel.diagnostics;

import io.cinnabar.api.CommandException;
import io.cinnabar.api.DataType;
import io.cinnabar.api.RawString;
import io.cinnabar.api.RedisNumbers;
import io.cinnabar.api.RedisValue;
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
            return stringLength(s, compression);
        }
        RedisValue v = (RedisValue) value;
        for (DataType t : types) {
            if (t.valueClass().isInstance(v)) {
                Counting c = new Counting();
                try (DataOutputStream out = new DataOutputStream(c)) {
                    t.write(v, out);
                } catch (IOException e) {
                    return 0;
                }
                return c.count;
            }
        }
        return 0;
    }

    /** rdbSaveRawString's length: integer encoding for short canonical ints, LZF when it saves space, else plain. */
    static long stringLength(byte[] s, boolean compression) {
        int len = s.length;
        if (len <= 11) {
            int enc = integerEncodingLength(s);
            if (enc > 0) {
                return enc;
            }
        }
        if (compression && len > 20) {
            int c = Lzf.compress(s, len - 4);
            if (c > 0) {
                return 1 + lengthLength(c) + lengthLength(len) + c;
            }
        }
        return lengthLength(len) + len;
    }

    /** rdbTryIntegerEncoding: 2, 3 or 5 bytes for a canonical integer that fits 8, 16 or 32 bits, else 0. */
    private static int integerEncodingLength(byte[] s) {
        if (!RedisNumbers.isCanonicalLong(s)) {
            return 0;
        }
        long v;
        try {
            v = RedisNumbers.parseLong(s, "");
        } catch (CommandException e) {
            return 0;
        }
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            return 2;
        }
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return 3;
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return 5;
        }
        return 0;
    }

    /** rdbSaveLen's size for a length. */
    private static int lengthLength(long len) {
        if (len < (1 << 6)) {
            return 1;
        }
        if (len < (1 << 14)) {
            return 2;
        }
        return len <= 0xFFFFFFFFL ? 5 : 9;
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
