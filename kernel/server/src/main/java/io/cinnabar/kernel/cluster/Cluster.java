package io.cinnabar.kernel.cluster;

import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.kernel.config.Config;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.server.CinnabarServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * This node's part of the cluster (Redis's cluster.c): it owns the {@link ClusterState}, runs the cluster cron
 * (reconnects, pings, failure detection, cluster state), processes bus messages (handshake, gossip, slot
 * ownership, epochs, FAIL, UPDATE) and keeps nodes.conf in step. Everything runs on the execution thread.
 */
public final class Cluster {
    public static final int PORT_INCR = 10000;
    static final int FAIL_REPORT_VALIDITY_MULT = 2;
    static final int FAIL_UNDO_TIME_MULT = 2;
    static final long WRITABLE_DELAY = 2000;
    static final long CRON_PERIOD = 100;

    private static final int PENDING_SAVE = 1;
    private static final int PENDING_FSYNC = 2;
    private static final int PENDING_UPDATE_STATE = 4;
    /** A vote came in, or a manual failover's election may start: the next step at once, not at the next cron. */
    static final int PENDING_HANDLE_FAILOVER = 8;
    /** The paused master's offset came in: the manual failover's checks, then the election step. */
    static final int PENDING_HANDLE_MANUAL_FAILOVER = 16;

    final CinnabarServer server;
    final ClusterState state = new ClusterState();
    final Config config;
    private NodesFile file;
    ClusterBus bus;
    private int pending;
    private boolean pendingScheduled;
    private LongSupplier replicationOffset = () -> 0;
    private final Failover failover;
    ClusterRouter router;
    final ReplicaMigration migration = new ReplicaMigration(this);
    private final ClusterCron cron = new ClusterCron(this);

    public Cluster(CinnabarServer server) {
        this.server = server;
        this.config = server.config();
        this.failover = new Failover(this);
        this.slotStats = new SlotStats(this);
        state.slotStats = slotStats;
    }

    private final SlotStats slotStats;

    /** Per-slot usage counters (CLUSTER SLOT-STATS). */
    public SlotStats slotStats() {
        return slotStats;
    }

    Failover failover() {
        return failover;
    }

    /** The dispatcher's slot check, also asked by the cron about blocked clients. */
    public ClusterRouter router() {
        if (router == null) {
            router = new ClusterRouter(this);
        }
        return router;
    }

    private final ClusterPubSubBus pubSub = new ClusterPubSubBus(this);

    /** PUBLISH/SPUBLISH over the bus, for the pub/sub plugin. */
    public ClusterPubSubBus pubSub() {
        return pubSub;
    }

    public ClusterState state() {
        return state;
    }

    /** Where replication reports this node's offset (sent in every bus header, shown by CLUSTER SHARDS). */
    public void setReplicationOffset(LongSupplier offset) {
        this.replicationOffset = offset;
    }

    long replicationOffset() {
        return replicationOffset.getAsLong();
    }

