package io.cinnabar.datatypes.strings;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Handler;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.RawString;
import io.cinnabar.api.Reply;
import java.util.Arrays;

/**
 * BITOP AND|OR|XOR|NOT destkey key [key ...]: missing keys count as empty strings, shorter strings as
 * zero padded; the result is as long as the longest source, and an empty result deletes the destination.
 */
final class BitopCommand implements Handler {
    private static final int AND = 0;
    private static final int OR = 1;
    private static final int XOR = 2;
    private static final int NOT = 3;

    @Override
    public void execute(CommandContext ctx, Args args, Reply reply) {
        int op = operation(args);
        if (op == NOT && args.size() != 4) {
            throw new CommandException(Errors.BITOP_NOT_ONE_KEY);
        }
        Db db = ctx.db();
        int n = args.size() - 3;
        byte[][] src = new byte[n][];
        int[] len = new int[n];
        int maxLen = 0;
        for (int i = 0; i < n; i++) {
            Object v = Bitmaps.lookup(db, args.get(3 + i));
            if (v != null) {
                src[i] = Bitmaps.bytes(v);
                len[i] = Bitmaps.length(v);
                maxLen = Math.max(maxLen, len[i]);
            }
        }
        byte[] dest = args.get(2);
        if (maxLen > 0) {
            // Redis stores the result as a fresh sds string: OBJECT ENCODING says raw whatever its length
            db.set(dest, new RawString(compute(op, src, len, maxLen)));
            StringValues.keyChanged(ctx, KeyspaceEvents.STRING, "set", dest);
        } else if (db.delete(dest)) {
            StringValues.keyChanged(ctx, KeyspaceEvents.GENERIC, "del", dest);
        }
        reply.integer(maxLen);
    }

    private static int operation(Args args) {
        if (args.is(1, "and")) {
            return AND;
        }
        if (args.is(1, "or")) {
            return OR;
        }
        if (args.is(1, "xor")) {
            return XOR;
        }
        if (args.is(1, "not")) {
            return NOT;
        }
        throw new CommandException(Errors.SYNTAX);
    }

    /** Folds every source into a copy of the first, a word at a time; bytes past a source's end are zero. */
    private static byte[] compute(int op, byte[][] src, int[] len, int maxLen) {
        byte[] res = new byte[maxLen];
        if (src[0] != null) {
            System.arraycopy(src[0], 0, res, 0, len[0]);
        }
        if (op == NOT) {
            not(res);
            return res;
        }
        for (int k = 1; k < src.length; k++) {
            int n = src[k] == null ? 0 : len[k];
            if (op == AND) {
                and(res, src[k], n);
            } else {
                orXor(res, src[k], n, op == XOR);
            }
        }
        return res;
    }

    private static void not(byte[] res) {
        int i = 0;
        for (; i + 8 <= res.length; i += 8) {
            Bitmaps.LITTLE.set(res, i, ~(long) Bitmaps.LITTLE.get(res, i));
        }
        for (; i < res.length; i++) {
            res[i] = (byte) ~res[i];
        }
    }

    private static void and(byte[] res, byte[] s, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            Bitmaps.LITTLE.set(res, i, (long) Bitmaps.LITTLE.get(res, i) & (long) Bitmaps.LITTLE.get(s, i));
        }
        for (; i < n; i++) {
            res[i] &= s[i];
        }
        Arrays.fill(res, n, res.length, (byte) 0);
    }

    private static void orXor(byte[] res, byte[] s, int n, boolean xor) {
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long a = (long) Bitmaps.LITTLE.get(res, i);
            long b = (long) Bitmaps.LITTLE.get(s, i);
            Bitmaps.LITTLE.set(res, i, xor ? a ^ b : a | b);
        }
        for (; i < n; i++) {
            res[i] = (byte) (xor ? res[i] ^ s[i] : res[i] | s[i]);
        }
    }
}
