package io.cinnabar.example;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;

/**
 * Handlers of the RATELIMIT.* commands. Every reply of HIT and PEEK is {@code [allowed, remaining,
 * retry-after-ms]}: allowed 1 or 0; the units left in the window (after this hit for HIT, as of now for
 * PEEK); the milliseconds until the same request would be allowed (0 when allowed, -1 when its cost is above
 * the limit so it never will be). Limit and window come with every call, as with redis-cell: the limiter's
 * key holds only the log of hits, and expires when its newest hit leaves the window.
 */
final class RateLimitCommands {
    private final RateLimitStats stats;

    RateLimitCommands(RateLimitStats stats) {
        this.stats = stats;
    }

    /** RATELIMIT.HIT key limit window-ms [COST n]. */
    void hit(CommandContext ctx, Args args, Reply reply) {
        long limit = limit(args);
        long window = window(args);
        long cost = 1;
        if (args.size() == 6 && args.is(4, "cost")) {
            cost = cost(ctx, args, 5);
        } else if (args.size() != 4) {
            throw new CommandException(Errors.SYNTAX);
        }
        byte[] key = args.get(1);
        Db db = ctx.db();
        RateLimiter log = db.get(key, RateLimiter.class);
        long now = ctx.nowMillis();
        long used = 0;
        if (log != null) {
            log.evict(now, window);
            used = log.used();
        }
        if (cost <= limit - used) {
            if (log == null) {
                log = new RateLimiter();
                db.add(key, log);
            }
            log.record(now, cost);
            db.setExpire(key, log.newest() + window);
            ctx.signalModifiedKey(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.MODULE, "ratelimit.hit", key);
            ctx.addDirty(1);
            stats.allowed++;
            triple(reply, 1, limit - used - cost, 0);
            return;
        }
        stats.denied++;
        long retry = log == null ? -1 : log.retryAfter(now, window, limit, cost, used);
        if (log != null && log.size() == 0) {
            // a shorter window than before emptied the log: an empty limiter is no limiter
            db.delete(key);
            ctx.signalModifiedKey(key);
            ctx.addDirty(1);
        }
        triple(reply, 0, Math.max(0, limit - used), retry);
    }

    /** RATELIMIT.PEEK key limit window-ms: what HIT of cost 1 would reply, counting nothing. */
    void peek(CommandContext ctx, Args args, Reply reply) {
        long limit = limit(args);
        long window = window(args);
        RateLimiter log = ctx.db().get(args.get(1), RateLimiter.class);
        long now = ctx.nowMillis();
        long used = log == null ? 0 : log.usedWithin(now, window);
        if (1 <= limit - used) {
            triple(reply, 1, limit - used, 0);
        } else {
            triple(reply, 0, Math.max(0, limit - used), log.retryAfter(now, window, limit, 1, used));
        }
    }

    /** RATELIMIT.RESET key: 1 when a limiter was deleted, 0 when there was none. */
    void reset(CommandContext ctx, Args args, Reply reply) {
        byte[] key = args.get(1);
        Db db = ctx.db();
        if (db.get(key, RateLimiter.class) == null) {
            reply.integer(0);
            return;
        }
        db.delete(key);
        ctx.signalModifiedKey(key);
        ctx.notifyKeyspaceEvent(KeyspaceEvents.MODULE, "ratelimit.reset", key);
        ctx.addDirty(1);
        reply.integer(1);
    }

    private static long limit(Args args) {
        long limit = args.longAt(2);
        if (limit < 1) {
            throw new CommandException(RateLimitErrors.LIMIT_RANGE);
        }
        return limit;
    }

    private static long window(Args args) {
        long window = args.longAt(3);
        if (window < 1 || window > RateLimiter.MAX_WINDOW_MS) {
            throw new CommandException(RateLimitErrors.WINDOW_RANGE);
        }
        return window;
    }

    private static long cost(CommandContext ctx, Args args, int i) {
        long cost = args.longAt(i);
        if (cost < 1) {
            throw new CommandException(RateLimitErrors.COST_RANGE);
        }
        long max = RateLimitConfigs.maxCost(ctx.config());
        if (cost > max) {
            throw new CommandException(RateLimitErrors.costAboveMax(max));
        }
        return cost;
    }

    private static void triple(Reply reply, long allowed, long remaining, long retryAfter) {
        reply.array(3);
        reply.integer(allowed);
        reply.integer(remaining);
        reply.integer(retryAfter);
    }
}
