package io.cinnabar.datatypes.zset;

import io.cinnabar.api.Args;
import io.cinnabar.api.BlockingTimeout;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.Reply;

/**
 * BZPOPMIN, BZPOPMAX and BZMPOP (Redis's blockingGenericZpopCommand): pop like ZPOPMIN/ZPOPMAX/ZMPOP from the
 * first key holding a sorted set, else block on all the keys until a write makes one of them a sorted set.
 * The kernel runs the command again when that happens, so serving and blocking are one code path.
 */
final class BlockingPopCommands {
    private BlockingPopCommands() {
    }

    /** BZPOPMIN key [key ...] timeout. */
    static void bzpopmin(CommandContext ctx, Args args, Reply reply) {
        blockingPop(ctx, args, reply, 1, args.size() - 2, args.size() - 1, false, 1, false);
    }

    /** BZPOPMAX key [key ...] timeout. */
    static void bzpopmax(CommandContext ctx, Args args, Reply reply) {
        blockingPop(ctx, args, reply, 1, args.size() - 2, args.size() - 1, true, 1, false);
    }

    /** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]: the arguments before the timeout. */
    static void bzmpop(CommandContext ctx, Args args, Reply reply) {
        PopCommands.MpopArgs m = PopCommands.MpopArgs.parse(args, 2);
        blockingPop(ctx, args, reply, 3, m.numkeys(), 1, m.max(), m.count(), true);
    }

    /**
     * The timeout is read first (after BZMPOP's own arguments, as in Redis); a key of another type met before
     * a non-empty sorted set is WRONGTYPE. Replies BZPOPMIN's flat [key, member, score] or BZMPOP's
     * [key, [[member, score], ...]]; the null array on timeout.
     */
    private static void blockingPop(CommandContext ctx, Args args, Reply reply, int firstKey, int keyCount,
                                    int timeoutIdx, boolean max, long count, boolean mpop) {
        long timeout = BlockingTimeout.seconds(args.get(timeoutIdx), ctx.nowMillis());
        for (int i = 0; i < keyCount; i++) {
            if (ctx.db().get(args.get(firstKey + i), ZSet.class) != null) {
                PopCommands.pop(ctx, args, firstKey + i, 1, reply, max, true, count, mpop, mpop);
                return;
            }
        }
        byte[][] keys = new byte[keyCount][];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = args.get(firstKey + i);
        }
        ctx.block(keys, timeout, ZSet.class, Reply::nullArray);
    }
}