    /** Loads or creates nodes.conf, binds the bus port and starts the cron (Redis's clusterInit). */
    public void start() {
        long now = System.currentTimeMillis();
        Path dir = Path.of(config.get("dir"));
        file = new NodesFile(dir.resolve(config.get("cluster-config-file")));
        try {
            if (!file.lock()) {
                throw new IllegalStateException("Sorry, the cluster configuration file " + file.path().getFileName()
                        + " is already used by a different Redis Cluster node. Please make sure that different nodes"
                        + " use different cluster configuration files.");
            }
            boolean loaded = file.load(state, now);
            if (!loaded) {
                state.myself = new ClusterNode(NodeIds.random(), ClusterNode.MYSELF | ClusterNode.MASTER, now);
                state.add(state.myself);
                server.log().info("No cluster configuration found, I'm {}", state.myself.name);
            }
            updateMyselfAnnounced();
            file.save(state, true);
        } catch (IOException e) {
            throw new IllegalStateException("Cluster config file " + file.path() + " unusable: " + e.getMessage(), e);
        }
        int port = server.port();
        int busPort = config.getInt("cluster-port") != 0 ? config.getInt("cluster-port") : port + PORT_INCR;
        if (busPort > 65535) {
            file.unlock();
            throw new IllegalStateException("Redis port number too high. Cluster communication port is 10,000 port "
                    + "numbers higher than your Redis port. Your Redis port number must be 55535 or less.");
        }
        bus = new ClusterBus(this, server.transport().loop(), server.transport().isEpoll());
        try {
            bus.listen(bindAddresses(), busPort);
        } catch (IllegalStateException e) {
            file.unlock(); // this node did not start: another may use the file
            throw e;
        }
        server.transport().loop().scheduleAtFixedRate(cron::run, CRON_PERIOD, CRON_PERIOD, TimeUnit.MILLISECONDS);
        server.onShutdown(this::stop);
        slotStats.setEnabled(config.getBoolean("cluster-slot-stats-enabled"));
        config.onChange("cluster-slot-stats-enabled",
                value -> slotStats.setEnabled(config.getBoolean("cluster-slot-stats-enabled")));
        server.dispatcher().addObserver(slotStats);
        server.dispatcher().addCallListener(slotStats);
        config.onChange((name, value) -> {
            if (name.startsWith("cluster-announce")) {
                server.execute(this::updateMyselfAnnounced);
            }
        });
        updateState();
    }

    /** At shutdown: close the bus and save nodes.conf, on the execution thread that owns the state. */
    private void stop() {
        io.netty.channel.EventLoop loop = server.transport().loop();
        Runnable finish = () -> {
            if (bus != null) {
                bus.close();
            }
            try {
                file.save(state, true);
            } catch (IOException e) {
                server.log().warn("Could not save the cluster configuration at shutdown: {}", e.toString());
            }
        };
        if (loop.inEventLoop()) {
            finish.run();
        } else {
            try {
                loop.submit(finish).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                finish.run(); // the loop is gone already: nothing else touches the state any more
            }
        }
        file.unlock();
    }

    private List<String> bindAddresses() {
        List<String> out = new ArrayList<>();
        for (String a : config.get("bind").trim().split("\\s+")) {
            if (!a.isEmpty()) {
                out.add(a);
            }
        }
        if (out.contains("*")) {
            out.removeIf(a -> a.equals("-::*") || a.equals("::*"));
        }
        return out;
    }

    /** Ports, announced ip and hostname of myself from the configuration (clusterUpdateMyselfAnnounced*). */
    void updateMyselfAnnounced() {
        ClusterNode me = state.myself;
        int port = server.port();
        int busPort = config.getInt("cluster-port") != 0 ? config.getInt("cluster-port") : port + PORT_INCR;
        me.port = config.getInt("cluster-announce-port") != 0 ? config.getInt("cluster-announce-port") : port;
        me.cport = config.getInt("cluster-announce-bus-port") != 0 ? config.getInt("cluster-announce-bus-port")
                : busPort;
        String ip = config.get("cluster-announce-ip");
        if (ip != null && !ip.isEmpty()) {
            me.ip = ip;
        }
        String host = config.get("cluster-announce-hostname");
        me.hostname = host == null ? "" : host;
        String human = config.get("cluster-announce-human-nodename");
        me.humanNodename = human == null ? "" : human;
    }

    String announcedIp() {
        String ip = config.get("cluster-announce-ip");
        return ip == null ? "" : ip;
    }

    long nodeTimeout() {
        return Math.max(1, config.getLong("cluster-node-timeout"));
    }

    // ---- deferred work (Redis's clusterDoBeforeSleep) ----

    void deferWork(int flags) {
        pending |= flags;
        if (!pendingScheduled) {
            pendingScheduled = true;
            server.execute(this::doPendingWork);
        }
    }

    public void saveLater(boolean fsync) {
        deferWork(PENDING_SAVE | (fsync ? PENDING_FSYNC : 0) | PENDING_UPDATE_STATE);
    }

