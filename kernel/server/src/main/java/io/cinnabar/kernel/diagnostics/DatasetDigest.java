package io.cinnabar.kernel.diagnostics;

import io.cinnabar.api.DataType;
import io.cinnabar.api.RedisNumbers;
import io.cinnabar.api.RedisValue;
import io.cinnabar.kernel.persistence.ValueCodec;
import io.cinnabar.kernel.persistence.ValueItems;
import io.cinnabar.kernel.keyspace.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * DEBUG DIGEST and DIGEST-VALUE (debug.c): SHA1 digests combined so that the order of keys does not
 * matter (xor) while the pairing of key, type, value and expiry does (mix = xor then rehash). Strings, lists,
 * sets, sorted sets and hashes digest exactly as in Redis 7.2 (xorObjectDigest: list elements mixed in order,
 * set members xored, each sorted-set member with its score and each hash field with its value digested apart
 * and xored), read through {@link ValueItems}; any other type digests its plugin's serialized form, stable
 * between Cinnabar nodes.
 */
final class DatasetDigest {
    private static final byte[] EXPIRE = "!!expire!!".getBytes(StandardCharsets.US_ASCII);

    private DatasetDigest() {
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** xorDigest: digest ^= SHA1(data). */
    static void xor(byte[] digest, byte[] data) {
        byte[] h = sha1().digest(data);
        for (int j = 0; j < 20; j++) {
            digest[j] ^= h[j];
        }
    }

    /** mixDigest: xor, then digest = SHA1(digest), so the order of mixing matters. */
    static void mix(byte[] digest, byte[] data) {
        xor(digest, data);
        System.arraycopy(sha1().digest(digest), 0, digest, 0, 20);
    }

    private static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** Redis's object type numbers (OBJ_STRING 0 ... OBJ_STREAM 6), a plugin type counting as a module type. */
    private static int typeCode(Object value) {
        byte[] s = ValueInspector.stringBytes(value);
        if (s != null) {
            return 0;
        }
        return switch (((RedisValue) value).typeName()) {
            case "list" -> 1;
            case "set" -> 2;
            case "zset" -> 3;
            case "hash" -> 4;
            case "stream" -> 6;
            default -> 5;
        };
    }

    /** xorObjectDigest: the value's type, content and whether it has an expiry, into {@code digest}. */
    static void object(byte[] digest, Object value, boolean hasExpire, List<DataType> types) {
        mix(digest, int32(typeCode(value)));
        byte[] s = ValueInspector.stringBytes(value);
        ValueItems items = s == null ? ValueItems.of(value, new ValueCodec(types)) : null;
        if (s != null) {
            mix(digest, s);
        } else if (items != null) {
            elements(digest, items);
        } else {
            byte[] ser = ValueInspector.serialize((RedisValue) value, types);
            mix(digest, ser == null ? new byte[0] : ser);
        }
        if (hasExpire) {
            xor(digest, EXPIRE);
        }
    }

    private static void elements(byte[] digest, ValueItems v) {
        List<byte[]> e = v.elements();
        switch (v.kind()) {
            case STRING, LIST -> e.forEach(x -> mix(digest, x));
            case SET -> e.forEach(x -> xor(digest, x));
            case ZSET -> {
                for (int i = 0; i < e.size(); i++) {
                    byte[] one = new byte[20];
                    mix(one, e.get(i));
                    mix(one, RedisNumbers.formatDouble(v.scores()[i]).getBytes(StandardCharsets.US_ASCII));
                    xor(digest, one);
                }
            }
            case HASH -> {
                for (int i = 0; i + 1 < e.size(); i += 2) {
                    byte[] one = new byte[20];
                    mix(one, e.get(i));
                    mix(one, e.get(i + 1));
                    xor(digest, one);
                }
            }
        }
    }

    /** computeDatasetDigest over every database, logically expired keys included (as Redis's dict walk). */
    static byte[] dataset(Database[] dbs, List<DataType> types) {
        byte[] fin = new byte[20];
        for (int j = 0; j < dbs.length; j++) {
            Database db = dbs[j];
            if (db.size() == 0) {
                continue;
            }
            mix(fin, int32(j));
            db.forEachEntry((key, value) -> {
                byte[] d = new byte[20];
                mix(d, key);
                object(d, value, db.getExpire(key) != -1, types);
                xor(fin, d);
            });
        }
        return fin;
    }

    static String hex(byte[] digest) {
        return java.util.HexFormat.of().formatHex(digest);
    }
}
