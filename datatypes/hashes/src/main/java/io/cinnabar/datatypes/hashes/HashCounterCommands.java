package io.cinnabar.datatypes.hashes;

import io.cinnabar.api.Args;
import io.cinnabar.api.Argv;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.LongDouble;
import io.cinnabar.api.RedisNumbers;
import io.cinnabar.api.Reply;
import java.nio.charset.StandardCharsets;

/**
 * HINCRBY and HINCRBYFLOAT: the field's value is replaced by the result as a decimal string. The field keeps
 * its TTL, as in Redis 7.4 (the value is altered, not replaced by the client).
 */
final class HashCounterCommands {
    private HashCounterCommands() {
    }

    static void hincrby(CommandContext ctx, Args args, Reply reply) {
        long incr = args.longAt(3);
        byte[] key = args.get(1);
        HashValue h = HashCommands.lookupOrCreate(ctx, key);
        byte[] old = h.get(args.get(2));
        long value = old == null ? 0 : RedisNumbers.parseLong(old, Errors.HASH_VALUE_NOT_INTEGER);
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            throw new CommandException(Errors.OVERFLOW);
        }
        value += incr;
        h.set(HashValue.Limits.of(ctx), args.get(2), RedisNumbers.toBytes(value), true);
        reply.integer(value);
        ctx.signalModifiedKey(key);
        ctx.notifyKeyspaceEvent(KeyspaceEvents.HASH, "hincrby", key);
        ctx.addDirty(1);
    }

    /** Computed in C {@code long double} as Redis does ({@link LongDouble}); an infinite increment is refused first. */
    static void hincrbyfloat(CommandContext ctx, Args args, Reply reply) {
        byte[] incrArg = args.get(3);
        LongDouble incr = LongDouble.parse(incrArg, 0, incrArg.length);
        if (incr == null) {
            throw new CommandException(Errors.NOT_FLOAT);
        }
        if (incr.infinite()) {
            throw new CommandException(Errors.VALUE_NAN_OR_INFINITY);
        }
        byte[] key = args.get(1);
        HashValue h = HashCommands.lookupOrCreate(ctx, key);
        byte[] old = h.get(args.get(2));
        LongDouble value = LongDouble.ZERO;
        if (old != null) {
            value = LongDouble.parse(old, 0, old.length);
            if (value == null) {
                throw new CommandException(Errors.HASH_VALUE_NOT_FLOAT);
            }
        }
        LongDouble sum = value.add(incr);
        if (sum.infinite()) {
            throw new CommandException(Errors.INCR_NAN_OR_INF);
        }
        byte[] result = sum.format().getBytes(StandardCharsets.US_ASCII);
        h.set(HashValue.Limits.of(ctx), args.get(2), result, true);
        reply.bulk(result);
        ctx.signalModifiedKey(key);
        ctx.notifyKeyspaceEvent(KeyspaceEvents.HASH, "hincrbyfloat", key);
        ctx.addDirty(1);
        // replicas get the result, not the addition, so float rounding cannot make them differ
        ctx.propagateAs(Argv.word("HSET"), key, args.get(2), result);
    }
}