    private void doPendingWork() {
        pendingScheduled = false;
        int flags = pending;
        pending = 0;
        if ((flags & PENDING_HANDLE_MANUAL_FAILOVER) != 0) {
            failover.step(System.currentTimeMillis(), true);
        } else if ((flags & PENDING_HANDLE_FAILOVER) != 0) {
            failover.step(System.currentTimeMillis(), false);
        }
        if ((flags & PENDING_UPDATE_STATE) != 0) {
            updateState();
        }
        if ((flags & PENDING_SAVE) != 0) {
            saveNow((flags & PENDING_FSYNC) != 0);
        }
    }

    /** Saves nodes.conf; a node that cannot persist its configuration must not keep running (as Redis). */
    public void saveNow(boolean fsync) {
        try {
            file.save(state, fsync);
        } catch (IOException e) {
            server.log().error("Fatal: can't update cluster config file: {}", e.toString());
            Runtime.getRuntime().halt(1);
        }
    }

    boolean trySave() {
        try {
            file.save(state, true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- cluster state ----

    /** INFO's cluster_connections: two bus links per other known node, as Redis counts them. */
    public long connections() {
        return (state.nodes.size() - 1) * 2L;
    }

    void updateState() {
        cron.updateState();
    }

    // ---- links ----

    void onConnected(ClusterLink link) {
        ClusterNode n = link.node;
        if (n == null || n.link != link) {
            link.close();
            return;
        }
        // a MEET when the node was met by CLUSTER MEET; the pending ping survives a reconnect
        long oldPingSent = n.pingSent;
        sendPing(link, n.has(ClusterNode.MEET) ? BusMessage.MEET : BusMessage.PING);
        if (oldPingSent != 0) {
            n.pingSent = oldPingSent;
        }
        n.flags &= ~ClusterNode.MEET;
    }

    void onDisconnected(ClusterLink link) {
        link.connected = false;
        if (link.node != null) {
            if (link.node.link == link) {
                link.node.link = null;
            }
            if (link.node.inboundLink == link) {
                link.node.inboundLink = null;
            }
        }
    }

    void freeLink(ClusterLink link) {
        onDisconnected(link);
        link.close();
    }

    void deleteNode(ClusterNode n) {
        if (n.link != null) {
            freeLink(n.link);
        }
        if (n.inboundLink != null) {
            freeLink(n.inboundLink);
        }
        state.delete(n);
    }

    // ---- sending ----

    BusMessage.Builder header(int type, int totlen) {
        ClusterNode me = state.myself;
        ClusterNode master = me.isReplica() && me.master != null ? me.master : me;
        BusMessage.Builder b = new BusMessage.Builder(type, totlen);
        b.text(BusMessage.OFF_SENDER, me.name, BusMessage.NAME);
        b.text(BusMessage.OFF_MYIP, announcedIp(), BusMessage.IP - 1);
        b.bytes(BusMessage.OFF_MYSLOTS, state.bitmap(master));
        if (me.master != null) {
            b.text(BusMessage.OFF_SLAVEOF, me.master.name, BusMessage.NAME);
        }
        b.u16(BusMessage.OFF_PORT, me.port).u16(BusMessage.OFF_PPORT, 0).u16(BusMessage.OFF_CPORT, me.cport);
        b.u16(BusMessage.OFF_FLAGS, me.flags);
        b.u8(BusMessage.OFF_STATE, state.ok ? 0 : 1);
        b.u8(BusMessage.OFF_MFLAGS, failover.mflags());
        b.u64(BusMessage.OFF_CURRENT_EPOCH, state.currentEpoch);
        b.u64(BusMessage.OFF_CONFIG_EPOCH, master.configEpoch);
        b.u64(BusMessage.OFF_OFFSET, replicationOffset());
        return b;
    }

    void send(ClusterLink link, byte[] msg, int type) {
        if (link == null || !link.connected) {
            return;
        }
        link.send(msg);
        state.sent[type]++;
    }

    /** Redis's clusterSendPing: header, gossip about some random healthy nodes and every PFAIL one, extensions. */
    void sendPing(ClusterLink link, int type) {
        long now = System.currentTimeMillis();
        List<ClusterNode> gossip = Gossip.pick(state);
        List<byte[]> exts = Gossip.extensions(this, now, link.node);
        int extLen = 0;
        for (byte[] e : exts) {
            extLen += e.length;
        }
        int totlen = BusMessage.HEADER + gossip.size() * BusMessage.GOSSIP_ENTRY + extLen;
        BusMessage.Builder b = header(type, totlen);
        if (link.node != null && type == BusMessage.PING) {
            link.node.pingSent = now;
        }
        int off = BusMessage.HEADER;
        for (ClusterNode n : gossip) {
            Gossip.writeEntry(b, off, n);
            off += BusMessage.GOSSIP_ENTRY;
        }
        for (byte[] e : exts) {
            b.bytes(off, e);
            off += e.length;
        }
        b.u16(BusMessage.OFF_COUNT, gossip.size());
        b.u16(BusMessage.OFF_EXTENSIONS, exts.size());
        b.u8(BusMessage.OFF_MFLAGS, failover.mflags() | BusMessage.MFLAG_EXT_DATA);
        send(link, b.array(), type);
    }

    /** PONG to every connected node (after a configuration change others must learn at once). */
    void broadcastPong() {
        for (ClusterNode n : state.snapshot()) {
            if (n.link != null && !n.isMyself() && !n.inHandshake()) {
                sendPing(n.link, BusMessage.PONG);
            }
        }
    }

    void broadcast(byte[] msg, int type) {
        for (ClusterNode n : state.all()) {
            if (n.link != null && !n.isMyself() && !n.inHandshake()) {
                send(n.link, msg, type);
            }
        }
    }

    void sendFail(ClusterNode failing) {
        BusMessage.Builder b = header(BusMessage.FAIL, BusMessage.HEADER + BusMessage.NAME);
        b.text(BusMessage.HEADER, failing.name, BusMessage.NAME);
        broadcast(b.array(), BusMessage.FAIL);
    }

    void sendUpdate(ClusterLink link, ClusterNode about) {
        if (link == null) {
            return;
        }
        BusMessage.Builder b = header(BusMessage.UPDATE, BusMessage.HEADER + 8 + BusMessage.NAME + 2048);
        b.u64(BusMessage.HEADER, about.configEpoch);
        b.text(BusMessage.HEADER + 8, about.name, BusMessage.NAME);
        b.bytes(BusMessage.HEADER + 8 + BusMessage.NAME, state.bitmap(about));
        send(link, b.array(), BusMessage.UPDATE);
    }

    // ---- receiving ----

    void onMessage(ClusterLink link, byte[] frame) {
        if (!BusMessage.hasSignature(frame) || frame.length < BusMessage.HEADER) {
            freeLink(link);
            return;
        }
        BusMessage m = new BusMessage(frame);
        if (!m.valid()) {
            return;
        }
        new MessageProcessor(this, link, m, System.currentTimeMillis()).process();
    }

    /** The address a peer sent from: its announced ip, else the socket's remote address. */
    static String peerIp(ClusterLink link, BusMessage m) {
        String announced = m.myIp();
        if (!announced.isEmpty()) {
            return announced;
        }
        InetSocketAddress a = (InetSocketAddress) link.channel.remoteAddress();
        return a == null ? "" : a.getAddress().getHostAddress();
    }

    static String localIp(ClusterLink link) {
        InetSocketAddress a = (InetSocketAddress) link.channel.localAddress();
        return a == null ? "" : a.getAddress().getHostAddress();
    }

    // ---- failure detection ----

    /** Redis's markNodeAsFailingIfNeeded: PFAIL becomes FAIL once a majority of masters agree. */
    void markFailingIfNeeded(ClusterNode n, long now) {
        int quorum = state.size / 2 + 1;
        if (!n.timedOut() || n.failed()) {
            return;
        }
        int failures = n.failureReportCount(now, nodeTimeout() * FAIL_REPORT_VALIDITY_MULT);
        if (state.myself.isMaster()) {
            failures++;
        }
        if (failures < quorum) {
            return;
        }
        server.log().info("Marking node {} as failing (quorum reached).", n.name);
        n.flags &= ~ClusterNode.PFAIL;
        n.flags |= ClusterNode.FAIL;
        n.failTime = now;
        sendFail(n);
        deferWork(PENDING_UPDATE_STATE | PENDING_SAVE);
    }

    /** Redis's clearNodeFailureIfNeeded. */
    void clearFailureIfNeeded(ClusterNode n, long now) {
        if (n.isReplica() || n.numSlots == 0) {
            n.flags &= ~ClusterNode.FAIL;
            deferWork(PENDING_UPDATE_STATE | PENDING_SAVE);
        }
        if (n.isMaster() && n.numSlots > 0 && now - n.failTime > nodeTimeout() * FAIL_UNDO_TIME_MULT) {
            n.flags &= ~ClusterNode.FAIL;
            deferWork(PENDING_UPDATE_STATE | PENDING_SAVE);
        }
    }

    // ---- epochs and slots ----

    /** Redis's clusterBumpConfigEpochWithoutConsensus. */
    boolean bumpEpochWithoutConsensus() {
        long max = state.maxEpoch();
        ClusterNode me = state.myself;
        if (me.configEpoch == 0 || me.configEpoch != max) {
            state.currentEpoch++;
            me.configEpoch = state.currentEpoch;
            deferWork(PENDING_SAVE | PENDING_FSYNC);
            return true;
        }
        return false;
    }

    /** Redis's clusterHandleConfigEpochCollision: the node with the greater id takes a new epoch. */
    void handleEpochCollision(ClusterNode sender) {
        ClusterNode me = state.myself;
        if (sender.configEpoch != me.configEpoch || !sender.isMaster() || !me.isMaster()) {
            return;
        }
        if (sender.name.compareTo(me.name) <= 0) {
            return;
        }
        state.currentEpoch++;
        me.configEpoch = state.currentEpoch;
        saveNow(true);
        server.log().info("WARNING: configEpoch collision with node {}. configEpoch set to {}", sender.name,
                me.configEpoch);
    }

    /**
     * Redis's clusterUpdateSlotsConfigWith: slots the sender claims with a newer config epoch become its; if
     * that empties my (or my master's) slots I follow the sender; keys of slots I lost are deleted.
     */
    void updateSlotsConfigWith(ClusterNode sender, long senderEpoch, byte[] claimed) {
        ClusterState s = state;
        ClusterNode me = s.myself;
        if (sender == me) {
            return;
        }
        ClusterNode curMaster = me.isMaster() ? me : me.master;
        ClusterNode newMaster = null;
        List<Integer> dirty = new ArrayList<>();
        int senderSlots = 0;
        int migratedOurs = 0;
        boolean changed = false;
        for (int j = 0; j < ClusterState.SLOTS; j++) {
            if (ClusterState.bit(claimed, j)) {
                senderSlots++;
                if (s.slots[j] == sender) {
                    s.ownerNotClaiming.clear(j);
                    continue;
                }
                if (s.importingFrom[j] != null) {
                    continue;
                }
                if (s.unclaimed(j) || s.slots[j].configEpoch < senderEpoch) {
                    if (s.slots[j] == me && countKeysInSlot(j) > 0 && sender != me) {
                        dirty.add(j);
                    }
                    if (s.slots[j] == curMaster) {
                        newMaster = sender;
                        migratedOurs++;
                    }
                    s.delSlot(j);
                    s.addSlot(sender, j);
                    changed = true;
                }
            } else if (s.slots[j] == sender) {
                s.ownerNotClaiming.set(j);
            }
        }
        if (changed) {
            deferWork(PENDING_SAVE | PENDING_FSYNC | PENDING_UPDATE_STATE);
        }
        if (newMaster != null && curMaster != null && curMaster.numSlots == 0
                && (config.getBoolean("cluster-allow-replica-migration") || senderSlots == migratedOurs)) {
            server.log().info("Configuration change detected. Reconfiguring myself as a replica of {}", sender.name);
            setMyMaster(sender);
            deferWork(PENDING_SAVE | PENDING_FSYNC | PENDING_UPDATE_STATE);
        } else if (me.master != null && me.master.master != null && me.master.master != me) {
            setMyMaster(me.master.master);
        } else {
            for (int slot : dirty) {
                deleteKeysInSlot(slot);
            }
        }
    }

    long countKeysInSlot(int slot) {
        return server.db(0).countKeysInSlot(slot);
    }

    /** Redis's delKeysInSlot: drops every key of the slot, as DELs with "del" events. */
    int deleteKeysInSlot(int slot) {
        Database db = server.db(0);
        List<byte[]> keys = new ArrayList<>();
        db.forEachKeyInSlot(slot, keys::add);
        for (byte[] k : keys) {
            if (db.delete(k)) {
                server.signalModifiedKey(0, k);
                server.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", k, 0);
            }
        }
        return keys.size();
    }

    /** Redis's clusterSetMaster: myself becomes a replica of {@code n} in the cluster view. */
    void setMyMaster(ClusterNode n) {
        ClusterNode me = state.myself;
        if (me.isMaster()) {
            me.flags &= ~(ClusterNode.MASTER | ClusterNode.MIGRATE_TO);
            me.flags |= ClusterNode.SLAVE;
            closeAllSlots();
        } else if (me.master != null) {
            me.master.removeReplica(me);
        }
        failover.resetManual();
        me.master = n;
        me.shardId = n.shardId;
        n.addReplica(me);
        for (MasterListener l : masterListeners) {
            l.masterChanged(n.ip, n.port);
        }
    }

    void closeAllSlots() {
        java.util.Arrays.fill(state.migratingTo, null);
        java.util.Arrays.fill(state.importingFrom, null);
    }

    /** Told when this node's master changes in the cluster view (the replication part follows it). */
    public interface MasterListener {
        /** {@code host} null: no master any more. */
        void masterChanged(String host, int port);
    }

    private final List<MasterListener> masterListeners = new ArrayList<>();

    public void addMasterListener(MasterListener l) {
        masterListeners.add(l);
    }

    void notifyNoMaster() {
        for (MasterListener l : masterListeners) {
            l.masterChanged(null, 0);
        }
    }

    /** CLUSTER MEET's clusterStartHandshake: false for a bad address; an ongoing handshake is fine. */
    boolean startHandshake(String ip, int port, int cport) {
        if (port <= 0 || port > 65535 || cport <= 0 || cport > 65535) {
            return false;
        }
        String norm = IpAddresses.normalize(ip);
        if (norm == null) {
            return false;
        }
        for (ClusterNode n : state.all()) {
            if (n.inHandshake() && n.ip.equalsIgnoreCase(norm) && n.port == port && n.cport == cport) {
                return true;
            }
        }
        ClusterNode n = new ClusterNode(NodeIds.random(), ClusterNode.HANDSHAKE | ClusterNode.MEET,
                System.currentTimeMillis());
        n.ip = norm;
        n.port = port;
        n.cport = cport;
        state.add(n);
        return true;
    }

    /** Redis's clusterReset: forget everything; HARD also takes a new id and zeroes the epochs. */
    void reset(boolean hard) {
        ClusterNode me = state.myself;
        if (me.isReplica()) {
            state.setMaster(me);
            notifyNoMaster();
            server.db(0).clear();
        }
        closeAllSlots();
        state.delNodeSlots(me);
        for (ClusterNode n : state.snapshot()) {
            if (n != me) {
                deleteNode(n);
            }
        }
        if (hard) {
            state.currentEpoch = 0;
            state.lastVoteEpoch = 0;
            me.configEpoch = 0;
            state.rename(me, NodeIds.random());
            me.shardId = NodeIds.random();
        }
        saveNow(true);
        updateState();
    }
}
