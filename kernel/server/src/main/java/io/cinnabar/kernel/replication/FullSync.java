package io.cinnabar.kernel.replication;

import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.kernel.server.RunId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Full resyncs on the master side (replication.c's syncCommand tail, startBgsaveForReplication,
 * replicationStartPendingFork, updateSlavesWaitingBgsave, sendBulkToSlave), on the execution thread.
 *
 * <p>A replica that needs a full resync waits (WAIT_BGSAVE_START) until a forkless background snapshot can
 * serve it: at once for a disk-backed sync, after {@code repl-diskless-sync-delay} seconds (or as soon as
 * {@code repl-diskless-sync-max-replicas} wait) for a diskless one, so replicas arriving together share one
 * snapshot. When it starts, each gets {@code +FULLRESYNC <id> <offset>} (the offset of the snapshot) and the
 * commands executed from then on are held for it. Diskless (every waiting replica announced {@code capa eof}):
 * {@code $EOF:<40 chars>}, the RDB streamed while it is produced, the 40 chars; the held stream follows the
 * replica's first REPLCONF ACK, so the mark is the last thing it reads before loading. Disk-backed: a BGSAVE
 * to dbfilename, then {@code $<length>} and the file, then the held stream. A replica arriving while a
 * disk-backed snapshot for others runs shares it.
 */
final class FullSync {
    private static final int EOF_MARK_LENGTH = 40;
    private static final int FILE_CHUNK = 256 * 1024;

    private final Replication replication;
    private final CinnabarServer server;
    /** The diskless transfer running, or null. */
    private PayloadPump diskless;
    /** True while a disk-backed snapshot for replicas runs; {@link #diskOffset} is where it starts. */
    private boolean diskJob;
    private long diskOffset;
    private boolean scheduled;

    FullSync(Replication replication) {
        this.replication = replication;
        this.server = replication.server();
    }

    /** True while a diskless payload streams: nothing else may be written to its replicas' sockets. */
    boolean disklessRunning() {
        return diskless != null;
    }

    /** A replica asked for a full resync: it shares a disk-backed snapshot already running, or waits. */
    void request(ReplicaLink link) {
        if (!scheduled) {
            scheduled = true; // serverCron's replicationStartPendingFork: hz 10
            server.scheduleAtFixedRate(this::startPending, 100);
        }
        if (diskJob && link.psync) {
            for (ReplicaLink other : replication.replicas()) {
                if (other != link && other.state == ReplicaLink.State.WAIT_BGSAVE_END && other.psync) {
                    // as Redis: the same snapshot, and a copy of the stream held since it started
                    fullResyncReply(link, diskOffset);
                    link.state = ReplicaLink.State.WAIT_BGSAVE_END;
                    if (other.held != null) {
                        link.held = other.held.copy();
                    }
                    server.log().info("Waiting for end of BGSAVE for SYNC");
                    return;
                }
            }
        }
        boolean delayed = server.config().getBoolean("repl-diskless-sync") && link.capaEof
                && server.config().getLong("repl-diskless-sync-delay") > 0;
        if (delayed) {
            server.log().info("Delay next BGSAVE for diskless SYNC");
        }
        startPending();
    }

