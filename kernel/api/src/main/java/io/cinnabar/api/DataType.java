package io.cinnabar.api;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.pf4j.ExtensionPoint;

/**
 * The persistence hooks of a value type: which RDB type ids it reads and writes, and how a value is
 * serialized (RDB, DUMP/RESTORE, MIGRATE and full resync all use these).
 */
public interface DataType extends ExtensionPoint {
    /** The RedisValue class this type handles. */
    Class<? extends RedisValue> valueClass();

    /** RDB type ids this type can load (e.g. 0 for strings, 7 for a module type). */
    int[] rdbTypes();

    /** The RDB type id written for {@code value}. */
    int rdbTypeOf(RedisValue value);

    void write(RedisValue value, DataOutput out) throws IOException;

    RedisValue read(int rdbType, DataInput in) throws IOException;

    /**
     * The RDB type id written for {@code value} in a file of format {@code rdbVersion} (config
     * {@code rdb-version}, lower than {@link io.cinnabar.api.rdb.RdbType#VERSION} for older readers). A type
     * whose usual id is newer than the version (see {@link io.cinnabar.api.rdb.RdbType#minVersion}) returns an
     * older form here and writes it in {@link #write(RedisValue, DataOutput, int)}; the default keeps the
     * usual form, and the writer refuses to save a value whose id the version cannot hold.
     */
    default int rdbTypeOf(RedisValue value, int rdbVersion) {
        return rdbTypeOf(value);
    }

    /** Writes {@code value} in the form {@link #rdbTypeOf(RedisValue, int)} chose for {@code rdbVersion}. */
    default void write(RedisValue value, DataOutput out, int rdbVersion) throws IOException {
        write(value, out);
    }

    /**
     * Called once when the type is registered, with the server's live configuration: {@link #read} uses it
     * to give a loaded value the encoding Redis would under the current {@code *-max-listpack-*} and
     * {@code set-max-intset-entries} settings. A type never configured uses Redis's defaults.
     */
    default void configure(ServerConfig config) {
    }
}
