package io.cinnabar.datatypes.strings;

import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import io.cinnabar.api.RawString;
import io.cinnabar.api.RedisNumbers;
import io.cinnabar.api.Reply;
import java.util.Arrays;

/**
 * Reading, growing and writing string values in either stored form ({@code byte[]} or {@link RawString})
 * without copies, and what every write of a key owes the server afterwards.
 */
final class StringValues {
    /** The largest Java array a string can live in (beyond it we refuse, where Redis would try to allocate). */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private StringValues() {
    }

    /** Writes a string value as a bulk reply; WRONGTYPE (before writing anything) for other values. */
    static void bulk(Reply reply, Object v) {
        if (v instanceof byte[] b) {
            reply.bulk(b);
        } else if (v instanceof RawString r) {
            reply.bulk(r.buffer(), 0, r.length());
        } else {
            throw new CommandException(Errors.WRONGTYPE);
        }
    }

    /** Like {@link #bulk}, and a nil reply for a missing value. */
    static void bulkOrNull(Reply reply, Object v) {
        if (v == null) {
            reply.nullBulk();
        } else {
            bulk(reply, v);
        }
    }

    /** The length of a string value; WRONGTYPE for other values. */
    static int length(Object v) {
        if (v instanceof byte[] b) {
            return b.length;
        }
        if (v instanceof RawString r) {
            return r.length();
        }
        throw new CommandException(Errors.WRONGTYPE);
    }

    /** WRONGTYPE unless {@code v} is absent or a string. */
    static void checkString(Object v) {
        if (v != null && !(v instanceof byte[]) && !(v instanceof RawString)) {
            throw new CommandException(Errors.WRONGTYPE);
        }
    }

    /** A string value as a long ({@code string2ll}); WRONGTYPE or {@link Errors#NOT_INTEGER}. */
    static long toLong(Object v) {
        if (v instanceof byte[] b) {
            return RedisNumbers.parseLong(b, Errors.NOT_INTEGER);
        }
        if (v instanceof RawString r) {
            return RedisNumbers.parseLong(r.buffer(), 0, r.length(), Errors.NOT_INTEGER);
        }
        throw new CommandException(Errors.WRONGTYPE);
    }

    /**
     * Redis's {@code checkStringLength}: the string would grow to {@code size + append} bytes, which must
     * not exceed {@code proto-max-bulk-len} (nor overflow).
     */
    static void checkLength(CommandContext ctx, long size, long append) {
        long total = size + append;
        if (total < size || total > ctx.config().getLong("proto-max-bulk-len") || total > MAX_ARRAY) {
            throw new CommandException(Errors.STRING_TOO_LONG);
        }
    }

    /**
     * The value as a {@link RawString} this key alone owns, at least {@code minLength} bytes long (zero-filled): a stored
     * {@code byte[]} may be shared (COPY, queued arguments), so it is copied, never written to.
     */
    static RawString unshare(Object v, int minLength) {
        if (v instanceof RawString r) {
            r.ensureLength(minLength);
            return r;
        }
        byte[] b = (byte[]) v;
        return new RawString(Arrays.copyOf(b, Math.max(b.length, minLength)));
    }

    /**
     * Writes {@code bytes} at {@code offset} of the string {@code v} at {@code key} (null: a new key),
     * zero-padding up to the offset, bounded by proto-max-bulk-len: in place when the value is already raw,
     * else into a raw copy that replaces it keeping the TTL. Returns the new length. {@code v} must be a
     * string (callers have read its length, which checks the type first as Redis does).
     */
    static int writeAt(CommandContext ctx, byte[] key, Object v, long offset, byte[] bytes) {
        checkLength(ctx, offset, bytes.length);
        int end = (int) offset + bytes.length;
        RawString r;
        if (v == null) {
            r = new RawString(new byte[end]);
            ctx.db().add(key, r);
        } else {
            r = unshare(v, end);
            if (r != v) {
                ctx.db().setKeepTtl(key, r);
            }
        }
        System.arraycopy(bytes, 0, r.buffer(), (int) offset, bytes.length);
        return r.length();
    }

    /**
     * What follows every write of a key, as in Redis: WATCHers see it ({@code signalModifiedKey}), the
     * keyspace event (an {@link io.cinnabar.api.KeyspaceEvents} class and name) is published, and it counts as one change.
     */
    static void keyChanged(CommandContext ctx, int eventClass, String event, byte[] key) {
        ctx.signalModifiedKey(key);
        ctx.notifyKeyspaceEvent(eventClass, event, key);
        ctx.addDirty(1);
    }

    /** The decimal form of {@code v} as bytes, written directly (no intermediate String on the INCR path). */
    static byte[] decimal(long v) {
        if (v == Long.MIN_VALUE) {
            return RedisNumbers.toBytes(v);
        }
        long u = Math.abs(v);
        int digits = 1;
        for (long t = u; t >= 10; t /= 10) {
            digits++;
        }
        int n = digits + (v < 0 ? 1 : 0);
        byte[] out = new byte[n];
        for (int i = n - 1; i >= n - digits; i--) {
            out[i] = (byte) ('0' + (u % 10));
            u /= 10;
        }
        if (v < 0) {
            out[0] = '-';
        }
        return out;
    }
}
