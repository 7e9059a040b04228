package io.cinnabar.datatypes.zset;

import io.cinnabar.api.Args;
import io.cinnabar.api.Argv;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import io.cinnabar.api.RedisNumbers;
import io.cinnabar.api.Reply;
import io.cinnabar.api.ScanCursor;
import io.cinnabar.api.ScanOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** ZPOPMIN, ZPOPMAX, ZMPOP (genericZpopCommand), ZRANDMEMBER and ZSCAN. */
final class PopCommands {
    private PopCommands() {
    }

    static void zpopmin(CommandContext ctx, Args args, Reply reply) {
        zpopMinMax(ctx, args, reply, false);
    }

    static void zpopmax(CommandContext ctx, Args args, Reply reply) {
        zpopMinMax(ctx, args, reply, true);
    }

    private static void zpopMinMax(CommandContext ctx, Args args, Reply reply, boolean max) {
        if (args.size() > 3) {
            throw new CommandException(Errors.SYNTAX);
        }
        long count = -1;
        if (args.size() == 3) {
            count = args.longAt(2, Errors.MUST_BE_POSITIVE);
            if (count < 0) {
                throw new CommandException(Errors.MUST_BE_POSITIVE);
            }
        }
        // RESP3 nests [member, score] pairs only when a count was given
        boolean nested = reply.protocol() > 2 && count != -1;
        pop(ctx, args, 1, 1, reply, max, false, count, nested, false);
    }

    /** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]. */
    static void zmpop(CommandContext ctx, Args args, Reply reply) {
        MpopArgs m = MpopArgs.parse(args, 1);
        pop(ctx, args, 2, m.numkeys(), reply, m.max(), true, m.count(), true, true);
    }

    /**
     * The {@code numkeys key [key ...] MIN|MAX [COUNT count]} tail of ZMPOP and BZMPOP, checked in Redis's
     * order (numkeys, room for MIN|MAX, MIN|MAX, COUNT); {@code count} is 1 when absent.
     */
    record MpopArgs(int numkeys, boolean max, long count) {
        static MpopArgs parse(Args args, int numkeysIdx) {
            long numkeys = args.longAt(numkeysIdx, Errors.NUMKEYS_NOT_POSITIVE);
            if (numkeys < 1) {
                throw new CommandException(Errors.NUMKEYS_NOT_POSITIVE);
            }
            if (numkeys >= args.size() - numkeysIdx - 1) {
                throw new CommandException(Errors.SYNTAX);
            }
            int whereIdx = numkeysIdx + (int) numkeys + 1;
            boolean max;
            if (args.is(whereIdx, "min")) {
                max = false;
            } else if (args.is(whereIdx, "max")) {
                max = true;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
            long count = -1;
            for (int j = whereIdx + 1; j < args.size(); j++) {
                if (count == -1 && args.is(j, "count") && j < args.size() - 1) {
                    j++;
                    count = args.longAt(j, Errors.COUNT_NOT_POSITIVE);
                    if (count < 1) {
                        throw new CommandException(Errors.COUNT_NOT_POSITIVE);
                    }
                } else {
                    throw new CommandException(Errors.SYNTAX);
                }
            }
            return new MpopArgs((int) numkeys, max, count == -1 ? 1 : count);
        }
    }

    /**
     * Pops from the first non-empty key of {@code keyCount} keys from {@code firstKey} (a key of another type
     * met first is WRONGTYPE), replying in one of Redis's four shapes (flat or nested pairs, with or without
     * the key).
     */
    static void pop(CommandContext ctx, Args args, int firstKey, int keyCount, Reply reply, boolean max,
                            boolean emitKey, long count, boolean nested, boolean nilWhenEmpty) {
        ZSet z = null;
        byte[] key = null;
        for (int i = 0; i < keyCount && z == null; i++) {
            key = args.get(firstKey + i);
            z = ctx.db().get(key, ZSet.class);
        }
        if (z == null) {
            if (nilWhenEmpty) {
                reply.nullArray();
            } else {
                reply.array(0);
            }
            return;
        }
        if (count == 0) {
            reply.array(0);
            return;
        }
        if (count == -1) {
            count = 1;
        }
        int n = (int) Math.min(count, z.size());
        if (!nested && !emitKey) {
            reply.array(n * 2);
        } else if (nested && !emitKey) {
            reply.array(n);
        } else if (!nested) {
            // BZPOPMIN/BZPOPMAX: key, member, score
            reply.array(1 + n * 2);
            reply.bulk(key);
        } else {
            reply.array(2);
            reply.bulk(key);
            reply.array(n);
        }
        for (int i = 0; i < n; i++) {
            int rank = max ? z.size() - 1 : 0;
            byte[] member = z.memberAt(rank);
            double score = z.scoreAt(rank);
            z.removeRange(rank, rank + 1);
            if (nested) {
                reply.array(2);
            }
            reply.bulk(member);
            reply.doubleValue(score);
        }
        ZSets.changed(ctx, z, key, max ? "zpopmax" : "zpopmin", n);
        if (emitKey) {
            // ZMPOP/BZMPOP go to replicas as ZPOPMIN/ZPOPMAX key count, BZPOPMIN/BZPOPMAX as ZPOPMIN/ZPOPMAX key
            byte[] pop = Argv.word(max ? "ZPOPMAX" : "ZPOPMIN");
            if (nilWhenEmpty) {
                ctx.propagateAs(pop, key, Argv.number(count));
            } else {
                ctx.propagateAs(pop, key);
            }
        }
    }

