package io.cinnabar.datatypes.zset;

import io.cinnabar.api.CommandContext;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;

/** What every sorted-set command shares: the listpack limits, write bookkeeping and WITHSCORES replies. */
final class ZSets {
    /** How many elements of a range reply are gathered before they are written. */
    private static final int REPLY_CHUNK = 32;

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
     * backward: members only, or with scores (RESP2 flat, RESP3 [member, score] pairs). The elements are
     * gathered a chunk at a time and their members' lengths read before any is written: each member's array
     * is a cache miss of its own, and read together the misses overlap instead of following one another.
     */
    static void replyRanks(Reply reply, ZSet z, int from, int count, boolean reverse, boolean withScores) {
        boolean pairs = withScores && reply.protocol() == 3;
        reply.array(withScores && !pairs ? count * 2 : count);
        int chunk = Math.min(count, REPLY_CHUNK);
        byte[][] members = new byte[chunk][];
        double[] scores = new double[chunk];
        int[] lengths = new int[chunk];
        for (int done = 0; done < count; done += chunk) {
            int n = Math.min(chunk, count - done);
            z.elements(reverse ? from - done : from + done, n, reverse, members, scores);
            for (int i = 0; i < n; i++) {
                lengths[i] = members[i].length;
            }
            for (int i = 0; i < n; i++) {
                if (pairs) {
                    reply.array(2);
                }
                reply.bulk(members[i], 0, lengths[i]);
                if (withScores) {
                    reply.doubleValue(scores[i]);
                }
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
