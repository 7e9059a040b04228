package io.cinnabar.kernel.cluster;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Reply;
import io.cinnabar.kernel.command.Command;
import io.cinnabar.kernel.command.Dispatcher;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.propagation.PropagationTarget;
import java.util.Arrays;

/**
 * Per-slot usage statistics and CLUSTER SLOT-STATS (Valkey 8's cluster_slot_stats.c). key-count is always there
 * (counted from the keyspace); cpu-usec, network-bytes-in and network-bytes-out are accumulated only while
 * {@code cluster-slot-stats-enabled} is on, for commands the router sent to one slot: the time of a top-level call
 * (EXEC and scripts count as a whole, their inner commands not again), the RESP bytes of the command (an EXEC adds
 * its MULTI's 15 bytes, queued commands count their own), and the reply bytes it produced plus, on a master, the
 * bytes of the replication stream it caused times the number of replicas. A slot's counters restart when it
 * changes owner, and all of them at CONFIG RESETSTAT. A blocking command counts its bytes in when it is first
 * processed and its reply when it is served.
 */
public final class SlotStats implements Dispatcher.CommandObserver, Dispatcher.CallListener, PropagationTarget {
    /** The RESP of the MULTI an EXEC closes: {@code *1\r\n$5\r\nmulti\r\n}. */
    private static final int MULTI_BYTES = 15;
    private static final int KEY_COUNT = 0;
    private static final int CPU_USEC = 1;
    private static final int NETWORK_BYTES_IN = 2;
    private static final int NETWORK_BYTES_OUT = 3;

    private final Cluster cluster;
    private final long[] cpuUsec = new long[ClusterState.SLOTS];
    private final long[] networkBytesIn = new long[ClusterState.SLOTS];
    private final long[] networkBytesOut = new long[ClusterState.SLOTS];
    private boolean enabled;
    /** The reply buffer's size when a blocked command runs again (its reply is written then), else -1. */
    private int rerunReplyStart = -1;

    SlotStats(Cluster cluster) {
        this.cluster = cluster;
    }

    /** Follows {@code cluster-slot-stats-enabled}; while on, it also sees the replication stream. */
    void setEnabled(boolean enabled) {
        if (enabled && !this.enabled) {
            cluster.server.propagator().addTarget(this);
        } else if (!enabled && this.enabled) {
            cluster.server.propagator().removeTarget(this);
        }
        this.enabled = enabled;
    }

    /**
     * Valkey's clusterSlotStatsIncrNetworkBytesOutForReplication: what the current command sends each replica
     * counts for its slot (SELECTs belong to no slot: the replication target adds them, not counted here).
     */
    @Override
    public void feed(int db, byte[][] argv) {
        ClientConnection c = cluster.server.currentClient();
        if (c == null || c.clusterSlot() < 0 || cluster.state.myself.isReplica()) {
            return;
        }
        int replicas = cluster.server.replication().replicaCount();
        if (replicas > 0) {
            networkBytesOut[c.clusterSlot()] += respLength(argv) * replicas;
        }
    }

    /** The length of argv as a RESP multibulk, without encoding it. */
    private static long respLength(byte[][] argv) {
        long n = 3 + digits(argv.length);
        for (byte[] a : argv) {
            n += 5 + digits(a.length) + a.length;
        }
        return n;
    }

    private static int digits(int v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }

    /** Redis's clusterSlotStatReset: a slot that changed owner starts again from zero. */
    void reset(int slot) {
        cpuUsec[slot] = 0;
        networkBytesIn[slot] = 0;
        networkBytesOut[slot] = 0;
    }

    /** CONFIG RESETSTAT (Valkey's clusterSlotStatResetAll). */
    public void resetAll() {
        Arrays.fill(cpuUsec, 0);
        Arrays.fill(networkBytesIn, 0);
        Arrays.fill(networkBytesOut, 0);
    }

    /** A blocked command runs again now that its key is ready: its reply is measured from here. */
    @Override
    public void beforeCall(ClientConnection client, Command command, Args args) {
        if (enabled && client.blocked() != null && client.clusterSlot() >= 0) {
            rerunReplyStart = client.reply().pendingBytes();
        }
    }

    @Override
    public boolean onCommand(ClientConnection client, Command command, Args args, long durationMicros) {
        int slot = client.clusterSlot();
        // a command run inside EXEC (or a script) has its caller as current command: the caller counts it all
        if (enabled && slot >= 0 && client.currentCommand() == null) {
            cpuUsec[slot] += durationMicros;
            if (rerunReplyStart >= 0) {
                networkBytesOut[slot] += Math.max(0, client.reply().pendingBytes() - rerunReplyStart);
            }
        }
        rerunReplyStart = -1;
        return false;
    }

