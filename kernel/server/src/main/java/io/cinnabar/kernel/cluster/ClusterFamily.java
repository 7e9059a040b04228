package io.cinnabar.kernel.cluster;

import static io.cinnabar.api.CommandFlag.ADMIN;
import static io.cinnabar.api.CommandFlag.FAST;
import static io.cinnabar.api.CommandFlag.LOADING;
import static io.cinnabar.api.CommandFlag.NOSCRIPT;
import static io.cinnabar.api.CommandFlag.NO_ASYNC_LOADING;
import static io.cinnabar.api.CommandFlag.STALE;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Handler;
import io.cinnabar.kernel.server.CinnabarServer;
import java.util.List;

/**
 * CLUSTER and its subcommands, ASKING, READONLY, READWRITE (Redis's cluster.c commands), as data; the
 * handlers are in {@link ClusterCommands}. Registered in every node: without cluster-enabled they refuse
 * with Redis's "cluster support disabled".
 */
public final class ClusterFamily implements CommandFamily {
    private static final String NONDETERMINISTIC = "nondeterministic_output";
    private final ClusterCommands h;

    public ClusterFamily(CinnabarServer server) {
        this.h = new ClusterCommands(server);
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                CommandSpec.command("cluster").arity(-2).group("cluster").since("3.0.0")
                        .summary("A container for Redis Cluster commands.").complexity("Depends on subcommand.")
                        .subcommand(admin("addslots", -3, "3.0.0", "Assigns new hash slots to a node.",
                                "O(N) where N is the total number of hash slot arguments", h::addSlots).build())
                        .subcommand(admin("addslotsrange", -4, "7.0.0", "Assigns new hash slot ranges to a node.",
                                "O(N) where N is the total number of the slots between the start slot and end slot"
                                        + " arguments.", h::addSlotsRange).build())
                        .subcommand(admin("bumpepoch", 2, "3.0.0", "Advances the cluster config epoch.", "O(1)",
                                h::bumpEpoch).tips(NONDETERMINISTIC).build())
                        .subcommand(sub("count-failure-reports", 3, "3.0.0",
                                "Returns the number of active failure reports active for a node.",
                                "O(N) where N is the number of failure reports", h::countFailureReports)
                                .flags(ADMIN, STALE).tips(NONDETERMINISTIC).build())
                        .subcommand(sub("countkeysinslot", 3, "3.0.0", "Returns the number of keys in a hash slot.",
                                "O(1)", h::countKeysInSlot).flags(STALE).build())
                        .subcommand(admin("delslots", -3, "3.0.0", "Sets hash slots as unbound for a node.",
                                "O(N) where N is the total number of hash slot arguments", h::delSlots).build())
                        .subcommand(admin("delslotsrange", -4, "7.0.0", "Sets hash slot ranges as unbound for a node.",
                                "O(N) where N is the total number of the slots between the start slot and end slot"
                                        + " arguments.", h::delSlotsRange).build())
                        .subcommand(admin("failover", -2, "3.0.0",
                                "Forces a replica to perform a manual failover of its master.", "O(1)", h::failover)
                                .build())
                        .subcommand(admin("flushslots", 2, "3.0.0", "Deletes all slots information from a node.",
                                "O(1)", h::flushSlots).build())
                        .subcommand(admin("forget", 3, "3.0.0", "Removes a node from the nodes table.", "O(1)",
                                h::forget).build())
                        .subcommand(sub("getkeysinslot", 4, "3.0.0", "Returns the key names in a hash slot.",
                                "O(N) where N is the number of requested keys", h::getKeysInSlot).flags(STALE)
                                .tips(NONDETERMINISTIC).build())
                        .subcommand(sub("help", 2, "5.0.0", "Returns helpful text about the different subcommands.",
                                "O(1)", h::help).flags(LOADING, STALE).build())
                        .subcommand(sub("info", 2, "3.0.0", "Returns information about the state of a node.", "O(1)",
                                h::info).flags(STALE).tips(NONDETERMINISTIC).build())
                        .subcommand(sub("keyslot", 3, "3.0.0", "Returns the hash slot for a key.",
                                "O(N) where N is the number of bytes in the key", h::keySlot).flags(STALE).build())
                        .subcommand(sub("links", 2, "7.0.0", "Returns a list of all TCP links to and from peer nodes.",
                                "O(N) where N is the total number of Cluster nodes", h::links).flags(STALE)
                                .tips(NONDETERMINISTIC).build())
                        .subcommand(admin("meet", -4, "3.0.0", "Forces a node to handshake with another node.",
                                "O(1)", h::meet).history("4.0.0", "Added the optional `cluster_bus_port` argument.")
                                .build())
                        .subcommand(sub("myid", 2, "3.0.0", "Returns the ID of a node.", "O(1)", h::myId)
                                .flags(STALE).build())
                        .subcommand(sub("myshardid", 2, "7.2.0", "Returns the shard ID of a node.", "O(1)",
                                h::myShardId).flags(STALE).tips(NONDETERMINISTIC).build())
                        .subcommand(sub("nodes", 2, "3.0.0", "Returns the cluster configuration for a node.",
                                "O(N) where N is the total number of Cluster nodes", h::nodes).flags(STALE)
                                .tips(NONDETERMINISTIC).build())
                        .subcommand(sub("replicas", 3, "5.0.0", "Lists the replica nodes of a master node.",
                                "O(N) where N is the number of replicas.", h::replicas).flags(ADMIN, STALE)
                                .tips(NONDETERMINISTIC).build())
                        .subcommand(admin("replicate", 3, "3.0.0", "Configure a node as replica of a master node.",
                                "O(1)", h::replicate).build())
                        .subcommand(sub("reset", -2, "3.0.0", "Resets a node.", "O(N) where N is the number of known"
                                + " nodes. The command may execute a FLUSHALL as a side effect.", h::reset)
                                .flags(ADMIN, NOSCRIPT, STALE).build())
                        .subcommand(admin("saveconfig", 2, "3.0.0",
                                "Forces a node to save the cluster configuration to disk.", "O(1)", h::saveConfig)
                                .build())
                        .subcommand(admin("set-config-epoch", 3, "3.0.0", "Sets the configuration epoch for a new node.",
                                "O(1)", h::setConfigEpoch).build())
                        .subcommand(admin("setslot", -4, "3.0.0", "Binds a hash slot to a node.", "O(1)", h::setSlot)
                                .build())
                        .subcommand(sub("shards", 2, "7.0.0", "Returns the mapping of cluster slots to shards.",
                                "O(N) where N is the total number of cluster nodes", h::shards).flags(LOADING, STALE)
                                .tips(NONDETERMINISTIC).build())
                        .subcommand(sub("slaves", 3, "3.0.0", "Lists the replica nodes of a master node.",
                                "O(N) where N is the number of replicas.", h::replicas).flags(ADMIN, STALE)
                                .tips(NONDETERMINISTIC).deprecated("5.0.0", "`CLUSTER REPLICAS`").build())
                        .subcommand(sub("slot-stats", -4, "8.0.0", "Return an array of slot usage statistics for "
                                + "slots assigned to the current node.", "O(N) where N is the total number of slots "
                                + "based on arguments. O(N*log(N)) with ORDERBY subcommand.", h::slotStats)
                                .flags(STALE, LOADING).tips(NONDETERMINISTIC, "request_policy:all_shards").build())
                        .subcommand(sub("slots", 2, "3.0.0", "Returns the mapping of cluster slots to nodes.",
                                "O(N) where N is the total number of Cluster nodes", h::slots).flags(LOADING, STALE)
                                .tips(NONDETERMINISTIC).deprecated("7.0.0", "`CLUSTER SHARDS`")
                                .history("4.0.0", "Added node IDs.")
                                .history("7.0.0", "Added additional networking metadata field.").build())
                        .build(),
                CommandSpec.command("asking").arity(1).flags(FAST).acl(AclCategory.CONNECTION).group("cluster")
                        .since("3.0.0").summary("Signals that a cluster client is following an -ASK redirect.")
                        .complexity("O(1)").handler(h::asking).build(),
                CommandSpec.command("readonly").arity(1).flags(LOADING, STALE, FAST).acl(AclCategory.CONNECTION)
                        .group("cluster").since("3.0.0")
                        .summary("Enables read-only queries for a connection to a Redis Cluster replica node.")
                        .complexity("O(1)").handler(h::readonly).build(),
                CommandSpec.command("readwrite").arity(1).flags(LOADING, STALE, FAST).acl(AclCategory.CONNECTION)
                        .group("cluster").since("3.0.0")
                        .summary("Enables read-write queries for a connection to a Reids Cluster replica node.")
                        .complexity("O(1)").handler(h::readwrite).build());
    }

    private static CommandSpec.Builder sub(String name, int arity, String since, String summary, String complexity,
                                           Handler handler) {
        return CommandSpec.command(name).arity(arity).group("cluster").since(since).summary(summary)
                .complexity(complexity).handler(handler);
    }

    /** The configuration-changing subcommands: admin, stale, no_async_loading. */
    private static CommandSpec.Builder admin(String name, int arity, String since, String summary, String complexity,
                                             Handler handler) {
        return sub(name, arity, since, summary, complexity, handler)
                .flags(ADMIN, STALE, NO_ASYNC_LOADING);
    }
}
