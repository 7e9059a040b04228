package io.cinnabar.kernel.replication;

import io.cinnabar.api.Argv;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.propagation.CommandEncoder;
import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.kernel.server.Clients;
import io.cinnabar.kernel.server.RunId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * This server's place in replication (Redis's replication.c): its replication id and offset, the backlog,
 * the replicas attached to it and, when it is a replica itself, the link to its master. Everything runs on
 * the execution thread.
 *
 * <p>Master side: once a replica attached, every propagated command is encoded once into the replication
 * stream, appended to the backlog and written to each replica. A full resync ({@link FullSync}) sends a
 * forkless background snapshot of the dataset at the offset it started from, diskless or through the RDB
 * file, while this server keeps serving; the commands executed meanwhile are held for the replica and follow
 * the snapshot, so the replica's copy is exact. A replica that lost its link continues with PSYNC from the
 * backlog when its replication id (or the previous one, after a failover) and offset allow.
 */
public final class Replication {
    static final String NO_ID = "0000000000000000000000000000000000000000";
    private static final byte[][] PING = {Argv.word("PING")};
    private static final byte[] NEWLINE = {'\n'};
    private static final byte[][] GETACK = {Argv.word("REPLCONF"), Argv.word("GETACK"), Argv.word("*")};

    private final CinnabarServer server;
    private SnapshotSource snapshots;
    private String replId = RunId.random();
    private String replId2 = NO_ID;
    private long secondReplOffset = -1;
    private long masterReplOffset;
    private ReplicationBacklog backlog;
    private final CommandEncoder stream = new CommandEncoder(this::append);
    private final List<ReplicaLink> replicas = new ArrayList<>();
    /** REPLCONF listening-port / ip-address sent before PSYNC, by client id. */
    private final Map<Long, String[]> announced = new HashMap<>();
    private final WaitRegistry waits;
    private final Failover failover;
    private final FullSync fullSync;
    private MasterLink masterLink;
    private boolean flushScheduled;
    /** The database the master's stream last selected, kept while the link is down (Redis's cached master). */
    private int masterStreamDb;
    /** When the last replica left (or this server started): repl-backlog-ttl counts from there. */
    private long noReplicasSinceMillis;
    /** True once the stream is a propagation target (from the first backlog on). */
    private boolean feeding;
    /** A WAIT or WAITAOF asked for acknowledgements while writes were held: GETACK once they resume. */
    private boolean ackRequestHeld;

    public Replication(CinnabarServer server) {
        this.server = server;
        this.waits = new WaitRegistry(server, this);
        this.failover = new Failover(this);
        this.fullSync = new FullSync(this);
        this.noReplicasSinceMillis = System.currentTimeMillis();
        server.onClientClose(this::clientClosed);
        server.dispatcher().addGate(new ReplicationGate(server));
        server.config().onChange((name, value) -> {
            if (name.equals("repl-backlog-size")) {
                resizeBacklog();
            }
        });
    }

    public void setSnapshotSource(SnapshotSource s) {
        this.snapshots = s;
    }

    SnapshotSource snapshots() {
        return snapshots;
    }

    CinnabarServer server() {
        return server;
    }

    public String replId() {
        return replId;
    }

    public String replId2() {
        return replId2;
    }

    public long secondReplOffset() {
        return secondReplOffset;
    }

    public long offset() {
        return masterReplOffset;
    }

    public ReplicationBacklog backlog() {
        return backlog;
    }

    Failover failover() {
        return failover;
    }

    /** INFO master_failover_state. */
    public String failoverState() {
        return failover.state().infoName;
    }

    public WaitRegistry waits() {
        return waits;
    }

    /**
     * The database the stream from our master is in now: what a snapshot records as repl-stream-db (so a
     * sub-replica, or this server restarted, applies the stream where the master left it) and where a new
     * link's master client starts.
     */
    public int masterStreamDb() {
        ClientConnection m = masterLink != null ? masterLink.master() : null;
        return m != null ? m.dbIndex() : masterStreamDb;
    }

    /** The master client closed while in {@code db}: a PSYNC continuing the stream resumes there. */
    void rememberMasterStreamDb(int db) {
        masterStreamDb = db;
    }

