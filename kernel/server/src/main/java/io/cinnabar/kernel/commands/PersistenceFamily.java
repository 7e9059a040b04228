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

    private void bgrewriteaof(CommandContext ctx, Args args, Reply reply) {
        reply.simple(server.appendOnlyFile().bgrewriteaof(ctx.client().inTransaction()));
    }

    private void lastsave(CommandContext ctx, Args args, Reply reply) {
        reply.integer(server.persistence().lastSave());
    }
}
