package io.cinnabar.kernel.cluster;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Reply;
import io.cinnabar.kernel.commands.HelpReply;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.net.ExecutionContext;
import io.cinnabar.kernel.server.CinnabarServer;
import java.util.ArrayList;
import java.util.List;

/** The handlers of {@link ClusterFamily} (Redis's clusterCommand and friends). */
final class ClusterCommands {
    private static final String[] HELP = {
        "ADDSLOTS <slot> [<slot> ...]",
        "    Assign slots to current node.",
        "ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
        "    Assign slots which are between <start-slot> and <end-slot> to current node.",
        "BUMPEPOCH",
        "    Advance the cluster config epoch.",
        "COUNT-FAILURE-REPORTS <node-id>",
        "    Return number of failure reports for <node-id>.",
        "COUNTKEYSINSLOT <slot>",
        "    Return the number of keys in <slot>.",
        "DELSLOTS <slot> [<slot> ...]",
        "    Delete slots information from current node.",
        "DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
        "    Delete slots information which are between <start-slot> and <end-slot> from current node.",
        "FAILOVER [FORCE|TAKEOVER]",
        "    Promote current replica node to being a master.",
        "FORGET <node-id>",
        "    Remove a node from the cluster.",
        "GETKEYSINSLOT <slot> <count>",
        "    Return key names stored by current node in a slot.",
        "FLUSHSLOTS",
        "    Delete current node own slots information.",
        "INFO",
        "    Return information about the cluster.",
        "KEYSLOT <key>",
        "    Return the hash slot for <key>.",
        "MEET <ip> <port> [<bus-port>]",
        "    Connect nodes into a working cluster.",
        "MYID",
        "    Return the node id.",
        "MYSHARDID",
        "    Return the node's shard id.",
        "NODES",
        "    Return cluster configuration seen by node. Output format:",
        "    <id> <ip:port@bus-port[,hostname]> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
        "REPLICATE <node-id>",
        "    Configure current node as replica to <node-id>.",
        "RESET [HARD|SOFT]",
        "    Reset current node (default: soft).",
        "SET-CONFIG-EPOCH <epoch>",
        "    Set config epoch of current node.",
        "SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)",
        "    Set slot state.",
        "REPLICAS <node-id>",
        "    Return <node-id> replicas.",
        "SAVECONFIG",
        "    Force saving cluster configuration on disk.",
        "SLOTS",
        "    Return information about slots range mappings. Each range is made of:",
        "    start, end, master and replicas IP addresses, ports and ids",
        "SLOT-STATS",
        "    Return an array of slot usage statistics for slots assigned to the current node.",
        "SHARDS",
        "    Return information about slot range mappings and the nodes associated with them.",
        "LINKS",
        "    Return information about all network links between this node and its peers.",
        "    Output format is an array where each array element is a map containing attributes of a link",
    };

    private final CinnabarServer server;

    ClusterCommands(CinnabarServer server) {
        this.server = server;
    }

    private Cluster cluster() {
        Cluster c = server.cluster();
        if (c == null) {
            throw new CommandException(Errors.CLUSTER_DISABLED);
        }
        return c;
    }

    private static ClientConnection client(CommandContext ctx) {
        return ((ExecutionContext) ctx).connection();
    }

    // ---- connection flags ----

    void asking(CommandContext ctx, Args args, Reply reply) {
        cluster();
        client(ctx).setClusterAsking(true);
        reply.ok();
    }

    void readonly(CommandContext ctx, Args args, Reply reply) {
        cluster();
        client(ctx).setClusterReadonly(true);
        reply.ok();
    }

    void readwrite(CommandContext ctx, Args args, Reply reply) {
        cluster();
        client(ctx).setClusterReadonly(false);
        reply.ok();
    }

    // ---- introspection ----

    void help(CommandContext ctx, Args args, Reply reply) {
        cluster();
        HelpReply.write(reply, "cluster", HELP);
    }

    void info(CommandContext ctx, Args args, Reply reply) {
        reply.verbatim("txt", ClusterReplies.info(cluster()));
    }

    void nodes(CommandContext ctx, Args args, Reply reply) {
        reply.verbatim("txt", NodeDescription.all(cluster().state));
    }

    void slots(CommandContext ctx, Args args, Reply reply) {
        ClusterReplies.slots(cluster(), reply);
    }

    void shards(CommandContext ctx, Args args, Reply reply) {
        ClusterReplies.shards(cluster(), reply);
    }

    void links(CommandContext ctx, Args args, Reply reply) {
        ClusterReplies.links(cluster(), reply);
    }

