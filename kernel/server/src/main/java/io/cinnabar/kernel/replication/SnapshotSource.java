package io.cinnabar.kernel.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What replication needs from persistence: the whole dataset as an RDB stream (a full resync sends it) and
 * the dataset replaced by one (a replica loads what its master sent). Runs on the execution thread.
 */
public interface SnapshotSource {
    /** Writes an RDB of every database now, with the replication id and offset in its aux fields. */
    void writeSnapshot(OutputStream out, String replId, long replOffset) throws IOException;

    /** Empties every database and loads the RDB from {@code in}. */
    void loadSnapshot(InputStream in) throws IOException;
}
