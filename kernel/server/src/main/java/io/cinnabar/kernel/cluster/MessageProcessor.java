package io.cinnabar.kernel.cluster;

import java.nio.charset.StandardCharsets;

/**
 * One received bus message applied to the cluster state (Redis's clusterProcessPacket and the gossip and
 * extension parsers it calls).
 */
final class MessageProcessor {
    private final Cluster cluster;
    private final ClusterState state;
    private final ClusterLink link;
    private final BusMessage m;
    private final long now;
    private ClusterNode sender;

    MessageProcessor(Cluster cluster, ClusterLink link, BusMessage m, long now) {
        this.cluster = cluster;
        this.state = cluster.state;
        this.link = link;
        this.m = m;
        this.now = now;
    }

    void process() {
        int type = m.type();
        if (type < BusMessage.TYPE_COUNT) {
            state.received[type]++;
        }
        sender = link.node != null && !link.inbound && !link.node.inHandshake() ? link.node
                : state.lookup(m.sender());
        if (sender != null && link.inbound && link.node == null) {
            bindInbound(sender);
        }
        long senderConfigEpoch = m.configEpoch();
        if (sender != null) {
            sender.dataReceived = now;
        }
        if (sender != null && !sender.inHandshake()) {
            if (m.currentEpoch() > state.currentEpoch) {
                state.currentEpoch = m.currentEpoch();
            }
            if (senderConfigEpoch > sender.configEpoch) {
                sender.configEpoch = senderConfigEpoch;
                cluster.saveLater(true);
            }
            sender.replOffset = m.offset();
            cluster.failover().onMasterMessage(sender, m);
        }
        if (type == BusMessage.PING || type == BusMessage.MEET) {
            greet(type);
        }
        switch (type) {
            case BusMessage.PING, BusMessage.PONG, BusMessage.MEET -> {
                if (!configInfo(type, senderConfigEpoch)) {
                    return;
                }
            }
            case BusMessage.FAIL -> fail();
            case BusMessage.UPDATE -> update();
            case BusMessage.FAILOVER_AUTH_REQUEST -> cluster.failover().onAuthRequest(sender, m);
            case BusMessage.FAILOVER_AUTH_ACK -> cluster.failover().onAuthAck(sender, m.currentEpoch());
            case BusMessage.MFSTART -> cluster.failover().onMfStart(sender);
            case BusMessage.PUBLISH, BusMessage.PUBLISHSHARD -> {
                if (sender != null) { // as Redis: only from a node we know
                    cluster.pubSub().received(m);
                }
            }
            default -> {
                // MODULE messages: no plugin sends or reads them yet
            }
        }
    }

    private void bindInbound(ClusterNode n) {
        if (n.inboundLink != null && n.inboundLink != link) {
            cluster.freeLink(n.inboundLink);
        }
        n.inboundLink = link;
        link.node = n;
    }

    /** PING and MEET: learn my own address, add a meeting node, answer PONG. */
    private void greet(int type) {
        ClusterNode me = state.myself;
        if ((type == BusMessage.MEET || me.ip.isEmpty()) && cluster.announcedIp().isEmpty()) {
            String ip = Cluster.localIp(link);
            if (!ip.isEmpty() && !ip.equals(me.ip)) {
                me.ip = ip;
                cluster.server.log().info("IP address for this node updated to {}", ip);
                cluster.saveLater(false);
            }
        }
        if (sender == null && type == BusMessage.MEET) {
            ClusterNode n = new ClusterNode(NodeIds.random(), ClusterNode.HANDSHAKE, now);
            n.ip = Cluster.peerIp(link, m);
            n.port = m.port();
            n.pport = m.pport();
            n.cport = m.cport();
            state.add(n);
            cluster.saveLater(false);
            gossipSection();
        }
        cluster.sendPing(link, BusMessage.PONG);
    }

