package io.cinnabar.datatypes.zset;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;

/** ZADD, ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE, ZCOUNT, ZLEXCOUNT, ZRANK and ZREVRANK. */
final class ZsetCommands {
    private static final int NX = 1;
    private static final int XX = 1 << 1;
    private static final int GT = 1 << 2;
    private static final int LT = 1 << 3;
    private static final int CH = 1 << 4;
    private static final int INCR = 1 << 5;

    private ZsetCommands() {
    }

    static void zadd(CommandContext ctx, Args args, Reply reply) {
        zaddGeneric(ctx, args, reply, 0);
    }

    /** ZINCRBY goes through ZADD's parser, so an option word where the increment belongs is read as one. */
    static void zincrby(CommandContext ctx, Args args, Reply reply) {
        zaddGeneric(ctx, args, reply, INCR);
    }

    private static void zaddGeneric(CommandContext ctx, Args args, Reply reply, int flags) {
        int scoreIdx = 2;
        int argc = args.size();
        while (scoreIdx < argc) {
            int f = option(args, scoreIdx);
            if (f == 0) {
                break;
            }
            flags |= f;
            scoreIdx++;
        }
        int elements = argc - scoreIdx;
        if (elements % 2 != 0 || elements == 0) {
            throw new CommandException(Errors.SYNTAX);
        }
        elements /= 2;
        if ((flags & NX) != 0 && (flags & XX) != 0) {
            throw new CommandException(Errors.ZADD_XX_AND_NX);
        }
        int gtLtNx = flags & (GT | LT | NX);
        if (gtLtNx != 0 && Integer.bitCount(gtLtNx) > 1) {
            throw new CommandException(Errors.ZADD_GT_LT_NX);
        }
        boolean incr = (flags & INCR) != 0;
        if (incr && elements > 1) {
            throw new CommandException(Errors.ZADD_INCR_PAIR);
        }
        double[] scores = new double[elements];
        long maxLen = 0;
        for (int j = 0; j < elements; j++) {
            scores[j] = args.doubleAt(scoreIdx + j * 2);
            maxLen = Math.max(maxLen, args.get(scoreIdx + j * 2 + 1).length);
        }
        Db db = ctx.db();
        byte[] key = args.get(1);
        ZSet z = db.get(key, ZSet.class);
        ZSet.Limits limits = ZSets.limits(ctx);
        int added = 0;
        int updated = 0;
        int processed = 0;
        double score = 0;
        if (z == null) {
            if ((flags & XX) != 0) {
                replyAdd(reply, flags, processed, score, added, updated);
                return;
            }
            z = ZSet.create(elements, maxLen, limits);
            db.add(key, z);
        } else if (z.isListpack() && elements > limits.entries()) {
            z.maybeConvert(elements, 0, limits);
        }
        for (int j = 0; j < elements; j++) {
            byte[] member = args.get(scoreIdx + j * 2 + 1);
            score = scores[j];
            double cur = z.score(member);
            if (!Double.isNaN(cur)) {
                if ((flags & NX) != 0) {
                    continue;
                }
                if (incr) {
                    score += cur;
                    if (Double.isNaN(score)) {
                        finish(ctx, key, incr, added, updated);
                        throw new CommandException(Errors.SCORE_NAN);
                    }
                }
                if (((flags & LT) != 0 && score >= cur) || ((flags & GT) != 0 && score <= cur)) {
                    continue;
                }
                processed++;
                if (score != cur) {
                    z.updateScore(member, score, limits);
                    updated++;
                }
            } else if ((flags & XX) == 0) {
                z.insert(member, score, limits);
                added++;
                processed++;
            }
        }
        replyAdd(reply, flags, processed, score, added, updated);
        finish(ctx, key, incr, added, updated);
    }

    /** The ZADD option flag of argument {@code i}, or 0 when it is not an option word. */
    private static int option(Args args, int i) {
        if (args.is(i, "nx")) {
            return NX;
        } else if (args.is(i, "xx")) {
            return XX;
        } else if (args.is(i, "ch")) {
            return CH;
        } else if (args.is(i, "incr")) {
            return INCR;
        } else if (args.is(i, "gt")) {
            return GT;
        }
        return args.is(i, "lt") ? LT : 0;
    }

