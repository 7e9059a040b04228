package io.cinnabar.datatypes.sets;

import io.cinnabar.api.DataType;
import io.cinnabar.api.RedisValue;
import io.cinnabar.api.ServerConfig;
import io.cinnabar.api.rdb.EncodingLimits;
import io.cinnabar.api.rdb.Intset;
import io.cinnabar.api.rdb.Listpack;
import io.cinnabar.api.rdb.RdbStrings;
import io.cinnabar.api.rdb.RdbType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.pf4j.Extension;

/**
 * Sets in RDB form (rdb.c): an intset as RDB_TYPE_SET_INTSET (the intset blob), a listpack as
 * RDB_TYPE_SET_LISTPACK, a hashtable as RDB_TYPE_SET (count, then the members). Loading accepts all three and
 * converts as Redis 7.2's rdbLoadObject does under the current set-max-* settings; duplicates are refused.
 */
@Extension
public final class SetDataType implements DataType {
    private volatile ServerConfig config;

    public SetDataType() {
    }

    @Override
    public void configure(ServerConfig config) {
        this.config = config;
    }

    @Override
    public Class<? extends RedisValue> valueClass() {
        return SetValue.class;
    }

    @Override
    public int[] rdbTypes() {
        return new int[] {RdbType.SET, RdbType.SET_INTSET, RdbType.SET_LISTPACK};
    }

    @Override
    public int rdbTypeOf(RedisValue value) {
        return switch (((SetValue) value).encodingId()) {
            case SetValue.INTSET -> RdbType.SET_INTSET;
            case SetValue.LISTPACK -> RdbType.SET_LISTPACK;
            default -> RdbType.SET;
        };
    }

    @Override
    public void write(RedisValue value, DataOutput out) throws IOException {
        SetValue set = (SetValue) value;
        int n = set.size();
        switch (set.encodingId()) {
            case SetValue.INTSET -> RdbStrings.writeString(out, set.intsetBlob());
            case SetValue.LISTPACK -> {
                Listpack.Builder lp = new Listpack.Builder();
                for (int i = 0; i < n; i++) {
                    lp.add(set.at(i));
                }
                RdbStrings.writeString(out, lp.build());
            }
            default -> {
                RdbStrings.writeLength(out, n);
                for (int i = 0; i < n; i++) {
                    RdbStrings.writeString(out, set.at(i));
                }
            }
        }
    }

    @Override
    public RedisValue read(int rdbType, DataInput in) throws IOException {
        SetLimits limits = SetLimits.of(EncodingLimits.get(config, "set-max-intset-entries", 512),
                EncodingLimits.get(config, "set-max-listpack-entries", 128),
                EncodingLimits.get(config, "set-max-listpack-value", 64));
        switch (rdbType) {
            case RdbType.SET:
                return readMembers(in, limits);
            case RdbType.SET_INTSET: {
                byte[] blob = RdbStrings.readString(in);
                SetValue set = SetValue.fromIntset(Intset.read(blob), Intset.width(blob));
                set.maybeConvert(set.size(), limits);
                return set;
            }
            case RdbType.SET_LISTPACK: {
                byte[] lp = RdbStrings.readString(in);
                int n = Listpack.headerCount(lp);
                boolean table = n > limits.listpackEntries();
                SetValue set = SetValue.empty(table ? SetValue.HASHTABLE : SetValue.LISTPACK);
                // Redis keeps the listpack as saved: no member-length check until the next write
                SetLimits asSaved = SetLimits.of(limits.intsetEntries(), Long.MAX_VALUE, Long.MAX_VALUE);
                Listpack.forEach(lp, m -> add(set, m, asSaved));
                if (set.size() == 0) {
                    throw new IOException("empty set in RDB");
                }
                set.maybeConvert(set.size(), limits);
                return set;
            }
            default:
                throw new IOException("unsupported set RDB type " + rdbType);
        }
    }

    /** RDB_TYPE_SET: members added one by one with SADD's conversions, starting as an intset when few. */
    private static SetValue readMembers(DataInput in, SetLimits limits) throws IOException {
        long n = RdbStrings.readCount(in, Integer.MAX_VALUE);
        if (n == 0) {
            throw new IOException("empty set in RDB");
        }
        SetValue set = SetValue.empty(n > limits.intsetEntries() ? SetValue.HASHTABLE : SetValue.INTSET);
        for (long i = 0; i < n; i++) {
            add(set, RdbStrings.readString(in), limits);
        }
        return set;
    }

    private static void add(SetValue set, byte[] member, SetLimits limits) throws IOException {
        if (!set.add(member, limits)) {
            throw new IOException("duplicate set member in RDB");
        }
    }
}