    /** PING / PONG / MEET: handshake completion, liveness, role, slots, epochs, gossip. False: stop here. */
    private boolean configInfo(int type, long senderConfigEpoch) {
        if (!link.inbound && link.node != null) {
            ClusterNode node = link.node;
            if (node.inHandshake()) {
                if (sender != null) {
                    // the handshake reached a node we already know: keep that one, drop the temporary entry
                    updateAddressIfNeeded(sender);
                    cluster.deleteNode(node);
                    return false;
                }
                state.rename(node, m.sender());
                node.flags &= ~ClusterNode.HANDSHAKE;
                node.flags |= m.flags() & (ClusterNode.MASTER | ClusterNode.SLAVE);
                cluster.saveLater(false);
            } else if (!node.name.equals(m.sender())) {
                node.flags |= ClusterNode.NOADDR;
                node.ip = "";
                node.port = 0;
                node.pport = 0;
                node.cport = 0;
                cluster.freeLink(link);
                cluster.saveLater(false);
                return false;
            }
        }
        if (sender != null) {
            sender.flags = (sender.flags & ~ClusterNode.NOFAILOVER) | (m.flags() & ClusterNode.NOFAILOVER);
        }
        if (sender != null && type == BusMessage.PING && !sender.inHandshake() && updateAddressIfNeeded(sender)) {
            cluster.saveLater(false);
        }
        if (!link.inbound && link.node != null && type == BusMessage.PONG) {
            ClusterNode node = link.node;
            node.pongReceived = now;
            node.pingSent = 0;
            if (node.timedOut()) {
                node.flags &= ~ClusterNode.PFAIL;
                cluster.saveLater(false);
            } else if (node.failed()) {
                cluster.clearFailureIfNeeded(node, now);
            }
        }
        if (sender == null) {
            return true;
        }
        role();
        ClusterNode senderMaster = sender.isMaster() ? sender : sender.master;
        byte[] claimed = m.slots();
        boolean dirtySlots = senderMaster != null
                && !java.util.Arrays.equals(state.bitmap(senderMaster), claimed);
        if (sender.isMaster() && dirtySlots) {
            cluster.updateSlotsConfigWith(sender, senderConfigEpoch, claimed);
        }
        if (dirtySlots) {
            for (int j = 0; j < ClusterState.SLOTS; j++) {
                if (ClusterState.bit(claimed, j)) {
                    if (state.slots[j] == sender || state.unclaimed(j)) {
                        continue;
                    }
                    if (state.slots[j].configEpoch > senderConfigEpoch) {
                        cluster.sendUpdate(sender.link, state.slots[j]);
                        break;
                    }
                }
            }
        }
        if (state.myself.isMaster() && sender.isMaster() && senderConfigEpoch == state.myself.configEpoch) {
            cluster.handleEpochCollision(sender);
        }
        gossipSection();
        extensions();
        return true;
    }

    /** The sender says whether it is a master or whose replica it is. */
    private void role() {
        String masterName = m.slaveOf();
        if (masterName == null) {
            if (!sender.isMaster()) {
                state.setMaster(sender);
                cluster.saveLater(false);
            }
            return;
        }
        ClusterNode master = state.lookup(masterName);
        if (sender.isMaster() || !sender.isReplica()) {
            state.delNodeSlots(sender);
            sender.flags &= ~(ClusterNode.MASTER | ClusterNode.MIGRATE_TO);
            sender.flags |= ClusterNode.SLAVE;
            cluster.saveLater(false);
        }
        if (master != null && sender.master != master) {
            if (sender.master != null) {
                sender.master.removeReplica(sender);
            }
            master.addReplica(sender);
            sender.master = master;
            cluster.saveLater(false);
        }
    }

    /** Redis's nodeUpdateAddressIfNeeded: a PING from a known node on a new address moves it there. */
    private boolean updateAddressIfNeeded(ClusterNode n) {
        if (link == n.link) {
            return false;
        }
        String ip = Cluster.peerIp(link, m);
        if (n.port == m.port() && n.cport == m.cport() && n.ip.equals(ip)) {
            return false;
        }
        n.ip = ip;
        n.port = m.port();
        n.pport = m.pport();
        n.cport = m.cport();
        if (n.link != null) {
            cluster.freeLink(n.link);
        }
        n.flags &= ~ClusterNode.NOADDR;
        return true;
    }