    /**
     * A client's command was processed (run or queued): its bytes in, and the bytes of the reply it wrote unless
     * it was only queued (EXEC's reply counts the transaction's).
     */
    public void commandProcessed(ClientConnection client, Args args, long bytesIn, int bytesOut) {
        int slot = client.clusterSlot();
        if (!enabled || slot < 0) {
            return;
        }
        boolean exec = args.is(0, "exec");
        networkBytesIn[slot] += exec ? bytesIn + MULTI_BYTES : bytesIn;
        if ((exec || client.transaction() == null) && client.blocked() == null && bytesOut > 0) {
            networkBytesOut[slot] += bytesOut;
        }
    }

    /** CLUSTER SLOT-STATS SLOTSRANGE start end | ORDERBY metric [LIMIT n] [ASC|DESC]. */
    void command(Args args, Reply reply) {
        if (args.size() == 5 && args.is(2, "slotsrange")) {
            int start = ClusterCommands.slotArg(args, 3);
            int end = ClusterCommands.slotArg(args, 4);
            if (start > end) {
                throw new CommandException(Errors.slotStatsRange(start, end));
            }
            int n = 0;
            for (int slot = start; slot <= end; slot++) {
                n += mine(slot) ? 1 : 0;
            }
            reply.array(n);
            for (int slot = start; slot <= end; slot++) {
                if (mine(slot)) {
                    slotReply(slot, reply);
                }
            }
        } else if (args.size() >= 4 && args.is(2, "orderby")) {
            orderBy(args, reply);
        } else {
            throw new CommandException(Errors.subcommandSyntax(args.string(1), args.string(0)));
        }
    }

    private void orderBy(Args args, Reply reply) {
        int metric;
        if (args.is(3, "key-count")) {
            metric = KEY_COUNT;
        } else if (args.is(3, "cpu-usec") && enabled) {
            metric = CPU_USEC;
        } else if (args.is(3, "network-bytes-in") && enabled) {
            metric = NETWORK_BYTES_IN;
        } else if (args.is(3, "network-bytes-out") && enabled) {
            metric = NETWORK_BYTES_OUT;
        } else {
            throw new CommandException(Errors.SLOT_STATS_UNKNOWN_METRIC);
        }
        boolean desc = true;
        long limit = ClusterState.SLOTS;
        int limits = 0;
        int orders = 0;
        for (int i = 4; i < args.size(); i++) {
            if (args.is(i, "limit") && i + 1 < args.size()) {
                limit = limitArg(args, ++i);
                limits++;
            } else if (args.is(i, "asc")) {
                desc = false;
                orders++;
            } else if (args.is(i, "desc")) {
                desc = true;
                orders++;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
            if (limits > 1 || orders > 1) {
                throw new CommandException(Errors.SLOT_STATS_REPEATED_FILTER);
            }
        }
        int owned = 0;
        long[] stat = new long[ClusterState.SLOTS];
        Integer[] slots = new Integer[ClusterState.SLOTS];
        for (int slot = 0; slot < ClusterState.SLOTS; slot++) {
            if (mine(slot)) {
                stat[slot] = stat(slot, metric);
                slots[owned++] = slot;
            }
        }
        boolean descending = desc;
        // ties in ascending slot order, whichever the direction
        Arrays.sort(slots, 0, owned, (a, b) -> {
            int c = descending ? Long.compare(stat[b], stat[a]) : Long.compare(stat[a], stat[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int n = (int) Math.min(limit, owned);
        reply.array(n);
        for (int i = 0; i < n; i++) {
            slotReply(slots[i], reply);
        }
    }

    private long stat(int slot, int metric) {
        return switch (metric) {
            case KEY_COUNT -> cluster.countKeysInSlot(slot);
            case CPU_USEC -> cpuUsec[slot];
            case NETWORK_BYTES_IN -> networkBytesIn[slot];
            default -> networkBytesOut[slot];
        };
    }

    /** One entry: [slot, {key-count, and the other metrics when enabled}]. */
    private void slotReply(int slot, Reply reply) {
        reply.array(2);
        reply.integer(slot);
        reply.map(enabled ? 4 : 1);
        reply.bulk("key-count");
        reply.integer(cluster.countKeysInSlot(slot));
        if (enabled) {
            reply.bulk("cpu-usec");
            reply.integer(cpuUsec[slot]);
            reply.bulk("network-bytes-in");
            reply.integer(networkBytesIn[slot]);
            reply.bulk("network-bytes-out");
            reply.integer(networkBytesOut[slot]);
        }
    }

    /** The slot is served by my shard: mine, or my master's when I am a replica. */
    private boolean mine(int slot) {
        ClusterNode me = cluster.state.myself;
        ClusterNode primary = me.isReplica() ? me.master : me;
        return primary != null && cluster.state.slots[slot] == primary;
    }

    /** getRangeLongFromObjectOrReply: not a number and out of range get the same message. */
    private static long limitArg(Args args, int i) {
        long limit;
        try {
            limit = args.longAt(i);
        } catch (CommandException e) {
            throw new CommandException(Errors.SLOT_STATS_LIMIT);
        }
        if (limit < 1 || limit > ClusterState.SLOTS) {
            throw new CommandException(Errors.SLOT_STATS_LIMIT);
        }
        return limit;
    }
}
