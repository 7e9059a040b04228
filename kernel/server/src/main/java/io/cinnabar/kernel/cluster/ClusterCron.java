package io.cinnabar.kernel.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The cluster cron, every 100 ms (Redis's clusterCron and clusterUpdateState): reconnects, handshake timeouts,
 * pings, PFAIL detection, manual failover and election steps, replica migration, blocked-client redirection,
 * and the ok/fail cluster state.
 */
final class ClusterCron {
    private final Cluster cluster;
    private final ClusterState state;
    private long firstStateCall;
    private long amongMinorityTime;
    private long iteration;

    ClusterCron(Cluster cluster) {
        this.cluster = cluster;
        this.state = cluster.state;
    }

    /** Redis's clusterUpdateState: coverage and reachable-master majority decide ok/fail. */
    void updateState() {
        long now = System.currentTimeMillis();
        if (firstStateCall == 0) {
            firstStateCall = now;
        }
        ClusterNode me = state.myself;
        if (me.isMaster() && !state.ok && now - firstStateCall < Cluster.WRITABLE_DELAY) {
            return;
        }
        boolean ok = true;
        if (cluster.config.getBoolean("cluster-require-full-coverage")) {
            for (int j = 0; j < ClusterState.SLOTS; j++) {
                ClusterNode n = state.slots[j];
                if (n == null || n.failed()) {
                    ok = false;
                    break;
                }
            }
        }
        int reachable = 0;
        int size = 0;
        for (ClusterNode n : state.all()) {
            if (n.isMaster() && n.numSlots > 0) {
                size++;
                if (!n.has(ClusterNode.FAIL | ClusterNode.PFAIL)) {
                    reachable++;
                }
            }
        }
        state.size = size;
        if (reachable < size / 2 + 1) {
            ok = false;
            amongMinorityTime = now;
        }
        if (ok != state.ok) {
            long rejoinDelay = Math.min(5000, Math.max(500, cluster.nodeTimeout()));
            if (ok && me.isMaster() && now - amongMinorityTime < rejoinDelay) {
                return;
            }
            state.ok = ok;
            cluster.server.log().info("Cluster state changed: {}", ok ? "ok" : "fail");
        }
    }

    // ---- cron (Redis's clusterCron) ----

    void run() {
        long now = System.currentTimeMillis();
        iteration++;
        long timeout = cluster.nodeTimeout();
        long handshakeTimeout = Math.max(timeout, 1000);
        boolean update = false;
        for (ClusterNode n : state.snapshot()) {
            if (n.isMyself() || n.has(ClusterNode.NOADDR)) {
                continue;
            }
            if (n.inHandshake() && now - n.ctime > handshakeTimeout) {
                cluster.deleteNode(n);
                continue;
            }
            if (n.link == null) {
                n.link = cluster.bus.connect(n, (int) timeout);
                // as Redis queues its PING at once: a node that cannot be reached still times out
                if (n.pingSent == 0 && !n.has(ClusterNode.MEET)) {
                    n.pingSent = now;
                }
            }
        }
        if (iteration % 10 == 0) {
            pingRandomIdleNode();
        }
        for (ClusterNode n : state.snapshot()) {
            if (n.isMyself() || n.has(ClusterNode.NOADDR) || n.inHandshake()) {
                continue;
            }
            long pingDelay = now - n.pingSent;
            long dataDelay = now - n.dataReceived;
            ClusterLink link = n.link;
            if (link != null && link.connected && now - link.ctime > timeout && n.pingSent != 0
                    && pingDelay > timeout / 2 && dataDelay > timeout / 2) {
                cluster.freeLink(link);
            }
            if (link != null && link.connected && n.pingSent == 0 && now - n.pongReceived > timeout / 2) {
                cluster.sendPing(link, BusMessage.PING);
                continue;
            }
            if (n.pingSent == 0) {
                continue;
            }
            long nodeDelay = Math.min(pingDelay, dataDelay);
            if (nodeDelay > timeout && !n.has(ClusterNode.PFAIL | ClusterNode.FAIL)) {
                n.flags |= ClusterNode.PFAIL;
                update = true;
            }
        }
        cluster.failover().cron(now);
        cluster.migration.cron(now);
        if (cluster.router != null) {
            cluster.server.blocking().endWaitsWhere(cluster.router::blockedRedirect);
        }
        if (update || !state.ok) {
            updateState();
        }
    }

    /** Every second: ping the one of five random nodes whose last PONG is oldest. */
    private void pingRandomIdleNode() {
        List<ClusterNode> candidates = new ArrayList<>();
        for (ClusterNode n : state.all()) {
            if (n.link != null && n.link.connected && n.pingSent == 0 && !n.isMyself() && !n.inHandshake()) {
                candidates.add(n);
            }
        }
        ClusterNode min = null;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int i = 0; i < 5 && !candidates.isEmpty(); i++) {
            ClusterNode n = candidates.remove(rnd.nextInt(candidates.size()));
            if (min == null || n.pongReceived < min.pongReceived) {
                min = n;
            }
        }
        if (min != null) {
            cluster.sendPing(min.link, BusMessage.PING);
        }
    }

}
