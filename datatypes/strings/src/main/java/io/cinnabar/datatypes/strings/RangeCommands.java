package io.cinnabar.datatypes.strings;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.RawString;
import io.cinnabar.api.Reply;

/** The commands that read or write part of a string: APPEND, STRLEN, GETRANGE (SUBSTR), SETRANGE. */
final class RangeCommands {
    private RangeCommands() {
    }

    /** APPEND: a new key takes the argument as is; an existing one becomes a {@link RawString} grown in place. */
    static void append(CommandContext ctx, Args args, Reply reply) {
        Db db = ctx.db();
        byte[] key = args.get(1);
        byte[] tail = args.get(2);
        Object v = db.get(key);
        int total;
        if (v == null) {
            db.add(key, tail);
            total = tail.length;
        } else {
            total = StringValues.writeAt(ctx, key, v, StringValues.length(v), tail);
        }
        StringValues.keyChanged(ctx, KeyspaceEvents.STRING, "append", key);
        reply.integer(total);
    }

    static void strlen(CommandContext ctx, Args args, Reply reply) {
        Object v = ctx.db().get(args.get(1));
        reply.integer(v == null ? 0 : StringValues.length(v));
    }

    /**
     * GETRANGE (and SUBSTR): inclusive range with negative indexes from the end, clamped; both negative
     * with start after end is empty (Redis 7.2 checks that before converting).
     */
    static void getrange(CommandContext ctx, Args args, Reply reply) {
        long start = args.longAt(2);
        long end = args.longAt(3);
        Object v = ctx.db().get(args.get(1));
        if (v == null) {
            reply.bulk(EMPTY);
            return;
        }
        int len = StringValues.length(v);
        if (start < 0 && end < 0 && start > end) {
            reply.bulk(EMPTY);
            return;
        }
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= len) {
            end = len - 1;
        }
        if (start > end || len == 0) {
            reply.bulk(EMPTY);
            return;
        }
        byte[] buf = v instanceof RawString r ? r.buffer() : (byte[]) v;
        reply.bulk(buf, (int) start, (int) (end - start + 1));
    }

    /**
     * SETRANGE: an empty value changes nothing (0 for a missing key, else the length, no write); otherwise
     * the string is zero-padded up to the offset, bounded by proto-max-bulk-len.
     */
    static void setrange(CommandContext ctx, Args args, Reply reply) {
        long offset = args.longAt(2);
        if (offset < 0) {
            throw new CommandException(Errors.OFFSET_OUT_OF_RANGE);
        }
        byte[] key = args.get(1);
        byte[] value = args.get(3);
        Object v = ctx.db().get(key);
        int len = v == null ? 0 : StringValues.length(v);
        if (value.length == 0) {
            reply.integer(len);
            return;
        }
        int total = StringValues.writeAt(ctx, key, v, offset, value);
        StringValues.keyChanged(ctx, KeyspaceEvents.STRING, "setrange", key);
        reply.integer(total);
    }

    private static final byte[] EMPTY = new byte[0];
}
