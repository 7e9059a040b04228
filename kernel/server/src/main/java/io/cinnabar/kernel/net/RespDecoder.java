package io.cinnabar.kernel.net;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental request decoder for RESP multibulk and inline commands, resumable across partial reads.
 * It enforces Redis's limits with Redis's wording: 64 KB inline requests and count lines,
 * {@code proto-max-bulk-len}, and a multibulk length below 2^31. Arguments are copied into exact-size
 * byte arrays; the argument array itself is reused between commands.
 */
public final class RespDecoder {
    static final int INLINE_MAX = 64 * 1024;
    private static final int PREALLOC_MAX_ARGS = 1024;
    /** Bulks larger than this are filled incrementally instead of waiting for them in the cumulation. */
    private static final int BIG_BULK = 32 * 1024;

    private byte[][] argv = new byte[16][];
    private int argc;
    private long multibulkLen;   // arguments still expected in the current multibulk, 0 = between commands
    private long bulkLen = -1;   // length of the bulk being read, -1 = expecting a '$' line
    private byte[] bigBulk;      // partially filled big bulk
    private int bigBulkFilled;
    private long maxBulkLen = 512L * 1024 * 1024;
    private boolean authenticated = true;

    public void setMaxBulkLen(long max) {
        this.maxBulkLen = max;
    }

    /** Unauthenticated clients get Redis's stricter limits (10 arguments, 16 KB bulks). */
    public void setAuthenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    public byte[][] argv() {
        return argv;
    }

    public int argc() {
        return argc;
    }

    /** True while a command is partially received. */
    public boolean inProgress() {
        return multibulkLen > 0;
    }

    /**
     * Decodes the next complete command from {@code in}. Returns true with {@link #argv()}/{@link #argc()}
     * set, or false when more bytes are needed (everything consumed so far is remembered).
     */
    public boolean decode(ByteBuf in) throws ProtocolException {
        while (true) {
            if (multibulkLen == 0) {
                argc = 0;
                if (!in.isReadable()) {
                    return false;
                }
                byte first = in.getByte(in.readerIndex());
                if (first == '*') {
                    if (!readMultibulkHeader(in)) {
                        return false;
                    }
                    if (multibulkLen == 0) {
                        continue; // "*0" or negative: nothing to run, as Redis
                    }
                } else {
                    int r = readInline(in);
                    if (r < 0) {
                        return false;
                    }
                    if (argc == 0) {
                        continue; // empty line between commands
                    }
                    return true;
                }
            }
            while (multibulkLen > 0) {
                if (!readBulk(in)) {
                    return false;
                }
                multibulkLen--;
            }
            return true;
        }
    }

    private boolean readMultibulkHeader(ByteBuf in) throws ProtocolException {
        int start = in.readerIndex();
        int cr = in.indexOf(start, in.writerIndex(), (byte) '\r');
        if (cr < 0) {
            if (in.readableBytes() > INLINE_MAX) {
                throw new ProtocolException("too big mbulk count string");
            }
            return false;
        }
        if (cr + 1 >= in.writerIndex()) {
            return false; // wait for the '\n'
        }
        long n = parseCount(in, start + 1, cr);
        if (n == Long.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw new ProtocolException("invalid multibulk length");
        }
        if (n > 10 && !authenticated) {
            throw new ProtocolException("unauthenticated multibulk length");
        }
        in.readerIndex(cr + 2);
        multibulkLen = Math.max(0, n);
        bulkLen = -1;
        int want = (int) Math.min(multibulkLen, PREALLOC_MAX_ARGS);
        if (argv.length < want) {
            argv = new byte[want][];
        }
        return true;
    }

    private boolean readBulk(ByteBuf in) throws ProtocolException {
        if (bulkLen < 0) {
            if (!in.isReadable()) {
                return false;
            }
            int start = in.readerIndex();
            int cr = in.indexOf(start, in.writerIndex(), (byte) '\r');
            if (cr < 0) {
                if (in.readableBytes() > INLINE_MAX) {
                    throw new ProtocolException("too big bulk count string");
                }
                return false;
            }
            if (cr + 1 >= in.writerIndex()) {
                return false;
            }
            byte b = in.getByte(start);
            if (b != '$') {
                throw new ProtocolException("expected '$', got '" + (char) (b & 0xff) + "'");
            }
            long n = parseCount(in, start + 1, cr);
            if (n == Long.MIN_VALUE || n < 0 || n > maxBulkLen) {
                throw new ProtocolException("invalid bulk length");
            }
            if (n > 16384 && !authenticated) {
                throw new ProtocolException("unauthenticated bulk length");
            }
            in.readerIndex(cr + 2);
            bulkLen = n;
            if (n >= BIG_BULK) {
                bigBulk = new byte[(int) Math.min(n, 1024 * 1024)];
                bigBulkFilled = 0;
            }
        }
        byte[] arg;
        if (bigBulk != null) {
            int take = (int) Math.min(in.readableBytes(), bulkLen - bigBulkFilled);
            if (bigBulkFilled + take > bigBulk.length) {
                bigBulk = Arrays.copyOf(bigBulk, (int) Math.min(bulkLen, Math.max((long) bigBulk.length * 2,
                        bigBulkFilled + take)));
            }
            in.readBytes(bigBulk, bigBulkFilled, take);
            bigBulkFilled += take;
            if (bigBulkFilled < bulkLen || in.readableBytes() < 2) {
                return false;
            }
            arg = bigBulk;
            bigBulk = null;
        } else {
            if (in.readableBytes() < bulkLen + 2) {
                return false;
            }
            arg = new byte[(int) bulkLen];
            in.readBytes(arg);
        }
        in.skipBytes(2); // Redis does not check that these are CRLF
        bulkLen = -1;
        if (argc == argv.length) {
            argv = Arrays.copyOf(argv, argc * 2);
        }
        argv[argc++] = arg;
        return true;
    }

    /** string2ll over the bytes of a count line; Long.MIN_VALUE when invalid. */
    private static long parseCount(ByteBuf in, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 20) {
            return Long.MIN_VALUE;
        }
        boolean neg = false;
        int i = from;
        if (in.getByte(i) == '-') {
            neg = true;
            i++;
            if (i == to) {
                return Long.MIN_VALUE;
            }
        }
        if (in.getByte(i) == '0' && to - i > 1) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    /** Reads one inline command line; -1 when incomplete. Splits like Redis's sdssplitargs. */
    private int readInline(ByteBuf in) throws ProtocolException {
        int start = in.readerIndex();
        int nl = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (nl < 0) {
            if (in.readableBytes() > INLINE_MAX) {
                throw new ProtocolException("too big inline request");
            }
            return -1;
        }
        int end = nl;
        if (end > start && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(nl + 1);
        List<byte[]> parts = SplitArgs.split(line);
        if (parts == null) {
            throw new ProtocolException("unbalanced quotes in request");
        }
        argc = 0;
        if (argv.length < parts.size()) {
            argv = new byte[parts.size()][];
        }
        for (byte[] p : parts) {
            argv[argc++] = p;
        }
        return argc;
    }

    /** Forgets a partially received command (used when a connection is reset). */
    public void reset() {
        multibulkLen = 0;
        bulkLen = -1;
        bigBulk = null;
        argc = 0;
    }
}
