package io.cinnabar.datatypes.zset;

import io.cinnabar.api.CommandException;
import io.cinnabar.api.DataType;
import io.cinnabar.api.RedisNumbers;
import io.cinnabar.api.RedisValue;
import io.cinnabar.api.ServerConfig;
import io.cinnabar.api.rdb.EncodingLimits;
import io.cinnabar.api.rdb.Listpack;
import io.cinnabar.api.rdb.RdbStrings;
import io.cinnabar.api.rdb.RdbType;
import io.cinnabar.api.rdb.Ziplist;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.pf4j.Extension;

/**
 * Sorted sets (and geo sets) in RDB form (rdb.c): a listpack as RDB_TYPE_ZSET_LISTPACK (member, then the
 * score as d2string text, which the listpack stores as an integer when it is one), a skiplist as
 * RDB_TYPE_ZSET_2 (count, then member and 8-byte score from the highest rank down). Loads those and the older
 * ZSET (text scores) and ZSET_ZIPLIST, converting as rdbLoadObject does; NaN scores and duplicates are refused.
 */
@Extension
public final class ZSetDataType implements DataType {
    private static final ZSet.Limits UNBOUNDED = new ZSet.Limits(Long.MAX_VALUE, Long.MAX_VALUE);
    private volatile ServerConfig config;

    public ZSetDataType() {
    }

    @Override
    public void configure(ServerConfig config) {
        this.config = config;
    }

    @Override
    public Class<? extends RedisValue> valueClass() {
        return ZSet.class;
    }

    @Override
    public int[] rdbTypes() {
        return new int[] {RdbType.ZSET, RdbType.ZSET_2, RdbType.ZSET_ZIPLIST, RdbType.ZSET_LISTPACK};
    }

    @Override
    public int rdbTypeOf(RedisValue value) {
        return ((ZSet) value).isListpack() ? RdbType.ZSET_LISTPACK : RdbType.ZSET_2;
    }

    @Override
    public void write(RedisValue value, DataOutput out) throws IOException {
        ZSet z = (ZSet) value;
        int n = z.size();
        if (z.isListpack()) {
            Listpack.Builder lp = new Listpack.Builder();
            for (int r = 0; r < n; r++) {
                lp.add(z.memberAt(r));
                lp.add(RedisNumbers.formatDouble(z.scoreAt(r)).getBytes(StandardCharsets.US_ASCII));
            }
            RdbStrings.writeString(out, lp.build());
            return;
        }
        // from the tail, so that loading inserts each element at the head of the skiplist
        RdbStrings.writeLength(out, n);
        for (int r = n - 1; r >= 0; r--) {
            RdbStrings.writeString(out, z.memberAt(r));
            RdbStrings.writeBinaryDouble(out, z.scoreAt(r));
        }
    }

    @Override
    public RedisValue read(int rdbType, DataInput in) throws IOException {
        ZSet.Limits limits = new ZSet.Limits(EncodingLimits.get(config, "zset-max-listpack-entries", 128),
                EncodingLimits.get(config, "zset-max-listpack-value", 64));
        switch (rdbType) {
            case RdbType.ZSET:
            case RdbType.ZSET_2:
                return readSkiplist(in, rdbType == RdbType.ZSET_2, limits);
            case RdbType.ZSET_LISTPACK:
            case RdbType.ZSET_ZIPLIST: {
                byte[] blob = RdbStrings.readString(in);
                List<byte[]> items = new ArrayList<>();
                if (rdbType == RdbType.ZSET_LISTPACK) {
                    Listpack.forEach(blob, items::add);
                } else {
                    Ziplist.forEach(blob, items::add);
                }
                return fromPairs(items, limits);
            }
            default:
                throw new IOException("unsupported zset RDB type " + rdbType);
        }
    }

    /** RDB_TYPE_ZSET(_2): into a skiplist, then to a listpack when it fits (rdbLoadObject converts after). */
    private static ZSet readSkiplist(DataInput in, boolean binary, ZSet.Limits limits) throws IOException {
        long n = RdbStrings.readCount(in, Integer.MAX_VALUE);
        if (n == 0) {
            throw new IOException("empty zset in RDB");
        }
        ZSet z = new ZSet(true);
        long maxLen = 0;
        for (long i = 0; i < n; i++) {
            byte[] member = RdbStrings.readString(in);
            double score = binary ? RdbStrings.readBinaryDouble(in) : RdbStrings.readStringDouble(in);
            insert(z, member, score);
            maxLen = Math.max(maxLen, member.length);
        }
        z.convertToListpackIfFits(maxLen, limits);
        return z;
    }

    /** A listpack or ziplist of (member, score): kept packed unless it has more elements than the limit. */
    private static ZSet fromPairs(List<byte[]> items, ZSet.Limits limits) throws IOException {
        int n = items.size();
        if (n == 0 || n % 2 != 0) {
            throw new IOException("bad packed zset entry count " + n);
        }
        ZSet z = new ZSet(n / 2 > limits.entries());
        Set<ZSet.Member> seen = z.isListpack() ? new HashSet<>() : null;
        for (int i = 0; i < n; i += 2) {
            byte[] member = items.get(i);
            if (seen != null && !seen.add(new ZSet.Member(member))) {
                throw new IOException("duplicate zset member in RDB");
            }
            insert(z, member, parseScore(items.get(i + 1)));
        }
        return z;
    }

    private static void insert(ZSet z, byte[] member, double score) throws IOException {
        if (Double.isNaN(score)) {
            throw new IOException("zset with a NaN score in RDB");
        }
        if (!z.isListpack() && !Double.isNaN(z.score(member))) {
            throw new IOException("duplicate zset member in RDB");
        }
        z.insert(member, score, UNBOUNDED);
    }

    /** zzlGetScore: a packed score is an integer entry or strtod text. */
    private static double parseScore(byte[] b) throws IOException {
        try {
            return RedisNumbers.parseDouble(b, "bad score");
        } catch (CommandException e) {
            throw new IOException("bad zset score in RDB");
        }
    }
}