    void myId(CommandContext ctx, Args args, Reply reply) {
        reply.bulk(cluster().state.myself.name);
    }

    void myShardId(CommandContext ctx, Args args, Reply reply) {
        reply.bulk(cluster().state.myself.shardId);
    }

    void keySlot(CommandContext ctx, Args args, Reply reply) {
        cluster();
        reply.integer(KeySlot.slot(args.get(2)));
    }

    void slotStats(CommandContext ctx, Args args, Reply reply) {
        cluster().slotStats().command(args, reply);
    }

    void countKeysInSlot(CommandContext ctx, Args args, Reply reply) {
        Cluster cluster = cluster();
        long slot = args.longAt(2);
        if (slot < 0 || slot >= ClusterState.SLOTS) {
            throw new CommandException(Errors.CLUSTER_INVALID_SLOT_ONLY);
        }
        reply.integer(cluster.countKeysInSlot((int) slot));
    }

    void getKeysInSlot(CommandContext ctx, Args args, Reply reply) {
        Cluster cluster = cluster();
        long slot = args.longAt(2);
        long max = args.longAt(3);
        if (slot < 0 || slot >= ClusterState.SLOTS || max < 0) {
            throw new CommandException(Errors.CLUSTER_INVALID_SLOT_OR_COUNT);
        }
        List<byte[]> keys = new ArrayList<>();
        server.db(0).forEachKeyInSlot((int) slot, k -> {
            if (keys.size() < max) {
                keys.add(k);
            }
        });
        reply.array(keys.size());
        for (byte[] k : keys) {
            reply.bulk(k);
        }
    }

    void countFailureReports(CommandContext ctx, Args args, Reply reply) {
        Cluster cluster = cluster();
        ClusterNode n = node(cluster, args.string(2));
        reply.integer(n.failureReportCount(System.currentTimeMillis(),
                cluster.nodeTimeout() * Cluster.FAIL_REPORT_VALIDITY_MULT));
    }

    void replicas(CommandContext ctx, Args args, Reply reply) {
        Cluster cluster = cluster();
        ClusterNode n = node(cluster, args.string(2));
        if (n.isReplica()) {
            throw new CommandException(Errors.CLUSTER_NOT_A_MASTER);
        }
        reply.array(n.replicas.size());
        for (ClusterNode r : n.replicas) {
            reply.bulk(NodeDescription.of(cluster.state, r, false));
        }
    }

    private static ClusterNode node(Cluster cluster, String id) {
        ClusterNode n = cluster.state.lookup(id);
        if (n == null) {
            throw new CommandException(Errors.clusterUnknownNode(id));
        }
        return n;
    }

    // ---- slots ----

    void addSlots(CommandContext ctx, Args args, Reply reply) {
        updateSlots(args, false, false);
        reply.ok();
    }

    void delSlots(CommandContext ctx, Args args, Reply reply) {
        updateSlots(args, true, false);
        reply.ok();
    }

    void addSlotsRange(CommandContext ctx, Args args, Reply reply) {
        updateSlots(args, false, true);
        reply.ok();
    }

    void delSlotsRange(CommandContext ctx, Args args, Reply reply) {
        updateSlots(args, true, true);
        reply.ok();
    }

    /** ADDSLOTS / DELSLOTS and their RANGE forms: every argument checked before any slot changes. */
    private void updateSlots(Args args, boolean del, boolean ranges) {
        Cluster cluster = cluster();
        ClusterState state = cluster.state;
        if (ranges && args.size() % 2 == 1) {
            throw new CommandException(Errors.wrongArity("cluster|" + args.string(1).toLowerCase(java.util.Locale.ROOT)));
        }
        boolean[] chosen = new boolean[ClusterState.SLOTS];
        if (!ranges) {
            for (int j = 2; j < args.size(); j++) {
                slotArg(args, j);
            }
        }
        for (int j = 2; j < args.size(); j += ranges ? 2 : 1) {
            int start = slotArg(args, j);
            int end = ranges ? slotArg(args, j + 1) : start;
            if (start > end) {
                throw new CommandException(Errors.clusterSlotRangeReversed(start, end));
            }
            for (int s = start; s <= end; s++) {
                if (del && state.slots[s] == null) {
                    throw new CommandException(Errors.clusterSlotUnassigned(s));
                } else if (!del && state.slots[s] != null) {
                    throw new CommandException(Errors.clusterSlotBusy(s));
                }
                if (chosen[s]) {
                    throw new CommandException(Errors.clusterSlotRepeated(s));
                }
                chosen[s] = true;
            }
        }
        for (int s = 0; s < ClusterState.SLOTS; s++) {
            if (chosen[s]) {
                state.importingFrom[s] = null;
                if (del) {
                    state.delSlot(s);
                } else {
                    state.addSlot(state.myself, s);
                }
            }
        }
        cluster.saveLater(false);
    }

