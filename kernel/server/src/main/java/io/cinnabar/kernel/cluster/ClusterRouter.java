package io.cinnabar.kernel.cluster;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandFlag;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.kernel.command.Command;
import io.cinnabar.kernel.command.Dispatcher;
import io.cinnabar.kernel.command.KeyExtractor;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.net.RespWriter;
import io.cinnabar.kernel.server.Transaction;

/**
 * The dispatcher's cluster check (Redis's getNodeByQuery and clusterRedirectClient): the keys of a command,
 * or of every queued command at EXEC, must hash to one slot this node serves, else the client gets
 * -CROSSSLOT, -CLUSTERDOWN, -ASK, -TRYAGAIN or -MOVED. Installed only in cluster mode.
 */
public final class ClusterRouter implements Dispatcher.Gate {
    private static final int LOOKUP = Database.LOOKUP_NOTOUCH | Database.LOOKUP_NOSTATS | Database.LOOKUP_NONOTIFY;
    private final Cluster cluster;
    private final KeyExtractor.Keys keys = new KeyExtractor.Keys();
    // the outcome of one routing decision
    private int slot;
    private boolean migrating;
    private boolean importing;
    private boolean multipleKeys;
    private int missing;
    private int existing;
    private byte[] firstKey;

    public ClusterRouter(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public boolean reject(ClientConnection c, Command cmd, Args args, RespWriter reply) {
        CommandSpec spec = cmd.spec();
        String name = spec.parentName() == null ? spec.name() : spec.parentName();
        boolean exec = name.equals("exec");
        boolean asking = c.clusterAsking();
        Transaction tx = c.transaction();
        // ASKING lasts for one command, or until EXEC inside a transaction (Redis's resetClient)
        boolean multiAfter = name.equals("multi") || (tx != null && !exec && !name.equals("discard"));
        if (!name.equals("asking") && !multiAfter) {
            c.setClusterAsking(false);
        }
        c.setClusterSlot(-1);
        Database db = cluster.server.db(0);
        db.hintSlot(null, -1);
        if (c.isMaster()) {
            // never redirected; the first key of most commands is argument 1, and a decoded argument never
            // changes, so its slot is right for any lookup of that very array (and unused by the others)
            if (args.size() > 1) {
                db.hintSlot(args.get(1), KeySlot.slot(args.get(1)));
            }
            return false;
        }
        if (!exec && spec.keySpecs().isEmpty() && spec.keyFinder() == null) {
            return false;
        }
        String error = route(c, cmd, args, exec, tx, asking);
        if (error == null) {
            if (firstKey != null) {
                c.setClusterSlot(slot); // the slot its statistics go to (Valkey's c->slot)
                db.hintSlot(firstKey, slot);
            }
            return false;
        }
        if (exec) {
            c.setTransaction(null);
            cluster.server.watches().unwatchAll(c);
        }
        reply.error(error);
        return true;
    }

    /** Null when this node serves the command, else the redirection or error line. */
    private String route(ClientConnection c, Command cmd, Args args, boolean exec, Transaction tx, boolean asking) {
        if (exec && tx == null) {
            return null;
        }
        ClusterState state = cluster.state;
        slot = -1;
        migrating = false;
        importing = false;
        multipleKeys = false;
        missing = 0;
        existing = 0;
        firstKey = null;
        if (exec) {
            for (Transaction.Queued q : tx.queued()) {
                if (!collect(state, q.command().spec(), q.args())) {
                    return slot == -2 ? Errors.CROSSSLOT : Errors.CLUSTERDOWN_UNBOUND;
                }
            }
        } else if (!collect(state, cmd.spec(), args)) {
            return slot == -2 ? Errors.CROSSSLOT : Errors.CLUSTERDOWN_UNBOUND;
        }
        if (firstKey == null) {
            return null;
        }
        ClusterNode owner = state.slots[slot];
        boolean write = exec ? tx.anyHas(CommandFlag.WRITE) : cmd.spec().has(CommandFlag.WRITE);
        // sharded pub/sub (its channels routed as keys) has a down-state rule of its own
        boolean pubsubShard = exec ? tx.anyHas(CommandFlag.PUBSUB) : cmd.spec().has(CommandFlag.PUBSUB);
        if (!state.ok && pubsubShard) {
            if (!cluster.server.config().getBoolean("cluster-allow-pubsubshard-when-down")) {
                return Errors.CLUSTERDOWN;
            }
        } else if (!state.ok) {
            if (!cluster.server.config().getBoolean("cluster-allow-reads-when-down")) {
                return Errors.CLUSTERDOWN;
            }
            if (write) {
                return Errors.CLUSTERDOWN_READONLY;
            }
        }
        String name = cmd.spec().name();
        if ((migrating || importing) && name.equals("migrate")) {
            return null;
        }
        if (migrating && missing > 0) {
            if (existing > 0) {
                return Errors.TRYAGAIN;
            }
            return redirect("ASK", state.migratingTo[slot]);
        }
        if (importing && (asking || cmd.spec().has(CommandFlag.ASKING))) {
            return multipleKeys && missing > 0 ? Errors.TRYAGAIN : null;
        }
        ClusterNode me = state.myself;
        // a replica serves its master's reads to READONLY clients, and sharded pub/sub to anyone (getNodeByQuery)
        if ((c.clusterReadonly() || pubsubShard) && !write && me.isReplica() && me.master == owner) {
            return null;
        }
        return owner == me ? null : redirect("MOVED", owner);
    }

    /** Adds one command's keys; false when they leave the first key's slot (slot -2) or it is unbound. */
    private boolean collect(ClusterState state, CommandSpec spec, Args args) {
        // sharded pub/sub names its channels in not_key key specs: Redis's getNodeByQuery routes by them
        boolean pubsubShard = spec.has(CommandFlag.PUBSUB);
        if (pubsubShard) {
            keys.clear(); // fromKeySpecs appends
        }
        int n = pubsubShard ? Math.max(0, KeyExtractor.fromKeySpecs(spec, args, true, false, keys))
                : KeyExtractor.find(spec, args, keys);
        for (int i = 0; i < n; i++) {
            byte[] key = args.get(keys.position(i));
            int s = KeySlot.slot(key);
            if (firstKey == null) {
                firstKey = key;
                slot = s;
                ClusterNode owner = state.slots[s];
                if (owner == null) {
                    return false;
                }
                if (owner == state.myself && state.migratingTo[s] != null) {
                    migrating = true;
                } else if (state.importingFrom[s] != null) {
                    importing = true;
                }
            } else if (s != slot) {
                slot = -2;
                return false;
            } else if (!java.util.Arrays.equals(firstKey, key)) {
                multipleKeys = true;
            }
            if ((migrating || importing) && !pubsubShard) { // a channel is served where it is until the move ends
                if (cluster.server.db(0).lookup(key, LOOKUP) == null) {
                    missing++;
                } else {
                    existing++;
                }
            }
        }
        return true;
    }

    /**
     * Redis's clusterRedirectBlockedClientIfNeeded, for the cron: a client blocked on a key of a slot this node
     * no longer serves (nor imports) is told where it went; a cluster that went down ends every wait.
     */
    public String blockedRedirect(ClientConnection c, Command cmd, byte[] key) {
        ClusterState state = cluster.state;
        if (!state.ok) {
            return Errors.CLUSTERDOWN;
        }
        int s = KeySlot.slot(key);
        ClusterNode owner = state.slots[s];
        ClusterNode me = state.myself;
        if (c.clusterReadonly() && !cmd.spec().has(CommandFlag.WRITE) && me.isReplica() && me.master == owner) {
            owner = me;
        }
        if (owner == me || state.importingFrom[s] != null) {
            return null;
        }
        if (owner == null) {
            return Errors.CLUSTERDOWN_UNBOUND;
        }
        slot = s;
        return redirect("MOVED", owner);
    }

    private String redirect(String kind, ClusterNode n) {
        return kind + " " + slot + " " + Endpoints.preferred(cluster, n) + ":" + n.port;
    }
}
