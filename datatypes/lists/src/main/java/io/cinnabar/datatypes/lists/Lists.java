package io.cinnabar.datatypes.lists;

import io.cinnabar.api.CommandContext;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;

/** What the list commands share: the fill limit, change bookkeeping, range replies. */
final class Lists {
    private Lists() {
    }

    /** list-max-listpack-size as configured now. */
    static long fill(CommandContext ctx) {
        return ctx.config().getLong("list-max-listpack-size");
    }

    /**
     * After elements left a list (t_list.c listElementsRemoved and friends): the command's event, then the key
     * is deleted with a "del" event when empty, else a quicklist may shrink back to a listpack.
     */
    static void removed(CommandContext ctx, byte[] key, ListValue list, String event, long count) {
        ctx.notifyKeyspaceEvent(KeyspaceEvents.LIST, event, key);
        if (list.size() == 0) {
            ctx.db().delete(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
        } else {
            list.tryShrink(fill(ctx));
        }
        ctx.signalModifiedKey(key);
        ctx.addDirty(count);
    }

    /** Elements [from, from + n) as an array, or in reverse order (tail first) when {@code reverse}. */
    static void range(Reply reply, ListValue list, int from, int n, boolean reverse) {
        reply.array(n);
        if (n == 0) {
            return;
        }
        if (!reverse) {
            list.replyRange(reply, from, n);
            return;
        }
        PackedList.Cursor c = list.cursor(from + n - 1);
        for (int i = 0; i < n; i++) {
            c.reply(reply);
            c.previous();
        }
    }
}
