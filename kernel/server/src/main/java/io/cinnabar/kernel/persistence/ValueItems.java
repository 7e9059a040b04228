package io.cinnabar.kernel.persistence;

import io.cinnabar.api.rdb.Intset;
import io.cinnabar.api.rdb.Listpack;
import io.cinnabar.api.rdb.RdbOutput;
import io.cinnabar.api.rdb.RdbStrings;
import io.cinnabar.api.rdb.RdbType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A value of one of Redis's core types as its elements, read back from its RDB form (which a plugin writes as
 * Redis does), so the kernel can walk a list, set, sorted set or hash without knowing the plugin's classes: the
 * AOF's command base and DEBUG DIGEST use it.
 *
 * @param kind     {@link Kind}
 * @param elements a string's bytes; the elements of a list (in order) or a set; the members of a sorted set;
 *                 field, value, field, value... of a hash
 * @param scores   the sorted set's scores, parallel to its members (else null)
 */
public record ValueItems(Kind kind, List<byte[]> elements, double[] scores) {
    /** The core types with an element form. */
    public enum Kind { STRING, LIST, SET, ZSET, HASH }

    /** The elements of {@code value}, or null when its RDB type has no element form here (streams, plugin types). */
    public static ValueItems of(Object value, ValueCodec codec) {
        int type = codec.typeOf(value);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (RdbOutput out = new RdbOutput(raw, false)) {
            codec.writeValue(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return read(type, new DataInputStream(new ByteArrayInputStream(raw.toByteArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ValueItems read(int type, DataInputStream in) throws IOException {
        List<byte[]> items = new ArrayList<>();
        switch (type) {
            case RdbType.STRING -> items.add(RdbStrings.readString(in));
            case RdbType.LIST_QUICKLIST_2 -> {
                long nodes = RdbStrings.readLength(in);
                for (long i = 0; i < nodes; i++) {
                    long container = RdbStrings.readLength(in);
                    byte[] blob = RdbStrings.readString(in);
                    if (container == 1) {
                        items.add(blob); // a plain node: one large element
                    } else {
                        Listpack.forEach(blob, items::add);
                    }
                }
                return new ValueItems(Kind.LIST, items, null);
            }
            case RdbType.SET -> {
                long n = RdbStrings.readLength(in);
                for (long i = 0; i < n; i++) {
                    items.add(RdbStrings.readString(in));
                }
                return new ValueItems(Kind.SET, items, null);
            }
            case RdbType.SET_INTSET -> {
                for (long v : Intset.read(RdbStrings.readString(in))) {
                    items.add(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
                }
                return new ValueItems(Kind.SET, items, null);
            }
            case RdbType.SET_LISTPACK -> {
                Listpack.forEach(RdbStrings.readString(in), items::add);
                return new ValueItems(Kind.SET, items, null);
            }
            case RdbType.HASH -> {
                long n = RdbStrings.readLength(in);
                for (long i = 0; i < 2 * n; i++) {
                    items.add(RdbStrings.readString(in));
                }
                return new ValueItems(Kind.HASH, items, null);
            }
            case RdbType.HASH_LISTPACK -> {
                Listpack.forEach(RdbStrings.readString(in), items::add);
                return new ValueItems(Kind.HASH, items, null);
            }
            case RdbType.ZSET_2 -> {
                long n = RdbStrings.readLength(in);
                double[] scores = new double[(int) n];
                for (int i = 0; i < n; i++) {
                    items.add(RdbStrings.readString(in));
                    scores[i] = RdbStrings.readBinaryDouble(in);
                }
                return new ValueItems(Kind.ZSET, items, scores);
            }
            case RdbType.ZSET_LISTPACK -> {
                List<byte[]> pairs = new ArrayList<>();
                Listpack.forEach(RdbStrings.readString(in), pairs::add);
                double[] scores = new double[pairs.size() / 2];
                for (int i = 0; i + 1 < pairs.size(); i += 2) {
                    items.add(pairs.get(i));
                    scores[i / 2] = io.cinnabar.api.RedisNumbers.parseDouble(pairs.get(i + 1), "ERR corrupt sorted set score");
                }
                return new ValueItems(Kind.ZSET, items, scores);
            }
            default -> {
                return null;
            }
        }
        return new ValueItems(Kind.STRING, items, null);
    }
}
