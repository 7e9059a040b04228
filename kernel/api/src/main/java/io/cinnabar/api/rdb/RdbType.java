package io.cinnabar.api.rdb;

/** RDB value type ids and opcodes (rdb.h), and the RDB version Redis 7.2 writes. */
public final class RdbType {
    /** The RDB format version Redis 7.2 writes (also the version field of a DUMP payload). */
    public static final int VERSION = 11;

    public static final int STRING = 0;
    public static final int LIST = 1;
    public static final int SET = 2;
    public static final int ZSET = 3;
    public static final int HASH = 4;
    /** A sorted set with binary (8-byte) scores. */
    public static final int ZSET_2 = 5;
    public static final int MODULE_PRE_GA = 6;
    public static final int MODULE_2 = 7;
    public static final int HASH_ZIPMAP = 9;
    public static final int LIST_ZIPLIST = 10;
    public static final int SET_INTSET = 11;
    public static final int ZSET_ZIPLIST = 12;
    public static final int HASH_ZIPLIST = 13;
    public static final int LIST_QUICKLIST = 14;
    public static final int STREAM_LISTPACKS = 15;
    public static final int HASH_LISTPACK = 16;
    public static final int ZSET_LISTPACK = 17;
    public static final int LIST_QUICKLIST_2 = 18;
    public static final int STREAM_LISTPACKS_2 = 19;
    public static final int SET_LISTPACK = 20;
    public static final int STREAM_LISTPACKS_3 = 21;
    /** Redis 7.4: a hash with per-field expiry (hashtable form, and listpack form with TTLs). */
    public static final int HASH_METADATA = 24;
    public static final int HASH_LISTPACK_EX = 25;

    public static final int OPCODE_FUNCTION2 = 245;
    public static final int OPCODE_MODULE_AUX = 247;
    public static final int OPCODE_IDLE = 248;
    public static final int OPCODE_FREQ = 249;
    public static final int OPCODE_AUX = 250;
    public static final int OPCODE_RESIZEDB = 251;
    public static final int OPCODE_EXPIRETIME_MS = 252;
    public static final int OPCODE_EXPIRETIME = 253;
    public static final int OPCODE_SELECTDB = 254;
    public static final int OPCODE_EOF = 255;

    private RdbType() {
    }

    /**
     * The oldest RDB format version that knows value type {@code type} (rdb.h's history): what a writer
     * lowering {@code rdb-version} must stay within. Unknown ids answer {@code Integer.MAX_VALUE}.
     */
    public static int minVersion(int type) {
        return switch (type) {
            case STRING, LIST, SET, ZSET, HASH -> 1;
            case HASH_ZIPMAP -> 2;
            case LIST_ZIPLIST, SET_INTSET, ZSET_ZIPLIST, HASH_ZIPLIST -> 4;
            case LIST_QUICKLIST -> 7;
            case ZSET_2, MODULE_PRE_GA -> 8;
            case MODULE_2, STREAM_LISTPACKS -> 9;
            case HASH_LISTPACK, ZSET_LISTPACK, LIST_QUICKLIST_2, STREAM_LISTPACKS_2 -> 10;
            case SET_LISTPACK, STREAM_LISTPACKS_3 -> 11;
            case HASH_METADATA, HASH_LISTPACK_EX -> 12;
            default -> Integer.MAX_VALUE;
        };
    }

    /** True for the ids rdbLoadObject accepts as a value type (rdbIsObjectType), for a loader's first check. */
    public static boolean isObjectType(int type) {
        return (type >= STRING && type <= MODULE_2) || (type >= HASH_ZIPMAP && type <= STREAM_LISTPACKS_3)
                || type == HASH_METADATA || type == HASH_LISTPACK_EX;
    }
}
