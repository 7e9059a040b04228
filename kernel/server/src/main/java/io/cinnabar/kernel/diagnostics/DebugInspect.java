package io.cinnabar.kernel.diagnostics;

import io.cinnabar.api.DataType;
import io.cinnabar.kernel.keyspace.Database;
import java.util.List;

/** The DEBUG subcommands' views of the data: digests, serialized lengths, and the JVM heap report. */
public final class DebugInspect {
    private DebugInspect() {
    }

    /** DEBUG DIGEST: 40 hex digits, all zeros for an empty dataset. */
    public static String datasetDigest(Database[] dbs, List<DataType> types) {
        return DatasetDigest.hex(DatasetDigest.dataset(dbs, types));
    }

    /** DEBUG DIGEST-VALUE for one key (logically expired keys included, zeros when absent). */
    public static String valueDigest(Database db, byte[] key, List<DataType> types) {
        byte[] d = new byte[20];
        Object v = db.peekRaw(key);
        if (v != null) {
            DatasetDigest.object(d, v, db.getExpire(key) != -1, types);
        }
        return DatasetDigest.hex(d);
    }

    /** DEBUG OBJECT's serializedlength. */
    public static long serializedLength(Object value, List<DataType> types, boolean rdbCompression) {
        return ValueInspector.serializedLength(value, types, rdbCompression);
    }

    /** DEBUG JMAP. */
    public static String heapReport() {
        return HeapReport.text();
    }
}
