package io.cinnabar.datatypes.strings;

import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.RawString;
import io.cinnabar.api.RedisNumbers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A string value seen as a bitmap, as bitops.c sees it: bit 0 is the most significant bit of byte 0.
 * A stored string is a {@code byte[]} (never mutated) or a {@link RawString} (mutated in place); reads
 * take either form without copying, writes go through {@link #writable}.
 */
final class Bitmaps {
    private Bitmaps() {
    }

    /** Words read in string order (first byte most significant), for scans that want the first bit. */
    static final VarHandle BIG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** Words in native-friendly order, for operations where bit order does not matter (popcount, AND/OR/XOR). */
    static final VarHandle LITTLE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The string value at {@code key} ({@code byte[]} or {@link RawString}), or null; WRONGTYPE for others. */
    static Object lookup(Db db, byte[] key) {
        Object v = db.get(key);
        if (v == null || v instanceof byte[] || v instanceof RawString) {
            return v;
        }
        throw new CommandException(Errors.WRONGTYPE);
    }

    /** The bytes backing a string value (only the first {@link #length} count). */
    static byte[] bytes(Object v) {
        return v instanceof byte[] b ? b : ((RawString) v).buffer();
    }

    static int length(Object v) {
        return v instanceof byte[] b ? b.length : ((RawString) v).length();
    }

    /**
     * Redis's lookupStringForBitCommand: the string at {@code key} as a raw, in-place-mutable value at least
     * long enough to address {@code maxBit}, created (zero-filled) when absent. Like Redis it converts a
     * plain string to raw even when the caller ends up changing nothing.
     */
    static RawString writable(CommandContext ctx, byte[] key, Object current, long maxBit) {
        long need = (maxBit >>> 3) + 1;
        // Redis could go further when proto-max-bulk-len is raised; a Java array cannot
        if (need > StringValues.MAX_ARRAY) {
            throw new CommandException(Errors.STRING_TOO_LONG);
        }
        int n = (int) need;
        if (current == null) {
            RawString s = new RawString(new byte[n]);
            ctx.db().add(key, s);
            return s;
        }
        if (current instanceof RawString s) {
            int old = s.length();
            if (n > old) {
                s.ensureLength(n);
                Arrays.fill(s.buffer(), old, n, (byte) 0);
            }
            return s;
        }
        byte[] b = (byte[]) current;
        RawString s = new RawString(Arrays.copyOf(b, Math.max(b.length, n)));
        ctx.db().setKeepTtl(key, s);
        return s;
    }

    /**
     * Redis's getBitOffsetFromArgument: a bit offset, non-negative and addressing a byte below
     * proto-max-bulk-len. With {@code bits > 0} (BITFIELD) the form {@code #N} means N * bits; the
     * multiplication wraps on overflow exactly as Redis's does.
     */
    static long bitOffset(CommandContext ctx, byte[] arg, int bits) {
        int from = bits > 0 && arg.length > 0 && arg[0] == '#' ? 1 : 0;
        long offset = RedisNumbers.parseLong(arg, from, arg.length - from, Errors.BIT_OFFSET);
        if (from == 1) {
            offset *= bits;
        }
        if (offset < 0 || (offset >> 3) >= ctx.config().getLong("proto-max-bulk-len")) {
            throw new CommandException(Errors.BIT_OFFSET);
        }
        return offset;
    }

    /** Bit {@code offset} of the string, 0 past its end. */
    static int bitAt(byte[] b, int len, long offset) {
        long i = offset >>> 3;
        return i < len ? (b[(int) i] >> (7 - (int) (offset & 7))) & 1 : 0;
    }

    /** Number of set bits in bytes {@code [from, from + count)}, a word at a time. */
    static long popcount(byte[] b, int from, int count) {
        long bits = 0;
        int i = from;
        int end = from + count;
        for (; i + 8 <= end; i += 8) {
            bits += Long.bitCount((long) LITTLE.get(b, i));
        }
        for (; i < end; i++) {
            bits += Integer.bitCount(b[i] & 0xff);
        }
        return bits;
    }

    /**
     * Position of the first bit equal to {@code bit} within bits {@code [from, to]} (both inside the
     * string), or -1. Whole words are skipped while they hold only the other value.
     */
    static long firstBit(byte[] b, long from, long to, int bit) {
        int i = (int) (from >>> 3);
        int last = (int) (to >>> 3);
        int flip = bit == 1 ? 0 : 0xff;
        int v = ((b[i] & 0xff) ^ flip) & (0xff >>> (from & 7));
        if (i == last) {
            v &= lastByteMask(to);
        }
        if (v != 0) {
            return i * 8L + Integer.numberOfLeadingZeros(v) - 24;
        }
        i++;
        long wordFlip = bit == 1 ? 0 : -1L;
        for (; i + 8 <= last; i += 8) {
            long w = (long) BIG.get(b, i) ^ wordFlip;
            if (w != 0) {
                return i * 8L + Long.numberOfLeadingZeros(w);
            }
        }
        for (; i <= last; i++) {
            v = (b[i] & 0xff) ^ flip;
            if (i == last) {
                v &= lastByteMask(to);
            }
            if (v != 0) {
                return i * 8L + Integer.numberOfLeadingZeros(v) - 24;
            }
        }
        return -1;
    }

    /** The bits of the last byte up to and including bit {@code to}. */
    private static int lastByteMask(long to) {
        return (0xff << (7 - (int) (to & 7))) & 0xff;
    }
}
