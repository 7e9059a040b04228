package io.cinnabar.datatypes.hashes;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.RedisNumbers;
import io.cinnabar.api.Reply;

/**
 * Hash field expiry as Redis 7.4 has it: HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT, HTTL, HPTTL,
 * HEXPIRETIME, HPEXPIRETIME and HPERSIST. Every command names its fields as {@code FIELDS numfields field...}
 * and answers one integer per field; a missing key answers -2 for every field, as a hash without them.
 */
final class HashFieldExpiryCommands {
    /** Redis 7.4's HFE_MAX_ABS_TIME_MSEC: EB_EXPIRE_TIME_MAX (2^48-1) >> 2. */
    private static final long MAX_ABS_TIME_MSEC = 0xFFFFFFFFFFFFL >> 2;
    private static final int NO_FIELD = -2;
    private static final int CONDITION_NOT_MET = 0;
    private static final int SET = 1;
    private static final int DELETED = 2;
    private static final int NO_TTL = -1;
    private static final int PERSISTED = 1;

    private HashFieldExpiryCommands() {
    }

    static void hexpire(CommandContext ctx, Args args, Reply reply) {
        expire(ctx, args, reply, "hexpire", ctx.nowMillis(), true);
    }

    static void hpexpire(CommandContext ctx, Args args, Reply reply) {
        expire(ctx, args, reply, "hpexpire", ctx.nowMillis(), false);
    }

    static void hexpireat(CommandContext ctx, Args args, Reply reply) {
        expire(ctx, args, reply, "hexpireat", 0, true);
    }

    static void hpexpireat(CommandContext ctx, Args args, Reply reply) {
        expire(ctx, args, reply, "hpexpireat", 0, false);
    }

    static void httl(CommandContext ctx, Args args, Reply reply) {
        ttl(ctx, args, reply, ctx.nowMillis(), true);
    }

    static void hpttl(CommandContext ctx, Args args, Reply reply) {
        ttl(ctx, args, reply, ctx.nowMillis(), false);
    }

    static void hexpiretime(CommandContext ctx, Args args, Reply reply) {
        ttl(ctx, args, reply, 0, true);
    }

    static void hpexpiretime(CommandContext ctx, Args args, Reply reply) {
        ttl(ctx, args, reply, 0, false);
    }

