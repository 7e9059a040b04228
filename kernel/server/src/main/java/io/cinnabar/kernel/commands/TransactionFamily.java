package io.cinnabar.kernel.commands;

import static io.cinnabar.api.CommandFlag.ALLOW_BUSY;
import static io.cinnabar.api.CommandFlag.FAST;
import static io.cinnabar.api.CommandFlag.LOADING;
import static io.cinnabar.api.CommandFlag.NOSCRIPT;
import static io.cinnabar.api.CommandFlag.SKIP_SLOWLOG;
import static io.cinnabar.api.CommandFlag.STALE;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeySpec;
import io.cinnabar.api.Reply;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.kernel.server.Transaction;
import java.util.List;

/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH (Redis's multi.c). The dispatcher queues commands between MULTI and
 * EXEC and flags queue-time errors; EXEC runs the queue atomically on the execution thread with the clock
 * frozen, unless the transaction was aborted (EXECABORT) or a watched key changed (nil).
 */
final class TransactionFamily implements CommandFamily {
    private final CinnabarServer server;

    TransactionFamily(CinnabarServer server) {
        this.server = server;
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                CommandSpec.command("multi").arity(1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY)
                        .acl(AclCategory.TRANSACTION).group("transactions").since("1.2.0")
                        .summary("Starts a transaction.").complexity("O(1)").handler(this::multi).build(),
                CommandSpec.command("exec").arity(1).flags(NOSCRIPT, LOADING, STALE, SKIP_SLOWLOG)
                        .acl(AclCategory.TRANSACTION).group("transactions").since("1.2.0")
                        .summary("Executes all commands in a transaction.")
                        .complexity("Depends on commands in the transaction").handler(this::exec).build(),
                CommandSpec.command("discard").arity(1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY)
                        .acl(AclCategory.TRANSACTION).group("transactions").since("2.0.0")
                        .summary("Discards a transaction.")
                        .complexity("O(N), when N is the number of queued commands").handler(this::discard).build(),
                CommandSpec.command("watch").arity(-2).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY)
                        .acl(AclCategory.TRANSACTION).key(KeySpec.range(1, -1, 1, "RO")).group("transactions")
                        .since("2.2.0").summary("Monitors changes to keys to determine the execution of a transaction.")
                        .complexity("O(1) for every key.").handler(this::watch).build(),
                CommandSpec.command("unwatch").arity(1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY)
                        .acl(AclCategory.TRANSACTION).group("transactions").since("2.2.0")
                        .summary("Forgets about watched keys of a transaction.").complexity("O(1)")
                        .handler(this::unwatch).build());
    }

    /** Redis's discardTransaction: leaves MULTI, drops the queue and every WATCH, clears the dirty flag. */
    static void discard(CinnabarServer server, ClientConnection c) {
        c.setTransaction(null);
        server.watches().unwatchAll(c);
    }

    private void multi(CommandContext ctx, Args args, Reply reply) {
        ClientConnection c = Kernel.client(ctx);
        if (c.transaction() != null) {
            throw new CommandException(Errors.MULTI_NESTED);
        }
        c.setTransaction(new Transaction());
        reply.ok();
    }

    private void exec(CommandContext ctx, Args args, Reply reply) {
        ClientConnection c = Kernel.client(ctx);
        Transaction tx = c.transaction();
        if (tx == null) {
            throw new CommandException(Errors.EXEC_WITHOUT_MULTI);
        }
        // a key live at WATCH time and logically expired now counts as modified (Redis 7)
        if (!c.watchDirty() && server.watches().anyWatchedKeyExpired(c, server)) {
            c.setWatchDirty(true);
        }
        if (tx.aborted()) {
            discard(server, c);
            throw new CommandException(Errors.EXECABORT);
        }
        if (c.watchDirty()) {
            discard(server, c);
            reply.nullArray();
            return;
        }
        server.watches().unwatchKeys(c); // changes made by the transaction itself do not matter
        ctx.preventPropagation(); // the queued commands propagate themselves, wrapped as one unit
        server.freezeClock();
        c.exec().setExecutingTransaction(true);
        try {
            reply.array(tx.size());
            for (Transaction.Queued q : tx.queued()) {
                server.dispatcher().call(c, q.command(), q.args());
            }
        } finally {
            c.exec().setExecutingTransaction(false);
            server.unfreezeClock();
            discard(server, c);
        }
    }

    private void discard(CommandContext ctx, Args args, Reply reply) {
        ClientConnection c = Kernel.client(ctx);
        if (c.transaction() == null) {
            throw new CommandException(Errors.DISCARD_WITHOUT_MULTI);
        }
        discard(server, c);
        reply.ok();
    }

    private void watch(CommandContext ctx, Args args, Reply reply) {
        ClientConnection c = Kernel.client(ctx);
        if (c.transaction() != null) {
            throw new CommandException(Errors.WATCH_IN_MULTI);
        }
        // no point in watching more once a watched key changed: EXEC fails anyway
        if (!c.watchDirty()) {
            for (int i = 1; i < args.size(); i++) {
                server.watches().watch(c, server.db(c.dbIndex()), args.get(i), ctx.nowMillis());
            }
        }
        reply.ok();
    }

    private void unwatch(CommandContext ctx, Args args, Reply reply) {
        server.watches().unwatchAll(Kernel.client(ctx));
        reply.ok();
    }
}
