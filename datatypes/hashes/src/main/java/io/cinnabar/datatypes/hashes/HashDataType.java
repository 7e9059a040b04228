package io.cinnabar.datatypes.hashes;

import io.cinnabar.api.DataType;
import io.cinnabar.api.RedisValue;
import io.cinnabar.api.ServerConfig;
import io.cinnabar.api.rdb.EncodingLimits;
import io.cinnabar.api.rdb.Listpack;
import io.cinnabar.api.rdb.RdbStrings;
import io.cinnabar.api.rdb.RdbType;
import io.cinnabar.api.rdb.Ziplist;
import io.cinnabar.api.rdb.Zipmap;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pf4j.Extension;

/**
 * Hashes in RDB form (rdb.c). Without field TTLs as Redis 7.2 writes them: a listpack as RDB_TYPE_HASH_LISTPACK,
 * a hashtable as RDB_TYPE_HASH (count, then field and value). With field TTLs as Redis 7.4 does: the earliest
 * deadline (8 bytes, ms) first, then RDB_TYPE_HASH_LISTPACK_EX's listpack of (field, value, deadline or 0)
 * sorted by deadline, or RDB_TYPE_HASH_METADATA's count and (deadline - earliest + 1 or 0, field, value).
 * Loads those and the older HASH_ZIPMAP and HASH_ZIPLIST, converting as rdbLoadObject does.
 */
@Extension
public final class HashDataType implements DataType {
    private static final long UNBOUNDED = Long.MAX_VALUE;
    private volatile ServerConfig config;

    public HashDataType() {
    }

    @Override
    public void configure(ServerConfig config) {
        this.config = config;
    }

    @Override
    public Class<? extends RedisValue> valueClass() {
        return HashValue.class;
    }

    @Override
    public int[] rdbTypes() {
        return new int[] {RdbType.HASH, RdbType.HASH_ZIPMAP, RdbType.HASH_ZIPLIST, RdbType.HASH_LISTPACK,
            RdbType.HASH_METADATA, RdbType.HASH_LISTPACK_EX};
    }

    @Override
    public int rdbTypeOf(RedisValue value) {
        HashValue h = (HashValue) value;
        boolean ttl = h.earliestDeadline() >= 0;
        if (h.isListpack()) {
            return ttl ? RdbType.HASH_LISTPACK_EX : RdbType.HASH_LISTPACK;
        }
        return ttl ? RdbType.HASH_METADATA : RdbType.HASH;
    }

    @Override
    public void write(RedisValue value, DataOutput out) throws IOException {
        HashValue h = (HashValue) value;
        long min = h.earliestDeadline();
        if (min >= 0) {
            writeWithExpiries(h, min, out);
            return;
        }
        if (h.isListpack()) {
            Listpack.Builder lp = new Listpack.Builder();
            h.forEach((b, fo, fl, vo, vl) -> lp.add(Arrays.copyOfRange(b, fo, fo + fl))
                    .add(Arrays.copyOfRange(b, vo, vo + vl)));
            RdbStrings.writeString(out, lp.build());
            return;
        }
        RdbStrings.writeLength(out, h.size());
        forEachChecked(h, (f, v, at) -> {
            RdbStrings.writeString(out, f);
            RdbStrings.writeString(out, v);
        });
    }

    private static void writeWithExpiries(HashValue h, long min, DataOutput out) throws IOException {
        out.writeLong(Long.reverseBytes(min));
        if (!h.isListpack()) {
            RdbStrings.writeLength(out, h.size());
            forEachChecked(h, (f, v, at) -> {
                RdbStrings.writeLength(out, at < 0 ? 0 : at - min + 1);
                RdbStrings.writeString(out, f);
                RdbStrings.writeString(out, v);
            });
            return;
        }
        // listpackex keeps its fields ordered by deadline, the ones without one last (-1 compares as the biggest)
        List<Pair> entries = new ArrayList<>();
        forEachChecked(h, (f, v, at) -> entries.add(new Pair(f, v, at)));
        entries.sort((x, y) -> Long.compareUnsigned(x.deadline(), y.deadline()));
        Listpack.Builder lp = new Listpack.Builder();
        for (Pair e : entries) {
            lp.add(e.field()).add(e.value()).add(e.deadline() < 0 ? 0 : e.deadline());
        }
        RdbStrings.writeString(out, lp.build());
    }

