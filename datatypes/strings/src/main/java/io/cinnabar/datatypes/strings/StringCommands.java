package io.cinnabar.datatypes.strings;

import static io.cinnabar.datatypes.strings.StringOptions.EX;
import static io.cinnabar.datatypes.strings.StringOptions.EXAT;
import static io.cinnabar.datatypes.strings.StringOptions.GET;
import static io.cinnabar.datatypes.strings.StringOptions.KEEPTTL;
import static io.cinnabar.datatypes.strings.StringOptions.NX;
import static io.cinnabar.datatypes.strings.StringOptions.PERSIST;
import static io.cinnabar.datatypes.strings.StringOptions.PX;
import static io.cinnabar.datatypes.strings.StringOptions.PXAT;
import static io.cinnabar.datatypes.strings.StringOptions.XX;

import io.cinnabar.api.Args;
import io.cinnabar.api.Argv;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;
import io.cinnabar.api.Values;

/** The get/set commands of Redis's t_string.c: GET, SET and its variants, GETEX, GETDEL, GETSET, MGET, MSET(NX). */
final class StringCommands {
    private StringCommands() {
    }

    static void get(CommandContext ctx, Args args, Reply reply) {
        StringValues.bulkOrNull(reply, ctx.db().get(args.get(1)));
    }

    static void set(CommandContext ctx, Args args, Reply reply) {
        long opts = StringOptions.parseSet(args);
        setGeneric(ctx, args, reply, StringOptions.flags(opts), 2, StringOptions.expireIndex(opts), "set", false);
    }

    static void setnx(CommandContext ctx, Args args, Reply reply) {
        setGeneric(ctx, args, reply, NX, 2, 0, "setnx", true);
    }

    static void setex(CommandContext ctx, Args args, Reply reply) {
        setGeneric(ctx, args, reply, EX, 3, 2, "setex", false);
    }

    static void psetex(CommandContext ctx, Args args, Reply reply) {
        setGeneric(ctx, args, reply, PX, 3, 2, "psetex", false);
    }