    /**
     * replicationStartPendingFork (every 100 ms and when a replica arrives): starts the snapshot for the
     * waiting replicas when no background job runs and, for a diskless one, the delay passed or enough wait.
     */
    void startPending() {
        List<ReplicaLink> waiting = new ArrayList<>();
        boolean allEof = true;
        long maxWaitMillis = 0;
        for (ReplicaLink r : replication.replicas()) {
            if (r.state == ReplicaLink.State.WAIT_BGSAVE_START) {
                waiting.add(r);
                allEof &= r.capaEof;
                maxWaitMillis = Math.max(maxWaitMillis, server.now() - r.syncRequestMillis);
            }
        }
        if (waiting.isEmpty() || server.isShuttingDown() || replication.snapshots().backgroundSaveRunning()) {
            return;
        }
        boolean toSockets = server.config().getBoolean("repl-diskless-sync") && allEof;
        if (toSockets) {
            long delay = server.config().getLong("repl-diskless-sync-delay") * 1000;
            long max = server.config().getLong("repl-diskless-sync-max-replicas");
            if (maxWaitMillis < delay && (max <= 0 || waiting.size() < max)) {
                return;
            }
        }
        replication.beforeFullSyncSnapshot();
        String id = replication.replId();
        long offset = replication.offset();
        boolean started;
        if (toSockets) {
            byte[] mark = RunId.random().getBytes(StandardCharsets.US_ASCII);
            byte[] head = ("$EOF:" + new String(mark, StandardCharsets.US_ASCII) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            for (ReplicaLink r : waiting) {
                fullResyncReply(r, offset);
                r.connection.writeStream(head, 0, head.length);
                r.connection.flushStream();
                r.state = ReplicaLink.State.WAIT_BGSAVE_END;
            }
            PayloadPump pump = new PayloadPump(waiting, mark, timeoutMillis());
            diskless = pump;
            started = replication.snapshots().startStreamedSnapshot(id, offset, pump, e -> disklessDone(pump, e));
            if (!started) {
                diskless = null;
            }
        } else {
            for (ReplicaLink r : waiting) {
                fullResyncReply(r, offset);
                r.state = ReplicaLink.State.WAIT_BGSAVE_END;
            }
            diskJob = true;
            diskOffset = offset;
            started = replication.snapshots().startDiskSnapshot(this::diskDone);
            if (!started) {
                diskJob = false;
            }
        }
        if (!started) {
            server.log().warn("BGSAVE for replication failed");
            for (ReplicaLink r : waiting) {
                r.connection.close();
            }
        }
    }

    private long timeoutMillis() {
        return Math.max(1, server.config().getLong("repl-timeout")) * 1000;
    }

    /** +FULLRESYNC id offset (not for the old SYNC, which gets the payload alone). */
    private void fullResyncReply(ReplicaLink r, long offset) {
        if (r.psync) {
            byte[] h = ("+FULLRESYNC " + replication.replId() + " " + offset + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            r.connection.writeStream(h, 0, h.length);
            r.connection.flushStream();
        }
    }

    /** The diskless payload was written (or failed): replicas go online, their stream starts on their ACK. */
    private void disklessDone(PayloadPump pump, Throwable error) {
        diskless = null;
        for (ReplicaLink r : pump.links()) {
            if (!replication.replicas().contains(r)) {
                continue; // gone meanwhile
            }
            server.stats().netReplOutputBytes += pump.sentTo(r);
            if (error != null || r.connection.isClosing()) {
                server.log().warn("Diskless rdb transfer to replica {} failed: {}", r.connection.remoteAddress(),
                        error == null ? "connection closed" : error.getMessage());
                r.connection.close();
                continue;
            }
            server.log().info("Streamed RDB transfer with replica {} succeeded (socket). Waiting for REPLCONF ACK "
                    + "from replica to enable streaming", r.connection.remoteAddress());
            r.state = ReplicaLink.State.ONLINE;
            r.streamOnAck = true;
        }
        startPending();
    }

    /** The disk-backed snapshot ended: its file goes to every replica that waited for it. */
    private void diskDone(Path file, Throwable error) {
        diskJob = false;
        for (ReplicaLink r : new ArrayList<>(replication.replicas())) {
            if (r.state != ReplicaLink.State.WAIT_BGSAVE_END) {
                continue;
            }
            if (error != null) {
                server.log().warn("SYNC failed. BGSAVE child returned an error");
                r.connection.close();
                continue;
            }
            r.state = ReplicaLink.State.SEND_BULK;
            sendFile(r, file);
        }
        startPending();
    }

    /** sendBulkToSlave: {@code $<length>} and the file, read on a background thread; then the stream. */
    private void sendFile(ReplicaLink r, Path file) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ); // this file, even if a later save replaces it
        } catch (IOException e) {
            server.log().warn("SYNC failed. Can't open/stat DB after BGSAVE: {}", e.getMessage());
            r.connection.close();
            return;
        }
        PayloadPump pump = new PayloadPump(List.of(r), null, timeoutMillis());
        Thread t = new Thread(() -> {
            Throwable failure = null;
            try (ch; InputStream in = Channels.newInputStream(ch)) {
                byte[] head = ("$" + ch.size() + "\r\n").getBytes(StandardCharsets.US_ASCII);
                pump.write(head, 0, head.length);
                while (true) {
                    byte[] chunk = new byte[FILE_CHUNK]; // a fresh array: the socket may still read the last one
                    int n = in.readNBytes(chunk, 0, chunk.length);
                    if (n <= 0) {
                        break;
                    }
                    pump.write(chunk, 0, n);
                }
                pump.end();
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
            Throwable f = failure;
            server.execute(() -> fileSent(r, pump, f));
        }, "cinnabar-repl-send");
        t.setDaemon(true);
        t.start();
    }

    private void fileSent(ReplicaLink r, PayloadPump pump, Throwable error) {
        if (!replication.replicas().contains(r)) {
            return;
        }
        server.stats().netReplOutputBytes += pump.sentTo(r);
        if (error != null || r.connection.isClosing()) {
            server.log().warn("Sending the RDB to replica {} failed: {}", r.connection.remoteAddress(),
                    error == null ? "connection closed" : error.getMessage());
            r.connection.close();
            return;
        }
        r.startStream();
        server.log().info("Synchronization with replica {} succeeded", r.connection.remoteAddress());
    }

    /** Every replica is gone from a diskless transfer: stop its snapshot (Redis kills the child). */
    void replicaGone() {
        PayloadPump pump = diskless;
        if (pump == null) {
            return;
        }
        for (ReplicaLink r : pump.links()) {
            if (replication.replicas().contains(r)) {
                return;
            }
        }
        pump.abandon();
        replication.snapshots().cancelBackgroundSave();
    }
}
