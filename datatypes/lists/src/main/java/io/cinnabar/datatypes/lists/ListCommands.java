package io.cinnabar.datatypes.lists;

import io.cinnabar.api.Args;
import io.cinnabar.api.Argv;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;

/** Pushes, pops and reads of Redis's t_list.c: L/RPUSH(X), L/RPOP, LLEN, LRANGE, LINDEX, LMOVE, RPOPLPUSH, LMPOP. */
final class ListCommands {
    private ListCommands() {
    }

    static void lpush(CommandContext ctx, Args args, Reply reply) {
        push(ctx, args, reply, true, false);
    }

    static void rpush(CommandContext ctx, Args args, Reply reply) {
        push(ctx, args, reply, false, false);
    }

    static void lpushx(CommandContext ctx, Args args, Reply reply) {
        push(ctx, args, reply, true, true);
    }

    static void rpushx(CommandContext ctx, Args args, Reply reply) {
        push(ctx, args, reply, false, true);
    }

    /** pushGenericCommand: one conversion check for all the elements, then one event for the command. */
    private static void push(CommandContext ctx, Args args, Reply reply, boolean head, boolean onlyExisting) {
        Db db = ctx.db();
        byte[] key = args.get(1);
        ListValue list = db.get(key, ListValue.class);
        if (list == null) {
            if (onlyExisting) {
                reply.integer(0);
                return;
            }
            list = new ListValue();
            db.add(key, list);
        }
        long bytes = 0;
        for (int j = 2; j < args.size(); j++) {
            bytes += args.get(j).length;
        }
        list.growFor(Lists.fill(ctx), bytes, args.size() - 2L);
        for (int j = 2; j < args.size(); j++) {
            if (head) {
                list.addFirst(args.get(j));
            } else {
                list.addLast(args.get(j));
            }
        }
        ctx.addDirty(args.size() - 2L);
        reply.integer(list.size());
        ctx.signalModifiedKey(key);
        ctx.notifyKeyspaceEvent(KeyspaceEvents.LIST, head ? "lpush" : "rpush", key);
    }

    static void lpop(CommandContext ctx, Args args, Reply reply) {
        pop(ctx, args, reply, true);
    }

    static void rpop(CommandContext ctx, Args args, Reply reply) {
        pop(ctx, args, reply, false);
    }

    /** popGenericCommand: without a count a bulk (or null); with one an array (null array when no key). */
    private static void pop(CommandContext ctx, Args args, Reply reply, boolean head) {
        if (args.size() > 3) {
            throw new CommandException(Errors.wrongArity(head ? "lpop" : "rpop"));
        }
        boolean hasCount = args.size() == 3;
        long count = 0;
        if (hasCount) {
            count = args.longAt(2, Errors.MUST_BE_POSITIVE);
            if (count < 0) {
                throw new CommandException(Errors.MUST_BE_POSITIVE);
            }
        }
        byte[] key = args.get(1);
        ListValue list = ctx.db().get(key, ListValue.class);
        if (list == null) {
            if (hasCount) {
                reply.nullArray();
            } else {
                reply.nullBulk();
            }
            return;
        }
        if (hasCount && count == 0) {
            reply.array(0);
            return;
        }
        if (!hasCount) {
            list.pop(reply, head);
            Lists.removed(ctx, key, list, head ? "lpop" : "rpop", 1);
            return;
        }
        popRange(ctx, reply, key, list, head, count);
    }

    /** Replies with up to {@code count} elements from one end (tail first for RPOP) and removes them. */
    static void popRange(CommandContext ctx, Reply reply, byte[] key, ListValue list, boolean head,
                                 long count) {
        int n = (int) Math.min(count, list.size());
        int from = head ? 0 : list.size() - n;
        Lists.range(reply, list, from, n, !head);
        list.removeRange(from, n);
        Lists.removed(ctx, key, list, head ? "lpop" : "rpop", n);
    }

    static void llen(CommandContext ctx, Args args, Reply reply) {
        ListValue list = ctx.db().get(args.get(1), ListValue.class);
        reply.integer(list == null ? 0 : list.size());
    }

    static void lrange(CommandContext ctx, Args args, Reply reply) {
        long start = args.longAt(2);
        long end = args.longAt(3);
        ListValue list = ctx.db().get(args.get(1), ListValue.class);
        if (list == null) {
            reply.array(0);
            return;
        }
        long llen = list.size();
        if (start < 0) {
            start = llen + start;
        }
        if (end < 0) {
            end = llen + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= llen) {
            reply.array(0);
            return;
        }
        if (end >= llen) {
            end = llen - 1;
        }
        Lists.range(reply, list, (int) start, (int) (end - start + 1), false);
    }

