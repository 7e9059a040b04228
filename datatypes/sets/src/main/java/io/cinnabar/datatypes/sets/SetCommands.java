package io.cinnabar.datatypes.sets;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.Db;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;

/** The member commands of Redis's t_set.c: SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS, SMOVE. */
final class SetCommands {
    private SetCommands() {
    }

    static void sadd(CommandContext ctx, Args args, Reply reply) {
        Db db = ctx.db();
        byte[] key = args.get(1);
        SetLimits limits = SetLimits.of(ctx);
        SetValue set = db.get(key, SetValue.class);
        // the size hint counts every argument, duplicates included, as Redis's
        long hint = args.size() - 2;
        if (set == null) {
            set = SetValue.create(args.get(2), hint, limits);
            db.add(key, set);
        } else {
            set.maybeConvert(hint, limits);
        }
        int added = 0;
        for (int j = 2; j < args.size(); j++) {
            if (set.add(args.get(j), limits)) {
                added++;
            }
        }
        if (added > 0) {
            ctx.signalModifiedKey(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.SET, "sadd", key);
            ctx.addDirty(added);
        }
        reply.integer(added);
    }

    static void srem(CommandContext ctx, Args args, Reply reply) {
        Db db = ctx.db();
        byte[] key = args.get(1);
        SetValue set = db.get(key, SetValue.class);
        if (set == null) {
            reply.integer(0);
            return;
        }
        int deleted = 0;
        boolean removed = false;
        for (int j = 2; j < args.size(); j++) {
            if (set.remove(args.get(j))) {
                deleted++;
                if (set.size() == 0) {
                    db.delete(key);
                    removed = true;
                    break;
                }
            }
        }
        if (deleted > 0) {
            ctx.signalModifiedKey(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.SET, "srem", key);
            if (removed) {
                ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
            }
            ctx.addDirty(deleted);
        }
        reply.integer(deleted);
    }

    static void scard(CommandContext ctx, Args args, Reply reply) {
        SetValue set = ctx.db().get(args.get(1), SetValue.class);
        reply.integer(set == null ? 0 : set.size());
    }

    static void sismember(CommandContext ctx, Args args, Reply reply) {
        SetValue set = ctx.db().get(args.get(1), SetValue.class);
        reply.integer(set != null && set.contains(args.get(2)) ? 1 : 0);
    }

    static void smismember(CommandContext ctx, Args args, Reply reply) {
        SetValue set = ctx.db().get(args.get(1), SetValue.class);
        reply.array(args.size() - 2);
        for (int j = 2; j < args.size(); j++) {
            reply.integer(set != null && set.contains(args.get(j)) ? 1 : 0);
        }
    }

    /** SMEMBERS: a RESP3 set in the encoding's order (ascending for an intset, insertion for a listpack). */
    static void smembers(CommandContext ctx, Args args, Reply reply) {
        SetValue set = ctx.db().get(args.get(1), SetValue.class);
        if (set == null) {
            reply.set(0);
            return;
        }
        members(reply, set);
    }

    /** Writes every member of {@code set} as a set reply. */
    static void members(Reply reply, SetValue set) {
        int n = set.size();
        reply.set(n);
        for (int i = 0; i < n; i++) {
            set.reply(reply, i);
        }
    }

    /**
     * SMOVE: a missing source is 0 before any type check of the destination; the same key on both sides only
     * answers membership; the source's events (and its deletion) come before the destination's.
     */
    static void smove(CommandContext ctx, Args args, Reply reply) {
        Db db = ctx.db();
        byte[] srcKey = args.get(1);
        byte[] dstKey = args.get(2);
        byte[] member = args.get(3);
        SetValue src = db.get(srcKey, SetValue.class);
        if (src == null) {
            reply.integer(0);
            return;
        }
        SetValue dst = db.get(dstKey, SetValue.class);
        if (src == dst) {
            reply.integer(src.contains(member) ? 1 : 0);
            return;
        }
        if (!src.remove(member)) {
            reply.integer(0);
            return;
        }
        ctx.notifyKeyspaceEvent(KeyspaceEvents.SET, "srem", srcKey);
        if (src.size() == 0) {
            db.delete(srcKey);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", srcKey);
        }
        SetLimits limits = SetLimits.of(ctx);
        if (dst == null) {
            dst = SetValue.create(member, 1, limits);
            db.add(dstKey, dst);
        }
        ctx.signalModifiedKey(srcKey);
        ctx.addDirty(1);
        if (dst.add(member, limits)) {
            ctx.addDirty(1);
            ctx.signalModifiedKey(dstKey);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.SET, "sadd", dstKey);
        }
        reply.integer(1);
    }
}
