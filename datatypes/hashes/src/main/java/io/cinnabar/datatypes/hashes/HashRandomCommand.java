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
        } else if (h.isListpack()) {
            reply.bulk(h.fieldAt(ThreadLocalRandom.current().nextInt(h.size())));
        } else {
            reply.bulk(h.randomEntry().field);
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
        if (l < 0 || count == 1) {
            // with repetitions (or a single field): count independent draws
            reply.array(checkedLength(flat ? count * 2 : count));
            for (long i = 0; i < count; i++) {
                if (h.isListpack()) {
                    int k = rnd.nextInt(size);
                    element(reply, withValues, h.fieldAt(k), h.valueAt(k));
                } else {
                    FieldTable.Entry e = h.randomEntry();
                    element(reply, withValues, e.field, e.value);
                }
            }
            return;
        }
        int n = (int) Math.min(count, size);
        reply.array(flat ? n * 2 : n);
        if (count >= size) {
            h.forEach((f, v) -> element(reply, withValues, f, v));
        } else if (h.isListpack()) {
            int[] idx = partialShuffle(size, n, rnd);
            for (int i = 0; i < n; i++) {
                element(reply, withValues, h.fieldAt(idx[i]), h.valueAt(idx[i]));
            }
        } else if (count * 3 > size) {
            FieldTable.Entry[] all = new FieldTable.Entry[size];
            int[] k = {0};
            h.forEach((f, v) -> all[k[0]++] = new FieldTable.Entry(f, v, 0, null));
            int[] idx = partialShuffle(size, n, rnd);
            for (int i = 0; i < n; i++) {
                element(reply, withValues, all[idx[i]].field, all[idx[i]].value);
            }
        } else {
            // few of many: draw until n distinct entries (entries compare by identity)
            Set<FieldTable.Entry> seen = new HashSet<>();
            while (seen.size() < n) {
                FieldTable.Entry e = h.randomEntry();
                if (seen.add(e)) {
                    element(reply, withValues, e.field, e.value);
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

    private static void element(Reply reply, boolean withValues, byte[] field, byte[] value) {
        if (withValues && reply.protocol() > 2) {
            reply.array(2);
        }
        reply.bulk(field);
        if (withValues) {
            reply.bulk(value);
        }
    }
}
