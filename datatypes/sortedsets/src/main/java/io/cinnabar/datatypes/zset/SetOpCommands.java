package io.cinnabar.datatypes.zset;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.MemberSet;
import io.cinnabar.api.RedisNumbers;
import io.cinnabar.api.Reply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD, as Redis's zunionInterDiffGenericCommand: inputs
 * may be sorted sets or plain sets (score 1), weighted, aggregated by SUM (a NaN sum becomes 0), MIN or MAX.
 */
final class SetOpCommands {
    private static final int UNION = 0;
    private static final int INTER = 1;
    private static final int DIFF = 2;
    private static final int SUM = 0;
    private static final int MIN = 1;
    private static final int MAX = 2;
    private static final String[] STORE_EVENTS = {"zunionstore", "zinterstore", "zdiffstore"};

    private SetOpCommands() {
    }

    /** One input: a sorted set, a plain set, or nothing (missing key), with its weight. */
    private static final class Source {
        final ZSet zset;
        final MemberSet set;
        double weight = 1;

        Source(ZSet zset, MemberSet set) {
            this.zset = zset;
            this.set = set;
        }

        long size() {
            return zset != null ? zset.size() : set != null ? set.memberCount() : 0;
        }

        /** The member's unweighted score, NaN when absent. */
        double score(byte[] member) {
            if (zset != null) {
                return zset.score(member);
            }
            return set != null && set.containsMember(member) ? 1 : Double.NaN;
        }

        /** Every (member, unweighted score), in the input's own order. */
        void forEach(Visitor v) {
            if (zset != null) {
                int n = zset.size();
                for (int r = 0; r < n; r++) {
                    v.visit(zset.memberAt(r), zset.scoreAt(r));
                }
            } else if (set != null) {
                set.forEachMember(m -> v.visit(m, 1));
            }
        }
    }

    private interface Visitor {
        void visit(byte[] member, double score);
    }