    private static void replyAdd(Reply reply, int flags, int processed, double score, int added, int updated) {
        if ((flags & INCR) != 0) {
            if (processed > 0) {
                reply.doubleValue(score);
            } else {
                reply.nullBulk();
            }
        } else {
            reply.integer((flags & CH) != 0 ? added + updated : added);
        }
    }

    private static void finish(CommandContext ctx, byte[] key, boolean incr, int added, int updated) {
        ctx.addDirty(added + updated);
        if (added + updated > 0) {
            ctx.signalModifiedKey(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.ZSET, incr ? "zincr" : "zadd", key);
        }
    }

    static void zrem(CommandContext ctx, Args args, Reply reply) {
        byte[] key = args.get(1);
        ZSet z = ctx.db().get(key, ZSet.class);
        if (z == null) {
            reply.integer(0);
            return;
        }
        int deleted = 0;
        for (int j = 2; j < args.size(); j++) {
            if (z.remove(args.get(j))) {
                deleted++;
                if (z.size() == 0) {
                    break;
                }
            }
        }
        if (deleted > 0) {
            ZSets.changed(ctx, z, key, "zrem", deleted);
        }
        reply.integer(deleted);
    }

    static void zcard(CommandContext ctx, Args args, Reply reply) {
        ZSet z = ctx.db().get(args.get(1), ZSet.class);
        reply.integer(z == null ? 0 : z.size());
    }

    static void zscore(CommandContext ctx, Args args, Reply reply) {
        ZSet z = ctx.db().get(args.get(1), ZSet.class);
        double s = z == null ? Double.NaN : z.score(args.get(2));
        if (Double.isNaN(s)) {
            reply.nullBulk();
        } else {
            reply.doubleValue(s);
        }
    }

    static void zmscore(CommandContext ctx, Args args, Reply reply) {
        ZSet z = ctx.db().get(args.get(1), ZSet.class);
        reply.array(args.size() - 2);
        for (int j = 2; j < args.size(); j++) {
            double s = z == null ? Double.NaN : z.score(args.get(j));
            if (Double.isNaN(s)) {
                reply.nullBulk();
            } else {
                reply.doubleValue(s);
            }
        }
    }

    static void zcount(CommandContext ctx, Args args, Reply reply) {
        ScoreRange range = ScoreRange.parse(args.get(2), args.get(3));
        ZSet z = ctx.db().get(args.get(1), ZSet.class);
        reply.integer(z == null ? 0 : Math.max(0, range.end(z) - range.start(z)));
    }

    static void zlexcount(CommandContext ctx, Args args, Reply reply) {
        LexRange range = LexRange.parse(args.get(2), args.get(3));
        ZSet z = ctx.db().get(args.get(1), ZSet.class);
        reply.integer(z == null ? 0 : Math.max(0, range.end(z) - range.start(z)));
    }

    static void zrank(CommandContext ctx, Args args, Reply reply) {
        rank(ctx, args, reply, false);
    }

    static void zrevrank(CommandContext ctx, Args args, Reply reply) {
        rank(ctx, args, reply, true);
    }

    private static void rank(CommandContext ctx, Args args, Reply reply, boolean reverse) {
        if (args.size() > 4) {
            throw new CommandException(Errors.wrongArity(reverse ? "zrevrank" : "zrank"));
        }
        boolean withScore = false;
        if (args.size() == 4) {
            if (!args.is(3, "withscore")) {
                throw new CommandException(Errors.SYNTAX);
            }
            withScore = true;
        }
        ZSet z = ctx.db().get(args.get(1), ZSet.class);
        int rank = z == null ? -1 : z.rank(args.get(2));
        if (rank < 0) {
            if (withScore) {
                reply.nullArray();
            } else {
                reply.nullBulk();
            }
            return;
        }
        double score = z.scoreAt(rank);
        if (reverse) {
            rank = z.size() - 1 - rank;
        }
        if (withScore) {
            reply.array(2);
            reply.integer(rank);
            reply.doubleValue(score);
        } else {
            reply.integer(rank);
        }
    }
}
