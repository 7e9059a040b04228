package io.cinnabar.datatypes.sets;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.RedisNumbers;
import io.cinnabar.api.Reply;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Intersection, union and difference (Redis's {@code sinterGenericCommand} and {@code sunionDiffGenericCommand}):
 * SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE. Every source key is type-checked
 * before anything is computed; a store with an empty result deletes the destination.
 */
final class SetAlgebra {
    private static final int UNION = 0;
    private static final int DIFF = 1;

    private SetAlgebra() {
    }

    static void sinter(CommandContext ctx, Args args, Reply reply) {
        inter(ctx, args, reply, 1, args.size() - 1, null, false, 0);
    }

    static void sinterstore(CommandContext ctx, Args args, Reply reply) {
        inter(ctx, args, reply, 2, args.size() - 2, args.get(1), false, 0);
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit]: a non-number numkeys or limit gets the range error too. */
    static void sintercard(CommandContext ctx, Args args, Reply reply) {
        long numkeys = RedisNumbers.parseLong(args.get(1), Errors.NUMKEYS_NOT_POSITIVE);
        if (numkeys < 1) {
            throw new CommandException(Errors.NUMKEYS_NOT_POSITIVE);
        }
        if (numkeys > args.size() - 2) {
            throw new CommandException(Errors.NUMKEYS_EXCEED_ARGS);
        }
        long limit = 0;
        for (int j = 2 + (int) numkeys; j < args.size(); j++) {
            if (args.is(j, "limit") && j + 1 < args.size()) {
                j++;
                limit = RedisNumbers.parseLong(args.get(j), Errors.LIMIT_NEGATIVE);
                if (limit < 0) {
                    throw new CommandException(Errors.LIMIT_NEGATIVE);
                }
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        inter(ctx, args, reply, 2, (int) numkeys, null, true, limit);
    }

    static void sunion(CommandContext ctx, Args args, Reply reply) {
        unionDiff(ctx, args, reply, 1, args.size() - 1, null, UNION);
    }

    static void sunionstore(CommandContext ctx, Args args, Reply reply) {
        unionDiff(ctx, args, reply, 2, args.size() - 2, args.get(1), UNION);
    }

    static void sdiff(CommandContext ctx, Args args, Reply reply) {
        unionDiff(ctx, args, reply, 1, args.size() - 1, null, DIFF);
    }

    static void sdiffstore(CommandContext ctx, Args args, Reply reply) {
        unionDiff(ctx, args, reply, 2, args.size() - 2, args.get(1), DIFF);
    }

    /** The sets at {@code count} keys from {@code from}, null for missing keys; WRONGTYPE for any other type. */
    private static SetValue[] lookup(Db db, Args args, int from, int count) {
        SetValue[] sets = new SetValue[count];
        for (int j = 0; j < count; j++) {
            sets[j] = db.get(args.get(from + j), SetValue.class);
        }
        return sets;
    }

    /**
     * Walks the smallest set (ties keep key order) and keeps the members every other set holds. The stored
     * result starts as an intset when the smallest set is one, else as a listpack, and an all-integer result
     * ends as an intset when small enough, as Redis.
     */
    private static void inter(CommandContext ctx, Args args, Reply reply, int from, int count, byte[] dst,
                              boolean cardinalityOnly, long limit) {
        Db db = ctx.db();
        SetValue[] sets = lookup(db, args, from, count);
        for (SetValue s : sets) {
            if (s == null) {
                if (dst != null) {
                    deleteDestination(ctx, dst);
                    reply.integer(0);
                } else if (cardinalityOnly) {
                    reply.integer(0);
                } else {
                    reply.set(0);
                }
                return;
            }
        }
        Arrays.sort(sets, Comparator.comparingInt(SetValue::size));
        SetValue first = sets[0];
        SetLimits limits = SetLimits.of(ctx);
        SetValue out = dst == null ? null
                : SetValue.empty(first.encodingId() == SetValue.INTSET ? SetValue.INTSET : SetValue.LISTPACK);
        Reply.Deferred len = dst == null && !cardinalityOnly ? reply.deferredSet() : null;
        int cardinality = 0;
        for (int i = 0; i < first.size(); i++) {
            if (!first.allContain(sets, i)) {
                continue;
            }
            if (out != null) {
                out.add(first.at(i), limits);
                continue;
            }
            cardinality++;
            if (len != null) {
                first.reply(reply, i);
            } else if (limit > 0 && cardinality >= limit) {
                break;
            }
        }
        if (cardinalityOnly) {
            reply.integer(cardinality);
        } else if (len != null) {
            len.finish(cardinality);
        } else {
            if (out.size() > 0) {
                out.maybeToIntset(limits);
            }
            store(ctx, reply, dst, out, "sinterstore");
        }
    }

    /**
     * SUNION and SDIFF: the result is built in a set of its own, an intset unless a non-store command reads a
     * listpack or hashtable source (then a hashtable). DIFF takes Redis's cheaper of its two algorithms;
     * a source that is the first key again empties the result.
     */
    private static void unionDiff(CommandContext ctx, Args args, Reply reply, int from, int count, byte[] dst,
                                  int op) {
        Db db = ctx.db();
        SetValue[] sets = lookup(db, args, from, count);
        boolean hashtable = false;
        boolean sameSet = false;
        for (int j = 0; j < count; j++) {
            SetValue s = sets[j];
            if (s == null) {
                continue;
            }
            if (dst == null && s.encodingId() != SetValue.INTSET) {
                hashtable = true;
            }
            if (j > 0 && s == sets[0]) {
                sameSet = true;
            }
        }
        SetLimits limits = SetLimits.of(ctx);
        SetValue out = SetValue.empty(hashtable ? SetValue.HASHTABLE : SetValue.INTSET);
        if (op == UNION) {
            for (SetValue s : sets) {
                if (s != null) {
                    for (int i = 0; i < s.size(); i++) {
                        out.add(s.at(i), limits);
                    }
                }
            }
        } else if (sets[0] != null && !sameSet) {
            diff(sets, out, limits);
        }
        if (dst == null) {
            SetCommands.members(reply, out);
        } else {
            store(ctx, reply, dst, out, op == UNION ? "sunionstore" : "sdiffstore");
        }
    }

    private static void diff(SetValue[] sets, SetValue out, SetLimits limits) {
        long oneWork = 0;
        long twoWork = 0;
        for (SetValue s : sets) {
            if (s != null) {
                oneWork += sets[0].size();
                twoWork += s.size();
            }
        }
        SetValue first = sets[0];
        if (oneWork / 2 <= twoWork) {
            // algorithm 1: each member of the first set that no other set holds
            for (int i = 0; i < first.size(); i++) {
                byte[] m = first.at(i);
                boolean keep = true;
                for (int j = 1; j < sets.length && keep; j++) {
                    keep = sets[j] == null || !sets[j].contains(m);
                }
                if (keep) {
                    out.add(m, limits);
                }
            }
            return;
        }
        // algorithm 2: the first set, minus every member of the others
        for (int i = 0; i < first.size(); i++) {
            out.add(first.at(i), limits);
        }
        for (int j = 1; j < sets.length && out.size() > 0; j++) {
            if (sets[j] != null) {
                for (int i = 0; i < sets[j].size(); i++) {
                    out.remove(sets[j].at(i));
                }
            }
        }
    }

    /** Redis's store tail: a non-empty result replaces the destination (TTL dropped), an empty one deletes it. */
    private static void store(CommandContext ctx, Reply reply, byte[] dst, SetValue out, String event) {
        if (out.size() > 0) {
            ctx.db().set(dst, out);
            ctx.signalModifiedKey(dst);
            reply.integer(out.size());
            ctx.notifyKeyspaceEvent(KeyspaceEvents.SET, event, dst);
            ctx.addDirty(1);
        } else {
            reply.integer(0);
            deleteDestination(ctx, dst);
        }
    }

    private static void deleteDestination(CommandContext ctx, byte[] dst) {
        if (ctx.db().delete(dst)) {
            ctx.signalModifiedKey(dst);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", dst);
            ctx.addDirty(1);
        }
    }
}
