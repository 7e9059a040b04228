package io.cinnabar.kernel.replication;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Where a full sync's snapshot goes while it arrives, as readSyncBulkPayload chooses by repl-diskless-load: to
 * a temporary file that becomes dbfilename and is then loaded ({@code disabled}, or {@code on-empty-db} with
 * keys present), or straight to a loader decoding it into databases of its own ({@code swapdb}, or
 * {@code on-empty-db} on an empty dataset). Either way the payload is never held whole in memory.
 */
abstract class SyncPayload {
    /** Consumes all readable bytes of {@code b}: the next part of the snapshot. */
    abstract void write(ByteBuf b) throws IOException;

    /** Every byte has arrived; {@code loaded} runs on the execution thread once the dataset is replaced. */
    abstract void end(Consumer<Throwable> loaded) throws IOException;

    /** The transfer broke off: nothing of it is kept. */
    abstract void abort();

    /**
     * Chooses the path for a snapshot of {@code size} bytes (-1: EOF-marked) from a master whose replication
     * id is {@code masterId}; {@code ourId} is our own history's.
     */
    static SyncPayload open(SnapshotSource snapshots, String mode, boolean datasetEmpty, String masterId,
                            String ourId, long size, Channel channel, Logger log) throws IOException {
        boolean diskless = (mode.equals("swapdb") || mode.equals("on-empty-db") && datasetEmpty)
                && snapshots.canLoadDetached();
        String what = size < 0 ? "streamed RDB from master with EOF" : size + " bytes from master";
        if (!diskless) {
            log.info("MASTER <-> REPLICA sync: receiving {} to disk", what);
            return new ToDisk(snapshots, log);
        }
        log.info("MASTER <-> REPLICA sync: receiving {} to parser", what);
        // the old content is the same history at an earlier point: clients keep reading it meanwhile
        boolean async = mode.equals("swapdb") && masterId.equals(ourId);
        if (!mode.equals("swapdb")) {
            log.info("MASTER <-> REPLICA sync: Flushing old data"); // nothing to flush: on-empty-db
        }
        log.info("MASTER <-> REPLICA sync: Loading DB in memory");
        return new ToLoader(snapshots, channel, size, async, log);
    }

    /** The disk-backed path: a temp file, fsynced and renamed to dbfilename, then loaded. */
    private static final class ToDisk extends SyncPayload {
        private final SnapshotSource snapshots;
        private final Logger log;
        private final Path temp;
        private final FileChannel file;

        ToDisk(SnapshotSource snapshots, Logger log) throws IOException {
            this.snapshots = snapshots;
            this.log = log;
            this.temp = snapshots.syncTempFile();
            this.file = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }

        @Override
        void write(ByteBuf b) throws IOException {
            while (b.isReadable()) {
                b.readBytes(file, b.readableBytes());
            }
        }

        @Override
        void end(Consumer<Throwable> loaded) throws IOException {
            file.force(true);
            file.close();
            Path target = snapshots.snapshotFile();
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.info("MASTER <-> REPLICA sync: Flushing old data");
            log.info("MASTER <-> REPLICA sync: Loading DB in memory");
            snapshots.loadSnapshotFile(target);
            loaded.accept(null);
        }

        @Override
        void abort() {
            try {
                file.close();
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                log.warn("Unable to remove the temp file of an aborted sync {}: {}", temp, e.getMessage());
            }
        }
    }

    /** The diskless path: the bytes go through a pipe to the loader's thread as they arrive. */
    private static final class ToLoader extends SyncPayload {
        private final PayloadPipe pipe;
        private final Channel channel;
        private final Logger log;
        private Consumer<Throwable> loaded;
        private Throwable early;
        private boolean finished;

        ToLoader(SnapshotSource snapshots, Channel channel, long size, boolean async, Logger log) {
            this.pipe = new PayloadPipe(channel);
            this.channel = channel;
            this.log = log;
            snapshots.loadDetached(pipe, size, async, this::done);
        }

        @Override
        void write(ByteBuf b) {
            if (!finished) {
                pipe.write(b);
            } else {
                b.skipBytes(b.readableBytes()); // the loader failed; the link is closing
            }
        }

        @Override
        void end(Consumer<Throwable> loaded) {
            this.loaded = loaded;
            pipe.end();
            if (finished) {
                loaded.accept(early);
            }
        }

        /** On the execution thread: the loader finished, before or after the last byte arrived. */
        private void done(Throwable error) {
            finished = true;
            early = error;
            if (loaded != null) {
                loaded.accept(error);
            } else if (error != null) {
                log.warn("Failed trying to load the MASTER synchronization DB from socket: {}", error.getMessage());
                channel.close();
            }
        }

        @Override
        void abort() {
            pipe.fail("connection with master lost during the transfer");
        }
    }
}
