package io.cinnabar.datatypes.hyperloglog;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;

/** PFADD, PFCOUNT and PFMERGE, as hyperloglog.c's commands. */
final class HyperLogLogCommands {
    private HyperLogLogCommands() {
    }

    static long sparseMaxBytes(CommandContext ctx) {
        return ctx.config().getLong("hll-sparse-max-bytes");
    }

    /** PFADD key [element ...]: 1 when the key was created or a register changed. */
    static void pfadd(CommandContext ctx, Args args, Reply reply) {
        byte[] key = args.get(1);
        Db db = ctx.db();
        Object v = db.get(key);
        int updated = 0;
        HllString h;
        if (v == null) {
            h = HllString.empty();
            updated++;
        } else {
            h = HllString.open(db, key, v);
        }
        long maxBytes = sparseMaxBytes(ctx);
        for (int j = 2; j < args.size(); j++) {
            int r = HyperLogLog.add(h, args.get(j), maxBytes);
            if (r == -1) {
                // Redis updated the string in place up to the corrupted opcode and tells no one
                h.store(db, key);
                throw new CommandException(Errors.HLL_CORRUPTED);
            }
            updated += r;
        }
        if (updated > 0) {
            h.invalidateCache();
        }
        h.store(db, key);
        if (updated > 0) {
            ctx.signalModifiedKey(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.STRING, "pfadd", key);
            ctx.addDirty(updated);
        }
        reply.integer(updated > 0 ? 1 : 0);
    }

    /**
     * PFCOUNT key [key ...]. One key: the cached cardinality, recomputed and written back when stale (a write,
     * though the command is read-only). Several keys: the estimate of their union, nothing cached.
     */
    static void pfcount(CommandContext ctx, Args args, Reply reply) {
        Db db = ctx.db();
        if (args.size() > 2) {
            byte[] max = new byte[HyperLogLog.REGISTERS];
            for (int j = 1; j < args.size(); j++) {
                Object v = db.get(args.get(j));
                if (v == null) {
                    continue;
                }
                if (!HyperLogLog.merge(max, HllString.read(v))) {
                    throw new CommandException(Errors.HLL_CORRUPTED);
                }
            }
            reply.integer(HyperLogLog.count(HyperLogLog.histogram(max)));
            return;
        }
        byte[] key = args.get(1);
        Object v = db.get(key);
        if (v == null) {
            reply.integer(0);
            return;
        }
        HllString h = HllString.open(db, key, v);
        long card;
        if (h.validCache()) {
            card = h.cachedCardinality();
        } else {
            boolean[] invalid = new boolean[1];
            card = HyperLogLog.count(HyperLogLog.histogram(h, invalid));
            if (invalid[0]) {
                throw new CommandException(Errors.HLL_CORRUPTED);
            }
            h.setCachedCardinality(card);
            ctx.signalModifiedKey(key);
            ctx.addDirty(1);
        }
        reply.integer(card);
    }

    /** PFMERGE destkey [sourcekey ...]: the destination (also a source) becomes the union; dense if any input is. */
    static void pfmerge(CommandContext ctx, Args args, Reply reply) {
        Db db = ctx.db();
        byte[] max = new byte[HyperLogLog.REGISTERS];
        boolean useDense = false;
        for (int j = 1; j < args.size(); j++) {
            Object v = db.get(args.get(j));
            if (v == null) {
                continue;
            }
            HllString src = HllString.read(v);
            if (src.encoding() == HllString.DENSE) {
                useDense = true;
            }
            if (!HyperLogLog.merge(max, src)) {
                throw new CommandException(Errors.HLL_CORRUPTED);
            }
        }
        byte[] key = args.get(1);
        Object v = db.get(key);
        HllString h = v == null ? HllString.empty() : HllString.open(db, key, v);
        if (useDense && !HyperLogLog.sparseToDense(h)) {
            h.store(db, key);
            throw new CommandException(Errors.HLL_CORRUPTED);
        }
        long maxBytes = sparseMaxBytes(ctx);
        for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
            if (max[j] == 0) {
                continue;
            }
            if (h.encoding() == HllString.DENSE) {
                HyperLogLog.denseSet(h.b, j, max[j]);
            } else {
                HyperLogLog.sparseSet(h, j, max[j], maxBytes);
            }
        }
        h.invalidateCache();
        h.store(db, key);
        ctx.signalModifiedKey(key);
        // Redis announces a merge as a mass PFADD
        ctx.notifyKeyspaceEvent(KeyspaceEvents.STRING, "pfadd", key);
        ctx.addDirty(1);
        reply.ok();
    }
}
