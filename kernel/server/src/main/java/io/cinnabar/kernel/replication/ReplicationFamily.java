package io.cinnabar.kernel.replication;

import static io.cinnabar.api.CommandFlag.ADMIN;
import static io.cinnabar.api.CommandFlag.ALLOW_BUSY;
import static io.cinnabar.api.CommandFlag.FAST;
import static io.cinnabar.api.CommandFlag.LOADING;
import static io.cinnabar.api.CommandFlag.NOSCRIPT;
import static io.cinnabar.api.CommandFlag.NO_ASYNC_LOADING;
import static io.cinnabar.api.CommandFlag.NO_MULTI;
import static io.cinnabar.api.CommandFlag.STALE;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Reply;
import io.cinnabar.kernel.commands.Kernel;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.server.CinnabarServer;
import java.util.List;

/** The replication commands of Redis's replication.c: REPLICAOF/SLAVEOF, REPLCONF, PSYNC, SYNC, ROLE, WAIT. */
public final class ReplicationFamily implements CommandFamily {
    private final CinnabarServer server;

    public ReplicationFamily(CinnabarServer server) {
        this.server = server;
    }

    private Replication replication() {
        return server.replication();
    }

    private static CommandSpec.Builder admin(String name, int arity, String since, String summary) {
        return CommandSpec.command(name).arity(arity).group("server").since(since).summary(summary)
                .acl(AclCategory.ADMIN, AclCategory.SLOW, AclCategory.DANGEROUS);
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                admin("replicaof", 3, "5.0.0", "Configures a server as replica of another, or promotes it to a master.")
                        .flags(ADMIN, NOSCRIPT, STALE, NO_ASYNC_LOADING).complexity("O(1)")
                        .handler(this::replicaof).build(),
                admin("slaveof", 3, "1.0.0",
                        "Sets a Redis server as a replica of another, or promotes it to being a master.")
                        .flags(ADMIN, NOSCRIPT, STALE, NO_ASYNC_LOADING).complexity("O(1)")
                        .deprecated("5.0.0", "`REPLICAOF`").handler(this::replicaof).build(),
                admin("replconf", -1, "3.0.0", "An internal command for configuring the replication stream.")
                        .flags(ADMIN, NOSCRIPT, LOADING, STALE, ALLOW_BUSY).complexity("O(1)").docFlags("syscmd")
                        .handler(this::replconf).build(),
                admin("psync", -3, "2.8.0", "An internal command used in replication.")
                        .flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING, NO_MULTI).handler(this::psync).build(),
                admin("sync", 1, "1.0.0", "An internal command used in replication.")
                        .flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING, NO_MULTI).handler(this::sync).build(),
                CommandSpec.command("role").arity(1).group("server").since("2.8.12").complexity("O(1)")
                        .summary("Returns the replication role.").flags(NOSCRIPT, LOADING, STALE, FAST)
                        .acl(AclCategory.ADMIN, AclCategory.FAST, AclCategory.DANGEROUS).handler(this::role).build(),
                CommandSpec.command("wait").arity(3).group("generic").since("3.0.0").complexity("O(1)")
                        .summary("Blocks until the asynchronous replication of all preceding write commands sent "
                                + "by the connection is completed.")
                        .acl(AclCategory.SLOW, AclCategory.CONNECTION)
                        .tips("request_policy:all_shards", "response_policy:agg_min").handler(this::await).build(),
                admin("failover", -1, "6.2.0", "Starts a coordinated failover from a server to one of its replicas.")
                        .flags(ADMIN, NOSCRIPT, STALE).complexity("O(1)").handler(this::failover).build());
    }

    /** REPLICAOF host port | NO ONE. */
    private void replicaof(CommandContext ctx, Args args, Reply reply) {
        if (server.config().getBoolean("cluster-enabled")) {
            throw new CommandException(Errors.REPLICAOF_IN_CLUSTER);
        }
        if (args.is(1, "no") && args.is(2, "one")) {
            if (replication().isReplica()) {
                replication().promote();
                server.config().put("replicaof", "");
            }
            reply.ok();
            return;
        }
        long port;
        try {
            port = Long.parseLong(args.string(2));
        } catch (NumberFormatException e) {
            throw new CommandException(Errors.INVALID_MASTER_PORT);
        }
        if (port < 0 || port > 65535 || !args.string(2).equals(Long.toString(port))) {
            throw new CommandException(Errors.INVALID_MASTER_PORT);
        }
        String host = args.string(1);
        MasterLink link = replication().masterLink();
        if (link != null && link.host.equalsIgnoreCase(host) && link.port == port) {
            reply.simple("OK Already connected to specified master");
            return;
        }
        replication().follow(host, (int) port);
        server.config().put("replicaof", host + " " + port);
        reply.ok();
    }

    /** REPLCONF option value [option value ...]: what a replica tells its master about itself. */
    private void replconf(CommandContext ctx, Args args, Reply reply) {
        if (args.size() % 2 == 0) {
            throw new CommandException(Errors.SYNTAX);
        }
        ClientConnection c = Kernel.client(ctx);
        for (int i = 1; i < args.size(); i += 2) {
            if (args.is(i, "listening-port")) {
                long port = args.longAt(i + 1);
                replication().announce(c, null, (int) port);
            } else if (args.is(i, "ip-address")) {
                replication().announce(c, args.string(i + 1), -1);
            } else if (args.is(i, "capa") || args.is(i, "rdb-only") || args.is(i, "rdb-filter-only")) {
                if (args.is(i, "capa") && args.is(i + 1, "eof")) {
                    replication().announceCapaEof(c); // it reads diskless payloads
                }
                if (args.is(i, "rdb-only")) {
                    long v = args.longAt(i + 1);
                    if (v != 0 && v != 1) {
                        throw new CommandException(Errors.SYNTAX);
                    }
                }
            } else if (args.is(i, "ack")) {
                // a replica's offset: never answered (Redis returns before any reply)
                if (c.isReplica()) {
                    replication().ack(c, args.longAt(i + 1));
                    if (i + 3 < args.size() && args.is(i + 2, "fack")) {
                        replication().aofAck(c, args.longAt(i + 3)); // Redis 7.2: the replica's AOF fsync offset
                    }
                }
                return;
            } else if (args.is(i, "getack")) {
                if (c.isMaster() && replication().masterLink() != null) {
                    replication().masterLink().sendAck();
                }
                return;
            } else {
                throw new CommandException(Errors.unrecognizedReplconfOption(args.string(i)));
            }
        }
        reply.ok();
    }

    private void psync(CommandContext ctx, Args args, Reply reply) {
        syncCommand(ctx, args, reply, true);
    }

    private void sync(CommandContext ctx, Args args, Reply reply) {
        syncCommand(ctx, args, reply, false);
    }

    private void syncCommand(CommandContext ctx, Args args, Reply reply, boolean psync) {
        ClientConnection c = Kernel.client(ctx);
        if (c.isReplica()) {
            return; // already a replica: ignore, as Redis does
        }
        if (psync && args.size() > 3 && args.is(3, "failover")) {
            // our master hands over (FAILOVER): only when it continues our own history
            if (!args.string(1).equals(replication().replId())) {
                throw new CommandException(Errors.PSYNC_FAILOVER_REPLID);
            }
            replication().promote();
            server.config().put("replicaof", "");
        }
        MasterLink link = replication().masterLink();
        if (link != null && !link.up()) {
            throw new CommandException(Errors.NOMASTERLINK);
        }
        long offset = psync ? args.longAt(2) : -1;
        replication().sync(c, psync, psync ? args.string(1) : "?", offset);
    }

    /** FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds]: checks in Redis's order, then starts. */
    private void failover(CommandContext ctx, Args args, Reply reply) {
        if (server.config().getBoolean("cluster-enabled")) {
            // the cluster view decides who is master: its own CLUSTER FAILOVER hands the role over
            throw new CommandException(Errors.FAILOVER_IN_CLUSTER);
        }
        String host = null;
        int port = 0;
        boolean force = false;
        boolean abort = false;
        long timeout = 0;
        for (int i = 1; i < args.size(); i++) {
            if (args.is(i, "to") && i + 2 < args.size() && host == null) {
                long p = args.longAt(i + 2);
                host = args.string(i + 1);
                port = (int) p;
                i += 2;
            } else if (args.is(i, "force") && !force) {
                force = true;
            } else if (args.is(i, "abort") && !abort) {
                abort = true;
            } else if (args.is(i, "timeout") && i + 1 < args.size() && timeout == 0) {
                timeout = args.longAt(++i);
                if (timeout <= 0) {
                    throw new CommandException(Errors.FAILOVER_TIMEOUT);
                }
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        Failover f = replication().failover();
        if (abort) {
            if (host != null || force || timeout != 0) {
                throw new CommandException(Errors.SYNTAX); // ABORT takes no other argument
            }
            if (f.state() == Failover.State.NONE) {
                throw new CommandException(Errors.FAILOVER_NONE);
            }
            f.abort("Failover manually aborted");
            reply.ok();
            return;
        }
        if (replication().isReplica()) {
            throw new CommandException(Errors.FAILOVER_ON_REPLICA);
        }
        if (replication().replicas().isEmpty()) {
            throw new CommandException(Errors.FAILOVER_NO_REPLICAS);
        }
        if (force && (timeout == 0 || host == null)) {
            throw new CommandException(Errors.FAILOVER_FORCE_NEEDS);
        }
        if (f.state() != Failover.State.NONE) {
            throw new CommandException(Errors.FAILOVER_IN_PROGRESS);
        }
        if (host != null) {
            ReplicaLink target = null;
            for (ReplicaLink r : replication().replicas()) {
                if (r.ip.equals(host) && r.listeningPort == port) {
                    target = r;
                }
            }
            if (target == null) {
                throw new CommandException(Errors.FAILOVER_NOT_A_REPLICA);
            }
        }
        f.start(host, port, force, timeout);
        reply.ok();
    }

    /** ROLE: master with its offset and replicas, or slave with its master and link state. */
    private void role(CommandContext ctx, Args args, Reply reply) {
        MasterLink link = replication().masterLink();
        if (link == null) {
            List<ReplicaLink> replicas = new java.util.ArrayList<>();
            for (ReplicaLink r : replication().replicas()) {
                if (r.state == ReplicaLink.State.ONLINE) {
                    replicas.add(r); // as Redis: a replica still syncing is not listed
                }
            }
            reply.array(3);
            reply.bulk("master");
            reply.integer(replication().offset());
            reply.array(replicas.size());
            for (ReplicaLink r : replicas) {
                reply.array(3);
                reply.bulk(r.ip);
                reply.bulk(Integer.toString(r.listeningPort));
                reply.bulk(Long.toString(Math.max(0, r.ackOffset)));
            }
            return;
        }
        reply.array(5);
        reply.bulk("slave");
        reply.bulk(link.host);
        reply.integer(link.port);
        reply.bulk(switch (link.state()) {
            case CONNECT -> "connect";
            case CONNECTING -> "connecting";
            case HANDSHAKE -> "handshake";
            case SYNC -> "sync";
            case CONNECTED -> "connected";
        });
        reply.integer(link.up() ? replication().offset() : -1);
    }

    /** WAIT numreplicas timeout: how many replicas acknowledged this client's writes (blocking until enough). */
    private void await(CommandContext ctx, Args args, Reply reply) {
        if (replication().isReplica()) {
            throw new CommandException(Errors.WAIT_ON_REPLICA);
        }
        long numreplicas = args.longAt(1);
        long timeout = args.longAt(2, Errors.TIMEOUT_NOT_INTEGER);
        if (timeout < 0) {
            throw new CommandException(Errors.TIMEOUT_NEGATIVE);
        }
        ClientConnection c = Kernel.client(ctx);
        long offset = c.writeOffset();
        int acked = replication().replicasAcknowledging(offset);
        if (acked >= numreplicas || c.inTransaction() || c.exec().executingTransaction()) {
            reply.integer(acked);
            return;
        }
        replication().waits().block(c, offset, numreplicas, timeout);
    }
}
