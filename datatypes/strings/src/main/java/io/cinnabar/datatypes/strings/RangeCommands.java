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
        long total;
        if (v == null) {
            db.add(key, tail);
            total = tail.length;
        } else {
            int len = StringValues.length(v);
            StringValues.checkLength(ctx, len, tail.length);
            RawString r = StringValues.unshare(v, len + tail.length);
            System.arraycopy(tail, 0, r.buffer(), len, tail.length);
            if (r != v) {
                db.setKeepTtl(key, r);
            }
            total = r.length();
        }
        ctx.signalModifiedKey(key);
        ctx.notifyKeyspaceEvent(KeyspaceEvents.STRING, "append", key);
        ctx.addDirty(1);
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
        Db db = ctx.db();
        byte[] key = args.get(1);
        byte[] value = args.get(3);
        Object v = db.get(key);
        RawString r;
        if (v == null) {
            if (value.length == 0) {
                reply.integer(0);
                return;
            }
            StringValues.checkLength(ctx, offset, value.length);
            r = new RawString(new byte[(int) offset + value.length]);
            db.add(key, r);
        } else {
            int len = StringValues.length(v);
            if (value.length == 0) {
                reply.integer(len);
                return;
            }
            StringValues.checkLength(ctx, offset, value.length);
            r = StringValues.unshare(v, (int) offset + value.length);
            if (r != v) {
                db.setKeepTtl(key, r);
            }
        }
        System.arraycopy(value, 0, r.buffer(), (int) offset, value.length);
        ctx.signalModifiedKey(key);
        ctx.notifyKeyspaceEvent(KeyspaceEvents.STRING, "setrange", key);
        ctx.addDirty(1);
        reply.integer(r.length());
    }

    private static final byte[] EMPTY = new byte[0];
}