    /** Redis's getSlotOrReply. */
    static int slotArg(Args args, int i) {
        long slot;
        try {
            slot = args.longAt(i);
        } catch (CommandException e) {
            throw new CommandException(Errors.CLUSTER_INVALID_SLOT);
        }
        if (slot < 0 || slot >= ClusterState.SLOTS) {
            throw new CommandException(Errors.CLUSTER_INVALID_SLOT);
        }
        return (int) slot;
    }

    void flushSlots(CommandContext ctx, Args args, Reply reply) {
        Cluster cluster = cluster();
        if (server.db(0).size() != 0) {
            throw new CommandException(Errors.CLUSTER_FLUSHSLOTS_NOT_EMPTY);
        }
        cluster.state.delNodeSlots(cluster.state.myself);
        cluster.saveLater(false);
        reply.ok();
    }

    void setSlot(CommandContext ctx, Args args, Reply reply) {
        Cluster cluster = cluster();
        ClusterState state = cluster.state;
        ClusterNode me = state.myself;
        if (me.isReplica()) {
            throw new CommandException(Errors.CLUSTER_SETSLOT_ONLY_MASTERS);
        }
        int slot = slotArg(args, 2);
        int argc = args.size();
        if (args.is(3, "migrating") && argc == 5) {
            if (state.slots[slot] != me) {
                throw new CommandException(Errors.clusterNotOwner(slot));
            }
            state.migratingTo[slot] = masterArg(state, args.string(4));
        } else if (args.is(3, "importing") && argc == 5) {
            if (state.slots[slot] == me) {
                throw new CommandException(Errors.clusterAlreadyOwner(slot));
            }
            state.importingFrom[slot] = masterArg(state, args.string(4));
        } else if (args.is(3, "stable") && argc == 4) {
            state.importingFrom[slot] = null;
            state.migratingTo[slot] = null;
        } else if (args.is(3, "node") && argc == 5) {
            setSlotNode(cluster, slot, args.string(4));
        } else {
            throw new CommandException(Errors.CLUSTER_SETSLOT_SYNTAX);
        }
        cluster.saveLater(false);
        reply.ok();
    }

    private static ClusterNode masterArg(ClusterState state, String id) {
        ClusterNode n = state.lookup(id);
        if (n == null) {
            throw new CommandException(Errors.clusterDontKnowNode(id));
        }
        if (n.isReplica()) {
            throw new CommandException(Errors.CLUSTER_TARGET_NOT_MASTER);
        }
        return n;
    }

    /** SETSLOT NODE: the slot changes owner here; closing an import bumps my epoch so others accept it. */
    private void setSlotNode(Cluster cluster, int slot, String id) {
        ClusterState state = cluster.state;
        ClusterNode me = state.myself;
        ClusterNode n = state.lookup(id);
        if (n == null) {
            throw new CommandException(Errors.clusterUnknownNode(id));
        }
        if (n.isReplica()) {
            throw new CommandException(Errors.CLUSTER_TARGET_NOT_MASTER);
        }
        long keys = cluster.countKeysInSlot(slot);
        if (state.slots[slot] == me && n != me && keys != 0) {
            throw new CommandException(Errors.clusterSlotHasKeys(slot));
        }
        if (keys == 0 && state.migratingTo[slot] != null) {
            state.migratingTo[slot] = null;
        }
        boolean wasMine = state.slots[slot] == me;
        state.delSlot(slot);
        state.addSlot(n, slot);
        if (wasMine && n != me && me.numSlots == 0 && server.config().getBoolean("cluster-allow-replica-migration")) {
            server.log().info("Configuration change detected. Reconfiguring myself as a replica of {}", n.name);
            cluster.setMyMaster(n);
            cluster.saveLater(true);
        }
        if (n == me && state.importingFrom[slot] != null) {
            if (cluster.bumpEpochWithoutConsensus()) {
                server.log().info("configEpoch updated after importing slot {}", slot);
            }
            state.importingFrom[slot] = null;
            cluster.broadcastPong();
        }
    }

    // ---- nodes and epochs ----

