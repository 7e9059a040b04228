package io.cinnabar.kernel.persistence;

import io.cinnabar.api.rdb.RdbStrings;
import io.cinnabar.api.rdb.RdbType;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The pieces of an RDB file as Redis 7.2's rdbSaveRio writes them: the {@code REDIS00vv} magic, AUX fields,
 * function libraries, per database SELECTDB + RESIZEDB, per key its expiry, IDLE or FREQ (under an LRU or LFU
 * {@code maxmemory-policy}), type, key and value, and the EOF opcode followed by the CRC-64 (0 when
 * {@code rdbchecksum} is off). Opcodes a lower {@code rdb-version} does not know are left out, as the Redis
 * of that version would.
 */
public final class RdbWriter {
    /** Which access data each key carries: Redis saves IDLE under an LRU policy and FREQ under an LFU one. */
    public enum AccessInfo { NONE, IDLE, FREQ }

    private final ValueCodec codec;
    private final int version;
    private final AccessInfo access;
    private final EntryAccess stamps;

    /** Converts a key's LRU/LFU stamp into what the file stores (seconds idle, or the decayed counter). */
    public interface EntryAccess {
        long idleSeconds(int stamp);

        int frequency(int stamp);
    }

    public RdbWriter(ValueCodec codec, int version, AccessInfo access, EntryAccess stamps) {
        this.codec = codec;
        this.version = version;
        this.access = access;
        this.stamps = stamps;
    }

    public int version() {
        return version;
    }

    /** The magic and the AUX fields, in the order given (Redis: redis-ver, redis-bits, ctime, used-mem, ...). */
    public void header(DataOutput out, Map<String, String> aux) throws IOException {
        out.write(String.format("REDIS%04d", version).getBytes(StandardCharsets.US_ASCII));
        if (version < 7) {
            return; // AUX arrived with RDB 7 (Redis 3.2)
        }
        for (Map.Entry<String, String> e : aux.entrySet()) {
            out.writeByte(RdbType.OPCODE_AUX);
            RdbStrings.writeString(out, e.getKey().getBytes(StandardCharsets.US_ASCII));
            RdbStrings.writeString(out, e.getValue().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** rdbSaveFunctions: each library's code under FUNCTION2 (RDB 10 and later). */
    public void functions(DataOutput out, List<byte[]> libraries) throws IOException {
        if (version < 10) {
            return;
        }
        for (byte[] code : libraries) {
            out.writeByte(RdbType.OPCODE_FUNCTION2);
            RdbStrings.writeString(out, code);
        }
    }

    /** SELECTDB and (RDB 7 and later) RESIZEDB with the table sizes, a hint for the loader. */
    public void selectDb(DataOutput out, int db, long size, long expires) throws IOException {
        out.writeByte(RdbType.OPCODE_SELECTDB);
        RdbStrings.writeLength(out, db);
        if (version >= 7) {
            out.writeByte(RdbType.OPCODE_RESIZEDB);
            RdbStrings.writeLength(out, size);
            RdbStrings.writeLength(out, expires);
        }
    }

    /** rdbSaveKeyValuePair. {@code expireAt} is unix ms or -1; {@code stamp} the key's LRU/LFU stamp. */
    public void entry(DataOutput out, byte[] key, Object value, long expireAt, int stamp) throws IOException {
        if (expireAt != -1) {
            if (version >= 3) {
                out.writeByte(RdbType.OPCODE_EXPIRETIME_MS);
                out.writeLong(Long.reverseBytes(expireAt));
            } else {
                out.writeByte(RdbType.OPCODE_EXPIRETIME);
                out.writeInt(Integer.reverseBytes((int) (expireAt / 1000)));
            }
        }
        if (version >= 9) {
            if (access == AccessInfo.IDLE) {
                out.writeByte(RdbType.OPCODE_IDLE);
                RdbStrings.writeLength(out, stamps.idleSeconds(stamp));
            } else if (access == AccessInfo.FREQ) {
                out.writeByte(RdbType.OPCODE_FREQ);
                out.writeByte(stamps.frequency(stamp));
            }
        }
        codec.write(out, key, value, version);
    }

    /** The EOF opcode; the caller appends the checksum of everything before it and this byte. */
    public static void eof(DataOutput out) throws IOException {
        out.writeByte(RdbType.OPCODE_EOF);
    }
}
