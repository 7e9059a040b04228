package io.cinnabar.datatypes.zset;

import io.cinnabar.api.CommandContext;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;

/** What every sorted-set command shares: the listpack limits, write bookkeeping and WITHSCORES replies. */
final class ZSets {
    private ZSets() {
    }

    static ZSet.Limits limits(CommandContext ctx) {
        return new ZSet.Limits(ctx.config());
    }

    /** After a write: WATCH, the zset event, and when the set became empty its deletion and "del". */
    static void changed(CommandContext ctx, ZSet z, byte[] key, String event, long dirty) {
        ctx.signalModifiedKey(key);
        ctx.notifyKeyspaceEvent(KeyspaceEvents.ZSET, event, key);
        if (z.size() == 0) {
            ctx.db().delete(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
        }
        ctx.addDirty(dirty);
    }

    /**
     * Writes the elements of the ranks {@code from} (inclusive) walking {@code count} steps forward or
     * backward: members only, or with scores (RESP2 flat, RESP3 [member, score] pairs).
     */
    static void replyRanks(Reply reply, ZSet z, int from, int count, boolean reverse, boolean withScores) {
        boolean pairs = withScores && reply.protocol() == 3;
        reply.array(withScores && !pairs ? count * 2 : count);
        for (int i = 0; i < count; i++) {
            int r = reverse ? from - i : from + i;
            if (pairs) {
                reply.array(2);
            }
            reply.bulk(z.memberAt(r));
            if (withScores) {
                reply.doubleValue(z.scoreAt(r));
            }
        }
    }

    /** One element with its score: RESP2 flat, RESP3 a pair array (opened by the caller's length). */
    static void replyPair(Reply reply, byte[] member, double score) {
        if (reply.protocol() == 3) {
            reply.array(2);
        }
        reply.bulk(member);
        reply.doubleValue(score);
    }
}