    void meet(CommandContext ctx, Args args, Reply reply) {
        Cluster cluster = cluster();
        int argc = args.size();
        if (argc > 5) {
            throw new CommandException(Errors.subcommandSyntax(args.string(1), "cluster"));
        }
        long port;
        long cport;
        try {
            port = args.longAt(3);
        } catch (CommandException e) {
            throw new CommandException(Errors.clusterInvalidBasePort(args.string(3)));
        }
        if (argc == 5) {
            try {
                cport = args.longAt(4);
            } catch (CommandException e) {
                throw new CommandException(Errors.clusterInvalidBusPort(args.string(4)));
            }
        } else {
            cport = port + Cluster.PORT_INCR;
        }
        if (port > Integer.MAX_VALUE || cport > Integer.MAX_VALUE
                || !cluster.startHandshake(args.string(2), (int) port, (int) cport)) {
            throw new CommandException(Errors.clusterInvalidAddress(args.string(2), args.string(3)));
        }
        reply.ok();
    }

    void forget(CommandContext ctx, Args args, Reply reply) {
        Cluster cluster = cluster();
        ClusterState state = cluster.state;
        ClusterNode n = node(cluster, args.string(2));
        if (n == state.myself) {
            throw new CommandException(Errors.CLUSTER_FORGET_MYSELF);
        }
        if (state.myself.isReplica() && state.myself.master == n) {
            throw new CommandException(Errors.CLUSTER_FORGET_MY_MASTER);
        }
        state.blacklist(n.name, System.currentTimeMillis() / 1000);
        cluster.deleteNode(n);
        cluster.saveLater(false);
        reply.ok();
    }

    void replicate(CommandContext ctx, Args args, Reply reply) {
        Cluster cluster = cluster();
        ClusterState state = cluster.state;
        ClusterNode n = node(cluster, args.string(2));
        if (n == state.myself) {
            throw new CommandException(Errors.CLUSTER_REPLICATE_MYSELF);
        }
        if (n.isReplica()) {
            throw new CommandException(Errors.CLUSTER_REPLICATE_REPLICA);
        }
        if (state.myself.isMaster() && (state.myself.numSlots != 0 || server.db(0).size() != 0)) {
            throw new CommandException(Errors.CLUSTER_REPLICATE_NOT_EMPTY);
        }
        cluster.setMyMaster(n);
        cluster.saveLater(true);
        reply.ok();
    }

    void reset(CommandContext ctx, Args args, Reply reply) {
        Cluster cluster = cluster();
        if (args.size() > 3) {
            throw new CommandException(Errors.subcommandSyntax(args.string(1), "cluster"));
        }
        boolean hard = false;
        if (args.size() == 3) {
            if (args.is(2, "hard")) {
                hard = true;
            } else if (!args.is(2, "soft")) {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        if (cluster.state.myself.isMaster() && server.db(0).size() != 0) {
            throw new CommandException(Errors.CLUSTER_RESET_WITH_KEYS);
        }
        cluster.reset(hard);
        reply.ok();
    }

    void setConfigEpoch(CommandContext ctx, Args args, Reply reply) {
        Cluster cluster = cluster();
        ClusterState state = cluster.state;
        long epoch = args.longAt(2);
        if (epoch < 0) {
            throw new CommandException(Errors.clusterInvalidEpoch(epoch));
        } else if (state.nodes.size() > 1) {
            throw new CommandException(Errors.CLUSTER_EPOCH_OTHER_NODES);
        } else if (state.myself.configEpoch != 0) {
            throw new CommandException(Errors.CLUSTER_EPOCH_NONZERO);
        }
        state.myself.configEpoch = epoch;
        if (state.currentEpoch < epoch) {
            state.currentEpoch = epoch;
        }
        cluster.saveLater(false);
        reply.ok();
    }

    void bumpEpoch(CommandContext ctx, Args args, Reply reply) {
        Cluster cluster = cluster();
        boolean bumped = cluster.bumpEpochWithoutConsensus();
        reply.simple((bumped ? "BUMPED " : "STILL ") + cluster.state.myself.configEpoch);
    }

    void saveConfig(CommandContext ctx, Args args, Reply reply) {
        Cluster cluster = cluster();
        if (!cluster.trySave()) {
            throw new CommandException(Errors.CLUSTER_SAVECONFIG_FAILED + "unable to write nodes.conf");
        }
        reply.ok();
    }

    void failover(CommandContext ctx, Args args, Reply reply) {
        Cluster cluster = cluster();
        if (args.size() > 3) {
            throw new CommandException(Errors.subcommandSyntax(args.string(1), "cluster"));
        }
        boolean force = false;
        boolean takeover = false;
        if (args.size() == 3) {
            if (args.is(2, "force")) {
                force = true;
            } else if (args.is(2, "takeover")) {
                takeover = true;
                force = true;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        cluster.failover().request(force, takeover);
        reply.ok();
    }
}