    /**
     * Redis's {@code setGenericCommand}. The expiry is validated first (even when NX/XX then aborts), then
     * GET replies the old value (WRONGTYPE aborts everything), then NX/XX decide. {@code integerReply} is
     * SETNX's 1/0 instead of OK/nil.
     */
    private static void setGeneric(CommandContext ctx, Args args, Reply reply, int flags, int valueIndex,
                                   int expireIndex, String command, boolean integerReply) {
        long when = expireIndex > 0
                ? StringOptions.absoluteExpire(args, expireIndex, flags, ctx.nowMillis(), command) : 0;
        Db db = ctx.db();
        byte[] key = args.get(1);
        Object old = db.get(key);
        if ((flags & GET) != 0) {
            StringValues.bulkOrNull(reply, old);
        }
        boolean found = old != null;
        if (((flags & NX) != 0 && found) || ((flags & XX) != 0 && !found)) {
            if ((flags & GET) == 0) {
                if (integerReply) {
                    reply.integer(0);
                } else {
                    reply.nullBulk();
                }
            }
            return;
        }
        if ((flags & KEEPTTL) != 0) {
            db.setKeepTtl(key, args.get(valueIndex));
        } else {
            db.set(key, args.get(valueIndex));
        }
        StringValues.keyChanged(ctx, KeyspaceEvents.STRING, "set", key);
        if (expireIndex > 0) {
            db.setExpire(key, when);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "expire", key);
            if ((flags & PXAT) == 0 && ctx.propagating()) {
                // replicas get the absolute deadline; Redis drops the other options from the propagated SET
                ctx.propagateAs(Argv.SET, key, args.get(valueIndex), Argv.PXAT, Argv.number(when));
            }
        }
        if ((flags & GET) == 0) {
            if (integerReply) {
                reply.integer(1);
            } else {
                reply.ok();
            }
        }
    }

    /** GETEX: the value first, then the TTL change; an EXAT/PXAT already in the past deletes the key. */
    static void getex(CommandContext ctx, Args args, Reply reply) {
        long opts = StringOptions.parseGetex(args);
        int flags = StringOptions.flags(opts);
        int expireIndex = StringOptions.expireIndex(opts);
        Db db = ctx.db();
        byte[] key = args.get(1);
        Object v = db.get(key);
        if (v == null) {
            reply.nullBulk();
            return;
        }
        StringValues.checkString(v);
        long when = expireIndex > 0
                ? StringOptions.absoluteExpire(args, expireIndex, flags, ctx.nowMillis(), "getex") : 0;
        StringValues.bulk(reply, v);
        if ((flags & (EXAT | PXAT)) != 0 && when <= ctx.nowMillis()) {
            db.delete(key);
            StringValues.keyChanged(ctx, KeyspaceEvents.GENERIC, "del", key);
            ctx.propagateAs(Argv.deletion(ctx.config().getBoolean("lazyfree-lazy-expire")), key);
        } else if (expireIndex > 0) {
            db.setExpire(key, when);
            StringValues.keyChanged(ctx, KeyspaceEvents.GENERIC, "expire", key);
            ctx.propagateAs(Argv.PEXPIREAT, key, Argv.number(when));
        } else if ((flags & PERSIST) != 0 && db.persist(key)) {
            StringValues.keyChanged(ctx, KeyspaceEvents.GENERIC, "persist", key);
            ctx.propagateAs(Argv.PERSIST, key);
        }
    }

    /** GETDEL: the value (WRONGTYPE deletes nothing), then the key is gone. */
    static void getdel(CommandContext ctx, Args args, Reply reply) {
        Db db = ctx.db();
        byte[] key = args.get(1);
        Object v = db.get(key);
        StringValues.bulkOrNull(reply, v);
        if (v != null) {
            db.delete(key);
            StringValues.keyChanged(ctx, KeyspaceEvents.GENERIC, "del", key);
            ctx.propagateAs(Argv.DEL, key);
        }
    }

    /** GETSET: like SET key value GET, and it always clears the TTL. */
    static void getset(CommandContext ctx, Args args, Reply reply) {
        Db db = ctx.db();
        byte[] key = args.get(1);
        StringValues.bulkOrNull(reply, db.get(key));
        db.set(key, args.get(2));
        StringValues.keyChanged(ctx, KeyspaceEvents.STRING, "set", key);
        ctx.propagateAs(Argv.SET, key, args.get(2));
    }

    /** MGET: a key that is absent or not a string is a nil element, never an error. */
    static void mget(CommandContext ctx, Args args, Reply reply) {
        Db db = ctx.db();
        int n = args.size() - 1;
        reply.array(n);
        for (int j = 1; j <= n; j++) {
            Object v = db.get(args.get(j));
            if (v == null || !Values.isString(v)) {
                reply.nullBulk();
            } else {
                StringValues.bulk(reply, v);
            }
        }
    }

    static void mset(CommandContext ctx, Args args, Reply reply) {
        msetGeneric(ctx, args, reply, false, "mset");
    }

    static void msetnx(CommandContext ctx, Args args, Reply reply) {
        msetGeneric(ctx, args, reply, true, "msetnx");
    }

    private static void msetGeneric(CommandContext ctx, Args args, Reply reply, boolean nx, String command) {
        int argc = args.size();
        if (argc % 2 == 0) {
            throw new CommandException(Errors.wrongArity(command));
        }
        Db db = ctx.db();
        if (nx) {
            for (int j = 1; j < argc; j += 2) {
                if (db.get(args.get(j)) != null) {
                    reply.integer(0);
                    return;
                }
            }
        }
        for (int j = 1; j < argc; j += 2) {
            byte[] key = args.get(j);
            db.set(key, args.get(j + 1));
            ctx.signalModifiedKey(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.STRING, "set", key);
        }
        ctx.addDirty((argc - 1) / 2);
        if (nx) {
            reply.integer(1);
        } else {
            reply.ok();
        }
    }
}
