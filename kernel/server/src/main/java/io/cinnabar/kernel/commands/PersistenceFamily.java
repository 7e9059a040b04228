package io.cinnabar.kernel.commands;

import static io.cinnabar.api.CommandFlag.ADMIN;
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
import io.cinnabar.kernel.server.CinnabarServer;
import java.util.List;

/** SAVE, BGSAVE, BGREWRITEAOF and LASTSAVE (rdb.c's and aof.c's commands); the work is in {@link io.cinnabar.kernel.persistence.Persistence}. */
final class PersistenceFamily implements CommandFamily {
    private final CinnabarServer server;

    PersistenceFamily(CinnabarServer server) {
        this.server = server;
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                CommandSpec.command("save").arity(1).flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING, NO_MULTI)
                        .group("server").since("1.0.0").summary("Synchronously saves the database(s) to disk.")
                        .complexity("O(N) where N is the total number of keys in all databases")
                        .handler(this::save).build(),
                CommandSpec.command("bgsave").arity(-1).flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING)
                        .group("server").since("1.0.0").summary("Asynchronously saves the database(s) to disk.")
                        .complexity("O(1)").history("3.2.2", "Added the `SCHEDULE` option.")
                        .handler(this::bgsave).build(),
                CommandSpec.command("bgrewriteaof").arity(1).flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING)
                        .group("server").since("1.0.0").summary("Asynchronously rewrites the append-only file to disk.")
                        .complexity("O(1)").handler(this::bgrewriteaof).build(),
                CommandSpec.command("waitaof").arity(4).flags(NOSCRIPT).acl(AclCategory.SLOW, AclCategory.CONNECTION)
                        .group("generic").since("7.2.0").complexity("O(1)")
                        .summary("Blocks until all of the preceding write commands sent by the connection are written "
                                + "to the append-only file of the master and/or replicas.")
                        .tips("request_policy:all_shards", "response_policy:agg_min")
                        .handler(this::waitaof).build(),
                CommandSpec.command("lastsave").arity(1).flags(LOADING, STALE, FAST)
                        .acl(AclCategory.ADMIN, AclCategory.DANGEROUS).group("server").since("1.0.0")
                        .summary("Returns the Unix timestamp of the last successful save to disk.")
                        .complexity("O(1)").tips("nondeterministic_output")
                        .handler(this::lastsave).build());
    }

    private void save(CommandContext ctx, Args args, Reply reply) {
        String error = server.persistence().save();
        if (error != null) {
            throw new CommandException(error);
        }
        reply.ok();
    }

    /** BGSAVE [SCHEDULE]: SCHEDULE matters only while another child runs in Redis; there is none here. */
    private void bgsave(CommandContext ctx, Args args, Reply reply) {
        if (args.size() > 1 && !(args.size() == 2 && args.is(1, "schedule"))) {
            throw new CommandException(Errors.SYNTAX);
        }
        reply.simple(server.persistence().bgsave(ctx.client().inTransaction(), args.size() == 2));
    }

    /** WAITAOF numlocal numreplicas timeout (Redis 7.2's waitaofCommand). */
    private void waitaof(CommandContext ctx, Args args, Reply reply) {
        long numLocal = args.longAt(1);
        if (numLocal < 0 || numLocal > 1) {
            throw new CommandException(Errors.valueOutOfRange(0, 1));
        }
        long numReplicas = args.longAt(2, Errors.MUST_BE_POSITIVE);
        if (numReplicas < 0) {
            throw new CommandException(Errors.MUST_BE_POSITIVE);
        }
        long timeout = args.longAt(3, Errors.TIMEOUT_NOT_INTEGER);
        if (timeout < 0) {
            throw new CommandException(Errors.TIMEOUT_NEGATIVE);
        }
        if (server.replication().isReplica()) {
            throw new CommandException(Errors.WAITAOF_ON_REPLICA);
        }
        var c = Kernel.client(ctx);
        boolean mayBlock = !c.inTransaction() && !c.exec().executingTransaction();
        server.appendOnlyFile().waitaof(c, numLocal, numReplicas, timeout, mayBlock);
    }

    private void bgrewriteaof(CommandContext ctx, Args args, Reply reply) {
        reply.simple(server.appendOnlyFile().bgrewriteaof(ctx.client().inTransaction()));
    }

    private void lastsave(CommandContext ctx, Args args, Reply reply) {
        reply.integer(server.persistence().lastSave());
    }
}
