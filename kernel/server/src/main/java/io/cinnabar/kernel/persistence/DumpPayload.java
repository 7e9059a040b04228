package io.cinnabar.kernel.persistence;

import io.cinnabar.api.rdb.Crc64;
import io.cinnabar.api.rdb.RdbOutput;
import io.cinnabar.api.rdb.RdbType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * The DUMP payload (cluster.c createDumpPayload / verifyDumpPayload): the value's RDB type byte and RDB
 * serialization, then the RDB version (2 bytes, little-endian) and a CRC64 (8 bytes, little-endian) of
 * everything before it. RESTORE and MIGRATE read it back.
 */
public final class DumpPayload {
    private static final int FOOTER = 10;

    private DumpPayload() {
    }

    /** The payload of {@code value}; IOException when no loaded plugin can serialize it. */
    public static byte[] create(Object value, ValueCodec codec, boolean compression) throws IOException {
        int type = codec.typeOf(value);
        if (type < 0) {
            throw new IOException("value type without RDB serialization");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (RdbOutput out = new RdbOutput(bytes, compression)) {
            out.writeByte(type);
            codec.writeValue(value, out);
            out.writeShort(Short.reverseBytes((short) RdbType.VERSION));
            out.flush();
            long crc = Crc64.update(0, bytes.toByteArray(), 0, bytes.size());
            out.writeLong(Long.reverseBytes(crc));
        }
        return bytes.toByteArray();
    }

    /** verifyDumpPayload: long enough, an RDB version this server reads, and (when checked) the right CRC64. */
    public static boolean verify(byte[] payload, boolean checkCrc) {
        int len = payload.length;
        if (len < FOOTER) {
            return false;
        }
        int version = (payload[len - FOOTER] & 0xff) | (payload[len - FOOTER + 1] & 0xff) << 8;
        if (version > RdbType.VERSION) {
            return false;
        }
        if (!checkCrc) {
            return true;
        }
        long crc = Crc64.update(0, payload, 0, len - 8);
        for (int i = 0; i < 8; i++) {
            if ((byte) (crc >>> (8 * i)) != payload[len - 8 + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The value of a verified payload (rdbLoadObjectType + rdbLoadObject); IOException when it is corrupt.
     * As in Redis, the value is read from the whole payload: a value that runs into the footer reads it.
     */
    public static Object load(byte[] payload, ValueCodec codec) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        int type = in.readUnsignedByte();
        if (!isObjectType(type)) {
            throw new IOException("not a value type: " + type);
        }
        return codec.read(type, in);
    }

    /** rdbIsObjectType in Redis 7.2 (0-7, 9-21), plus the 7.4 hash-with-TTL types Cinnabar also writes. */
    private static boolean isObjectType(int t) {
        return (t >= RdbType.STRING && t <= RdbType.MODULE_2) || (t >= RdbType.HASH_ZIPMAP && t <= RdbType.STREAM_LISTPACKS_3)
                || t == RdbType.HASH_METADATA || t == RdbType.HASH_LISTPACK_EX;
    }
}
