package io.cinnabar.kernel.cluster;

import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replica promotion in the cluster view (Redis's clusterHandleSlaveFailover, clusterSendFailoverAuthIfNeeded,
 * manual failover): the election of a replica of a failed master by the votes of the slot-owning masters, the
 * votes themselves, CLUSTER FAILOVER [FORCE|TAKEOVER] and the MFSTART handshake. The data a promoted replica
 * serves comes from replication, which this class only informs through the master listeners.
 */
final class Failover {
    static final long MF_TIMEOUT = 5000;
    private final Cluster cluster;
    private final ClusterState state;
    // election (replica side)
    private long authTime;
    private int authCount;
    private boolean authSent;
    private int authRank;
    private long authEpoch;
    // manual failover: both sides
    private long mfEnd;
    private boolean mfCanStart;
    private ClusterNode mfReplica;
    private long mfMasterOffset = -1;

    Failover(Cluster cluster) {
        this.cluster = cluster;
        this.state = cluster.state;
    }

    /** CLUSTER FAILOVER on a replica. */
    void request(boolean force, boolean takeover) {
        ClusterNode me = state.myself;
        if (me.isMaster()) {
            throw new CommandException(Errors.CLUSTER_FAILOVER_ON_MASTER);
        } else if (me.master == null) {
            throw new CommandException(Errors.CLUSTER_FAILOVER_MASTER_UNKNOWN);
        } else if (!force && (me.master.failed() || me.master.link == null)) {
            throw new CommandException(Errors.CLUSTER_FAILOVER_MASTER_DOWN);
        }
        resetManual();
        mfEnd = System.currentTimeMillis() + MF_TIMEOUT;
        if (takeover) {
            cluster.server.log().info("Taking over the master (user request).");
            cluster.bumpEpochWithoutConsensus();
            replaceMyMaster();
        } else if (force) {
            cluster.server.log().info("Forced failover user request accepted.");
            mfCanStart = true;
        } else {
            cluster.server.log().info("Manual failover user request accepted.");
            ClusterLink link = me.master.link;
            cluster.send(link, cluster.header(BusMessage.MFSTART, BusMessage.HEADER).array(), BusMessage.MFSTART);
        }
    }

    /** Header flag: this master is paused for a manual failover. */
    int mflags() {
        return state.myself.isMaster() && mfEnd != 0 ? BusMessage.MFLAG_PAUSED : 0;
    }

    void resetManual() {
        if (mfReplica != null) {
            cluster.server.clients().pause().pauseForFailover(false); // the writes held for the replica
        }
        mfEnd = 0;
        mfCanStart = false;
        mfReplica = null;
        mfMasterOffset = -1;
    }

    /** From the cron: manual failover timeouts and progress, master pings, the replica's election. */
    void cron(long now) {
        if (mfEnd != 0 && mfEnd < now) {
            cluster.server.log().info("Manual failover timed out.");
            resetManual();
        }
        ClusterNode me = state.myself;
        if (me.isMaster() && mfEnd != 0 && mfReplica != null && mfReplica.link != null) {
            cluster.sendPing(mfReplica.link, BusMessage.PING);
        }
        step(now, true);
    }

    /**
     * On a replica: the manual failover's check (when asked) and the election's next step. The cron runs it, and
     * so does the deferred work when a vote or the paused master's offset arrives (Redis's clusterBeforeSleep),
     * so a manual failover holds its master's writes for a few milliseconds rather than three cron periods.
     */
    void step(long now, boolean manualCheck) {
        if (!state.myself.isReplica()) {
            return;
        }
        if (manualCheck && mfEnd != 0 && !mfCanStart && mfMasterOffset != -1
                && mfMasterOffset == cluster.replicationOffset()) {
            mfCanStart = true;
            cluster.server.log().info("All master replication stream processed, manual failover can start.");
        }
        election(now);
    }

    /**
     * MFSTART from one of my replicas: hold writes and tell it my offset in every ping. The hold is a failover's
     * (as Redis's PAUSE_DURING_FAILOVER), so nothing moves that offset meanwhile (no GETACK for WAIT, no PING to
     * replicas) and CLIENT UNPAUSE does not end it; it ends with the manual failover, by {@link #resetManual}
     * (at the latest when the cron times the manual failover out).
     */
    void onMfStart(ClusterNode sender) {
        if (sender == null || sender.master != state.myself) {
            return;
        }
        resetManual();
        long now = System.currentTimeMillis();
        mfEnd = now + MF_TIMEOUT;
        mfReplica = sender;
        cluster.server.clients().pause().pauseForFailover(true);
        cluster.server.log().info("Manual failover requested by replica {}.", sender.name);
        if (sender.link != null) {
            cluster.sendPing(sender.link, BusMessage.PING);
        }
    }

    /** A message from my master while it is paused for my manual failover carries the offset to reach. */
    void onMasterMessage(ClusterNode sender, BusMessage m) {
        ClusterNode me = state.myself;
        if (me.isReplica() && me.master == sender && (m.mflags() & BusMessage.MFLAG_PAUSED) != 0
                && mfEnd != 0 && mfMasterOffset == -1) {
            mfMasterOffset = m.offset();
            cluster.deferWork(Cluster.PENDING_HANDLE_MANUAL_FAILOVER);
            cluster.server.log().info("Received replication offset for paused master manual failover: {}",
                    mfMasterOffset);
        }
    }

