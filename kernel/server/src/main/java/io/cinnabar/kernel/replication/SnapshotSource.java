package io.cinnabar.kernel.replication;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What replication needs from persistence: the dataset as an RDB for a full resync (a forkless background
 * snapshot streamed to the replicas, or written to the RDB file first) and the dataset
 * replaced by one (a replica loads what its master sent). Called on the execution thread.
 */
public interface SnapshotSource {
    /** Empties every database and loads the RDB from {@code in}. */
    void loadSnapshot(InputStream in) throws IOException;

    /** Replaces the dataset with the RDB file a disk-backed load received (already renamed to dbfilename). */
    void loadSnapshotFile(Path file) throws IOException;

    /** Where a disk-backed load writes the payload as it arrives: {@code temp-<unixtime>.<pid>.rdb} in dir. */
    Path syncTempFile();

    /** The RDB file (dir/dbfilename) a disk-backed load's payload becomes once complete. */
    Path snapshotFile();

    /** True when a second dataset can be loaded beside the current one (the storage engine allows it). */
    boolean canLoadDetached();

    /**
     * A diskless load (repl-diskless-load): starts decoding the RDB read from {@code in} on a thread of its own
     * into databases no client sees; once complete they replace the dataset on the execution thread, and
     * {@code done} runs there with null, or with the error (the dataset then untouched). Meanwhile clients get
     * -LOADING, unless {@code async}: then they are served from the dataset as it was.
     */
    void loadDetached(InputStream in, long size, boolean async, Consumer<Throwable> done);

    /** True while a load runs (at startup, or a diskless one): a new sync waits until it is over. */
    boolean loadInProgress();

    /** Where a diskless snapshot's bytes go, on the snapshot's writer thread (never the execution thread). */
    interface Stream {
        /** The next bytes of the RDB; an IOException stops the snapshot (no reader is left). */
        void write(byte[] b, int off, int len) throws IOException;

        /** The RDB is complete (its checksum was the last write). */
        void end() throws IOException;
    }

    /** True while a background job (BGSAVE, an AOF rewrite, a replication snapshot) holds the keyspace. */
    boolean backgroundSaveRunning();

    /**
     * Starts a forkless background snapshot of the dataset as it is now (with the replication id and offset in
     * its aux fields) written to {@code out}; {@code done} runs on the execution thread with null or the error.
     * False when another background job runs or the snapshot could not start.
     */
    boolean startStreamedSnapshot(String replId, long replOffset, Stream out, Consumer<Throwable> done);

    /**
     * Starts a BGSAVE of the dataset as it is now (the replication id and offset in its aux fields); {@code done}
     * runs on the execution thread with the file written (null on failure) and the error (null on success).
     */
    boolean startDiskSnapshot(BiConsumer<Path, Throwable> done);

    /** The repl-stream-db of the last RDB loaded (at startup or from the master), 0 when it had none. */
    int loadedStreamDb();

    /** Stops a snapshot this source is running (every replica it served is gone). */
    void cancelBackgroundSave();
}