    /** The link to this server's master, or null when it is a master. */
    public MasterLink masterLink() {
        return masterLink;
    }

    public boolean isReplica() {
        return masterLink != null;
    }

    List<ReplicaLink> replicas() {
        return replicas;
    }

    /** How many replicas are attached, in any state (Redis's listLength(server.slaves)). */
    public int replicaCount() {
        return replicas.size();
    }

    /** changeReplicationId: a new random replication id (DEBUG CHANGE-REPL-ID, a first replica). */
    public void changeReplicationId() {
        replId = RunId.random();
    }

    /** clearReplicationId2: forget the previous replication id. */
    public void clearReplicationId2() {
        replId2 = NO_ID;
        secondReplOffset = -1;
    }

    /** shiftReplicationId: after a promotion the old id stays valid up to the current offset, for PSYNC. */
    void shiftReplicationId() {
        replId2 = replId;
        secondReplOffset = masterReplOffset + 1;
        changeReplicationId();
    }

    /**
     * A history becomes ours: the master's id and offset after a full sync, or the repl-id/repl-offset an RDB
     * recorded when a replica (or master) restarts from it. The backlog starts empty at that offset.
     */
    public void adoptHistory(String id, long offset) {
        masterStreamDb = snapshots == null ? 0 : snapshots.loadedStreamDb();
        replId = id;
        masterReplOffset = offset;
        clearReplicationId2();
        backlog = null;
        ensureBacklog();
    }

    /** +CONTINUE with a new id (the master was promoted): the old id stays valid as the secondary one. */
    void continueWithNewId(String id) {
        replId2 = replId;
        secondReplOffset = masterReplOffset + 1;
        replId = id;
        disconnectReplicas(); // they must learn the new id: they reconnect and continue from replId2
    }

    // ---- the stream ----

    /** Creates the backlog (and starts feeding the stream) once: the first replica, or a stream to proxy. */
    void ensureBacklog() {
        if (backlog == null) {
            backlog = new ReplicationBacklog(backlogSize(), masterReplOffset);
        }
        if (!feeding) {
            feeding = true;
            server.propagator().addTarget(this::feedFromPropagation);
        }
    }

    private int backlogSize() {
        return (int) Math.min(Integer.MAX_VALUE - 64, server.config().getLong("repl-backlog-size"));
    }

    /** CONFIG SET repl-backlog-size. */
    public void resizeBacklog() {
        if (backlog != null) {
            backlog.resize(backlogSize());
        }
    }

    private void feedFromPropagation(int db, byte[][] argv) {
        // a replica proxies its master's stream instead (proxyFromMaster); a freed backlog (repl-backlog-ttl)
        // means no stream until the next replica, as Redis's replicationFeedSlaves without a backlog
        if (masterLink == null && backlog != null) {
            stream.feed(db, argv);
        }
    }

    /** A replica re-sends what its master sent, byte for byte in effect, to its own replicas and backlog. */
    void proxyFromMaster(byte[][] argv) {
        stream.feed(-1, argv);
    }

    private void append(byte[] b, int off, int len) {
        backlog.append(b, off, len);
        masterReplOffset += len;
        for (ReplicaLink r : replicas) {
            r.stream(b, off, len);
        }
        scheduleFlush();
    }

    /** A full resync's snapshot starts here: the stream after it names its database again (slaveseldb = -1). */
    void beforeFullSyncSnapshot() {
        stream.forgetSelectedDb();
    }

    private void scheduleFlush() {
        if (!flushScheduled && !replicas.isEmpty()) {
            flushScheduled = true;
            server.execute(() -> {
                flushScheduled = false;
                for (ReplicaLink r : replicas) {
                    if (r.streaming()) {
                        r.connection.flushStream();
                    }
                }
                checkOutputBufferLimits();
            });
        }
    }

