package io.cinnabar.kernel.net;

import io.cinnabar.api.RedisNumbers;
import io.cinnabar.api.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The {@link Reply} of one connection: encodes RESP2 or RESP3 into an output buffer that the connection
 * flushes once per read batch. Errors are counted here, the one place every error reply passes.
 */
public final class RespWriter implements Reply {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SMALL = 512;
    private static final byte[][] INTS = new byte[SMALL][];
    private static final byte[][] BULK_HDR = new byte[SMALL][];
    private static final byte[][] ARRAY_HDR = new byte[SMALL][];

    static {
        for (int i = 0; i < SMALL; i++) {
            INTS[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
            BULK_HDR[i] = ("$" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
            ARRAY_HDR[i] = ("*" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Told about every error reply (INFO errorstats, per-command failed_calls). */
    public interface ErrorListener {
        void onError(String line);
    }

    private final ByteBufAllocator alloc;
    private final ErrorListener errors;
    private ByteBuf out;
    private int protocol = 2;
    private boolean muted;

    public RespWriter(ByteBufAllocator alloc, ErrorListener errors) {
        this.alloc = alloc;
        this.errors = errors;
    }

    public void setProtocol(int protocol) {
        this.protocol = protocol;
    }

    /** While muted (CLIENT REPLY OFF/SKIP) replies are dropped, but errors are still counted. */
    public void setMuted(boolean muted) {
        this.muted = muted;
    }

    public boolean muted() {
        return muted;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    /** Takes the pending output (null when none); the caller writes and flushes it. */
    public ByteBuf take() {
        ByteBuf b = out;
        out = null;
        return b;
    }

    public boolean hasPending() {
        return out != null && out.isReadable();
    }

    public int pendingBytes() {
        return out == null ? 0 : out.readableBytes();
    }

    private ByteBuf buf() {
        if (out == null) {
            out = alloc.ioBuffer(1024);
        }
        return out;
    }

    private void raw(byte[] b) {
        if (!muted) {
            buf().writeBytes(b);
        }
    }

    /** Scratch of {@link #header}: the type, a sign, up to 19 digits, CR LF. */
    private final byte[] headerBytes = new byte[23];

    /**
     * {@code <type><n>\r\n} (integer replies and lengths are hot): built in a scratch array without a String,
     * then written with one copy. As three writes (type, digits, CR LF) it took 2.4% of the event loop's samples
     * of LPUSH at pipeline 16 (its replies are the list's length), as one 1.1%.
     */
    private void header(char type, long n) {
        if (muted) {
            return;
        }
        byte[] h = headerBytes;
        int i = h.length;
        h[--i] = '\n';
        h[--i] = '\r';
        long m = n < 0 ? n : -n; // counted on the negative side, where Long.MIN_VALUE fits
        do {
            h[--i] = (byte) ('0' - (int) (m % 10));
            m /= 10;
        } while (m != 0);
        if (n < 0) {
            h[--i] = '-';
        }
        h[--i] = (byte) type;
        buf().writeBytes(h, i, h.length - i);
    }

    @Override
    public void simple(String s) {
        if (muted) {
            return;
        }
        ByteBuf b = buf();
        b.writeByte('+');
        b.writeCharSequence(s, StandardCharsets.UTF_8);
        b.writeBytes(CRLF);
    }

    @Override
    public void ok() {
        raw(OK);
    }

    @Override
    public void error(String line) {
        errors.onError(line);
        if (muted) {
            return;
        }
        ByteBuf b = buf();
        b.writeByte('-');
        // an error line must not break the protocol: Redis replaces newlines with spaces
        b.writeCharSequence(line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0
                ? line.replace('\r', ' ').replace('\n', ' ') : line, StandardCharsets.UTF_8);
        b.writeBytes(CRLF);
    }

    @Override
    public void integer(long v) {
        if (v >= 0 && v < SMALL) {
            raw(INTS[(int) v]);
        } else {
            header(':', v);
        }
    }

    @Override
    public void bulk(byte[] v) {
        bulk(v, 0, v.length);
    }

    @Override
    public void bulk(byte[] v, int off, int len) {
        if (muted) {
            return;
        }
        ByteBuf b = buf();
        if (len < SMALL) {
            b.writeBytes(BULK_HDR[len]);
        } else {
            header('$', len);
        }
        b.writeBytes(v, off, len);
        b.writeBytes(CRLF);
    }

    @Override
    public void bulk(String s) {
        bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void bulk(long v) {
        bulk(RedisNumbers.toBytes(v));
    }

    @Override
    public void nullBulk() {
        raw(protocol == 3 ? NULL3 : NULL_BULK);
    }

    @Override
    public void nullArray() {
        raw(protocol == 3 ? NULL3 : NULL_ARRAY);
    }

    @Override
    public void array(int n) {
        if (n >= 0 && n < SMALL) {
            raw(ARRAY_HDR[n]);
        } else {
            header('*', n);
        }
    }

    @Override
    public void map(int n) {
        if (protocol == 3) {
            header('%', n);
        } else {
            array(n * 2);
        }
    }

    @Override
    public void set(int n) {
        if (protocol == 3) {
            header('~', n);
        } else {
            array(n);
        }
    }

    @Override
    public void push(int n) {
        if (protocol == 3) {
            header('>', n);
        } else {
            array(n);
        }
    }

    @Override
    public void doubleText(String text) {
        if (protocol == 3) {
            if (muted) {
                return;
            }
            ByteBuf b = buf();
            b.writeByte(',');
            b.writeCharSequence(text, StandardCharsets.US_ASCII);
            b.writeBytes(CRLF);
        } else {
            bulk(text);
        }
    }

    @Override
    public void doubleValue(double d) {
        String s = RedisNumbers.formatDouble(d);
        if (protocol == 3) {
            if (muted) {
                return;
            }
            ByteBuf b = buf();
            b.writeByte(',');
            b.writeCharSequence(s, StandardCharsets.US_ASCII);
            b.writeBytes(CRLF);
        } else {
            bulk(s);
        }
    }

    @Override
    public void bool(boolean v) {
        if (protocol == 3) {
            simpleRaw(v ? "#t" : "#f");
        } else {
            integer(v ? 1 : 0);
        }
    }

    private void simpleRaw(String s) {
        if (muted) {
            return;
        }
        ByteBuf b = buf();
        b.writeCharSequence(s, StandardCharsets.US_ASCII);
        b.writeBytes(CRLF);
    }

    @Override
    public void bigNumber(String digits) {
        if (protocol == 3) {
            simpleRaw("(" + digits);
        } else {
            bulk(digits);
        }
    }

    @Override
    public void verbatim(String format, String text) {
        if (protocol == 3) {
            byte[] t = text.getBytes(StandardCharsets.UTF_8);
            if (muted) {
                return;
            }
            header('=', t.length + 4);
            ByteBuf b = buf();
            b.writeCharSequence(format, StandardCharsets.US_ASCII);
            b.writeByte(':');
            b.writeBytes(t);
            b.writeBytes(CRLF);
        } else {
            bulk(text);
        }
    }

    @Override
    public Deferred deferredArray() {
        return deferred('*', 1);
    }

    @Override
    public Deferred deferredMap() {
        return protocol == 3 ? deferred('%', 1) : deferred('*', 2);
    }

    @Override
    public Deferred deferredSet() {
        return protocol == 3 ? deferred('~', 1) : deferred('*', 1);
    }

    /**
     * Remembers where the container starts and inserts its header once the length is known, moving the
     * elements written meanwhile (RESP has no fixed-width length field; deferred replies are rare and small).
     */
    private Deferred deferred(char type, int multiplier) {
        if (muted) {
            return n -> { };
        }
        ByteBuf b = buf();
        int mark = b.writerIndex();
        return n -> {
            if (muted) {
                return;
            }
            byte[] hdr = (type + Long.toString((long) n * multiplier) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            ByteBuf cur = buf();
            int bodyLen = cur.writerIndex() - mark;
            byte[] body = new byte[bodyLen];
            cur.getBytes(mark, body);
            cur.writerIndex(mark);
            cur.writeBytes(hdr);
            cur.writeBytes(body);
        };
    }

    /** Writes pre-encoded RESP (used by MONITOR and cached replies). */
    public void rawBytes(byte[] resp) {
        raw(resp);
    }

    /** Appends pre-encoded RESP held in {@code resp} (pushes deferred behind a reply) and releases it. */
    public void rawBytes(ByteBuf resp) {
        if (!muted) {
            buf().writeBytes(resp);
        }
        resp.release();
    }
}
