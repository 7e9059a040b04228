package io.cinnabar.api.rdb;

import java.io.IOException;

/**
 * Redis's intset wire format (intset.c), the RDB_TYPE_SET_INTSET form of a set of integers: a 4-byte
 * element width (2, 4 or 8), a 4-byte count, then the sorted values, all little-endian. An intset only
 * widens, so a set that once held a large integer keeps its width after that member is removed.
 */
public final class Intset {
    private static final int HEADER = 8;

    private Intset() {
    }

    /** The smallest width (2, 4 or 8 bytes) that holds {@code v}, as intset's _intsetValueEncoding. */
    public static int widthOf(long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            return 8;
        }
        return v < Short.MIN_VALUE || v > Short.MAX_VALUE ? 4 : 2;
    }

    /** The blob for {@code n} sorted values at {@code width} bytes each. */
    public static byte[] write(long[] values, int n, int width) {
        byte[] b = new byte[HEADER + n * width];
        putLittle(b, 0, width, 4);
        putLittle(b, 4, n, 4);
        for (int i = 0; i < n; i++) {
            putLittle(b, HEADER + i * width, values[i], width);
        }
        return b;
    }

    /** The width of a blob read by {@link #read} (checked there). */
    public static int width(byte[] blob) {
        return (int) Ziplist.little(blob, 0, 4);
    }

    /**
     * The values of a blob, checked as intsetValidateIntegrity's deep mode: a known width, a size that
     * matches the count, at least one value, strictly ascending (so no duplicates).
     */
    public static long[] read(byte[] blob) throws IOException {
        if (blob.length < HEADER) {
            throw new IOException("intset too short");
        }
        long width = Ziplist.little(blob, 0, 4);
        long count = Ziplist.little(blob, 4, 4);
        if (width != 2 && width != 4 && width != 8) {
            throw new IOException("bad intset encoding " + width);
        }
        if (count == 0 || HEADER + count * width != blob.length) {
            throw new IOException("bad intset length");
        }
        long[] v = new long[(int) count];
        int w = (int) width;
        for (int i = 0; i < count; i++) {
            long u = Ziplist.little(blob, HEADER + i * w, w);
            v[i] = w == 8 ? u : (u >= 1L << (8 * w - 1) ? u - (1L << (8 * w)) : u);
            if (i > 0 && v[i] <= v[i - 1]) {
                throw new IOException("intset not sorted or with duplicates");
            }
        }
        return v;
    }

    private static void putLittle(byte[] b, int at, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