    /**
     * closeClientOnOutputBufferLimitReached for replicas, once per batch of the stream: one that does not read
     * (or whose held stream grows during a long full sync) past {@code client-output-buffer-limit replica} is
     * disconnected, as Redis does; it reconnects and resyncs.
     */
    private void checkOutputBufferLimits() {
        long[] limit = server.outputBufferLimits().of(Clients.Type.REPLICA);
        if (limit[0] == 0 && limit[1] == 0) {
            return;
        }
        long nowSeconds = server.now() / 1000;
        for (ReplicaLink r : replicas) {
            ClientConnection c = r.connection;
            if (!c.isClosing() && r.state != ReplicaLink.State.WAIT_BGSAVE_START
                    && r.overOutputLimit(limit, nowSeconds)) {
                server.log().warn("Client id={} addr={} scheduled to be closed ASAP for overcoming of output "
                        + "buffer limits.", c.id(), c.remoteAddress());
                c.runOnLoop(c::close); // not while this loop walks the replicas
            }
        }
    }

    // ---- master side: replicas attaching ----

    void announce(ClientConnection c, String ip, int port) {
        String[] a = announced.computeIfAbsent(c.id(), k -> new String[3]);
        if (ip != null) {
            a[0] = ip;
        }
        if (port >= 0) {
            a[1] = Integer.toString(port);
        }
    }

    /** REPLCONF capa eof: the replica reads a diskless (EOF-marked) payload. */
    void announceCapaEof(ClientConnection c) {
        announced.computeIfAbsent(c.id(), k -> new String[3])[2] = "eof";
    }

    /**
     * PSYNC (or SYNC when {@code psync} is false): continues from the backlog when the replica's history is
     * ours, else a full resync. The connection becomes a replica link either way.
     */
    void sync(ClientConnection c, boolean psync, String wantedId, long wantedOffset) {
        server.log().info("Replica {} asks for synchronization ({} {} {})", c.remoteAddress(),
                psync ? "PSYNC" : "SYNC", wantedId, wantedOffset);
        if (psync && canContinue(wantedId, wantedOffset)) {
            byte[] head = ("+CONTINUE " + replId + "\r\n").getBytes(StandardCharsets.US_ASCII);
            c.writeStream(head, 0, head.length);
            byte[] missing = backlog.copyFrom(wantedOffset);
            c.writeStream(missing, 0, missing.length);
            attach(c, false, ReplicaLink.State.ONLINE);
            server.stats().syncPartialOk++;
            server.log().info("Partial resynchronization request from {} accepted. Sending {} bytes of backlog "
                    + "starting from offset {}.", c.remoteAddress(), missing.length, wantedOffset);
            return;
        }
        if (psync) {
            server.stats().syncPartialErr += wantedId.equals("?") ? 0 : 1;
        }
        if (backlog == null) {
            // the first replica ever: a fresh history, as Redis starts one when it creates the backlog
            changeReplicationId();
            clearReplicationId2();
            ensureBacklog();
        }
        server.stats().syncFull++;
        fullSync.request(attach(c, psync, ReplicaLink.State.WAIT_BGSAVE_START));
    }

    private boolean canContinue(String id, long offset) {
        if (backlog == null) {
            return false;
        }
        boolean ours = id.equalsIgnoreCase(replId)
                || (id.equalsIgnoreCase(replId2) && offset <= secondReplOffset);
        return ours && backlog.holdsFrom(offset);
    }

    private ReplicaLink attach(ClientConnection c, boolean psync, ReplicaLink.State state) {
        c.setReplica(true);
        c.muteReplies();
        String[] a = announced.remove(c.id());
        String ip = a != null && a[0] != null ? a[0] : c.remoteIp();
        int port = a != null && a[1] != null ? Integer.parseInt(a[1]) : 0;
        boolean eof = a != null && a[2] != null;
        ReplicaLink link = new ReplicaLink(c, ip, port, server.now(), eof, psync, state);
        replicas.add(link);
        c.flushStream();
        return link;
    }

    void ack(ClientConnection c, long offset) {
        for (ReplicaLink r : replicas) {
            if (r.connection == c) {
                if (offset > r.ackOffset) {
                    r.ackOffset = offset;
                }
                r.ackMillis = server.now();
                if (r.streamOnAck && r.state == ReplicaLink.State.ONLINE) {
                    r.startStream(); // the replica loaded the diskless payload: the held stream follows
                    server.log().info("Synchronization with replica {} succeeded", c.remoteAddress());
                }
                waits.acknowledged();
                failover.check();
                return;
            }
        }
    }

