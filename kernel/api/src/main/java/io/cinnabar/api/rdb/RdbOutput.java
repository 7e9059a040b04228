package io.cinnabar.api.rdb;

import java.io.DataOutputStream;
import java.io.OutputStream;

/**
 * The stream an RDB file, a DUMP payload or a full resync is written to. It carries the one setting that
 * changes how values are encoded, {@code rdbcompression}: {@link RdbStrings#writeString} LZF-compresses long
 * strings only on an RdbOutput that asks for it, so a {@code DataType} never needs the server's config.
 */
public class RdbOutput extends DataOutputStream {
    private final boolean compression;

    public RdbOutput(OutputStream out, boolean compression) {
        super(out);
        this.compression = compression;
    }

    public final boolean compression() {
        return compression;
    }
}
