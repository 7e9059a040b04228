package io.cinnabar.kernel.commands;

import static io.cinnabar.api.CommandFlag.FAST;
import static io.cinnabar.api.CommandFlag.READONLY;
import static io.cinnabar.api.CommandFlag.WRITE;
import static io.cinnabar.kernel.keyspace.Database.LOOKUP_NOTOUCH;
import static io.cinnabar.kernel.keyspace.Database.LOOKUP_WRITE;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.Args;
import io.cinnabar.api.Argv;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeySpec;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.server.CinnabarServer;
import java.util.List;

/** Redis's expire.c commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST. */
final class ExpireCommands {
    private static final int NX = 1;
    private static final int XX = 1 << 1;
    private static final int GT = 1 << 2;
    private static final int LT = 1 << 3;

    private final CinnabarServer server;

    ExpireCommands(CinnabarServer server) {
        this.server = server;
    }

    /** Redis's expireGenericCommand: {@code base} is added to the argument, in seconds when {@code seconds}. */
    private void expire(CommandContext ctx, Args args, Reply reply, long base, boolean seconds, String name) {
        int flags = parseFlags(args);
        long when = args.longAt(2);
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                throw new CommandException(Errors.invalidExpireTime(name));
            }
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - base) {
            throw new CommandException(Errors.invalidExpireTime(name));
        }
        when += base;

        Database db = (Database) ctx.db();
        byte[] key = args.get(1);
        if (db.lookup(key, LOOKUP_WRITE) == null) {
            reply.integer(0);
            return;
        }
        if (flags != 0 && !allowedBy(flags, when, db.getExpire(key))) {
            reply.integer(0);
            return;
        }
        if (when <= ctx.nowMillis() && !isReplica()) {
            // a deadline already past deletes the key now (propagated as DEL, so the event is "del")
            db.delete(key);
            ctx.addDirty(1);
            ctx.signalModifiedKey(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
            if (ctx.propagating()) {
                ctx.propagateAs(Argv.deletion(ctx.config().getBoolean("lazyfree-lazy-expire")), key);
            }
        } else {
            db.setExpire(key, when);
            if (ctx.propagating() && !name.equals("pexpireat")) {
                // replicas and the AOF get the absolute deadline, flags kept (Redis rewrites argv 0 and 2)
                byte[][] argv = args.tail(0);
                argv[0] = Argv.PEXPIREAT;
                argv[2] = Argv.number(when);
                ctx.propagateAs(argv);
            }
            ctx.signalModifiedKey(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "expire", key);
            ctx.addDirty(1);
        }
        reply.integer(1);
    }

    /** NX: no TTL yet; XX: has a TTL; GT/LT compare with the current TTL, no TTL counting as infinite. */
    private static boolean allowedBy(int flags, long when, long current) {
        if ((flags & NX) != 0 && current != -1) {
            return false;
        }
        if ((flags & XX) != 0 && current == -1) {
            return false;
        }
        if ((flags & GT) != 0 && (when <= current || current == -1)) {
            return false;
        }
        return (flags & LT) == 0 || current == -1 || when < current;
    }

    /** Redis's parseExtendedExpireArgumentsOrReply. */
    private static int parseFlags(Args args) {
        int flags = 0;
        for (int i = 3; i < args.size(); i++) {
            if (args.is(i, "nx")) {
                flags |= NX;
            } else if (args.is(i, "xx")) {
                flags |= XX;
            } else if (args.is(i, "gt")) {
                flags |= GT;
            } else if (args.is(i, "lt")) {
                flags |= LT;
            } else {
                throw new CommandException(Errors.unsupportedOption(args.string(i)));
            }
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            throw new CommandException(Errors.EXPIRE_NX_WITH_OTHERS);
        }
        if ((flags & (GT | LT)) == (GT | LT)) {
            throw new CommandException(Errors.EXPIRE_GT_AND_LT);
        }
        return flags;
    }

    /** A replica keeps keys whose deadline passed until its master deletes them (Redis's checkAlreadyExpired). */
    private boolean isReplica() {
        return server.replication().isReplica();
    }

    /** TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 without the key, -1 without a TTL. */
    private void ttl(CommandContext ctx, Args args, Reply reply, boolean millis, boolean absolute) {
        Database db = (Database) ctx.db();
        byte[] key = args.get(1);
        if (db.lookup(key, LOOKUP_NOTOUCH) == null) {
            reply.integer(-2);
            return;
        }
        long expire = db.getExpire(key);
        if (expire == -1) {
            reply.integer(-1);
            return;
        }
        long ttl = Math.max(0, absolute ? expire : expire - ctx.nowMillis());
        reply.integer(millis ? ttl : (ttl + 500) / 1000);
    }

    private void persist(CommandContext ctx, Args args, Reply reply) {
        Database db = (Database) ctx.db();
        byte[] key = args.get(1);
        if (db.lookup(key, LOOKUP_WRITE) != null && db.persist(key)) {
            ctx.signalModifiedKey(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "persist", key);
            ctx.addDirty(1);
            reply.integer(1);
        } else {
            reply.integer(0);
        }
    }

    private static CommandSpec.Builder command(String name, int arity, String since, String summary) {
        return CommandSpec.command(name).arity(arity).acl(AclCategory.KEYSPACE).group("generic").since(since)
                .summary(summary).complexity("O(1)");
    }

    private static CommandSpec.Builder setter(String name, String since, String summary) {
        return command(name, -3, since, summary).flags(WRITE, FAST).key(KeySpec.range(1, 0, 1, "RW", "UPDATE"));
    }

    private static CommandSpec.Builder getter(String name, String since, String summary) {
        return command(name, 2, since, summary).flags(READONLY, FAST).key(KeySpec.range(1, 0, 1, "RO", "ACCESS"));
    }

    List<CommandSpec> commands() {
        return List.of(
                setter("expire", "1.0.0", "Sets the expiration time of a key in seconds.")
                        .handler((c, a, r) -> expire(c, a, r, c.nowMillis(), true, "expire")).build(),
                setter("pexpire", "2.6.0", "Sets the expiration time of a key in milliseconds.")
                        .handler((c, a, r) -> expire(c, a, r, c.nowMillis(), false, "pexpire")).build(),
                setter("expireat", "1.2.0", "Sets the expiration time of a key to a Unix timestamp.")
                        .handler((c, a, r) -> expire(c, a, r, 0, true, "expireat")).build(),
                setter("pexpireat", "2.6.0", "Sets the expiration time of a key to a Unix milliseconds timestamp.")
                        .handler((c, a, r) -> expire(c, a, r, 0, false, "pexpireat")).build(),
                getter("ttl", "1.0.0", "Returns the expiration time in seconds of a key.")
                        .tips("nondeterministic_output").handler((c, a, r) -> ttl(c, a, r, false, false)).build(),
                getter("pttl", "2.6.0", "Returns the expiration time in milliseconds of a key.")
                        .tips("nondeterministic_output").handler((c, a, r) -> ttl(c, a, r, true, false)).build(),
                getter("expiretime", "7.0.0", "Returns the expiration time of a key as a Unix timestamp.")
                        .handler((c, a, r) -> ttl(c, a, r, false, true)).build(),
                getter("pexpiretime", "7.0.0", "Returns the expiration time of a key as a Unix milliseconds timestamp.")
                        .handler((c, a, r) -> ttl(c, a, r, true, true)).build(),
                command("persist", 2, "2.2.0", "Removes the expiration time of a key.")
                        .flags(WRITE, FAST).key(KeySpec.range(1, 0, 1, "RW", "UPDATE")).handler(this::persist).build());
    }
}
