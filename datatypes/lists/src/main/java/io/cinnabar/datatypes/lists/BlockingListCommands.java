package io.cinnabar.datatypes.lists;

import io.cinnabar.api.Args;
import io.cinnabar.api.Argv;
import io.cinnabar.api.BlockingTimeout;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.Reply;

/**
 * The blocking list commands of Redis's t_list.c: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP. Each first tries
 * to serve like its non-blocking variant; otherwise it blocks on its keys until a write leaves a list there
 * (the kernel then runs it again) or the timeout passes (null array, RESP3 null).
 */
final class BlockingListCommands {
    private BlockingListCommands() {
    }

    static void blpop(CommandContext ctx, Args args, Reply reply) {
        pop(ctx, args, reply, true);
    }

    static void brpop(CommandContext ctx, Args args, Reply reply) {
        pop(ctx, args, reply, false);
    }

    /**
     * blockingPopGenericCommand: the timeout first, then the keys in argument order; the first one holding a
     * list is popped ([key, element]); a key of another type before it is an error.
     */
    private static void pop(CommandContext ctx, Args args, Reply reply, boolean head) {
        long timeout = BlockingTimeout.seconds(args.get(args.size() - 1));
        int numkeys = args.size() - 2;
        for (int j = 1; j <= numkeys; j++) {
            byte[] key = args.get(j);
            ListValue list = ctx.db().get(key, ListValue.class);
            if (list != null && list.size() > 0) {
                reply.array(2);
                reply.bulk(key);
                list.pop(reply, head);
                Lists.removed(ctx, key, list, head ? "lpop" : "rpop", 1);
                ctx.propagateAs(Argv.word(head ? "LPOP" : "RPOP"), key);
                return;
            }
        }
        byte[][] keys = new byte[numkeys][];
        for (int j = 0; j < numkeys; j++) {
            keys[j] = args.get(j + 1);
        }
        ctx.block(keys, timeout, ListValue.class, Reply::nullArray);
    }

    /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout: the sides, then the timeout. */
    static void blmove(CommandContext ctx, Args args, Reply reply) {
        boolean fromHead = ListCommands.side(args, 3);
        boolean toHead = ListCommands.side(args, 4);
        long timeout = BlockingTimeout.seconds(args.get(5));
        move(ctx, args, reply, fromHead, toHead, timeout);
        ctx.propagateAs(Argv.word("LMOVE"), args.get(1), args.get(2), args.get(3), args.get(4));
    }

    /** BRPOPLPUSH source destination timeout: BLMOVE source destination RIGHT LEFT timeout. */
    static void brpoplpush(CommandContext ctx, Args args, Reply reply) {
        long timeout = BlockingTimeout.seconds(args.get(3));
        move(ctx, args, reply, false, true, timeout);
        ctx.propagateAs(Argv.word("RPOPLPUSH"), args.get(1), args.get(2));
    }

    /**
     * blmoveGenericCommand: a source of another type is an error; a source holding a list moves like LMOVE
     * (the destination's type is checked then); else the client blocks on the source alone. Inside MULTI,
     * where Redis does not block, the reply is a null bulk (a timeout's is a null array).
     */
    private static void move(CommandContext ctx, Args args, Reply reply, boolean fromHead, boolean toHead,
                             long timeout) {
        ListValue src = ctx.db().get(args.get(1), ListValue.class);
        if (src != null) {
            ListCommands.move(ctx, args, reply, fromHead, toHead);
        } else if (ctx.client().inTransaction()) {
            reply.nullBulk();
        } else {
            ctx.block(new byte[][] {args.get(1)}, timeout, ListValue.class, Reply::nullArray);
        }
    }

    /** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: LMPOP's checks, then the timeout. */
    static void blmpop(CommandContext ctx, Args args, Reply reply) {
        ListCommands.MpopArgs m = ListCommands.MpopArgs.parse(args, 2);
        long timeout = BlockingTimeout.seconds(args.get(1));
        if (m.serve(ctx, args, reply)) {
            return;
        }
        byte[][] keys = new byte[m.numkeys()][];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = args.get(m.firstKey() + k);
        }
        ctx.block(keys, timeout, ListValue.class, Reply::nullArray);
    }
}