    static void zunion(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, null, 1, UNION, false);
    }

    static void zinter(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, null, 1, INTER, false);
    }

    static void zdiff(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, null, 1, DIFF, false);
    }

    static void zunionstore(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, args.get(1), 2, UNION, false);
    }

    static void zinterstore(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, args.get(1), 2, INTER, false);
    }

    static void zdiffstore(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, args.get(1), 2, DIFF, false);
    }

    static void zintercard(CommandContext ctx, Args args, Reply reply) {
        generic(ctx, args, reply, null, 1, INTER, true);
    }

    private static void generic(CommandContext ctx, Args args, Reply reply, byte[] dst, int numkeysIdx, int op,
                                boolean cardinalityOnly) {
        long setnum = args.longAt(numkeysIdx);
        if (setnum < 1) {
            throw new CommandException(Errors.atLeastOneInputKey(args.string(0).toLowerCase(Locale.ROOT)));
        }
        if (setnum > args.size() - (numkeysIdx + 1)) {
            throw new CommandException(Errors.SYNTAX);
        }
        int n = (int) setnum;
        Source[] src = new Source[n];
        int j = numkeysIdx + 1;
        for (int i = 0; i < n; i++, j++) {
            src[i] = source(ctx.db(), args.get(j));
        }
        int aggregate = SUM;
        boolean withScores = false;
        long limit = 0;
        int remaining = args.size() - j;
        while (remaining > 0) {
            if (op != DIFF && !cardinalityOnly && remaining >= n + 1 && args.is(j, "weights")) {
                j++;
                remaining--;
                for (int i = 0; i < n; i++, j++, remaining--) {
                    src[i].weight = RedisNumbers.parseDouble(args.get(j), Errors.WEIGHT_NOT_FLOAT);
                }
            } else if (op != DIFF && !cardinalityOnly && remaining >= 2 && args.is(j, "aggregate")) {
                j++;
                if (args.is(j, "sum")) {
                    aggregate = SUM;
                } else if (args.is(j, "min")) {
                    aggregate = MIN;
                } else if (args.is(j, "max")) {
                    aggregate = MAX;
                } else {
                    throw new CommandException(Errors.SYNTAX);
                }
                j++;
                remaining -= 2;
            } else if (dst == null && !cardinalityOnly && args.is(j, "withscores")) {
                j++;
                remaining--;
                withScores = true;
            } else if (cardinalityOnly && remaining >= 2 && args.is(j, "limit")) {
                limit = args.longAt(j + 1, Errors.LIMIT_NEGATIVE);
                if (limit < 0) {
                    throw new CommandException(Errors.LIMIT_NEGATIVE);
                }
                j += 2;
                remaining -= 2;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        // smallest inputs first, as Redis does (for DIFF all but the first); weights travel with their input
        Comparator<Source> bySize = Comparator.comparingLong(Source::size);
        if (op == DIFF) {
            Arrays.sort(src, 1, n, bySize);
        } else {
            Arrays.sort(src, bySize);
        }
        if (cardinalityOnly) {
            reply.integer(interCard(src, limit));
            return;
        }
        Map<ZSet.Member, double[]> result = op == UNION ? union(src, aggregate)
                : op == INTER ? inter(src, aggregate) : diff(src);
        ZSet.Limits limits = ZSets.limits(ctx);
        ZSet out = new ZSet(true);
        long maxLen = 0;
        ZSet.Limits unbounded = new ZSet.Limits(Long.MAX_VALUE, Long.MAX_VALUE);
        for (Map.Entry<ZSet.Member, double[]> e : result.entrySet()) {
            out.insert(e.getKey().bytes(), e.getValue()[0], unbounded);
            maxLen = Math.max(maxLen, e.getKey().bytes().length);
        }
        if (dst == null) {
            ZSets.replyRanks(reply, out, 0, out.size(), false, withScores);
            return;
        }
        Db db = ctx.db();
        if (out.size() > 0) {
            out.convertToListpackIfFits(maxLen, limits);
            db.set(dst, out);
            ctx.signalModifiedKey(dst);
            reply.integer(out.size());
            ctx.notifyKeyspaceEvent(KeyspaceEvents.ZSET, STORE_EVENTS[op], dst);
            ctx.addDirty(1);
        } else {
            reply.integer(0);
            if (db.delete(dst)) {
                ctx.signalModifiedKey(dst);
                ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", dst);
                ctx.addDirty(1);
            }
        }
    }

    /** A sorted set, a plain set, or a missing key; any other type is WRONGTYPE. */
    private static Source source(Db db, byte[] key) {
        Object v = db.get(key);
        if (v == null) {
            return new Source(null, null);
        }
        if (v instanceof ZSet z) {
            return new Source(z, null);
        }
        if (v instanceof MemberSet s) {
            return new Source(null, s);
        }
        throw new CommandException(Errors.WRONGTYPE);
    }

    private static double weighted(Source s, double score) {
        double v = s.weight * score;
        return Double.isNaN(v) ? 0 : v;
    }

    private static double aggregate(int how, double target, double value) {
        if (how == SUM) {
            double sum = target + value;
            return Double.isNaN(sum) ? 0 : sum; // inf + -inf
        }
        if (how == MIN) {
            return value < target ? value : target;
        }
        return value > target ? value : target;
    }

    private static Map<ZSet.Member, double[]> union(Source[] src, int how) {
        Map<ZSet.Member, double[]> acc = new LinkedHashMap<>();
        for (Source s : src) {
            s.forEach((m, score) -> {
                double v = weighted(s, score);
                double[] cur = acc.get(new ZSet.Member(m));
                if (cur == null) {
                    acc.put(new ZSet.Member(m), new double[] {v});
                } else {
                    cur[0] = aggregate(how, cur[0], v);
                }
            });
        }
        return acc;
    }

    private static Map<ZSet.Member, double[]> inter(Source[] src, int how) {
        Map<ZSet.Member, double[]> acc = new LinkedHashMap<>();
        if (src[0].size() == 0) {
            return acc;
        }
        src[0].forEach((m, score) -> {
            double total = weighted(src[0], score);
            for (int i = 1; i < src.length; i++) {
                double other = src[i].score(m);
                if (Double.isNaN(other)) {
                    return;
                }
                total = aggregate(how, total, other * src[i].weight);
            }
            acc.put(new ZSet.Member(m), new double[] {total});
        });
        return acc;
    }

    private static long interCard(Source[] src, long limit) {
        if (src[0].size() == 0) {
            return 0;
        }
        long[] count = {0};
        List<byte[]> members = new ArrayList<>();
        src[0].forEach((m, score) -> members.add(m));
        for (byte[] m : members) {
            boolean all = true;
            for (int i = 1; i < src.length && all; i++) {
                all = !Double.isNaN(src[i].score(m));
            }
            if (all && ++count[0] == limit) {
                break;
            }
        }
        return count[0];
    }

    private static Map<ZSet.Member, double[]> diff(Source[] src) {
        Map<ZSet.Member, double[]> acc = new LinkedHashMap<>();
        src[0].forEach((m, score) -> {
            for (int i = 1; i < src.length; i++) {
                if (!Double.isNaN(src[i].score(m))) {
                    return;
                }
            }
            acc.put(new ZSet.Member(m), new double[] {score});
        });
        return acc;
    }
}