    /** Redis's clusterProcessGossipSection. */
    private void gossipSection() {
        int count = m.count();
        for (int i = 0; i < count; i++) {
            int off = BusMessage.HEADER + i * BusMessage.GOSSIP_ENTRY;
            String name = m.name(off);
            int flags = m.u16(off + 98);
            String ip = m.cString(off + 48, BusMessage.IP);
            int port = m.u16(off + 94);
            int cport = m.u16(off + 96);
            ClusterNode node = state.lookup(name);
            if (node != null) {
                if (sender != null && sender.isMaster() && node != state.myself) {
                    if ((flags & (ClusterNode.FAIL | ClusterNode.PFAIL)) != 0) {
                        node.addFailureReport(sender, now);
                        cluster.markFailingIfNeeded(node, now);
                    } else {
                        node.removeFailureReport(sender);
                    }
                }
                if ((flags & (ClusterNode.FAIL | ClusterNode.PFAIL)) == 0 && node.pingSent == 0
                        && node.failureReportCount(now, cluster.nodeTimeout() * Cluster.FAIL_REPORT_VALIDITY_MULT) == 0) {
                    long pongTime = m.u32(off + 44) * 1000;
                    if (pongTime <= now + 500 && pongTime > node.pongReceived) {
                        node.pongReceived = pongTime;
                    }
                }
                if (node.has(ClusterNode.FAIL | ClusterNode.PFAIL) && (flags & ClusterNode.NOADDR) == 0
                        && node != state.myself && (!node.ip.equalsIgnoreCase(ip) || node.port != port
                        || node.cport != cport)) {
                    if (node.link != null) {
                        cluster.freeLink(node.link);
                    }
                    node.ip = ip;
                    node.port = port;
                    node.cport = cport;
                    node.flags &= ~ClusterNode.NOADDR;
                }
            } else if (sender != null && (flags & ClusterNode.NOADDR) == 0
                    && !state.blacklisted(name, now / 1000) && NodeIds.valid(name)) {
                ClusterNode n = new ClusterNode(name, 0, now);
                n.ip = ip;
                n.port = port;
                n.pport = m.u16(off + 100);
                n.cport = cport;
                state.add(n);
                cluster.saveLater(false);
            }
        }
    }

    /** Redis's clusterProcessPingExt: hostname, human nodename, forgotten nodes, shard id. */
    private void extensions() {
        String hostname = "";
        String human = "";
        boolean shardIdSeen = false;
        int off = BusMessage.HEADER + m.count() * BusMessage.GOSSIP_ENTRY;
        int n = (m.mflags() & BusMessage.MFLAG_EXT_DATA) != 0 ? m.extensions() : 0;
        for (int i = 0; i < n; i++) {
            int len = m.u32Int(off);
            int type = m.u16(off + 4);
            switch (type) {
                case BusMessage.EXT_HOSTNAME -> hostname = m.cString(off + 8, len - 8);
                case BusMessage.EXT_HUMAN_NODENAME -> human = m.cString(off + 8, len - 8);
                case BusMessage.EXT_FORGOTTEN_NODE -> forgotten(m.name(off + 8), m.u64(off + 48));
                case BusMessage.EXT_SHARDID -> {
                    shardIdSeen = true;
                    shardId(new String(m.bytes(off + 8, 40), StandardCharsets.ISO_8859_1));
                }
                default -> {
                    // an extension a newer node added: skipped by its length
                }
            }
            off += len;
        }
        sender.hostnameExtensionOnly = !shardIdSeen; // Redis 7.2 and Cinnabar always send it, 7.0 never
        if (!hostname.equals(sender.hostname)) {
            sender.hostname = hostname;
            cluster.saveLater(false);
        }
        if (!human.equals(sender.humanNodename)) {
            sender.humanNodename = human;
            cluster.saveLater(false);
        }
    }

    private void forgotten(String name, long ttl) {
        ClusterNode n = state.lookup(name);
        if (n != null && n != state.myself && !(state.myself.isReplica() && state.myself.master == n)) {
            state.blacklist.put(name, now / 1000 + ttl);
            cluster.deleteNode(n);
            cluster.saveLater(false);
        }
    }

    private void shardId(String id) {
        if (!id.equals(sender.shardId)) {
            sender.shardId = id;
            for (ClusterNode r : sender.replicas) {
                r.shardId = id;
            }
            cluster.saveLater(false);
        }
    }

    /** FAIL: a known sender's word is enough (a majority already agreed where it came from). */
    private void fail() {
        if (sender == null) {
            return;
        }
        ClusterNode failing = state.lookup(m.name(BusMessage.HEADER));
        if (failing != null && !failing.has(ClusterNode.FAIL | ClusterNode.MYSELF)) {
            cluster.server.log().info("FAIL message received from {} about {}", sender.name, failing.name);
            failing.flags |= ClusterNode.FAIL;
            failing.flags &= ~ClusterNode.PFAIL;
            failing.failTime = now;
            cluster.saveLater(false);
        }
    }

    /** UPDATE: a newer configuration of some node's slots. */
    private void update() {
        if (sender == null) {
            return;
        }
        long epoch = m.u64(BusMessage.HEADER);
        ClusterNode n = state.lookup(m.name(BusMessage.HEADER + 8));
        if (n == null || n.configEpoch >= epoch) {
            return;
        }
        if (n.isReplica()) {
            state.setMaster(n);
        }
        n.configEpoch = epoch;
        cluster.saveLater(true);
        cluster.updateSlotsConfigWith(n, epoch, m.bytes(BusMessage.HEADER + 8 + BusMessage.NAME, 2048));
    }
}
