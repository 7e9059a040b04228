package io.cinnabar.kernel.persistence;

import io.cinnabar.api.rdb.RdbStrings;
import io.cinnabar.api.rdb.RdbType;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads an RDB file of format version 1 to 11 (rdbLoadRioWithLoadingCtx): every opcode (EXPIRETIME in
 * seconds and ms, IDLE, FREQ, AUX, RESIZEDB, SELECTDB, MODULE_AUX, FUNCTION2, EOF) and, through the
 * {@link ValueCodec}, every value type a loaded plugin reads. The CRC-64 trailer is checked when it is not 0.
 * Anything wrong (truncation, unknown type, corrupt value, bad checksum) is an {@link RdbLoadException} naming
 * the offset; nothing is half-applied by the loader itself, the {@link Sink} decides what a key means.
 */
public final class RdbLoader {
    /** Module serialization opcodes (RedisModule_Save*), to skip module data no plugin reads. */
    private static final int MODULE_OPCODE_EOF = 0;
    private static final int MODULE_OPCODE_SINT = 1;
    private static final int MODULE_OPCODE_UINT = 2;
    private static final int MODULE_OPCODE_FLOAT = 3;
    private static final int MODULE_OPCODE_DOUBLE = 4;
    private static final int MODULE_OPCODE_STRING = 5;
    private static final String MODULE_NAME_CHARSET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** Where the loaded data goes. */
    public interface Sink {
        /** An AUX field (redis-ver, ctime, used-mem, repl-id, ...); unknown ones too, the sink ignores them. */
        void aux(String key, byte[] value);

        /** A function library's code (FUNCTION2). */
        void function(byte[] code);

        /**
         * One key. {@code expireAt} unix ms or -1, {@code idleSeconds} from IDLE or -1, {@code frequency} from
         * FREQ or -1. Throws IOException to stop the load (e.g. a duplicate key).
         */
        void entry(int db, byte[] key, Object value, long expireAt, long idleSeconds, int frequency) throws IOException;

        /** RESIZEDB: how many keys and keys with a TTL database {@code db} holds, a hint to size its tables. */
        default void resizeDb(int db, long keys, long expires) {
        }

        /** The last entry has come (the EOF opcode, before the checksum): a sink that batches applies the rest. */
        default void end() throws IOException {
        }
    }

    private final ValueCodec codec;
    private final int databases;
    private final boolean verifyChecksum;
    private final Consumer<String> warnings;
    private volatile long offset;
    private int version;

    public RdbLoader(ValueCodec codec, int databases, boolean verifyChecksum, Consumer<String> warnings) {
        this.codec = codec;
        this.databases = databases;
        this.verifyChecksum = verifyChecksum;
        this.warnings = warnings;
    }

    /** Bytes consumed so far (INFO loading_loaded_bytes); readable from any thread. */
    public long offset() {
        return offset;
    }

    /** The format version of the file being (or last) loaded. */
    public int version() {
        return version;
    }

    public void load(InputStream raw, Sink sink) throws RdbLoadException {
        Crc64InputStream crcIn = new Crc64InputStream(new BufferedInputStream(raw, 1 << 16));
        DataInputStream in = new DataInputStream(crcIn);
        try {
            readBody(in, crcIn, sink);
        } catch (EOFException e) {
            throw new RdbLoadException("Short read or OOM loading DB. Unrecoverable error, aborting now. (offset "
                    + crcIn.offset() + ")", crcIn.offset(), e);
        } catch (RdbLoadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // a plugin's reader may fail with any unchecked exception on hostile input: still a corrupt file
            throw corrupt(crcIn, String.valueOf(e.getMessage()), e);
        } catch (OutOfMemoryError e) {
            throw new RdbLoadException("Short read or OOM loading DB. Unrecoverable error, aborting now. (offset "
                    + crcIn.offset() + ", out of memory)", crcIn.offset(), e);
        }
    }

    private static RdbLoadException corrupt(Crc64InputStream in, String reason, Throwable cause) {
        return new RdbLoadException("Internal error in RDB reading offset " + in.offset() + " -> " + reason,
                in.offset(), cause);
    }

