package io.cinnabar.datatypes.lists;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;
import java.util.Arrays;

/** Edits and searches inside a list, from Redis's t_list.c: LSET, LINSERT, LREM, LTRIM, LPOS. */
final class ListEditCommands {
    private ListEditCommands() {
    }

    /**
     * LSET: the growth check runs before the index is checked (so an out-of-range LSET may still have
     * converted a listpack, as in Redis); a replaced element may let a quicklist shrink back.
     */
    static void lset(CommandContext ctx, Args args, Reply reply) {
        byte[] key = args.get(1);
        ListValue list = ctx.db().get(key, ListValue.class);
        if (list == null) {
            throw new CommandException(Errors.NO_SUCH_KEY);
        }
        long index = args.longAt(2);
        byte[] value = args.get(3);
        list.growFor(Lists.fill(ctx), value.length, 1);
        if (index < 0) {
            index += list.size();
        }
        if (index < 0 || index >= list.size()) {
            throw new CommandException(Errors.INDEX_OUT_OF_RANGE);
        }
        list.set((int) index, value);
        reply.ok();
        ctx.signalModifiedKey(key);
        ctx.notifyKeyspaceEvent(KeyspaceEvents.LIST, "lset", key);
        ctx.addDirty(1);
        list.tryShrink(Lists.fill(ctx));
    }

    /** LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the key. */
    static void linsert(CommandContext ctx, Args args, Reply reply) {
        boolean after;
        if (args.is(2, "after")) {
            after = true;
        } else if (args.is(2, "before")) {
            after = false;
        } else {
            throw new CommandException(Errors.SYNTAX);
        }
        byte[] key = args.get(1);
        ListValue list = ctx.db().get(key, ListValue.class);
        if (list == null) {
            reply.integer(0);
            return;
        }
        byte[] pivot = args.get(3);
        byte[] value = args.get(4);
        list.growFor(Lists.fill(ctx), value.length, 1);
        PackedList.Cursor c = list.cursor(0);
        for (int i = 0; i < list.size(); i++, c.next()) {
            if (c.contentEquals(pivot)) {
                list.insert(i, value, after);
                ctx.signalModifiedKey(key);
                ctx.notifyKeyspaceEvent(KeyspaceEvents.LIST, "linsert", key);
                ctx.addDirty(1);
                reply.integer(list.size());
                return;
            }
        }
        reply.integer(-1);
    }

    /** LREM key count element: count > 0 from the head, < 0 from the tail, 0 all. */
    static void lrem(CommandContext ctx, Args args, Reply reply) {
        long toRemove = args.longAt(2);
        byte[] key = args.get(1);
        ListValue list = ctx.db().get(key, ListValue.class);
        if (list == null) {
            reply.integer(0);
            return;
        }
        byte[] element = args.get(3);
        long limit = toRemove < 0 ? -toRemove : toRemove;
        int[] idx = new int[Math.min(list.size(), 16)];
        int removed = 0;
        int n = list.size();
        PackedList.Cursor c = list.cursor(toRemove < 0 ? n - 1 : 0);
        for (int step = 0; step < n; step++) {
            int i = c.index();
            boolean match = c.contentEquals(element);
            if (toRemove < 0) {
                c.previous();
            } else {
                c.next();
            }
            if (match) {
                if (removed == idx.length) {
                    idx = Arrays.copyOf(idx, Math.min(n, idx.length * 2));
                }
                idx[removed++] = i;
                if (limit != 0 && removed == limit) {
                    break;
                }
            }
        }
        if (toRemove < 0) {
            for (int a = 0, b = removed - 1; a < b; a++, b--) {
                int t = idx[a];
                idx[a] = idx[b];
                idx[b] = t;
            }
        }
        list.removeAll(idx, removed);
        if (removed > 0) {
            Lists.removed(ctx, key, list, "lrem", removed);
        }
        reply.integer(removed);
    }

    /** LTRIM key start stop: always OK; the event is emitted even when nothing was trimmed. */
    static void ltrim(CommandContext ctx, Args args, Reply reply) {
        long start = args.longAt(2);
        long end = args.longAt(3);
        byte[] key = args.get(1);
        ListValue list = ctx.db().get(key, ListValue.class);
        if (list == null) {
            reply.ok();
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
        long ltrim;
        long rtrim;
        if (start > end || start >= llen) {
            ltrim = llen;
            rtrim = 0;
        } else {
            if (end >= llen) {
                end = llen - 1;
            }
            ltrim = start;
            rtrim = llen - end - 1;
        }
        list.removeRange(0, (int) ltrim);
        list.removeRange(list.size() - (int) rtrim, (int) rtrim);
        Lists.removed(ctx, key, list, "ltrim", ltrim + rtrim);
        reply.ok();
    }

    /** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]. */
    static void lpos(CommandContext ctx, Args args, Reply reply) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < args.size(); j++) {
            boolean more = j + 1 < args.size();
            if (args.is(j, "rank") && more) {
                j++;
                rank = args.longAt(j);
                if (rank == Long.MIN_VALUE) {
                    throw new CommandException(Errors.OUT_OF_LONG_RANGE);
                }
                if (rank == 0) {
                    throw new CommandException(Errors.LPOS_RANK_ZERO);
                }
            } else if (args.is(j, "count") && more) {
                j++;
                count = args.longAt(j, Errors.LPOS_COUNT_NEGATIVE);
                if (count < 0) {
                    throw new CommandException(Errors.LPOS_COUNT_NEGATIVE);
                }
            } else if (args.is(j, "maxlen") && more) {
                j++;
                maxlen = args.longAt(j, Errors.LPOS_MAXLEN_NEGATIVE);
                if (maxlen < 0) {
                    throw new CommandException(Errors.LPOS_MAXLEN_NEGATIVE);
                }
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        boolean fromTail = rank < 0;
        if (fromTail) {
            rank = -rank;
        }
        ListValue list = ctx.db().get(args.get(1), ListValue.class);
        if (list == null) {
            if (count != -1) {
                reply.array(0);
            } else {
                reply.nullBulk();
            }
            return;
        }
        byte[] element = args.get(2);
        int llen = list.size();
        Reply.Deferred array = count != -1 ? reply.deferredArray() : null;
        long matches = 0;
        long found = -1;
        int written = 0;
        PackedList.Cursor c = list.cursor(fromTail ? llen - 1 : 0);
        for (int index = 0; index < llen && (maxlen == 0 || index < maxlen); index++) {
            int at = c.index();
            boolean match = c.contentEquals(element);
            if (fromTail) {
                c.previous();
            } else {
                c.next();
            }
            if (!match) {
                continue;
            }
            matches++;
            if (matches >= rank) {
                if (array == null) {
                    found = at;
                    break;
                }
                written++;
                reply.integer(at);
                if (count != 0 && matches - rank + 1 >= count) {
                    break;
                }
            }
        }
        if (array != null) {
            array.finish(written);
        } else if (found >= 0) {
            reply.integer(found);
        } else {
            reply.nullBulk();
        }
    }
}