    /** REPLCONF ACK ... FACK offset: how far the replica's AOF is fsynced (WAITAOF). */
    void aofAck(ClientConnection c, long offset) {
        for (ReplicaLink r : replicas) {
            if (r.connection == c) {
                if (offset > r.aofAckOffset) {
                    r.aofAckOffset = offset;
                }
                for (Runnable l : aofAckListeners) {
                    l.run();
                }
                return;
            }
        }
    }

    private final List<Runnable> aofAckListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told when a replica reports a new AOF fsync offset (WAITAOF waiters). */
    public void onAofAck(Runnable l) {
        aofAckListeners.add(l);
    }

    /** Replicas whose AOF fsynced through {@code offset} (WAITAOF's replicationCountAOFAcksByOffset). */
    public int replicasAofAcknowledging(long offset) {
        int n = 0;
        for (ReplicaLink r : replicas) {
            if (r.aofAckOffset >= offset) {
                n++;
            }
        }
        return n;
    }

    /** Asks every replica for its offsets, through the stream (WAITAOF); deferred while writes are held. */
    public void requestAcksFromReplicas() {
        requestAcks();
    }

    /**
     * Redis 7.2 counts each propagated command in the offset even with no backlog while the AOF is on
     * (replicationFeedSlaves), so WAITAOF can tell which writes an fsync covered.
     */
    public void countWithoutBacklog() {
        if (backlog == null && masterLink == null) {
            masterReplOffset++;
        }
    }

    /** Replicas whose acknowledged offset reached {@code offset} (WAIT). */
    int replicasAcknowledging(long offset) {
        int n = 0;
        for (ReplicaLink r : replicas) {
            if (r.ackOffset >= offset) {
                n++;
            }
        }
        return n;
    }

    /**
     * Asks every replica for its offset (WAIT), through the stream as Redis does. While writes are held (CLIENT
     * PAUSE, a failover) the request waits for the end of the hold, as Redis's beforeSleep keeps its
     * get_ack_from_slaves flag: the GETACK would move the replication offset, and a manual failover's replica
     * waits for exactly the offset its paused master told it.
     */
    void requestAcks() {
        if (server.clients().pause().isPaused()) {
            ackRequestHeld = true;
        } else {
            requestAcksNow();
        }
    }

    /** Asks every replica for its offset at once, even while writes are held (FAILOVER waiting for its target). */
    void requestAcksNow() {
        ackRequestHeld = false;
        if (masterLink == null && !replicas.isEmpty()) {
            stream.feed(-1, GETACK);
        }
    }

    /** Writes are no longer held: the acknowledgements asked for meanwhile are requested now. */
    public void writesResumed() {
        if (ackRequestHeld) {
            requestAcksNow();
        }
    }

    /** Replicas that acknowledged within {@code min-replicas-max-lag} seconds (min-replicas-to-write). */
    public int goodReplicas() {
        long maxLag = server.config().getLong("min-replicas-max-lag") * 1000;
        int n = 0;
        for (ReplicaLink r : replicas) {
            if (r.state == ReplicaLink.State.ONLINE && server.now() - r.ackMillis <= maxLag) {
                n++;
            }
        }
        return n;
    }

    private void clientClosed(ClientConnection c) {
        announced.remove(c.id());
        boolean removed = replicas.removeIf(r -> {
            if (r.connection == c) {
                r.release();
                return true;
            }
            return false;
        });
        if (removed && replicas.isEmpty()) {
            noReplicasSinceMillis = server.now();
        }
        fullSync.replicaGone();
        waits.forget(c);
        if (masterLink != null) {
            masterLink.clientClosed(c);
        }
    }

    void disconnectReplicas() {
        for (ReplicaLink r : new ArrayList<>(replicas)) {
            r.connection.close();
        }
    }

