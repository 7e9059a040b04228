package io.cinnabar.api.rdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Redis's ziplist wire format (ziplist.c), the packed form of small lists, hashes and sorted sets in RDB files
 * written before Redis 7.0 (RDB_TYPE_*_ZIPLIST and the nodes of RDB_TYPE_LIST_QUICKLIST). Read only: Redis
 * 7.2 converts ziplists to listpacks when loading. Every bound is checked as ziplistValidateIntegrity does
 * (header, each entry's prevlen, the tail offset, the count, the end marker).
 */
public final class Ziplist {
    private static final int HEADER = 10;
    private static final int END = 0xff;
    private static final int BIG_PREVLEN = 254;

    private Ziplist() {
    }

    /** Calls {@code visitor} for every entry (integers as their decimal digits); returns the entry count. */
    public static int forEach(byte[] zl, Listpack.EntryVisitor visitor) throws IOException {
        if (zl.length < HEADER + 1) {
            throw new IOException("ziplist too short");
        }
        long bytes = little(zl, 0, 4);
        long tail = little(zl, 4, 4);
        int declared = (int) little(zl, 8, 2);
        if (bytes != zl.length || (zl[zl.length - 1] & 0xff) != END || tail > zl.length - 1) {
            throw new IOException("bad ziplist header");
        }
        int p = HEADER;
        int prevLen = 0;
        int last = -1;
        int n = 0;
        while ((zl[p] & 0xff) != END) {
            int start = p;
            int pl = zl[p] & 0xff;
            long prev;
            if (pl < BIG_PREVLEN) {
                prev = pl;
                p += 1;
            } else if (pl == BIG_PREVLEN) {
                need(zl, p, 5);
                prev = little(zl, p + 1, 4);
                p += 5;
            } else {
                throw new IOException("bad ziplist prevlen");
            }
            if (prev != prevLen) {
                throw new IOException("ziplist prevlen mismatch");
            }
            need(zl, p, 1);
            int enc = zl[p] & 0xff;
            byte[] v;
            switch (enc >>> 6) {
                case 0 -> {
                    int len = enc & 0x3f;
                    v = slice(zl, p + 1, len);
                    p += 1 + len;
                }
                case 1 -> {
                    need(zl, p, 2);
                    int len = ((enc & 0x3f) << 8) | (zl[p + 1] & 0xff);
                    v = slice(zl, p + 2, len);
                    p += 2 + len;
                }
                case 2 -> {
                    if (enc != 0x80) {
                        throw new IOException("bad ziplist string encoding " + enc);
                    }
                    need(zl, p, 5);
                    long len = ((long) (zl[p + 1] & 0xff) << 24) | ((zl[p + 2] & 0xff) << 16)
                            | ((zl[p + 3] & 0xff) << 8) | (zl[p + 4] & 0xff);
                    if (len > zl.length) {
                        throw new IOException("ziplist entry past the end");
                    }
                    v = slice(zl, p + 5, (int) len);
                    p += 5 + (int) len;
                }
                default -> {
                    int size = switch (enc) {
                        case 0xC0 -> 2;
                        case 0xD0 -> 4;
                        case 0xE0 -> 8;
                        case 0xF0 -> 3;
                        case 0xFE -> 1;
                        default -> 0;
                    };
                    long x;
                    if (size > 0) {
                        need(zl, p, 1 + size);
                        long u = little(zl, p + 1, size);
                        x = size == 8 ? u : (u >= 1L << (8 * size - 1) ? u - (1L << (8 * size)) : u);
                    } else if (enc >= 0xF1 && enc <= 0xFD) {
                        x = (enc & 0x0f) - 1;
                    } else {
                        throw new IOException("bad ziplist integer encoding " + enc);
                    }
                    v = Long.toString(x).getBytes(StandardCharsets.US_ASCII);
                    p += 1 + size;
                }
            }
            if (p > zl.length - 1) {
                throw new IOException("ziplist entry past the end");
            }
            prevLen = p - start;
            last = start;
            visitor.entry(v);
            n++;
        }
        if (p != zl.length - 1) {
            throw new IOException("ziplist end marker before its end");
        }
        if ((last < 0 ? HEADER : last) != tail) {
            throw new IOException("bad ziplist tail offset");
        }
        if (declared != 65535 && declared != n) {
            throw new IOException("ziplist count mismatch");
        }
        return n;
    }

    static long little(byte[] b, int from, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | (b[from + i] & 0xff);
        }
        return v;
    }

    private static void need(byte[] b, int p, int n) throws IOException {
        if (p + n > b.length - 1) {
            throw new IOException("ziplist entry past the end");
        }
    }

    private static byte[] slice(byte[] b, int from, int len) throws IOException {
        need(b, from, len);
        byte[] v = new byte[len];
        System.arraycopy(b, from, v, 0, len);
        return v;
    }
}
