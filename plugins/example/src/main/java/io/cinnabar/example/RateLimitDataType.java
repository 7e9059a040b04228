package io.cinnabar.example;

import io.cinnabar.api.DataType;
import io.cinnabar.api.RedisValue;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.pf4j.Extension;

/**
 * The RDB form of a {@code ratelimit} value, written exactly as a Redis module type's value
 * ({@code RDB_TYPE_MODULE_2}, type id 7): the 64-bit module type id (the 9-character type name
 * {@code ratelimit} and encoding version, packed as Redis's {@code moduleTypeEncodeId} packs them) as an
 * RDB length, then opcode-tagged fields as {@code RedisModule_SaveUnsigned} writes them, then the EOF
 * opcode. The fields are the entry count, then each entry's time (unix ms) and cost, oldest first.
 * The type id leads the payload so that a loader holding several type-7 types can dispatch on it, as Redis does.
 */
@Extension
public final class RateLimitDataType implements DataType {
    /** RDB_TYPE_MODULE_2. */
    public static final int RDB_TYPE_MODULE = 7;
    public static final String TYPE_NAME = "ratelimit";
    public static final int ENCODING_VERSION = 0;
    public static final long MODULE_TYPE_ID = encodeTypeId(TYPE_NAME, ENCODING_VERSION);

    private static final String NAME_CHARSET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final int OPCODE_EOF = 0;
    private static final int OPCODE_UINT = 2;

    @Override
    public Class<? extends RedisValue> valueClass() {
        return RateLimiter.class;
    }

    @Override
    public int[] rdbTypes() {
        return new int[] {RDB_TYPE_MODULE};
    }

    @Override
    public int rdbTypeOf(RedisValue value) {
        return RDB_TYPE_MODULE;
    }

    @Override
    public void write(RedisValue value, DataOutput out) throws IOException {
        RateLimiter log = (RateLimiter) value;
        writeLength(out, MODULE_TYPE_ID);
        writeUnsigned(out, log.size());
        for (int i = 0; i < log.size(); i++) {
            writeUnsigned(out, log.timeAt(i));
            writeUnsigned(out, log.costAt(i));
        }
        writeLength(out, OPCODE_EOF);
    }

    @Override
    public RedisValue read(int rdbType, DataInput in) throws IOException {
        if (rdbType != RDB_TYPE_MODULE) {
            throw new IOException("ratelimit: unexpected RDB type " + rdbType);
        }
        long id = readLength(in);
        if ((id >>> 10) != (MODULE_TYPE_ID >>> 10) || (id & 1023) > ENCODING_VERSION) {
            throw new IOException("ratelimit: not a ratelimit value (module type id " + Long.toHexString(id) + ")");
        }
        long n = readUnsigned(in);
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IOException("ratelimit: bad entry count " + n);
        }
        RateLimiter log = new RateLimiter();
        long previous = Long.MIN_VALUE;
        for (long i = 0; i < n; i++) {
            long time = readUnsigned(in);
            long cost = readUnsigned(in);
            if (time < previous || cost < 1) {
                throw new IOException("ratelimit: corrupt entry " + i);
            }
            log.append(time, cost);
            previous = time;
        }
        if (readLength(in) != OPCODE_EOF) {
            throw new IOException("ratelimit: missing EOF opcode");
        }
        return log;
    }

    /** Redis's {@code moduleTypeEncodeId}: 9 name characters of 6 bits each, then a 10-bit version. */
    static long encodeTypeId(String name, int encodingVersion) {
        long id = 0;
        for (int j = 0; j < 9; j++) {
            int pos = NAME_CHARSET.indexOf(name.charAt(j));
            id = (id << 6) | pos;
        }
        return (id << 10) | encodingVersion;
    }

    private static void writeUnsigned(DataOutput out, long v) throws IOException {
        writeLength(out, OPCODE_UINT);
        writeLength(out, v);
    }

    private static long readUnsigned(DataInput in) throws IOException {
        long op = readLength(in);
        if (op != OPCODE_UINT) {
            throw new IOException("ratelimit: expected an unsigned field, got opcode " + op);
        }
        return readLength(in);
    }

    /** Redis's {@code rdbSaveLen}: 6-bit, 14-bit, 32-bit or 64-bit big-endian forms. */
    static void writeLength(DataOutput out, long len) throws IOException {
        if (len >= 0 && len < (1 << 6)) {
            out.writeByte((int) len);
        } else if (len >= 0 && len < (1 << 14)) {
            out.writeByte((int) ((len >> 8) | 0x40));
            out.writeByte((int) (len & 0xFF));
        } else if (len >= 0 && len <= 0xFFFFFFFFL) {
            out.writeByte(0x80);
            out.writeInt((int) len);
        } else {
            out.writeByte(0x81);
            out.writeLong(len);
        }
    }

    static long readLength(DataInput in) throws IOException {
        int b = in.readUnsignedByte();
        switch (b >> 6) {
            case 0:
                return b & 0x3F;
            case 1:
                return ((long) (b & 0x3F) << 8) | in.readUnsignedByte();
            default:
                if (b == 0x80) {
                    return in.readInt() & 0xFFFFFFFFL;
                }
                if (b == 0x81) {
                    return in.readLong();
                }
                throw new IOException("ratelimit: unexpected RDB length byte 0x" + Integer.toHexString(b));
        }
    }
}
