package io.cinnabar.datatypes.hyperloglog;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Reply;
import java.util.Arrays;
import java.util.SplittableRandom;

/** PFDEBUG and PFSELFTEST, hyperloglog.c's testing and debugging commands. */
final class HyperLogLogDebug {
    private static final int TEST_CYCLES = 1000;
    private static final int TEST_ELEMENTS = 10_000_000;

    private HyperLogLogDebug() {
    }

    /**
     * PFDEBUG GETREG|DECODE|ENCODING|TODENSE key. The key is looked up (and made raw) before the subcommand
     * is read, so a missing key or a non-HLL wins over an unknown subcommand, as in Redis.
     */
    static void pfdebug(CommandContext ctx, Args args, Reply reply) {
        byte[] key = args.get(2);
        Db db = ctx.db();
        Object v = db.get(key);
        if (v == null) {
            throw new CommandException(Errors.PFDEBUG_NO_SUCH_KEY);
        }
        HllString h = HllString.open(db, key, v);
        if (args.is(1, "getreg")) {
            if (h.encoding() == HllString.SPARSE) {
                toDense(ctx, db, key, h);
            }
            reply.array(HyperLogLog.REGISTERS);
            for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
                reply.integer(HyperLogLog.denseGet(h.b, j));
            }
        } else if (args.is(1, "decode")) {
            if (h.encoding() != HllString.SPARSE) {
                throw new CommandException(Errors.HLL_NOT_SPARSE);
            }
            reply.bulk(decode(h));
        } else if (args.is(1, "encoding")) {
            reply.simple(h.encoding() == HllString.DENSE ? "dense" : "sparse");
        } else if (args.is(1, "todense")) {
            boolean converted = h.encoding() == HllString.SPARSE;
            if (converted) {
                toDense(ctx, db, key, h);
            }
            reply.integer(converted ? 1 : 0);
        } else {
            throw new CommandException(Errors.unknownPfdebugSubcommand(args.string(1)));
        }
    }

    /** The sparse conversion of GETREG and TODENSE: counted as a change (for propagation), not signalled. */
    private static void toDense(CommandContext ctx, Db db, byte[] key, HllString h) {
        if (!HyperLogLog.sparseToDense(h)) {
            throw new CommandException(Errors.HLL_CORRUPTED);
        }
        h.store(db, key);
        ctx.addDirty(1);
    }

    /** The sparse opcodes as "z:len", "Z:len" and "v:value,len", space separated. */
    private static byte[] decode(HllString h) {
        StringBuilder out = new StringBuilder();
        byte[] b = h.b;
        int end = h.len;
        int p = HllString.HDR_SIZE;
        while (p < end) {
            int op = b[p] & 0xff;
            if (out.length() > 0) {
                out.append(' ');
            }
            if (HyperLogLog.isZero(op)) {
                out.append("z:").append(HyperLogLog.zeroLen(op));
                p++;
            } else if (HyperLogLog.isXzero(op)) {
                out.append("Z:").append(HyperLogLog.xzeroLen(b, p, end));
                p += 2;
            } else {
                out.append("v:").append(HyperLogLog.valValue(op)).append(',').append(HyperLogLog.valLen(op));
                p++;
            }
        }
        return out.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * PFSELFTEST: the dense registers keep what is written to them without touching their neighbours, and
     * ten million elements added to a dense and a sparse HLL agree and stay within six standard errors at
     * every power of ten.
     */
    static void pfselftest(CommandContext ctx, Args args, Reply reply) {
        SplittableRandom rand = new SplittableRandom();
        byte[] bitcounters = new byte[HllString.DENSE_SIZE];
        int[] bytecounters = new int[HyperLogLog.REGISTERS];
        for (int j = 0; j < TEST_CYCLES; j++) {
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                int r = rand.nextInt() & HyperLogLog.REGISTER_MAX;
                bytecounters[i] = r;
                HyperLogLog.denseSetRegister(bitcounters, i, r);
            }
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                int val = HyperLogLog.denseGet(bitcounters, i);
                if (val != bytecounters[i]) {
                    throw new CommandException(Errors.hllSelfTestFailed(
                            "Register " + i + " should be " + bytecounters[i] + " but is " + val));
                }
            }
        }
        Arrays.fill(bitcounters, HllString.HDR_SIZE, bitcounters.length, (byte) 0);
        HllString dense = HllString.detached(bitcounters);
        HllString sparse = HllString.empty();
        long maxBytes = HyperLogLogCommands.sparseMaxBytes(ctx);
        double relerr = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
        long checkpoint = 1;
        long seed = (rand.nextInt() & 0x7fffffffL) | (rand.nextInt() & 0x7fffffffL) << 32;
        byte[] ele = new byte[8];
        for (long j = 1; j <= TEST_ELEMENTS; j++) {
            long e = j ^ seed;
            for (int k = 0; k < 8; k++) {
                ele[k] = (byte) (e >>> (8 * k));
            }
            int pat = HyperLogLog.patLen(ele, 0, 8);
            HyperLogLog.denseSet(bitcounters, pat & 0xffff, pat >>> 16);
            HyperLogLog.add(sparse, ele, maxBytes);
            if (j != checkpoint) {
                continue;
            }
            if (j < maxBytes / 2 && sparse.encoding() != HllString.SPARSE) {
                throw new CommandException(Errors.hllSelfTestFailed("sparse encoding not used"));
            }
            long denseCount = HyperLogLog.count(HyperLogLog.histogram(dense, null));
            if (denseCount != HyperLogLog.count(HyperLogLog.histogram(sparse, null))) {
                throw new CommandException(Errors.hllSelfTestFailed("dense/sparse disagree"));
            }
            long abserr = Math.abs(checkpoint - denseCount);
            long maxerr = (long) Math.ceil(relerr * 6 * checkpoint);
            // cardinality 10 now and then collides much more than the standard error says
            if (j == 10) {
                maxerr = 1;
            }
            if (abserr > maxerr) {
                throw new CommandException(Errors.hllSelfTestFailed(
                        "Too big error. card:" + checkpoint + " abserr:" + abserr));
            }
            checkpoint *= 10;
        }
        reply.ok();
    }
}