    static void zrandmember(CommandContext ctx, Args args, Reply reply) {
        if (args.size() >= 3) {
            long count = args.longAt(2);
            if (count == Long.MIN_VALUE) {
                throw new CommandException(Errors.valueOutOfRange(-Long.MAX_VALUE, Long.MAX_VALUE));
            }
            boolean withScores = false;
            if (args.size() > 4 || (args.size() == 4 && !args.is(3, "withscores"))) {
                throw new CommandException(Errors.SYNTAX);
            } else if (args.size() == 4) {
                withScores = true;
                if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
                    throw new CommandException(Errors.VALUE_OUT_OF_RANGE);
                }
            }
            randomWithCount(ctx, args, reply, count, withScores);
            return;
        }
        ZSet z = ctx.db().get(args.get(1), ZSet.class);
        if (z == null) {
            reply.nullBulk();
            return;
        }
        reply.bulk(z.memberAt(ThreadLocalRandom.current().nextInt(z.size())));
    }

    private static void randomWithCount(CommandContext ctx, Args args, Reply reply, long count, boolean withScores) {
        ZSet z = ctx.db().get(args.get(1), ZSet.class);
        if (z == null || count == 0) {
            reply.array(0);
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int size = z.size();
        boolean pairs = withScores && reply.protocol() > 2;
        if (count < 0 || count == 1) {
            long n = Math.abs(count);
            if (n > Integer.MAX_VALUE / 2) {
                throw new CommandException(Errors.VALUE_OUT_OF_RANGE);
            }
            reply.array((int) (withScores && !pairs ? n * 2 : n));
            for (long i = 0; i < n; i++) {
                replyElement(reply, z, random.nextInt(size), withScores, pairs);
            }
            return;
        }
        if (count >= size) {
            // the whole set, walked from the tail as Redis's zset iterator does
            ZSets.replyRanks(reply, z, size - 1, size, true, withScores);
            return;
        }
        int n = (int) count;
        int[] ranks = distinctRanks(random, size, n);
        reply.array(withScores && !pairs ? n * 2 : n);
        for (int i = 0; i < n; i++) {
            replyElement(reply, z, ranks[i], withScores, pairs);
        }
    }

    /**
     * {@code n} distinct random ranks below {@code size} (n < size): a partial Fisher-Yates shuffle of the rank
     * numbers when n is a large part of the set, else random probes remembered in a small open-addressing table
     * (as Redis's ZRANDMEMBER_SUB_STRATEGY_MUL of 3 chooses), so a few members of a large set cost O(n).
     */
    private static int[] distinctRanks(ThreadLocalRandom random, int size, int n) {
        if ((long) n * 3 > size) {
            int[] ranks = new int[size];
            for (int i = 0; i < size; i++) {
                ranks[i] = i;
            }
            for (int i = 0; i < n; i++) {
                int j = i + random.nextInt(size - i);
                int t = ranks[i];
                ranks[i] = ranks[j];
                ranks[j] = t;
            }
            return ranks;
        }
        int[] seen = new int[Integer.highestOneBit(n * 2 - 1) << 1];
        Arrays.fill(seen, -1);
        int mask = seen.length - 1;
        int[] out = new int[n];
        int picked = 0;
        while (picked < n) {
            int r = random.nextInt(size);
            int slot = (r * 0x9E3779B9) >>> 7 & mask;
            while (seen[slot] >= 0 && seen[slot] != r) {
                slot = (slot + 1) & mask;
            }
            if (seen[slot] < 0) {
                seen[slot] = r;
                out[picked++] = r;
            }
        }
        return out;
    }

    private static void replyElement(Reply reply, ZSet z, int rank, boolean withScores, boolean pairs) {
        if (pairs) {
            reply.array(2);
        }
        reply.bulk(z.memberAt(rank));
        if (withScores) {
            reply.doubleValue(z.scoreAt(rank));
        }
    }

    /**
     * ZSCAN key cursor [MATCH pattern] [COUNT count], as Redis's scanGenericCommand: a listpack is answered
     * whole with cursor 0; a skiplist is walked through its member table's buckets until about COUNT
     * entries (members and scores both count, as in Redis) or 10 * COUNT buckets. MATCH filters afterwards.
     * Scores are bulk strings in both protocols.
     */
    static void zscan(CommandContext ctx, Args args, Reply reply) {
        ScanCursor.parse(args.get(2)); // Redis checks the cursor before looking the key up
        ZSet z = ctx.db().get(args.get(1), ZSet.class);
        if (z == null) {
            reply.array(2);
            reply.bulk(ZERO);
            reply.array(0);
            return;
        }
        ScanOptions opts = ScanOptions.parse(args, 3, false);
        long cursor = opts.cursor();
        long count = opts.count();
        List<byte[]> members = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        if (z.isListpack()) {
            for (int r = 0; r < z.size(); r++) {
                members.add(z.memberAt(r));
                scores.add(z.scoreAt(r));
            }
            cursor = 0;
        } else {
            long budget = count * 10;
            do {
                cursor = z.scan(cursor, (member, score) -> {
                    members.add(member);
                    scores.add(score);
                });
            } while (cursor != 0 && budget-- > 0 && members.size() * 2L < count);
        }
        int matched = 0;
        for (int i = 0; i < members.size(); i++) {
            if (!opts.matches(members.get(i))) {
                members.set(i, null);
            } else {
                matched++;
            }
        }
        reply.array(2);
        reply.bulk(cursor == 0 ? ZERO : Long.toUnsignedString(cursor).getBytes(StandardCharsets.US_ASCII));
        reply.array(matched * 2);
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i) != null) {
                reply.bulk(members.get(i));
                reply.bulk(RedisNumbers.formatDouble(scores.get(i)).getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    private static final byte[] ZERO = {'0'};
}