    private int rank() {
        ClusterNode me = state.myself;
        long mine = cluster.replicationOffset();
        int rank = 0;
        for (ClusterNode r : me.master.replicas) {
            if (r != me && !r.has(ClusterNode.NOFAILOVER) && r.replOffset > mine) {
                rank++;
            }
        }
        return rank;
    }

    private void election(long now) {
        ClusterNode me = state.myself;
        ClusterNode master = me.master;
        boolean manual = mfEnd != 0 && mfCanStart;
        long timeout = cluster.nodeTimeout();
        long authTimeout = Math.max(timeout * 2, 2000);
        long authRetry = authTimeout * 2;
        if (master == null || (!master.failed() && !manual) || (me.has(ClusterNode.NOFAILOVER) && !manual)
                || master.numSlots == 0
                || (cluster.server.config().getBoolean("cluster-replica-no-failover") && !manual)) {
            return;
        }
        long dataAge = now - master.dataReceived;
        if (dataAge > timeout) {
            dataAge -= timeout;
        }
        int factor = cluster.server.config().getInt("cluster-replica-validity-factor");
        long replPing = cluster.server.config().getLong("repl-ping-replica-period") * 1000;
        if (factor != 0 && !manual && dataAge > replPing + timeout * factor) {
            return;
        }
        if (now - authTime > authRetry) {
            authTime = now + 500 + ThreadLocalRandom.current().nextInt(500);
            authCount = 0;
            authSent = false;
            authRank = rank();
            authTime += authRank * 1000L;
            if (manual) {
                authTime = now;
                authRank = 0;
                cluster.deferWork(Cluster.PENDING_HANDLE_FAILOVER);
            }
            for (ClusterNode r : master.replicas) {
                if (r != me && r.link != null) {
                    cluster.sendPing(r.link, BusMessage.PONG);
                }
            }
            return;
        }
        if (!authSent && !manual) {
            int newRank = rank();
            if (newRank > authRank) {
                authTime += (newRank - authRank) * 1000L;
                authRank = newRank;
            }
        }
        if (now < authTime || now - authTime > authTimeout) {
            return;
        }
        if (!authSent) {
            state.currentEpoch++;
            authEpoch = state.currentEpoch;
            cluster.server.log().info("Starting a failover election for epoch {}.", authEpoch);
            BusMessage.Builder b = cluster.header(BusMessage.FAILOVER_AUTH_REQUEST, BusMessage.HEADER);
            if (manual) {
                b.u8(BusMessage.OFF_MFLAGS, BusMessage.MFLAG_FORCEACK);
            }
            cluster.broadcast(b.array(), BusMessage.FAILOVER_AUTH_REQUEST);
            authSent = true;
            cluster.saveNow(true);
            return;
        }
        if (authCount >= state.size / 2 + 1) {
            cluster.server.log().info("Failover election won: I'm the new master.");
            if (me.configEpoch < authEpoch) {
                me.configEpoch = authEpoch;
            }
            replaceMyMaster();
        }
    }

    /** FAILOVER_AUTH_ACK from a slot-owning master of this election's epoch. */
    void onAuthAck(ClusterNode sender, long senderCurrentEpoch) {
        if (sender != null && sender.isMaster() && sender.numSlots > 0 && senderCurrentEpoch >= authEpoch) {
            authCount++;
            cluster.deferWork(Cluster.PENDING_HANDLE_FAILOVER);
        }
    }

    /** Redis's clusterSendFailoverAuthIfNeeded: one vote per epoch, for a replica of a failed master. */
    void onAuthRequest(ClusterNode node, BusMessage m) {
        ClusterNode me = state.myself;
        if (node == null || me.isReplica() || me.numSlots == 0) {
            return;
        }
        long now = System.currentTimeMillis();
        ClusterNode master = node.master;
        boolean forceAck = (m.mflags() & BusMessage.MFLAG_FORCEACK) != 0;
        if (m.currentEpoch() < state.currentEpoch || state.lastVoteEpoch == state.currentEpoch) {
            return;
        }
        if (node.isMaster() || master == null || (!master.failed() && !forceAck)) {
            return;
        }
        if (now - master.votedTime < cluster.nodeTimeout() * 2) {
            return;
        }
        byte[] claimed = m.slots();
        for (int j = 0; j < ClusterState.SLOTS; j++) {
            if (ClusterState.bit(claimed, j) && !state.unclaimed(j)
                    && state.slots[j].configEpoch > m.configEpoch()) {
                return;
            }
        }
        state.lastVoteEpoch = state.currentEpoch;
        master.votedTime = now;
        cluster.saveNow(true);
        cluster.send(node.link, cluster.header(BusMessage.FAILOVER_AUTH_ACK, BusMessage.HEADER).array(),
                BusMessage.FAILOVER_AUTH_ACK);
        cluster.server.log().info("Failover auth granted to {} for epoch {}", node.name, state.currentEpoch);
    }

    /** Redis's clusterFailoverReplaceYourMaster: take the master's slots and tell everybody. */
    void replaceMyMaster() {
        ClusterNode me = state.myself;
        ClusterNode old = me.master;
        if (me.isMaster() || old == null) {
            return;
        }
        state.setMaster(me);
        me.flags &= ~ClusterNode.MIGRATE_TO;
        cluster.notifyNoMaster();
        for (int j = 0; j < ClusterState.SLOTS; j++) {
            if (state.slots[j] == old) {
                state.delSlot(j);
                state.addSlot(me, j);
            }
        }
        cluster.updateState();
        cluster.saveNow(true);
        cluster.broadcastPong();
        resetManual();
    }
}
