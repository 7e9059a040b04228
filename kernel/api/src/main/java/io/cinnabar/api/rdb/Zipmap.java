package io.cinnabar.api.rdb;

import java.io.IOException;

/**
 * Redis's zipmap wire format (zipmap.c), the RDB_TYPE_HASH_ZIPMAP form of small hashes written by Redis 2.x:
 * a count byte, then per pair the field length, the field, the value length, a "free" byte, the value and
 * that many unused bytes; lengths are one byte, or 254 and a 4-byte little-endian length; 255 ends it.
 */
public final class Zipmap {
    private static final int BIGLEN = 254;
    private static final int END = 255;

    private Zipmap() {
    }

    /** Receives each field and value in order. */
    @FunctionalInterface
    public interface PairVisitor {
        void pair(byte[] field, byte[] value) throws IOException;
    }

    /** Calls {@code visitor} for every pair, checking every bound (zipmapValidateIntegrity); returns the count. */
    public static int forEach(byte[] zm, PairVisitor visitor) throws IOException {
        if (zm.length < 2) {
            throw new IOException("zipmap too short");
        }
        int declared = zm[0] & 0xff;
        int[] p = {1};
        int n = 0;
        while (true) {
            if (p[0] >= zm.length) {
                throw new IOException("zipmap without its end marker");
            }
            if ((zm[p[0]] & 0xff) == END) {
                break;
            }
            byte[] field = bytes(zm, p, length(zm, p));
            long vlen = length(zm, p);
            need(zm, p[0], 1);
            int free = zm[p[0]++] & 0xff;
            byte[] value = bytes(zm, p, vlen);
            need(zm, p[0], free);
            p[0] += free;
            visitor.pair(field, value);
            n++;
        }
        if (p[0] != zm.length - 1) {
            throw new IOException("zipmap end marker before its end");
        }
        if (declared < BIGLEN && declared != n) {
            throw new IOException("zipmap count mismatch");
        }
        return n;
    }

    private static long length(byte[] zm, int[] p) throws IOException {
        need(zm, p[0], 1);
        int b = zm[p[0]] & 0xff;
        if (b < BIGLEN) {
            p[0] += 1;
            return b;
        }
        if (b == END) {
            throw new IOException("zipmap ends inside an entry");
        }
        need(zm, p[0], 5);
        long len = Ziplist.little(zm, p[0] + 1, 4);
        p[0] += 5;
        return len;
    }

    private static byte[] bytes(byte[] zm, int[] p, long len) throws IOException {
        if (len > zm.length) {
            throw new IOException("zipmap entry past the end");
        }
        need(zm, p[0], (int) len);
        byte[] v = new byte[(int) len];
        System.arraycopy(zm, p[0], v, 0, (int) len);
        p[0] += (int) len;
        return v;
    }

    private static void need(byte[] zm, int p, int n) throws IOException {
        if (p + n > zm.length - 1) {
            throw new IOException("zipmap entry past the end");
        }
    }
}
