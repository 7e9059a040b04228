package io.cinnabar.api.rdb;

import java.io.IOException;
import java.util.Arrays;

/**
 * LZF compression as Redis builds liblzf (lzf_c.c with HLOG 16, VERY_FAST, no ULTRA_FAST), byte for
 * byte, so compressed RDB strings (and DEBUG OBJECT's serializedlength) come out as Redis's. Hash slots start
 * empty, which is what Redis's uninitialised table amounts to. Decompression checks every reference, so a
 * corrupt payload is an IOException, never an out-of-bounds read.
 */
public final class Lzf {
    private static final int HLOG = 16;
    private static final int HSIZE = 1 << HLOG;
    private static final int MAX_LIT = 1 << 5;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    private Lzf() {
    }

    private static int first(byte[] in, int p) {
        return ((in[p] & 0xff) << 8) | (in[p + 1] & 0xff);
    }

    private static int next(int v, byte[] in, int p) {
        return (v << 8) | (in[p + 2] & 0xff);
    }

    private static int idx(int h) {
        return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
    }

    /** lzf_compress into at most {@code outLen} bytes; null when the result would not fit. */
    public static byte[] compress(byte[] in, int outLen) {
        int inLen = in.length;
        if (inLen == 0 || outLen <= 0) {
            return null;
        }
        byte[] out = new byte[outLen + 8];
        int[] htab = new int[HSIZE];
        Arrays.fill(htab, -1);
        int ip = 0;
        int op = 0;
        int inEnd = inLen;
        int outEnd = outLen;
        int lit = 0;
        op++; // start run
        int hval = first(in, ip);
        while (ip < inEnd - 2) {
            hval = next(hval, in, ip);
            int slot = idx(hval);
            int ref = htab[slot];
            htab[slot] = ip;
            int off;
            // Redis's lzf_c.c (liblzf 3.6) has no "ip + 4 < in_end" test: a match may end the input
            if (ref > 0 && (off = ip - ref - 1) < MAX_OFF
                    && in[ref] == in[ip] && in[ref + 1] == in[ip + 1] && in[ref + 2] == in[ip + 2]) {
                int len = 2;
                int maxlen = inEnd - ip - len;
                maxlen = Math.min(maxlen, MAX_REF);
                if (lit > 0) {
                    out[op - lit - 1] = (byte) (lit - 1); // stop run
                } else {
                    op--; // undo run if length is zero
                }
                if (op + 3 + 1 >= outEnd) {
                    return null;
                }
                boolean mismatch = false;
                if (maxlen > 16) {
                    // lzf's unrolled loop checks 16 more octets without looking at maxlen
                    for (int k = 0; k < 16 && !mismatch; k++) {
                        len++;
                        mismatch = in[ref + len] != in[ip + len];
                    }
                }
                if (!mismatch) {
                    do {
                        len++;
                    } while (len < maxlen && in[ref + len] == in[ip + len]);
                }
                len -= 2; // len is now #octets - 1
                ip++;
                if (len < 7) {
                    out[op++] = (byte) ((off >> 8) + (len << 5));
                } else {
                    out[op++] = (byte) ((off >> 8) + (7 << 5));
                    out[op++] = (byte) (len - 7);
                }
                out[op++] = (byte) off;
                lit = 0;
                op++; // start run
                ip += len + 1;
                if (ip >= inEnd - 2) {
                    break;
                }
                // VERY_FAST: rehash the last two positions of the match
                ip -= 2;
                hval = first(in, ip);
                hval = next(hval, in, ip);
                htab[idx(hval)] = ip;
                ip++;
                hval = next(hval, in, ip);
                htab[idx(hval)] = ip;
                ip++;
            } else {
                if (op >= outEnd) {
                    return null;
                }
                lit++;
                out[op++] = in[ip++];
                if (lit == MAX_LIT) {
                    out[op - lit - 1] = (byte) (lit - 1);
                    lit = 0;
                    op++;
                }
            }
        }
        if (op + 3 > outEnd) {
            return null;
        }
        while (ip < inEnd) {
            lit++;
            out[op++] = in[ip++];
            if (lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }
        if (lit > 0) {
            out[op - lit - 1] = (byte) (lit - 1);
        } else {
            op--;
        }
        return Arrays.copyOf(out, op);
    }

    /** lzf_decompress: exactly {@code outLen} bytes, or IOException when the data is corrupt. */
    public static byte[] decompress(byte[] in, int outLen) throws IOException {
        // a 3-byte back reference expands to at most 264 bytes: refuse a forged length before allocating it
        if (outLen < 0 || outLen > (long) in.length * 88) {
            throw new IOException("LZF length " + outLen + " impossible for " + in.length + " bytes");
        }
        byte[] out = new byte[outLen];
        int ip = 0;
        int op = 0;
        while (ip < in.length) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < (1 << 5)) {
                ctrl++;
                if (op + ctrl > outLen || ip + ctrl > in.length) {
                    throw new IOException("corrupt LZF data");
                }
                System.arraycopy(in, ip, out, op, ctrl);
                ip += ctrl;
                op += ctrl;
            } else {
                int len = ctrl >>> 5;
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (len == 7) {
                    if (ip >= in.length) {
                        throw new IOException("corrupt LZF data");
                    }
                    len += in[ip++] & 0xff;
                }
                if (ip >= in.length) {
                    throw new IOException("corrupt LZF data");
                }
                ref -= in[ip++] & 0xff;
                len += 2;
                if (op + len > outLen || ref < 0) {
                    throw new IOException("corrupt LZF data");
                }
                for (int i = 0; i < len; i++) {
                    out[op++] = out[ref++];
                }
            }
        }
        if (op != outLen) {
            throw new IOException("LZF length mismatch");
        }
        return out;
    }
}
