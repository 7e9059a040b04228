package io.cinnabar.datatypes.strings;

import io.cinnabar.api.Args;
import io.cinnabar.api.Argv;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.LongDouble;
import io.cinnabar.api.RawString;
import io.cinnabar.api.Reply;
import java.nio.charset.StandardCharsets;

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
        store(db, key, v != null, StringValues.decimal(value));
        StringValues.keyChanged(ctx, KeyspaceEvents.STRING, "incrby", key);
        reply.integer(value);
    }

    /**
     * INCRBYFLOAT: both operands parsed as {@code strtold}, added and printed as C {@code long double}
     * ({@link LongDouble}); the result replaces the value keeping its TTL.
     */
    static void incrbyfloat(CommandContext ctx, Args args, Reply reply) {
        Db db = ctx.db();
        byte[] key = args.get(1);
        Object v = db.get(key);
        StringValues.checkString(v);
        LongDouble value = v == null ? LongDouble.ZERO : parseFloat(v instanceof RawString r ? r.buffer() : (byte[]) v,
                StringValues.length(v));
        byte[] incrArg = args.get(2);
        LongDouble incr = parseFloat(incrArg, incrArg.length);
        LongDouble sum = value.add(incr);
        if (sum.infinite()) {
            throw new CommandException(Errors.INCR_NAN_OR_INF);
        }
        byte[] result = sum.format().getBytes(StandardCharsets.US_ASCII);
        store(db, key, v != null, result);
        StringValues.keyChanged(ctx, KeyspaceEvents.STRING, "incrbyfloat", key);
        // replicas get the result, not the addition, so float rounding cannot make them differ
        ctx.propagateAs(Argv.SET, key, result, Argv.KEEPTTL);
        reply.bulk(result);
    }

    private static LongDouble parseFloat(byte[] b, int len) {
        LongDouble d = LongDouble.parse(b, 0, len);
        if (d == null) {
            throw new CommandException(Errors.NOT_FLOAT);
        }
        return d;
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
