package io.cinnabar.datatypes.lists;

/**
 * Byte sizes as Redis 7.2's listpack.c and quicklist.c count them, so that OBJECT ENCODING reports
 * {@code listpack} or {@code quicklist} exactly when Redis would (list-max-listpack-size).
 */
final class ListpackSizes {
    /** lpBytes of an empty listpack: 6 bytes of header and the 1-byte terminator. */
    static final int EMPTY = 7;
    /** quicklist.c SIZE_SAFETY_LIMIT: a count-limited node never grows past 8 KB. */
    private static final long SAFETY_LIMIT = 8192;
    /** quicklist.c SIZE_ESTIMATE_OVERHEAD, added to an element's length when estimating an insert. */
    static final long ESTIMATE_OVERHEAD = 8;
    private static final long PACKED_THRESHOLD = 1L << 30;
    private static final long[] LEVELS = {4096, 8192, 16384, 32768, 65536};

    private ListpackSizes() {
    }

    /** The bytes one element takes in a listpack: encoding, data and back-length (lpInsert's accounting). */
    static int entrySize(byte[] v) {
        return entrySize(v, 0, v.length);
    }

    /** {@link #entrySize(byte[])} of the element in {@code b[off, off + len)}. */
    static int entrySize(byte[] b, int off, int len) {
        if (isListpackInt(b, off, len)) {
            return intEntrySize(parse(b, off, len));
        }
        int enc = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
        return enc + backlenSize(enc);
    }

    /** The bytes an integer element takes in a listpack (its encoding's, plus the 1-byte back-length). */
    static int intEntrySize(long x) {
        int enc;
        if (x >= 0 && x <= 127) {
            enc = 1;
        } else if (x >= -4096 && x <= 4095) {
            enc = 2;
        } else if (x >= -32768 && x <= 32767) {
            enc = 3;
        } else if (x >= -8388608 && x <= 8388607) {
            enc = 4;
        } else if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
            enc = 5;
        } else {
            enc = 9;
        }
        return enc + backlenSize(enc);
    }

    private static int backlenSize(int l) {
        if (l <= 127) {
            return 1;
        } else if (l < 16383) {
            return 2;
        } else if (l < 2097151) {
            return 3;
        } else if (l < 268435455) {
            return 4;
        }
        return 5;
    }

    /** lpStringToInt64: a canonical decimal integer of at most 20 characters ("-0", "+1", "01" are not). */
    static boolean isListpackInt(byte[] v) {
        return isListpackInt(v, 0, v.length);
    }

    /** {@link #isListpackInt(byte[])} of {@code v[off, off + n)}. */
    static boolean isListpackInt(byte[] v, int off, int n) {
        if (n == 0 || n > 20) {
            return false;
        }
        if (n == 1 && v[off] == '0') {
            return true;
        }
        int i = off;
        boolean neg = v[off] == '-';
        if (neg) {
            i++;
            if (n == 1) {
                return false;
            }
        }
        if (v[i] < '1' || v[i] > '9') {
            return false;
        }
        long acc = 0;
        for (; i < off + n; i++) {
            int d = v[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            // accumulate as negative to cover Long.MIN_VALUE
            if (acc < (Long.MIN_VALUE + d) / 10) {
                return false;
            }
            acc = acc * 10 - d;
        }
        return neg || acc != Long.MIN_VALUE;
    }

    /** The value of a {@link #isListpackInt} element. */
    static long parse(byte[] v, int off, int len) {
        boolean neg = v[off] == '-';
        long acc = 0;
        for (int i = neg ? off + 1 : off; i < off + len; i++) {
            acc = acc * 10 - (v[i] - '0');
        }
        return neg ? acc : -acc;
    }

    /** quicklistNodeExceedsLimit: would a node (or listpack) of this size and count be over the fill limit? */
    static boolean exceedsLimit(long fill, long bytes, long count) {
        if (fill < 0) {
            return bytes > sizeLimit(fill);
        }
        if (bytes > SAFETY_LIMIT) {
            return true;
        }
        return count > countLimit(fill);
    }

    /**
     * quicklist.c isLargeElement in 7.2: an element of at least packed_threshold (1 GB) gets a plain node of its
     * own, whatever the fill (the fill-relative rule came after 7.2).
     */
    static boolean isLarge(long size, long fill) {
        return size >= PACKED_THRESHOLD;
    }

    /** The byte limit of a negative fill (-1..-5 = 4..64 KB; below -5 stays 64 KB). */
    static long sizeLimit(long fill) {
        long offset = -fill - 1;
        return LEVELS[(int) Math.min(offset, LEVELS.length - 1)];
    }

    static long countLimit(long fill) {
        return fill == 0 ? 1 : fill;
    }
}
