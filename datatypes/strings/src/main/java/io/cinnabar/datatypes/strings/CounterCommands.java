package io.cinnabar.datatypes.strings;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.RedisNumbers;
import io.cinnabar.api.Reply;

/** INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT. Results are stored as canonical decimal strings, keeping the TTL. */
final class CounterCommands {
    private CounterCommands() {
    }

    static void incr(CommandContext ctx, Args args, Reply reply) {
        incrDecr(ctx, args, reply, 1);
    }

    static void decr(CommandContext ctx, Args args, Reply reply) {
        incrDecr(ctx, args, reply, -1);
    }

    static void incrby(CommandContext ctx, Args args, Reply reply) {
        incrDecr(ctx, args, reply, args.longAt(2));
    }

    static void decrby(CommandContext ctx, Args args, Reply reply) {
        long decrement = args.longAt(2);
        if (decrement == Long.MIN_VALUE) {
            throw new CommandException(Errors.DECREMENT_OVERFLOW);
        }
        incrDecr(ctx, args, reply, -decrement);
    }

    private static void incrDecr(CommandContext ctx, Args args, Reply reply, long incr) {
        Db db = ctx.db();
        byte[] key = args.get(1);
        Object v = db.get(key);
        long value = v == null ? 0 : StringValues.toLong(v);
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            throw new CommandException(Errors.OVERFLOW);
        }
        value += incr;
        store(db, key, v != null, RedisNumbers.toBytes(value));
        ctx.signalModifiedKey(key);
        ctx.notifyKeyspaceEvent(KeyspaceEvents.STRING, "incrby", key);
        ctx.addDirty(1);
        reply.integer(value);
    }

    /** Replaces the value keeping the TTL (Redis's {@code dbReplaceValue}) or adds the key. */
    private static void store(Db db, byte[] key, boolean exists, byte[] value) {
        if (exists) {
            db.setKeepTtl(key, value);
        } else {
            db.add(key, value);
        }
    }
}