    private void readBody(DataInputStream in, Crc64InputStream crcIn, Sink sink) throws IOException, RdbLoadException {
        byte[] magic = new byte[9];
        in.readFully(magic);
        String head = new String(magic, StandardCharsets.US_ASCII);
        if (!head.startsWith("REDIS")) {
            throw corrupt(crcIn, "Wrong signature trying to load DB from file", null);
        }
        int ver;
        try {
            ver = Integer.parseInt(head.substring(5));
        } catch (NumberFormatException e) {
            ver = -1;
        }
        if (ver < 1 || ver > RdbType.VERSION) {
            throw corrupt(crcIn, "Can't handle RDB format version " + head.substring(5), null);
        }
        version = ver;
        int db = 0;
        long expireAt = -1;
        long idle = -1;
        int freq = -1;
        while (true) {
            offset = crcIn.offset();
            int type = in.readUnsignedByte();
            switch (type) {
                case RdbType.OPCODE_EXPIRETIME -> {
                    expireAt = (Integer.reverseBytes(in.readInt()) & 0xFFFFFFFFL) * 1000;
                    continue;
                }
                case RdbType.OPCODE_EXPIRETIME_MS -> {
                    // little-endian (files older than RDB 9 from big-endian hosts were not, as Redis also assumes)
                    expireAt = Long.reverseBytes(in.readLong());
                    continue;
                }
                case RdbType.OPCODE_FREQ -> {
                    freq = in.readUnsignedByte();
                    continue;
                }
                case RdbType.OPCODE_IDLE -> {
                    idle = RdbStrings.readCount(in, Long.MAX_VALUE);
                    continue;
                }
                case RdbType.OPCODE_EOF -> {
                    sink.end();
                    finish(in, crcIn);
                    return;
                }
                case RdbType.OPCODE_SELECTDB -> {
                    long id = RdbStrings.readCount(in, Long.MAX_VALUE);
                    if (id >= databases) {
                        throw corrupt(crcIn, "FATAL: Data file was created with a Redis server configured to handle "
                                + "more than " + databases + " databases. Exiting", null);
                    }
                    db = (int) id;
                    continue;
                }
                case RdbType.OPCODE_RESIZEDB -> {
                    long keys = RdbStrings.readCount(in, Long.MAX_VALUE);
                    long expires = RdbStrings.readCount(in, Long.MAX_VALUE);
                    sink.resizeDb(db, keys, expires);
                    continue;
                }
                case RdbType.OPCODE_AUX -> {
                    byte[] k = RdbStrings.readString(in);
                    byte[] v = RdbStrings.readString(in);
                    sink.aux(new String(k, StandardCharsets.UTF_8), v);
                    continue;
                }
                case RdbType.OPCODE_MODULE_AUX -> {
                    skipModuleAux(in, crcIn);
                    continue;
                }
                case RdbType.OPCODE_FUNCTION2 -> {
                    sink.function(RdbStrings.readString(in));
                    continue;
                }
                case 246 -> throw corrupt(crcIn, "Pre-release function format not supported.", null);
                default -> {
                }
            }
            if (!RdbType.isObjectType(type)) {
                throw corrupt(crcIn, "Unknown RDB encoding type " + type, null);
            }
            byte[] key = RdbStrings.readString(in);
            if (type == RdbType.MODULE_2 && !codec.knows(type)) {
                long id = readModuleId(in);
                throw corrupt(crcIn, "The RDB file contains module data I can't load: no matching module type '"
                        + moduleName(id) + "'", null);
            }
            if (!codec.knows(type)) {
                throw corrupt(crcIn, "Unknown RDB encoding type " + type + " (no loaded data type reads it)", null);
            }
            Object value = codec.read(type, in);
            sink.entry(db, key, value, expireAt, idle, freq);
            expireAt = -1;
            idle = -1;
            freq = -1;
        }
    }

    /** After EOF: RDB 5 and later end with the CRC-64 of everything before it, 0 meaning "not computed". */
    private void finish(DataInputStream in, Crc64InputStream crcIn) throws IOException, RdbLoadException {
        if (version < 5) {
            return;
        }
        long expected = crcIn.crc();
        long stored = Long.reverseBytes(in.readLong());
        if (!verifyChecksum) {
            return;
        }
        if (stored == 0) {
            warnings.accept("RDB file was saved with checksum disabled: no check performed.");
        } else if (stored != expected) {
            throw corrupt(crcIn, String.format("Wrong RDB checksum expected: (%x) got: (%x). Aborting now.",
                    stored, expected), null);
        }
        offset = crcIn.offset();
    }

    /** MODULE_AUX: module id, the "when" field, then module-serialized data up to its EOF; none is read here. */
    private void skipModuleAux(DataInputStream in, Crc64InputStream crcIn) throws IOException, RdbLoadException {
        long moduleId = readModuleId(in);
        long whenOpcode = RdbStrings.readLength(in);
        if (whenOpcode != MODULE_OPCODE_UINT) {
            throw corrupt(crcIn, "bad when_opcode", null);
        }
        RdbStrings.readLength(in);
        skipModuleValue(in, crcIn);
        warnings.accept("The RDB file contains AUX module data no loaded plugin reads: skipped module '"
                + moduleName(moduleId) + "'");
    }

    private static void skipModuleValue(DataInputStream in, Crc64InputStream crcIn) throws IOException,
            RdbLoadException {
        long op = RdbStrings.readLength(in);
        while (op != MODULE_OPCODE_EOF) {
            if (op == MODULE_OPCODE_SINT || op == MODULE_OPCODE_UINT) {
                RdbStrings.readLength(in);
            } else if (op == MODULE_OPCODE_STRING) {
                RdbStrings.readString(in);
            } else if (op == MODULE_OPCODE_FLOAT) {
                in.readInt();
            } else if (op == MODULE_OPCODE_DOUBLE) {
                in.readLong();
            } else {
                throw corrupt(crcIn, "Unknown module opcode " + op, null);
            }
            op = RdbStrings.readLength(in);
        }
    }

    /** A module type id: an RDB length that may use all 64 bits (names from 'g' on set the top bit). */
    private static long readModuleId(DataInputStream in) throws IOException {
        int b = in.readUnsignedByte();
        if (b == 0x81) {
            return in.readLong();
        }
        if (b == 0x80) {
            return in.readInt() & 0xFFFFFFFFL;
        }
        if ((b >>> 6) == 0) {
            return b;
        }
        if ((b >>> 6) == 1) {
            return ((long) (b & 0x3f) << 8) | in.readUnsignedByte();
        }
        throw new IOException("bad module type id length prefix " + b);
    }

    /** moduleTypeNameByID: the 9-character type name packed in the 54 high bits of a module type id. */
    static String moduleName(long id) {
        char[] name = new char[9];
        long bits = id >>> 10;
        for (int j = 8; j >= 0; j--) {
            name[j] = MODULE_NAME_CHARSET.charAt((int) (bits & 63));
            bits >>>= 6;
        }
        return new String(name);
    }
}
