package io.cinnabar.datatypes.strings;

/**
 * Integers of 1 to 64 bits at any bit offset of a string (bit 0 = most significant bit of byte 0), and
 * bitops.c's overflow arithmetic for BITFIELD. Unsigned values are held in a long read as unsigned;
 * every sum wraps in two's complement exactly as Redis's C does, including where Redis's own checks
 * rely on that wrapping (e.g. SET of a huge negative value into a small signed type under SAT).
 */
final class BitfieldOps {
    private BitfieldOps() {
    }

    static final int WRAP = 0;
    static final int SAT = 1;
    static final int FAIL = 2;

    /** The integer of {@code bits} bits at {@code offset}, signed or not; bits past {@code len} bytes read 0. */
    static long get(byte[] p, int len, long offset, int bits, boolean signed) {
        return signed ? getSigned(p, len, offset, bits) : getUnsigned(p, len, offset, bits);
    }

    /** Whether {@code value + incr} fits the type: 1 overflow, -1 underflow, 0 fits. */
    static int overflow(long value, long incr, int bits, boolean signed) {
        return signed ? signedOverflow(value, incr, bits) : unsignedOverflow(value, incr, bits);
    }

    /** What an overflow in {@code direction} leaves under WRAP or SAT. */
    static long limit(long value, long incr, int bits, boolean signed, int overflowType, int direction) {
        return signed ? signedLimit(value, incr, bits, overflowType, direction)
                : unsignedLimit(value, incr, bits, overflowType, direction);
    }

    /** The unsigned integer of {@code bits} bits at {@code offset}; bits past {@code len} bytes read 0. */
    private static long getUnsigned(byte[] p, int len, long offset, int bits) {
        long value = 0;
        for (int j = 0; j < bits; j++, offset++) {
            value = (value << 1) | Bitmaps.bitAt(p, len, offset);
        }
        return value;
    }

    /** Like {@link #getUnsigned}, sign-extended from the field's top bit. */
    private static long getSigned(byte[] p, int len, long offset, int bits) {
        long value = getUnsigned(p, len, offset, bits);
        if (bits < 64 && (value & (1L << (bits - 1))) != 0) {
            value |= -1L << bits;
        }
        return value;
    }

    /** Writes the low {@code bits} bits of {@code value} at {@code offset} (the bytes must exist). */
    static void set(byte[] p, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++, offset++) {
            int bit = (int) (value >>> (bits - 1 - j)) & 1;
            int i = (int) (offset >>> 3);
            int shift = 7 - (int) (offset & 7);
            p[i] = (byte) ((p[i] & ~(1 << shift)) | (bit << shift));
        }
    }

    /** checkUnsignedBitfieldOverflow's verdict: 1 overflow, -1 underflow, 0 fits. */
    private static int unsignedOverflow(long value, long incr, int bits) {
        long max = (1L << bits) - 1;
        long maxIncr = max - value;
        long minIncr = -value;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxIncr)) {
            return 1;
        }
        if (incr < 0 && incr < minIncr) {
            return -1;
        }
        return 0;
    }

    /** The value an unsigned overflow in {@code direction} leaves under WRAP or SAT. */
    private static long unsignedLimit(long value, long incr, int bits, int overflowType, int direction) {
        long max = (1L << bits) - 1;
        if (overflowType == WRAP) {
            return (value + incr) & max;
        }
        return direction > 0 ? max : 0;
    }

    /** checkSignedBitfieldOverflow's verdict, with its wrapping intermediate sums. */
    private static int signedOverflow(long value, long incr, int bits) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncr = max - value;
        long minIncr = min - value;
        if (value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr)) {
            return 1;
        }
        if (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr)) {
            return -1;
        }
        return 0;
    }

    /** The value a signed overflow in {@code direction} leaves: WRAP keeps the low bits, sign-extended. */
    private static long signedLimit(long value, long incr, int bits, int overflowType, int direction) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        if (overflowType == SAT) {
            return direction > 0 ? max : -max - 1;
        }
        long c = value + incr;
        if (bits < 64) {
            long mask = -1L << bits;
            c = (c & (1L << (bits - 1))) != 0 ? c | mask : c & ~mask;
        }
        return c;
    }
}
