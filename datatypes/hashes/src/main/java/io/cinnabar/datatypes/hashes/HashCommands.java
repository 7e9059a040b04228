package io.cinnabar.datatypes.hashes;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;

/** HSET, HMSET, HSETNX, HGET, HMGET, HDEL, HLEN, HSTRLEN, HEXISTS, HKEYS, HVALS and HGETALL (Redis's t_hash.c). */
final class HashCommands {
    private HashCommands() {
    }

    /** The hash at {@code key}, null when absent; WRONGTYPE for another type. */
    static HashValue lookup(CommandContext ctx, byte[] key) {
        HashValue h = ctx.db().get(key, HashValue.class);
        if (h != null && h.anyDue(ctx.nowMillis())) {
            boolean deleted = HashFieldExpiryCycle.expireDue(ctx.db(), key, h, ctx.nowMillis(),
                    new HashFieldExpiryCycle.Events() {
                        @Override
                        public void notify(int eventClass, String event, byte[] k) {
                            ctx.notifyKeyspaceEvent(eventClass, event, k);
                        }

                        @Override
                        public void modified(byte[] k) {
                            ctx.signalModifiedKey(k);
                        }
                    });
            return deleted ? null : h;
        }
        return h;
    }

    /** Redis's {@code hashTypeLookupWriteOrCreate}: the hash, created empty (and added) when absent. */
    static HashValue lookupOrCreate(CommandContext ctx, byte[] key) {
        HashValue h = lookup(ctx, key);
        if (h == null) {
            h = new HashValue();
            ctx.db().add(key, h);
        }
        return h;
    }

    static void hset(CommandContext ctx, Args args, Reply reply) {
        reply.integer(setFields(ctx, args));
    }

    static void hmset(CommandContext ctx, Args args, Reply reply) {
        setFields(ctx, args);
        reply.ok();
    }

    /** HSET and HMSET: the number of fields created. */
    private static long setFields(CommandContext ctx, Args args) {
        if (args.size() % 2 == 1) {
            throw new CommandException(Errors.wrongArity(commandName(args)));
        }
        byte[] key = args.get(1);
        HashValue h = lookupOrCreate(ctx, key);
        long created = h.setPairs(HashValue.Limits.of(ctx), args, 2);
        ctx.signalModifiedKey(key);
        ctx.notifyKeyspaceEvent(KeyspaceEvents.HASH, "hset", key);
        ctx.addDirty((args.size() - 2) / 2);
        return created;
    }

    private static String commandName(Args args) {
        return args.is(0, "hmset") ? "hmset" : "hset";
    }

    static void hsetnx(CommandContext ctx, Args args, Reply reply) {
        byte[] key = args.get(1);
        HashValue h = lookupOrCreate(ctx, key);
        if (h.contains(args.get(2))) {
            reply.integer(0);
            return;
        }
        HashValue.Limits limits = HashValue.Limits.of(ctx);
        h.tryConversion(limits, args, 2, 3);
        h.set(limits, args.get(2), args.get(3));
        reply.integer(1);
        ctx.signalModifiedKey(key);
        ctx.notifyKeyspaceEvent(KeyspaceEvents.HASH, "hset", key);
        ctx.addDirty(1);
    }

    static void hget(CommandContext ctx, Args args, Reply reply) {
        HashValue h = lookup(ctx, args.get(1));
        if (h == null || !h.replyValue(reply, args.get(2))) {
            reply.nullBulk();
        }
    }

    static void hmget(CommandContext ctx, Args args, Reply reply) {
        HashValue h = lookup(ctx, args.get(1));
        reply.array(args.size() - 2);
        for (int i = 2; i < args.size(); i++) {
            if (h == null || !h.replyValue(reply, args.get(i))) {
                reply.nullBulk();
            }
        }
    }

    static void hdel(CommandContext ctx, Args args, Reply reply) {
        byte[] key = args.get(1);
        HashValue h = lookup(ctx, key);
        if (h == null) {
            reply.integer(0);
            return;
        }
        int deleted = 0;
        boolean keyRemoved = false;
        for (int i = 2; i < args.size(); i++) {
            if (h.delete(args.get(i))) {
                deleted++;
                if (h.size() == 0) {
                    ctx.db().delete(key);
                    keyRemoved = true;
                    break;
                }
            }
        }
        if (deleted > 0) {
            ctx.signalModifiedKey(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.HASH, "hdel", key);
            if (keyRemoved) {
                ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
            }
            ctx.addDirty(deleted);
        }
        reply.integer(deleted);
    }

    static void hlen(CommandContext ctx, Args args, Reply reply) {
        HashValue h = lookup(ctx, args.get(1));
        reply.integer(h == null ? 0 : h.size());
    }

    static void hstrlen(CommandContext ctx, Args args, Reply reply) {
        HashValue h = lookup(ctx, args.get(1));
        reply.integer(h == null ? 0 : Math.max(0, h.valueLength(args.get(2))));
    }

    static void hexists(CommandContext ctx, Args args, Reply reply) {
        HashValue h = lookup(ctx, args.get(1));
        reply.integer(h != null && h.contains(args.get(2)) ? 1 : 0);
    }

    static void hkeys(CommandContext ctx, Args args, Reply reply) {
        all(ctx, args, reply, true, false);
    }

    static void hvals(CommandContext ctx, Args args, Reply reply) {
        all(ctx, args, reply, false, true);
    }

    static void hgetall(CommandContext ctx, Args args, Reply reply) {
        all(ctx, args, reply, true, true);
    }

    /** Redis's genericHgetallCommand: fields, values or both (a map in RESP3); empty for a missing key. */
    private static void all(CommandContext ctx, Args args, Reply reply, boolean fields, boolean values) {
        HashValue h = lookup(ctx, args.get(1));
        int n = h == null ? 0 : h.size();
        if (fields && values) {
            reply.map(n);
        } else {
            reply.array(n);
        }
        if (h == null) {
            return;
        }
        h.forEach((b, fo, fl, vo, vl) -> {
            if (fields) {
                reply.bulk(b, fo, fl);
            }
            if (values) {
                reply.bulk(b, vo, vl);
            }
        });
    }
}
