package io.cinnabar.datatypes.hashes;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Reply;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HRANDFIELD key [count [WITHVALUES]]: a positive count returns distinct fields, a negative one may repeat;
 * with values RESP2 replies flat and RESP3 with a pair array per field, as Redis's hrandfieldWithCountCommand.
 */
final class HashRandomCommand {
    private HashRandomCommand() {
    }

    static void hrandfield(CommandContext ctx, Args args, Reply reply) {
        if (args.size() >= 3) {
            long l = args.longAt(2);
            if (l == Long.MIN_VALUE) {
                throw new CommandException(Errors.valueOutOfRange(-Long.MAX_VALUE, Long.MAX_VALUE));
            }
            if (args.size() > 4 || (args.size() == 4 && !args.is(3, "withvalues"))) {
                throw new CommandException(Errors.SYNTAX);
            }
            boolean withValues = args.size() == 4;
            if (withValues && (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2)) {
                throw new CommandException(Errors.VALUE_OUT_OF_RANGE);
            }
            withCount(ctx, args, reply, l, withValues);
            return;
        }
        HashValue h = HashCommands.lookup(ctx, args.get(1));
        if (h == null) {
            reply.nullBulk();
        } else {
            h.visitRandom(ThreadLocalRandom.current(), (b, fo, fl, vo, vl) -> reply.bulk(b, fo, fl));
        }
    }

    private static void withCount(CommandContext ctx, Args args, Reply reply, long l, boolean withValues) {
        HashValue h = HashCommands.lookup(ctx, args.get(1));
        if (h == null || l == 0) {
            reply.array(0);
            return;
        }
        boolean flat = withValues && reply.protocol() == 2;
        long count = Math.abs(l);
        int size = h.size();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        HashValue.Visitor element = (b, fo, fl, vo, vl) -> {
            if (withValues && reply.protocol() > 2) {
                reply.array(2);
            }
            reply.bulk(b, fo, fl);
            if (withValues) {
                reply.bulk(b, vo, vl);
            }
        };
        if (l < 0 || count == 1) {
            // with repetitions (or a single field): count independent draws
            reply.array(checkedLength(flat ? count * 2 : count));
            int[] positions = h.positions();
            for (long i = 0; i < count; i++) {
                h.visitAt(positions, rnd.nextInt(size), element);
            }
            return;
        }
        int n = (int) Math.min(count, size);
        reply.array(flat ? n * 2 : n);
        int[] positions = count >= size ? null : h.positions();
        if (count >= size) {
            h.forEach(element);
        } else if (h.isListpack() || count * 3 > size) {
            int[] idx = partialShuffle(size, n, rnd);
            for (int i = 0; i < n; i++) {
                h.visitAt(positions, idx[i], element);
            }
        } else {
            // few of many: draw until n distinct entries
            Set<Integer> seen = new HashSet<>();
            while (seen.size() < n) {
                int k = rnd.nextInt(size);
                if (seen.add(k)) {
                    h.visitAt(positions, k, element);
                }
            }
        }
    }

    /** The first {@code n} slots of a random permutation of {@code 0..size-1}. */
    private static int[] partialShuffle(int size, int n, ThreadLocalRandom rnd) {
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < n; i++) {
            int j = i + rnd.nextInt(size - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }

    /** A reply longer than an array header can carry cannot be built (Redis would exhaust its memory). */
    private static int checkedLength(long n) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new CommandException(Errors.VALUE_OUT_OF_RANGE);
        }
        return (int) n;
    }
}
