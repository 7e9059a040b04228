package io.cinnabar.api.rdb;

import io.cinnabar.api.RedisNumbers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Redis's listpack wire format (listpack.c), the packed form of small lists, hashes, sets and sorted sets in
 * RDB files and DUMP payloads. {@link Builder} writes one exactly as Redis would (integers in their smallest
 * integer encoding); {@link #forEach} reads one, checking every bound.
 */
public final class Listpack {
    private static final int HEADER = 6;
    private static final int EOF = 0xff;

    private Listpack() {
    }

    /** Receives each entry of a listpack in order; integers arrive as their decimal digits. */
    @FunctionalInterface
    public interface EntryVisitor {
        void entry(byte[] value) throws IOException;
    }

    /** Builds a listpack entry by entry. */
    public static final class Builder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int count;

        public Builder() {
            for (int i = 0; i < HEADER; i++) {
                out.write(0);
            }
        }

        /** Appends a string entry, stored as an integer when it is a canonical integer (lpStringToInt64). */
        public Builder add(byte[] v) {
            if (RedisNumbers.isCanonicalLong(v)) {
                return add(RedisNumbers.parseLong(v, "not an integer"));
            }
            int start = out.size();
            int len = v.length;
            if (len < 64) {
                out.write(0x80 | len);
            } else if (len < 4096) {
                out.write(0xE0 | (len >>> 8));
                out.write(len & 0xff);
            } else {
                little(0xF0, len, 4);
            }
            out.write(v, 0, len);
            return finish(start);
        }

        public Builder add(long x) {
            int start = out.size();
            if (x >= 0 && x <= 127) {
                out.write((int) x);
            } else if (x >= -4096 && x <= 4095) {
                long u = x < 0 ? (1L << 13) + x : x;
                out.write((int) ((u >>> 8) | 0xC0));
                out.write((int) (u & 0xff));
            } else if (x >= -32768 && x <= 32767) {
                little(0xF1, x < 0 ? (1L << 16) + x : x, 2);
            } else if (x >= -8388608 && x <= 8388607) {
                little(0xF2, x < 0 ? (1L << 24) + x : x, 3);
            } else if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
                little(0xF3, x < 0 ? (1L << 32) + x : x, 4);
            } else {
                little(0xF4, x, 8);
            }
            return finish(start);
        }

        public byte[] build() {
            out.write(EOF);
            byte[] lp = out.toByteArray();
            int total = lp.length;
            lp[0] = (byte) total;
            lp[1] = (byte) (total >>> 8);
            lp[2] = (byte) (total >>> 16);
            lp[3] = (byte) (total >>> 24);
            int n = Math.min(count, 65535); // 65535 means "count unknown, walk the entries"
            lp[4] = (byte) n;
            lp[5] = (byte) (n >>> 8);
            return lp;
        }

        private Builder finish(int start) {
            backlen(out.size() - start);
            count++;
            return this;
        }

        private void little(int tag, long v, int bytes) {
            out.write(tag);
            for (int i = 0; i < bytes; i++) {
                out.write((int) (v >>> (8 * i)) & 0xff);
            }
        }

        /** lpEncodeBacklen: the entry's length, written so that it reads backwards. */
        private void backlen(long l) {
            int bytes = backlenSize(l);
            for (int i = bytes - 1; i >= 0; i--) {
                int septet = (int) ((l >>> (7 * i)) & 127);
                out.write(i == bytes - 1 ? septet : septet | 128);
            }
        }
    }

    private static int backlenSize(long l) {
        return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
    }

    /** The element count in the header, or -1 when the header says "unknown" (65535). */
    public static int headerCount(byte[] lp) throws IOException {
        checkHeader(lp);
        int n = (lp[4] & 0xff) | ((lp[5] & 0xff) << 8);
        return n == 65535 ? -1 : n;
    }

    /** Calls {@code visitor} for every entry; returns the number of entries. */
    public static int forEach(byte[] lp, EntryVisitor visitor) throws IOException {
        checkHeader(lp);
        int p = HEADER;
        int n = 0;
        while (true) {
            need(lp, p, 1);
            int b = lp[p] & 0xff;
            if (b == EOF) {
                break;
            }
            int start = p;
            byte[] v;
            if ((b & 0x80) == 0) {
                v = digits(b);
                p += 1;
            } else if ((b & 0xC0) == 0x80) {
                int len = b & 0x3f;
                v = slice(lp, p + 1, len);
                p += 1 + len;
            } else if ((b & 0xE0) == 0xC0) {
                need(lp, p, 2);
                long u = ((long) (b & 0x1f) << 8) | (lp[p + 1] & 0xff);
                v = digits(u >= 1 << 12 ? u - (1 << 13) : u);
                p += 2;
            } else if ((b & 0xF0) == 0xE0) {
                need(lp, p, 2);
                int len = ((b & 0x0f) << 8) | (lp[p + 1] & 0xff);
                v = slice(lp, p + 2, len);
                p += 2 + len;
            } else if (b == 0xF0) {
                need(lp, p, 5);
                long len = readLittle(lp, p + 1, 4);
                if (len > lp.length) {
                    throw new IOException("listpack entry past the end");
                }
                v = slice(lp, p + 5, (int) len);
                p += 5 + (int) len;
            } else if (b >= 0xF1 && b <= 0xF4) {
                int bytes = b == 0xF1 ? 2 : b == 0xF2 ? 3 : b == 0xF3 ? 4 : 8;
                need(lp, p, 1 + bytes);
                long u = readLittle(lp, p + 1, bytes);
                long x = bytes == 8 ? u : (u >= 1L << (8 * bytes - 1) ? u - (1L << (8 * bytes)) : u);
                v = digits(x);
                p += 1 + bytes;
            } else {
                throw new IOException("bad listpack entry encoding " + b);
            }
            p += backlenSize(p - start);
            if (p > lp.length - 1) {
                throw new IOException("listpack entry past the end");
            }
            visitor.entry(v);
            n++;
        }
        if (p != lp.length - 1) {
            throw new IOException("listpack end marker before its end");
        }
        int declared = (lp[4] & 0xff) | ((lp[5] & 0xff) << 8);
        if (declared != 65535 && declared != n) {
            throw new IOException("listpack count mismatch");
        }
        return n;
    }

    private static void checkHeader(byte[] lp) throws IOException {
        if (lp.length < HEADER + 1) {
            throw new IOException("listpack too short");
        }
        long total = readLittle(lp, 0, 4);
        if (total != lp.length || (lp[lp.length - 1] & 0xff) != EOF) {
            throw new IOException("bad listpack header");
        }
    }

    private static void need(byte[] lp, int p, int n) throws IOException {
        if (p + n > lp.length) {
            throw new IOException("listpack entry past the end");
        }
    }

    private static byte[] digits(long x) {
        return Long.toString(x).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] slice(byte[] b, int from, int len) throws IOException {
        need(b, from, len);
        byte[] v = new byte[len];
        System.arraycopy(b, from, v, 0, len);
        return v;
    }

    private static long readLittle(byte[] b, int from, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | (b[from + i] & 0xff);
        }
        return v;
    }
}