    /** Once a second: PINGs replicas every repl-ping-replica-period, a replica acknowledges its offset. */
    public void cron(long tick) {
        long period = Math.max(1, server.config().getLong("repl-ping-replica-period"));
        // not while a failover holds writes: the PING would move the offset the replica has to reach
        if (masterLink == null && !replicas.isEmpty() && tick % period == 0
                && !server.clients().pause().holdsForFailover()) {
            stream.feed(-1, PING);
        }
        // replicas waiting for their snapshot get a newline a second, so they do not time out (not while a
        // diskless payload streams: it would land inside it)
        for (ReplicaLink r : replicas) {
            if (r.state == ReplicaLink.State.WAIT_BGSAVE_START
                    || (r.state == ReplicaLink.State.WAIT_BGSAVE_END && !fullSync.disklessRunning())) {
                r.connection.writeStream(NEWLINE, 0, 1);
                r.connection.flushStream();
            }
        }
        if (masterLink != null) {
            masterLink.cron();
        }
        freeBacklogAfterTtl();
    }

    /**
     * repl-backlog-ttl: a master without replicas frees its backlog after that many seconds (0: never). Its
     * history ends there: a new replication id, no secondary one, as Redis, since the offset stops moving
     * without a backlog and a replica of the old history could otherwise continue from the wrong place.
     */
    private void freeBacklogAfterTtl() {
        long ttl = server.config().getLong("repl-backlog-ttl");
        if (ttl <= 0 || backlog == null || masterLink != null || !replicas.isEmpty()) {
            return;
        }
        if ((server.now() - noReplicasSinceMillis) / 1000 > ttl) {
            changeReplicationId();
            clearReplicationId2();
            backlog = null;
            stream.forgetSelectedDb();
            server.log().info("Replication backlog freed after {} seconds without connected replicas.", ttl);
        }
    }

    // ---- replica side ----

    /** REPLICAOF host port: follow that master, continuing our history where it allows a partial resync. */
    public void follow(String host, int port) {
        follow(host, port, false);
    }

    /**
     * Follows {@code host:port}; {@code fromScratch} (a server started with replicaof and no history in its
     * RDB) asks for a full resync with {@code PSYNC ? -1}, as Redis does without a cached master.
     */
    public void follow(String host, int port, boolean fromScratch) {
        if (failover.state() != Failover.State.NONE) {
            failover.abort("REPLICAOF during a failover");
        }
        if (masterLink != null) {
            masterLink.close();
        } else {
            disconnectReplicas(); // they must resync with the history of our new master
        }
        server.blocking().unblockAllForRoleChange();
        masterLink = new MasterLink(this, host, port);
        masterLink.setFromScratch(fromScratch);
        masterLink.connect();
    }

    /** True when this server already replicates {@code host:port}. */
    public boolean follows(String host, int port) {
        return masterLink != null && masterLink.host.equalsIgnoreCase(host) && masterLink.port == port;
    }

    /** FAILOVER: become a replica of the caught-up target; our replicas stay, chained behind us. */
    void followForFailover(String host, int port) {
        server.blocking().unblockAllForRoleChange();
        masterLink = new MasterLink(this, host, port);
        masterLink.connect();
    }

    /** REPLICAOF NO ONE: a master again; the history so far stays valid for PSYNC under the old id. */
    public void promote() {
        if (masterLink == null) {
            return;
        }
        masterLink.close();
        masterLink = null;
        shiftReplicationId();
        stream.forgetSelectedDb(); // our own stream names its database first (Redis: slaveseldb = -1)
        disconnectReplicas();
        noReplicasSinceMillis = server.now(); // the backlog's TTL starts now, not when we became a replica
        server.log().info("MASTER MODE enabled (user request from '{}')",
                server.currentClient() == null ? "" : "id=" + server.currentClient().id());
    }

    /** A command from the master was applied: its bytes move our offset and go on to our own replicas. */
    public void appliedFromMaster(ClientConnection master, byte[][] argv, long bytes) {
        if (masterLink != null) {
            masterLink.applied();
            proxyFromMasterAccounting(argv, bytes);
        }
    }

    private void proxyFromMasterAccounting(byte[][] argv, long bytes) {
        long before = masterReplOffset;
        proxyFromMaster(argv);
        // the re-encoded command has the length the master sent (masters send canonical multibulk)
        masterReplOffset = before + bytes;
    }
}
