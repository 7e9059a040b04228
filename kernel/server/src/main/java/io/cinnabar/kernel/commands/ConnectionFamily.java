package io.cinnabar.kernel.commands;

import static io.cinnabar.api.CommandFlag.FAST;
import static io.cinnabar.api.CommandFlag.LOADING;
import static io.cinnabar.api.CommandFlag.NO_AUTH;
import static io.cinnabar.api.CommandFlag.STALE;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Reply;
import io.cinnabar.kernel.server.CinnabarServer;
import java.util.List;

/** Connection commands: PING, ECHO, QUIT, SELECT (the rest of the family arrives with its issue work). */
final class ConnectionFamily implements CommandFamily {
    private final CinnabarServer server;

    ConnectionFamily(CinnabarServer server) {
        this.server = server;
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                CommandSpec.command("ping").arity(-1).flags(FAST).acl(AclCategory.CONNECTION).group("connection")
                        .summary("Returns the server's liveliness response.").complexity("O(1)")
                        .tips("request_policy:all_shards", "response_policy:all_succeeded").handler(this::ping).build(),
                CommandSpec.command("echo").arity(2).flags(LOADING, STALE, FAST).acl(AclCategory.CONNECTION)
                        .group("connection").summary("Returns the given string.").complexity("O(1)")
                        .handler(this::echo).build(),
                CommandSpec.command("quit").arity(-1).flags(io.cinnabar.api.CommandFlag.ALLOW_BUSY, NO_AUTH, LOADING,
                                STALE, FAST).acl(AclCategory.CONNECTION).group("connection")
                        .summary("Closes the connection.").complexity("O(1)").handler(this::quit).build(),
                CommandSpec.command("select").arity(2).flags(LOADING, STALE, FAST).acl(AclCategory.CONNECTION)
                        .group("connection").summary("Changes the selected database.").complexity("O(1)")
                        .handler(this::select).build());
    }

    private void ping(CommandContext ctx, Args args, Reply reply) {
        if (args.size() > 2) {
            throw new io.cinnabar.api.CommandException(Errors.wrongArity("ping"));
        }
        if (args.size() == 1) {
            reply.simple("PONG");
        } else {
            reply.bulk(args.get(1));
        }
    }

    private void echo(CommandContext ctx, Args args, Reply reply) {
        reply.bulk(args.get(1));
    }

    private void quit(CommandContext ctx, Args args, Reply reply) {
        reply.ok();
        Kernel.client(ctx).closeAfterReply();
    }

    private void select(CommandContext ctx, Args args, Reply reply) {
        long idx = args.longAt(1, "ERR value is not an integer or out of range");
        server.dbChecked(idx);
        Kernel.client(ctx).selectDb((int) idx);
        reply.ok();
    }
}
