package io.cinnabar.datatypes.lists;

import io.cinnabar.api.DataType;
import io.cinnabar.api.RedisValue;
import io.cinnabar.api.ServerConfig;
import io.cinnabar.api.rdb.EncodingLimits;
import io.cinnabar.api.rdb.Listpack;
import io.cinnabar.api.rdb.RdbStrings;
import io.cinnabar.api.rdb.RdbType;
import io.cinnabar.api.rdb.Ziplist;
import io.cinnabar.api.rdb.ZiplistWriter;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.pf4j.Extension;

/**
 * Lists in RDB form as Redis 7.2 writes them (RdbType.LIST_QUICKLIST_2): the node count, then per node its
 * container (2 packed, 1 plain) and its listpack (or plain element) as an RDB string (LZF-compressed when the
 * output asks for it, as rdbcompression does). Also loads the older forms: RDB_TYPE_LIST (one string per
 * element), LIST_ZIPLIST (one ziplist) and LIST_QUICKLIST (ziplist nodes), under list-max-listpack-size.
 */
@Extension
public final class ListDataType implements DataType {
    private static final int CONTAINER_PLAIN = 1;
    private static final int CONTAINER_PACKED = 2;
    /** list-max-listpack-size's default, when the type was never configured. */
    private static final long DEFAULT_FILL = -2;
    private volatile ServerConfig config;

    public ListDataType() {
    }

    @Override
    public void configure(ServerConfig config) {
        this.config = config;
    }

    @Override
    public Class<? extends RedisValue> valueClass() {
        return ListValue.class;
    }

    @Override
    public int[] rdbTypes() {
        return new int[] {RdbType.LIST, RdbType.LIST_ZIPLIST, RdbType.LIST_QUICKLIST, RdbType.LIST_QUICKLIST_2};
    }

    @Override
    public int rdbTypeOf(RedisValue value) {
        return RdbType.LIST_QUICKLIST_2;
    }

    @Override
    public void write(RedisValue value, DataOutput out) throws IOException {
        ListValue list = (ListValue) value;
        int nodes = list.nodeCount();
        RdbStrings.writeLength(out, nodes);
        PackedList.Cursor c = list.cursor(0);
        for (int k = 0; k < nodes; k++) {
            int count = list.nodeElements(k);
            if (list.nodePlain(k)) {
                RdbStrings.writeLength(out, CONTAINER_PLAIN);
                RdbStrings.writeString(out, c.copy());
                c.next();
            } else {
                RdbStrings.writeLength(out, CONTAINER_PACKED);
                RdbStrings.writeString(out, listpack(c, count));
            }
        }
    }

    @Override
    public RedisValue read(int rdbType, DataInput in) throws IOException {
        long fill = EncodingLimits.get(config, "list-max-listpack-size", DEFAULT_FILL);
        switch (rdbType) {
            case RdbType.LIST_QUICKLIST_2:
            case RdbType.LIST_QUICKLIST:
                return readQuicklist(in, rdbType == RdbType.LIST_QUICKLIST_2, fill);
            case RdbType.LIST: {
                long n = RdbStrings.readCount(in, Integer.MAX_VALUE);
                ListValue list = new ListValue();
                for (long i = 0; i < n; i++) {
                    push(list, RdbStrings.readString(in), fill);
                }
                return nonEmpty(list);
            }
            case RdbType.LIST_ZIPLIST: {
                ListValue list = new ListValue();
                list.toQuicklist(fill);
                Ziplist.forEach(RdbStrings.readString(in), v -> push(list, v, fill));
                return nonEmpty(list);
            }
            default:
                throw new IOException("unsupported list RDB type " + rdbType);
        }
    }

    /** quicklistPushTail for the element-by-element forms: nodes fill up as RPUSH fills them. */
    private static void push(ListValue list, byte[] v, long fill) {
        list.growFor(fill, v.length, 1);
        list.addLast(v);
    }

    private static ListValue nonEmpty(ListValue list) throws IOException {
        if (list.size() == 0) {
            throw new IOException("empty list in RDB");
        }
        return list;
    }

    /** Quicklist nodes as saved: listpacks (v2, packed or plain) or ziplists (v1), each kept as one node. */
    private static ListValue readQuicklist(DataInput in, boolean v2, long fill) throws IOException {
        long n = RdbStrings.readLength(in);
        if (n <= 0 || n > Integer.MAX_VALUE) {
            throw new IOException("bad quicklist node count " + n);
        }
        ListValue list = new ListValue();
        int[] counts = new int[(int) Math.min(n, 1024)];
        boolean[] plain = new boolean[counts.length];
        int kept = 0;
        for (long k = 0; k < n; k++) {
            long container = v2 ? RdbStrings.readLength(in) : CONTAINER_PACKED;
            byte[] data = RdbStrings.readString(in);
            if (data.length == 0) {
                throw new IOException("empty quicklist node");
            }
            int before = list.size();
            if (container == CONTAINER_PLAIN) {
                list.addLast(data);
            } else if (container == CONTAINER_PACKED && v2) {
                Listpack.forEach(data, list::addLast);
            } else if (container == CONTAINER_PACKED) {
                Ziplist.forEach(data, list::addLast);
            } else {
                throw new IOException("bad quicklist container " + container);
            }
            int added = list.size() - before;
            if (added == 0) {
                continue; // Redis skips empty listpacks when loading
            }
            if (kept == counts.length) {
                counts = java.util.Arrays.copyOf(counts, kept * 2);
                plain = java.util.Arrays.copyOf(plain, kept * 2);
            }
            counts[kept] = added;
            plain[kept] = container == CONTAINER_PLAIN;
            kept++;
        }
        if (kept == 0) {
            throw new IOException("empty list in RDB");
        }
        list.adoptNodes(counts, plain, kept, fill);
        return list;
    }

    /**
     * rdb-version below 10: RDB 7 to 9 know lists as quicklists of ziplists (RDB_TYPE_LIST_QUICKLIST), older
     * ones as a plain element list (RDB_TYPE_LIST).
     */
    @Override
    public int rdbTypeOf(RedisValue value, int rdbVersion) {
        if (rdbVersion >= 10) {
            return RdbType.LIST_QUICKLIST_2;
        }
        return rdbVersion >= 7 ? RdbType.LIST_QUICKLIST : RdbType.LIST;
    }

    @Override
    public void write(RedisValue value, DataOutput out, int rdbVersion) throws IOException {
        if (rdbVersion >= 10) {
            write(value, out);
            return;
        }
        ListValue list = (ListValue) value;
        PackedList.Cursor c = list.cursor(0);
        if (rdbVersion < 7) {
            RdbStrings.writeLength(out, list.size());
            for (int i = 0; i < list.size(); i++, c.next()) {
                RdbStrings.writeString(out, c.copy());
            }
            return;
        }
        // the same nodes, each a ziplist (a plain node becomes a ziplist of its one element)
        int nodes = list.nodeCount();
        RdbStrings.writeLength(out, nodes);
        for (int k = 0; k < nodes; k++) {
            int count = list.nodeElements(k);
            ZiplistWriter zl = new ZiplistWriter();
            for (int i = 0; i < count; i++, c.next()) {
                zl.add(c.copy());
            }
            RdbStrings.writeString(out, zl.build());
        }
    }


    /** The next {@code count} elements from the cursor (which moves past them) as one listpack. */
    private static byte[] listpack(PackedList.Cursor c, int count) {
        Listpack.Builder lp = new Listpack.Builder();
        for (int i = 0; i < count; i++, c.next()) {
            lp.add(c.copy());
        }
        return lp.build();
    }
}
