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
            StringValues.keyChanged(ctx, KeyspaceEvents.STRING, "setbit", key);
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
        BitRange range;
        if (argc == 4 || argc == 5) {
            long start = args.longAt(2);
            long end = args.longAt(3);
            if (start < 0 && end < 0 && start > end) {
                reply.integer(0);
                return;
            }
            range = BitRange.of(start, end, argc == 5 && unit(args, 4), len);
        } else if (argc == 2) {
            range = BitRange.of(0, -1, false, len);
        } else {
            throw new CommandException(Errors.SYNTAX);
        }
        if (range.isEmpty()) {
            reply.integer(0);
            return;
        }
        // whole bytes from the first to the last, less the bits of those two outside the range
        long from = range.firstBit();
        long to = range.lastBit();
        byte[] b = Bitmaps.bytes(v);
        int first = (int) (from >>> 3);
        int last = (int) (to >>> 3);
        int before = ~((1 << (8 - (int) (from & 7))) - 1) & 0xff;
        int after = (1 << (7 - (int) (to & 7))) - 1;
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
        int argc = args.size();
        if (argc > 6) {
            throw new CommandException(Errors.SYNTAX);
        }
        // Redis reads start, then BYTE|BIT, then end: that order decides which error a bad call gets
        long start = argc >= 4 ? args.longAt(3) : 0;
        boolean inBits = argc == 6 && unit(args, 5);
        boolean endGiven = argc >= 5;
        BitRange range = BitRange.of(start, endGiven ? args.longAt(4) : -1, inBits, Bitmaps.length(v));
        if (range.isEmpty()) {
            reply.integer(-1);
            return;
        }
        long pos = Bitmaps.firstBit(Bitmaps.bytes(v), range.firstBit(), range.lastBit(), (int) bit);
        if (pos == -1 && bit == 0 && !endGiven) {
            pos = range.lastBit() + 1;
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

    /**
     * The inclusive range of BITCOUNT and BITPOS in bytes, or in bits with BIT, clamped to a string of
     * {@code len} bytes the way both commands clamp it: a negative index counts from the end, what stays
     * negative becomes 0, and the end stops at the last index. Empty when start ends up past end.
     */
    private record BitRange(long start, long end, boolean inBits) {
        static BitRange of(long start, long end, boolean inBits, int len) {
            long total = inBits ? len * 8L : len;
            return new BitRange(clampIndex(start, total), Math.min(clampIndex(end, total), total - 1), inBits);
        }

        private static long clampIndex(long index, long total) {
            return Math.max(index < 0 ? index + total : index, 0);
        }

        boolean isEmpty() {
            return start > end;
        }

        long firstBit() {
            return inBits ? start : start * 8;
        }

        long lastBit() {
            return inBits ? end : end * 8 + 7;
        }
    }
}