    @Override
    public RedisValue read(int rdbType, DataInput in) throws IOException {
        HashValue.Limits limits = new HashValue.Limits(EncodingLimits.get(config, "hash-max-listpack-entries", 512),
                EncodingLimits.get(config, "hash-max-listpack-value", 64));
        switch (rdbType) {
            case RdbType.HASH:
                return readPairs(in, limits, false);
            case RdbType.HASH_METADATA:
                return readPairs(in, limits, true);
            case RdbType.HASH_LISTPACK:
            case RdbType.HASH_ZIPLIST: {
                byte[] blob = RdbStrings.readString(in);
                List<byte[]> items = new ArrayList<>();
                if (rdbType == RdbType.HASH_LISTPACK) {
                    Listpack.forEach(blob, items::add);
                } else {
                    Ziplist.forEach(blob, items::add);
                }
                return fromFlat(items, 2, limits, false);
            }
            case RdbType.HASH_LISTPACK_EX: {
                in.readLong(); // the earliest deadline, also in the entries
                List<byte[]> items = new ArrayList<>();
                Listpack.forEach(RdbStrings.readString(in), items::add);
                return fromFlat(items, 3, limits, false);
            }
            case RdbType.HASH_ZIPMAP: {
                List<byte[]> items = new ArrayList<>();
                Zipmap.forEach(RdbStrings.readString(in), (f, v) -> {
                    items.add(f);
                    items.add(v);
                });
                return fromFlat(items, 2, limits, true);
            }
            default:
                throw new IOException("unsupported hash RDB type " + rdbType);
        }
    }

    /**
     * A packed hash (listpack, ziplist, zipmap; {@code stride} 3 for listpackex triples): kept packed unless it
     * has more fields than the limit (a zipmap also converts on a long field or value), duplicates refused.
     */
    private static HashValue fromFlat(List<byte[]> items, int stride, HashValue.Limits limits,
                                      boolean checkLengths) throws IOException {
        int n = items.size();
        if (n == 0 || n % stride != 0) {
            throw new IOException("bad packed hash entry count " + n);
        }
        long maxLen = 0;
        for (byte[] b : items) {
            maxLen = Math.max(maxLen, b.length);
        }
        boolean table = n / stride > limits.maxEntries() || (checkLengths && maxLen > limits.maxValue());
        HashValue h = new HashValue();
        HashValue.Limits asSaved = new HashValue.Limits(table ? 0 : UNBOUNDED, UNBOUNDED);
        if (!table) {
            long bytes = 0;
            for (int i = 0; i < n; i += stride) {
                bytes += 8 + items.get(i).length + items.get(i + 1).length;
            }
            h.reserve((int) Math.min(bytes, Integer.MAX_VALUE - 16));
        }
        for (int i = 0; i < n; i += stride) {
            add(h, asSaved, items.get(i), items.get(i + 1));
            if (stride == 3) {
                long at = parseDeadline(items.get(i + 2));
                if (at != 0) {
                    h.setLastFieldExpireAt(at);
                }
            }
        }
        h.trim();
        return h;
    }

    /** RDB_TYPE_HASH (and HASH_METADATA with per-field TTLs): HSET's conversions, field by field. */
    private static HashValue readPairs(DataInput in, HashValue.Limits limits, boolean ttls) throws IOException {
        long min = ttls ? Long.reverseBytes(in.readLong()) : 0;
        long n = RdbStrings.readCount(in, Integer.MAX_VALUE);
        if (n == 0) {
            throw new IOException("empty hash in RDB");
        }
        HashValue h = new HashValue();
        HashValue.Limits l = n > limits.maxEntries() ? new HashValue.Limits(0, limits.maxValue()) : limits;
        for (long i = 0; i < n; i++) {
            long ttl = ttls ? RdbStrings.readCount(in, Long.MAX_VALUE) : 0;
            byte[] f = RdbStrings.readString(in);
            byte[] v = RdbStrings.readString(in);
            h.reserveGrowing(f.length + v.length + 8); // a pair at a time: doubling, trimmed at the end
            add(h, l, f, v);
            if (ttl != 0) {
                h.setLastFieldExpireAt(min + ttl - 1);
            }
        }
        h.trim();
        return h;
    }

    private static void add(HashValue h, HashValue.Limits limits, byte[] field, byte[] value) throws IOException {
        if (!h.set(limits, field, value, true)) {
            throw new IOException("duplicate hash field in RDB");
        }
    }

    private static long parseDeadline(byte[] b) throws IOException {
        try {
            long at = Long.parseLong(new String(b, java.nio.charset.StandardCharsets.US_ASCII));
            if (at < 0) {
                throw new IOException("bad field deadline");
            }
            return at;
        } catch (NumberFormatException e) {
            throw new IOException("bad field deadline", e);
        }
    }

    /** A field, its value and its deadline (-1 for none), copied out of the hash. */
    private record Pair(byte[] field, byte[] value, long deadline) {
    }

    /** A visitor of a field, its value and its deadline (-1 for none) that may fail with an IOException. */
    private interface PairWriter {
        void pair(byte[] field, byte[] value, long deadline) throws IOException;
    }

    private static void forEachChecked(HashValue h, PairWriter w) throws IOException {
        try {
            h.forEachWithDeadline((b, fo, fl, vo, vl, at) -> {
                try {
                    w.pair(Arrays.copyOfRange(b, fo, fo + fl), Arrays.copyOfRange(b, vo, vo + vl), at);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
