package io.cinnabar.datatypes.strings;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.RawString;
import io.cinnabar.api.Reply;
import io.cinnabar.api.Values;

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]: the classic dynamic-programming table, then a
 * walk back from the end that builds the common subsequence and, for IDX, the matching ranges from the last
 * to the first, exactly in Redis's order. Missing keys are empty strings.
 */
final class LcsCommand {
    private static final byte[] EMPTY = new byte[0];

    private LcsCommand() {
    }

    static void lcs(CommandContext ctx, Args args, Reply reply) {
        Db db = ctx.db();
        Object oa = db.get(args.get(1));
        Object ob = db.get(args.get(2));
        if ((oa != null && !Values.isString(oa)) || (ob != null && !Values.isString(ob))) {
            throw new CommandException(Errors.LCS_KEYS_NOT_STRINGS);
        }
        boolean getLen = false;
        boolean getIdx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < args.size(); j++) {
            boolean moreArgs = j < args.size() - 1;
            if (args.is(j, "idx")) {
                getIdx = true;
            } else if (args.is(j, "len")) {
                getLen = true;
            } else if (args.is(j, "withmatchlen")) {
                withMatchLen = true;
            } else if (args.is(j, "minmatchlen") && moreArgs) {
                minMatchLen = Math.max(0, args.longAt(++j));
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        if (getLen && getIdx) {
            throw new CommandException(Errors.LCS_LEN_AND_IDX);
        }
        byte[] a = bytes(oa);
        byte[] b = bytes(ob);
        int alen = oa == null ? 0 : StringValues.length(oa);
        int blen = ob == null ? 0 : StringValues.length(ob);
        int[] table = table(ctx, a, alen, b, blen);
        int stride = blen + 1;
        int total = table[alen * stride + blen];
        if (getLen) {
            reply.integer(total);
            return;
        }
        if (!getIdx) {
            reply.bulk(subsequence(table, stride, a, alen, b, blen, total));
            return;
        }
        reply.map(2);
        reply.bulk("matches");
        Reply.Deferred matches = reply.deferredArray();
        int n = ranges(reply, table, stride, a, alen, b, blen, minMatchLen, withMatchLen);
        matches.finish(n);
        reply.bulk("len");
        reply.integer(total);
    }

    private static byte[] bytes(Object v) {
        if (v == null) {
            return EMPTY;
        }
        return v instanceof RawString r ? r.buffer() : (byte[]) v;
    }

    /** LCS(i, j) = length of the LCS of a[0..i) and b[0..j), row-major with stride blen + 1. */
    private static int[] table(CommandContext ctx, byte[] a, int alen, byte[] b, int blen) {
        long cells = (alen + 1L) * (blen + 1L);
        if (cells * Integer.BYTES > ctx.config().getLong("proto-max-bulk-len")) {
            throw new CommandException(Errors.LCS_EXCEEDS_MAX_BULK);
        }
        int[] lcs;
        try {
            if (cells > StringValues.MAX_ARRAY) {
                throw new OutOfMemoryError();
            }
            lcs = new int[(int) cells];
        } catch (OutOfMemoryError e) {
            // Redis uses ztrymalloc here and answers with an error instead of failing
            throw new CommandException(Errors.LCS_ALLOC_FAILED);
        }
        int stride = blen + 1;
        for (int i = 1; i <= alen; i++) {
            int row = i * stride;
            int prev = row - stride;
            byte ai = a[i - 1];
            for (int j = 1; j <= blen; j++) {
                if (ai == b[j - 1]) {
                    lcs[row + j] = lcs[prev + j - 1] + 1;
                } else {
                    lcs[row + j] = Math.max(lcs[prev + j], lcs[row + j - 1]);
                }
            }
        }
        return lcs;
    }

    private static byte[] subsequence(int[] lcs, int stride, byte[] a, int alen, byte[] b, int blen, int total) {
        byte[] result = new byte[total];
        int idx = total;
        int i = alen;
        int j = blen;
        while (i > 0 && j > 0) {
            if (a[i - 1] == b[j - 1]) {
                result[--idx] = a[i - 1];
                i--;
                j--;
            } else if (lcs[(i - 1) * stride + j] > lcs[i * stride + j - 1]) {
                i--;
            } else {
                j--;
            }
        }
        return result;
    }

    /** Writes the IDX ranges (as Redis emits them while walking back) and returns how many were written. */
    private static int ranges(Reply reply, int[] lcs, int stride, byte[] a, int alen, byte[] b, int blen,
                              long minMatchLen, boolean withMatchLen) {
        int count = 0;
        int aStart = alen; // alen means "no range open"
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        int i = alen;
        int j = blen;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                if (aStart == alen) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                i--;
                j--;
            } else {
                if (lcs[(i - 1) * stride + j] > lcs[i * stride + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != alen) {
                    emit = true;
                }
            }
            if (emit) {
                long matchLen = (long) aEnd - aStart + 1;
                if (minMatchLen == 0 || matchLen >= minMatchLen) {
                    reply.array(withMatchLen ? 3 : 2);
                    reply.array(2);
                    reply.integer(aStart);
                    reply.integer(aEnd);
                    reply.array(2);
                    reply.integer(bStart);
                    reply.integer(bEnd);
                    if (withMatchLen) {
                        reply.integer(matchLen);
                    }
                    count++;
                }
                aStart = alen;
            }
        }
        return count;
    }
}
