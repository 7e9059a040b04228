package io.cinnabar.datatypes.lists;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Redis's listpack wire format (listpack.c): what a list node is in an RDB file. */
final class ListpackCodec {
    private ListpackCodec() {
    }

    /** A listpack of {@code count} elements from index {@code from} of {@code list}. */
    static byte[] encode(ListValue list, int from, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(0);
        out.write(0);
        int n = Math.min(count, 65535);
        out.write(n & 0xff);
        out.write(n >>> 8);
        for (int i = from; i < from + count; i++) {
            entry(out, list.get(i));
        }
        out.write(0xff);
        byte[] lp = out.toByteArray();
        int total = lp.length;
        lp[0] = (byte) total;
        lp[1] = (byte) (total >>> 8);
        lp[2] = (byte) (total >>> 16);
        lp[3] = (byte) (total >>> 24);
        return lp;
    }

    private static void entry(ByteArrayOutputStream out, byte[] v) {
        int start = out.size();
        if (ListpackSizes.isListpackInt(v)) {
            long x = Long.parseLong(new String(v, StandardCharsets.US_ASCII));
            if (x >= 0 && x <= 127) {
                out.write((int) x);
            } else if (x >= -4096 && x <= 4095) {
                long u = x < 0 ? (1L << 13) + x : x;
                out.write((int) ((u >>> 8) | 0xC0));
                out.write((int) (u & 0xff));
            } else if (x >= -32768 && x <= 32767) {
                little(out, 0xF1, x < 0 ? (1L << 16) + x : x, 2);
            } else if (x >= -8388608 && x <= 8388607) {
                little(out, 0xF2, x < 0 ? (1L << 24) + x : x, 3);
            } else if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
                little(out, 0xF3, x < 0 ? (1L << 32) + x : x, 4);
            } else {
                little(out, 0xF4, x, 8);
            }
        } else {
            int len = v.length;
            if (len < 64) {
                out.write(0x80 | len);
            } else if (len < 4096) {
                out.write(0xE0 | (len >>> 8));
                out.write(len & 0xff);
            } else {
                little(out, 0xF0, len, 4);
            }
            out.write(v, 0, len);
        }
        backlen(out, out.size() - start);
    }

    private static void little(ByteArrayOutputStream out, int tag, long v, int bytes) {
        out.write(tag);
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    /** lpEncodeBacklen: the entry's length, written so that it reads backwards. */
    private static void backlen(ByteArrayOutputStream out, long l) {
        if (l <= 127) {
            out.write((int) l);
        } else if (l < 16383) {
            out.write((int) (l >>> 7));
            out.write((int) (l & 127) | 128);
        } else if (l < 2097151) {
            out.write((int) (l >>> 14));
            out.write((int) ((l >>> 7) & 127) | 128);
            out.write((int) (l & 127) | 128);
        } else if (l < 268435455) {
            out.write((int) (l >>> 21));
            out.write((int) ((l >>> 14) & 127) | 128);
            out.write((int) ((l >>> 7) & 127) | 128);
            out.write((int) (l & 127) | 128);
        } else {
            out.write((int) (l >>> 28));
            out.write((int) ((l >>> 21) & 127) | 128);
            out.write((int) ((l >>> 14) & 127) | 128);
            out.write((int) ((l >>> 7) & 127) | 128);
            out.write((int) (l & 127) | 128);
        }
    }

    /** Appends every element of the listpack {@code lp} to {@code list} (tail side). */
    static void decodeInto(byte[] lp, ListValue list) throws IOException {
        int p = 6;
        while (p < lp.length && (lp[p] & 0xff) != 0xff) {
            int b = lp[p] & 0xff;
            int start = p;
            byte[] v;
            if ((b & 0x80) == 0) {
                v = number(b);
                p += 1;
            } else if ((b & 0xC0) == 0x80) {
                int len = b & 0x3f;
                v = slice(lp, p + 1, len);
                p += 1 + len;
            } else if ((b & 0xE0) == 0xC0) {
                long u = ((long) (b & 0x1f) << 8) | (lp[p + 1] & 0xff);
                v = number(u >= 1 << 12 ? u - (1 << 13) : u);
                p += 2;
            } else if ((b & 0xF0) == 0xE0) {
                int len = ((b & 0x0f) << 8) | (lp[p + 1] & 0xff);
                v = slice(lp, p + 2, len);
                p += 2 + len;
            } else if (b == 0xF0) {
                int len = (int) readLittle(lp, p + 1, 4);
                v = slice(lp, p + 5, len);
                p += 5 + len;
            } else if (b >= 0xF1 && b <= 0xF4) {
                int bytes = b == 0xF1 ? 2 : b == 0xF2 ? 3 : b == 0xF3 ? 4 : 8;
                long u = readLittle(lp, p + 1, bytes);
                long x = bytes == 8 ? u : (u >= 1L << (8 * bytes - 1) ? u - (1L << (8 * bytes)) : u);
                v = number(x);
                p += 1 + bytes;
            } else {
                throw new IOException("bad listpack entry encoding " + b);
            }
            int entryLen = p - start;
            p += entryLen <= 127 ? 1 : entryLen < 16383 ? 2 : entryLen < 2097151 ? 3 : entryLen < 268435455 ? 4 : 5;
            list.addLast(v);
        }
    }

    private static byte[] number(long x) {
        return Long.toString(x).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] slice(byte[] b, int from, int len) throws IOException {
        if (from + len > b.length) {
            throw new IOException("listpack entry past the end");
        }
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