    /**
     * Redis 7.4's hexpireGenericCommand: the time is checked (and made absolute from {@code basetime}) before
     * the optional NX|XX|GT|LT at argument 3 and the FIELDS block. A deadline not after now deletes the field.
     */
    private static void expire(CommandContext ctx, Args args, Reply reply, String name, long basetime,
                               boolean seconds) {
        byte[] key = args.get(1);
        HashValue h = HashCommands.lookup(ctx, key);
        long expire = args.longAt(2);
        if (expire < 0) {
            throw new CommandException(Errors.HASH_EXPIRE_TIME_NEGATIVE);
        }
        if (seconds) {
            if (expire > MAX_ABS_TIME_MSEC / 1000) {
                throw new CommandException(Errors.invalidExpireTime(name));
            }
            expire *= 1000;
        }
        if (expire > MAX_ABS_TIME_MSEC - basetime) {
            throw new CommandException(Errors.invalidExpireTime(name));
        }
        long deadline = expire + basetime;
        Condition cond = Condition.NONE;
        int fieldsAt = 3;
        if (args.is(3, "nx")) {
            cond = Condition.NX;
        } else if (args.is(3, "xx")) {
            cond = Condition.XX;
        } else if (args.is(3, "gt")) {
            cond = Condition.GT;
        } else if (args.is(3, "lt")) {
            cond = Condition.LT;
        }
        if (cond != Condition.NONE) {
            fieldsAt++;
        }
        int n = fieldCount(args, fieldsAt);
        reply.array(n);
        if (h == null) {
            allNoField(reply, n);
            return;
        }
        long now = ctx.nowMillis();
        int updated = 0;
        int deleted = 0;
        for (int i = fieldsAt + 2; i < args.size(); i++) {
            byte[] field = args.get(i);
            if (!h.contains(field)) {
                reply.integer(NO_FIELD);
            } else if (!cond.allows(h.expireAt(field), deadline)) {
                reply.integer(CONDITION_NOT_MET);
            } else if (deadline <= now) {
                h.delete(field);
                deleted++;
                reply.integer(DELETED);
            } else {
                h.setExpireAt(field, deadline);
                updated++;
                reply.integer(SET);
            }
        }
        if (updated + deleted == 0) {
            return;
        }
        ctx.addDirty(updated + deleted);
        ctx.signalModifiedKey(key);
        // a deadline in the past deletes: "hdel" as EXPIRE's "del" (redis/redis#13408, in 7.4.0)
        ctx.notifyKeyspaceEvent(KeyspaceEvents.HASH, deleted > 0 ? "hdel" : "hexpire", key);
        if (h.size() == 0) {
            ctx.db().delete(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
        }
    }

    /** Redis 7.4's httlGenericCommand: -2 no field, -1 no TTL, else the TTL or deadline (seconds round up). */
    private static void ttl(CommandContext ctx, Args args, Reply reply, long basetime, boolean seconds) {
        HashValue h = HashCommands.lookup(ctx, args.get(1));
        int n = fieldCount(args, 2);
        reply.array(n);
        if (h == null) {
            allNoField(reply, n);
            return;
        }
        for (int i = 4; i < args.size(); i++) {
            byte[] field = args.get(i);
            if (!h.contains(field)) {
                reply.integer(NO_FIELD);
                continue;
            }
            long at = h.expireAt(field);
            if (at < 0) {
                reply.integer(NO_TTL);
            } else {
                reply.integer(seconds ? (at + 999 - basetime) / 1000 : at - basetime);
            }
        }
    }

    static void hpersist(CommandContext ctx, Args args, Reply reply) {
        byte[] key = args.get(1);
        HashValue h = HashCommands.lookup(ctx, key);
        int n = fieldCount(args, 2);
        reply.array(n);
        if (h == null) {
            allNoField(reply, n);
            return;
        }
        int changed = 0;
        for (int i = 4; i < args.size(); i++) {
            byte[] field = args.get(i);
            if (!h.contains(field)) {
                reply.integer(NO_FIELD);
            } else if (h.persist(field)) {
                changed++;
                reply.integer(PERSISTED);
            } else {
                reply.integer(NO_TTL);
            }
        }
        if (changed > 0) {
            ctx.addDirty(changed);
            ctx.signalModifiedKey(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.HASH, "hpersist", key);
        }
    }

    /** The {@code FIELDS numfields} block at {@code at}: numfields, which must count the arguments after it. */
    private static int fieldCount(Args args, int at) {
        if (!args.is(at, "fields")) {
            throw new CommandException(Errors.HASH_FIELDS_MISSING);
        }
        long n = RedisNumbers.parseLong(args.get(at + 1), Errors.HASH_NUMFIELDS_NOT_POSITIVE);
        if (n < 1) {
            throw new CommandException(Errors.HASH_NUMFIELDS_NOT_POSITIVE);
        }
        if (n != args.size() - at - 2) {
            throw new CommandException(Errors.HASH_NUMFIELDS_MISMATCH);
        }
        return (int) n;
    }

    private static void allNoField(Reply reply, int n) {
        for (int i = 0; i < n; i++) {
            reply.integer(NO_FIELD);
        }
    }

    /** NX|XX|GT|LT of HEXPIRE: a field without TTL counts as an infinite one (GT never, LT always applies). */
    private enum Condition {
        NONE, NX, XX, GT, LT;

        boolean allows(long current, long deadline) {
            return switch (this) {
                case NONE -> true;
                case NX -> current < 0;
                case XX -> current >= 0;
                case GT -> current >= 0 && deadline > current;
                case LT -> current < 0 || deadline < current;
            };
        }
    }
}