    static void lindex(CommandContext ctx, Args args, Reply reply) {
        ListValue list = ctx.db().get(args.get(1), ListValue.class);
        if (list == null) {
            reply.nullBulk();
            return;
        }
        long index = args.longAt(2);
        if (index < 0) {
            index += list.size();
        }
        if (index < 0 || index >= list.size()) {
            reply.nullBulk();
        } else {
            list.reply(reply, (int) index);
        }
    }

    static void lmove(CommandContext ctx, Args args, Reply reply) {
        move(ctx, args, reply, side(args, 3), side(args, 4));
    }

    static void rpoplpush(CommandContext ctx, Args args, Reply reply) {
        move(ctx, args, reply, false, true);
    }

    /** LEFT (true) or RIGHT (false), else a syntax error. */
    static boolean side(Args args, int i) {
        if (args.is(i, "left")) {
            return true;
        }
        if (args.is(i, "right")) {
            return false;
        }
        throw new CommandException(Errors.SYNTAX);
    }

    /**
     * lmoveGenericCommand: pop from the source, push to the destination (its event first), then the source's
     * pop event and its deletion when left empty. The same key rotates.
     */
    static void move(CommandContext ctx, Args args, Reply reply, boolean fromHead, boolean toHead) {
        Db db = ctx.db();
        byte[] srcKey = args.get(1);
        byte[] dstKey = args.get(2);
        ListValue src = db.get(srcKey, ListValue.class);
        if (src == null) {
            reply.nullBulk();
            return;
        }
        ListValue dst = db.get(dstKey, ListValue.class);
        // a value popped from a quicklist as an integer is an int-encoded object: it adds no bytes to the estimate
        boolean srcQuicklist = "quicklist".equals(src.encoding());
        byte[] value = fromHead ? src.removeFirst() : src.removeLast();
        if (dst == null) {
            dst = new ListValue();
            db.add(dstKey, dst);
        }
        ctx.signalModifiedKey(dstKey);
        long added = srcQuicklist && ListpackSizes.isListpackInt(value) ? 0 : value.length;
        dst.growFor(Lists.fill(ctx), added, 1);
        if (toHead) {
            dst.addFirst(value);
        } else {
            dst.addLast(value);
        }
        ctx.notifyKeyspaceEvent(KeyspaceEvents.LIST, toHead ? "lpush" : "rpush", dstKey);
        reply.bulk(value);
        Lists.removed(ctx, srcKey, src, fromHead ? "lpop" : "rpop", 1);
    }

    /** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops from the first non-empty list. */
    static void lmpop(CommandContext ctx, Args args, Reply reply) {
        MpopArgs m = MpopArgs.parse(args, 1);
        if (!m.serve(ctx, args, reply)) {
            reply.nullArray();
        }
    }

    /**
     * The arguments of LMPOP/BLMPOP after the command name (and BLMPOP's timeout), parsed in
     * lmpopGenericCommand's order: numkeys, the side, then COUNT at most once.
     */
    record MpopArgs(int firstKey, int numkeys, boolean head, long count) {
        static MpopArgs parse(Args args, int numkeysIndex) {
            long numkeys = args.longAt(numkeysIndex, Errors.NUMKEYS_NOT_POSITIVE);
            if (numkeys <= 0) {
                throw new CommandException(Errors.NUMKEYS_NOT_POSITIVE);
            }
            if (numkeys >= args.size() - numkeysIndex - 1) { // the side would lie past the last argument
                throw new CommandException(Errors.SYNTAX);
            }
            int whereIndex = numkeysIndex + (int) numkeys + 1;
            boolean head = side(args, whereIndex);
            long count = -1;
            for (int j = whereIndex + 1; j < args.size(); j++) {
                if (count == -1 && args.is(j, "count") && j + 1 < args.size()) {
                    j++;
                    count = args.longAt(j, Errors.COUNT_NOT_POSITIVE);
                    if (count <= 0) {
                        throw new CommandException(Errors.COUNT_NOT_POSITIVE);
                    }
                } else {
                    throw new CommandException(Errors.SYNTAX);
                }
            }
            return new MpopArgs(numkeysIndex + 1, (int) numkeys, head, count == -1 ? 1 : count);
        }

        /** Replies [key, [elements]] from the first non-empty list and returns true, or false when all are empty. */
        boolean serve(CommandContext ctx, Args args, Reply reply) {
            for (int k = 0; k < numkeys; k++) {
                byte[] key = args.get(firstKey + k);
                ListValue list = ctx.db().get(key, ListValue.class);
                if (list != null && list.size() > 0) {
                    reply.array(2);
                    reply.bulk(key);
                    popRange(ctx, reply, key, list, head, count);
                    ctx.propagateAs(Argv.word(head ? "LPOP" : "RPOP"), key, Argv.number(count));
                    return true;
                }
            }
            return false;
        }
    }
}
