package io.cinnabar.datatypes.strings;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.RawString;
import io.cinnabar.api.Reply;

/** SETBIT, GETBIT, BITCOUNT and BITPOS, with bitops.c's argument order and range rules. */
final class BitCommands {
    private BitCommands() {
    }

    /** SETBIT key offset value: replies with the bit's previous value. */
    static void setbit(CommandContext ctx, Args args, Reply reply) {
        long offset = Bitmaps.bitOffset(ctx, args.get(2), 0);
        long on = args.longAt(3, Errors.BIT_VALUE);
        if ((on & ~1L) != 0) {
            throw new CommandException(Errors.BIT_VALUE);
        }
        byte[] key = args.get(1);
        Object current = Bitmaps.lookup(ctx.db(), key);
        int oldLength = current == null ? -1 : Bitmaps.length(current);
        RawString s = Bitmaps.writable(ctx, key, current, offset);
        byte[] b = s.buffer();
        int i = (int) (offset >>> 3);
        int shift = 7 - (int) (offset & 7);
        int old = (b[i] >> shift) & 1;
        // Redis counts a change when the string was created or grew, even if the bit keeps its value
        if (s.length() != oldLength || old != on) {
            b[i] = (byte) ((b[i] & ~(1 << shift)) | ((int) on << shift));
            ctx.signalModifiedKey(key);
            ctx.notifyKeyspaceEvent(KeyspaceEvents.STRING, "setbit", key);
            ctx.addDirty(1);
        }
        reply.integer(old);
    }

    /** GETBIT key offset: 0 past the end of the string or for a missing key. */
    static void getbit(CommandContext ctx, Args args, Reply reply) {
        long offset = Bitmaps.bitOffset(ctx, args.get(2), 0);
        Object v = Bitmaps.lookup(ctx.db(), args.get(1));
        reply.integer(v == null ? 0 : Bitmaps.bitAt(Bitmaps.bytes(v), Bitmaps.length(v), offset));
    }

    /**
     * BITCOUNT key [start end [BYTE|BIT]]. Redis 7.2 looks the key up first, so a missing key answers 0
     * whatever the other arguments are, and a reversed negative range answers 0 before BYTE|BIT is read.
     */
    static void bitcount(CommandContext ctx, Args args, Reply reply) {
        Object v = Bitmaps.lookup(ctx.db(), args.get(1));
        if (v == null) {
            reply.integer(0);
            return;
        }
        int len = Bitmaps.length(v);
        int argc = args.size();
        long start;
        long end;
        boolean inBits = false;
        if (argc == 4 || argc == 5) {
            start = args.longAt(2);
            end = args.longAt(3);
            if (start < 0 && end < 0 && start > end) {
                reply.integer(0);
                return;
            }
            if (argc == 5) {
                inBits = unit(args, 4);
            }
            long total = inBits ? len * 8L : len;
            start = clampIndex(start, total);
            end = clampEnd(end, total);
        } else if (argc == 2) {
            start = 0;
            end = len - 1;
        } else {
            throw new CommandException(Errors.SYNTAX);
        }
        if (start > end) {
            reply.integer(0);
            return;
        }
        byte[] b = Bitmaps.bytes(v);
        if (!inBits) {
            reply.integer(Bitmaps.popcount(b, (int) start, (int) (end - start + 1)));
            return;
        }
        int first = (int) (start >>> 3);
        int last = (int) (end >>> 3);
        int before = ~((1 << (8 - (int) (start & 7))) - 1) & 0xff;
        int after = (1 << (7 - (int) (end & 7))) - 1;
        long count = Bitmaps.popcount(b, first, last - first + 1)
                - Integer.bitCount(b[first] & before) - Integer.bitCount(b[last] & after);
        reply.integer(count);
    }

    /**
     * BITPOS key bit [start [end [BYTE|BIT]]]. Without an explicit end, looking for a clear bit in a
     * string of ones answers the first bit past the string, as if it were zero padded on the right.
     */
    static void bitpos(CommandContext ctx, Args args, Reply reply) {
        long bit = args.longAt(2);
        if (bit != 0 && bit != 1) {
            throw new CommandException(Errors.BITPOS_BIT);
        }
        Object v = Bitmaps.lookup(ctx.db(), args.get(1));
        if (v == null) {
            reply.integer(bit == 1 ? -1 : 0);
            return;
        }
        int len = Bitmaps.length(v);
        int argc = args.size();
        long start;
        long end;
        boolean inBits = false;
        boolean endGiven = false;
        if (argc >= 4 && argc <= 6) {
            start = args.longAt(3);
            if (argc == 6) {
                inBits = unit(args, 5);
            }
            if (argc >= 5) {
                end = args.longAt(4);
                endGiven = true;
            } else {
                end = len - 1;
            }
            long total = inBits ? len * 8L : len;
            start = clampIndex(start, total);
            end = clampEnd(end, total);
        } else if (argc == 3) {
            start = 0;
            end = len - 1;
        } else {
            throw new CommandException(Errors.SYNTAX);
        }
        if (start > end) {
            reply.integer(-1);
            return;
        }
        long from = inBits ? start : start * 8;
        long to = inBits ? end : end * 8 + 7;
        long pos = Bitmaps.firstBit(Bitmaps.bytes(v), from, to, (int) bit);
        if (pos == -1 && bit == 0 && !endGiven) {
            pos = (end + 1) * 8;
        }
        reply.integer(pos);
    }

    /** BYTE (false) or BIT (true); anything else is a syntax error. */
    private static boolean unit(Args args, int i) {
        if (args.is(i, "bit")) {
            return true;
        }
        if (args.is(i, "byte")) {
            return false;
        }
        throw new CommandException(Errors.SYNTAX);
    }

    /** Like {@link #clampIndex}, and no further than the last index. */
    private static long clampEnd(long end, long total) {
        return Math.min(clampIndex(end, total), total - 1);
    }

    /** A negative index counts from the end; what stays negative becomes 0. */
    private static long clampIndex(long index, long total) {
        if (index < 0) {
            index += total;
        }
        return Math.max(index, 0);
    }
}
