package io.cinnabar.datatypes.zset;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;

/**
 * ZRANGE and its older forms, ZRANGESTORE, and ZREMRANGEBYRANK/SCORE/LEX, as Redis's zrangeGenericCommand
 * and zremrangeGenericCommand: the options are read first, then the range, then the key.
 */
final class RangeCommands {
    private static final int AUTO = 0;
    private static final int RANK = 1;
    private static final int SCORE = 2;
    private static final int LEX = 3;

    private RangeCommands() {
    }

    /** Which ranks a range selected: {@code count} ranks from {@code first}, walking down when reversed. */
    private record Selection(int first, int count, boolean reverse) {
        static final Selection EMPTY = new Selection(0, 0, false);
    }

    static void zrange(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, 1, false, AUTO, 0);
    }

    static void zrevrange(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, 1, false, RANK, -1);
    }

    static void zrangebyscore(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, 1, false, SCORE, 1);
    }

    static void zrevrangebyscore(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, 1, false, SCORE, -1);
    }

    static void zrangebylex(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, 1, false, LEX, 1);
    }

    static void zrevrangebylex(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, 1, false, LEX, -1);
    }

    static void zrangestore(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, 2, true, AUTO, 0);
    }

    /** {@code direction} is 0 (REV may be given), 1 (forward) or -1 (reverse). */
    private static void generic(CommandContext ctx, Args args, Reply reply, int keyIdx, boolean store, int type,
                                int direction) {
        int minIdx = keyIdx + 1;
        int maxIdx = keyIdx + 2;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        int argc = args.size();
        for (int j = keyIdx + 3; j < argc; j++) {
            int left = argc - j - 1;
            if (!store && args.is(j, "withscores")) {
                withScores = true;
            } else if (args.is(j, "limit") && left >= 2) {
                offset = args.longAt(j + 1);
                limit = args.longAt(j + 2);
                j += 2;
            } else if (direction == 0 && args.is(j, "rev")) {
                direction = -1;
            } else if (type == AUTO && args.is(j, "bylex")) {
                type = LEX;
            } else if (type == AUTO && args.is(j, "byscore")) {
                type = SCORE;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        boolean reverse = direction == -1;
        if (type == AUTO) {
            type = RANK;
        }
        // Redis tells "no LIMIT" by a count of -1, so LIMIT x -1 passes this check
        if (limit != -1 && type == RANK) {
            throw new CommandException(Errors.ZRANGE_LIMIT_NEEDS_BY);
        }
        if (withScores && type == LEX) {
            throw new CommandException(Errors.ZRANGE_WITHSCORES_BYLEX);
        }
        if (reverse && type != RANK) {
            int t = minIdx; // the range is given as max, min
            minIdx = maxIdx;
            maxIdx = t;
        }
        long start = 0;
        long end = 0;
        ScoreRange scores = null;
        LexRange lex = null;
        if (type == RANK) {
            start = args.longAt(minIdx);
            end = args.longAt(maxIdx);
        } else if (type == SCORE) {
            scores = ScoreRange.parse(args.get(minIdx), args.get(maxIdx));
        } else {
            lex = LexRange.parse(args.get(minIdx), args.get(maxIdx));
        }
        ZSet z = ctx.db().get(args.get(keyIdx), ZSet.class);
        Selection sel;
        if (z == null) {
            sel = Selection.EMPTY;
        } else if (type == RANK) {
            sel = byRank(z, start, end, reverse);
        } else if (type == SCORE) {
            // the bound found last leaves its node cached in the set: the one the reply starts from
            int first;
            int after;
            if (reverse) {
                first = scores.start(z);
                after = scores.end(z);
            } else {
                after = scores.end(z);
                first = scores.start(z);
            }
            sel = limited(first, after, reverse, offset, limit);
        } else {
            sel = limited(lex.start(z), lex.end(z), reverse, offset, limit);
        }
        if (store) {
            storeSelection(ctx, args.get(1), z, sel, reply);
        } else {
            ZSets.replyRanks(reply, z, sel.first(), sel.count(), sel.reverse(), withScores);
        }
    }

    private static Selection byRank(ZSet z, long start, long end, boolean reverse) {
        long len = z.size();
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= len) {
            return Selection.EMPTY;
        }
        if (end >= len) {
            end = len - 1;
        }
        int count = (int) (end - start + 1);
        return reverse ? new Selection((int) (len - 1 - start), count, true) : new Selection((int) start, count, false);
    }

    /**
     * The ranks [lo, hi) of a score or lex range after LIMIT: a negative offset selects nothing (Redis's skip
     * loop runs off the end), a negative count means all.
     */
    private static Selection limited(int lo, int hi, boolean reverse, long offset, long limit) {
        long n = (long) hi - lo;
        if (n <= 0 || offset < 0 || offset >= n) {
            return Selection.EMPTY;
        }
        long count = n - offset;
        if (limit >= 0 && limit < count) {
            count = limit;
        }
        return reverse ? new Selection((int) (hi - 1 - offset), (int) count, true)
                : new Selection((int) (lo + offset), (int) count, false);
    }

    /** ZRANGESTORE: the selection replaces dst (any type, TTL dropped), or an empty one deletes dst. */
    private static void storeSelection(CommandContext ctx, byte[] dst, ZSet src, Selection sel, Reply reply) {
        Db db = ctx.db();
        if (sel.count() == 0) {
            reply.integer(0);
            if (db.delete(dst)) {
                ctx.signalModifiedKey(dst);
                ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", dst);
                ctx.addDirty(1);
            }
            return;
        }
        ZSet.Limits limits = ZSets.limits(ctx);
        ZSet out = ZSet.create(sel.count(), 0, limits);
        for (int i = 0; i < sel.count(); i++) {
            int r = sel.reverse() ? sel.first() - i : sel.first() + i;
            out.insert(src.memberAt(r), src.scoreAt(r), limits);
        }
        db.set(dst, out);
        ctx.signalModifiedKey(dst);
        reply.integer(sel.count());
        ctx.notifyKeyspaceEvent(KeyspaceEvents.ZSET, "zrangestore", dst);
        ctx.addDirty(1);
    }

    static void zremrangebyrank(CommandContext ctx, Args args, Reply reply) {
        long start = args.longAt(2);
        long end = args.longAt(3);
        ZSet z = ctx.db().get(args.get(1), ZSet.class);
        if (z == null) {
            reply.integer(0);
            return;
        }
        Selection sel = byRank(z, start, end, false);
        remove(ctx, args.get(1), z, sel.first(), sel.first() + sel.count(), "zremrangebyrank", reply);
    }

    static void zremrangebyscore(CommandContext ctx, Args args, Reply reply) {
        ScoreRange range = ScoreRange.parse(args.get(2), args.get(3));
        ZSet z = ctx.db().get(args.get(1), ZSet.class);
        if (z == null) {
            reply.integer(0);
            return;
        }
        remove(ctx, args.get(1), z, range.start(z), range.end(z), "zremrangebyscore", reply);
    }

    static void zremrangebylex(CommandContext ctx, Args args, Reply reply) {
        LexRange range = LexRange.parse(args.get(2), args.get(3));
        ZSet z = ctx.db().get(args.get(1), ZSet.class);
        if (z == null) {
            reply.integer(0);
            return;
        }
        remove(ctx, args.get(1), z, range.start(z), range.end(z), "zremrangebylex", reply);
    }

    private static void remove(CommandContext ctx, byte[] key, ZSet z, int from, int to, String event, Reply reply) {
        int deleted = Math.max(0, to - from);
        if (deleted > 0) {
            z.removeRange(from, to);
            ZSets.changed(ctx, z, key, event, deleted);
        }
        reply.integer(deleted);
    }
}
