package io.cinnabar.api;

import java.util.Arrays;

/**
 * A string value that has been modified in place (APPEND, SETRANGE, SETBIT, BITFIELD): a growable
 * buffer, so repeated appends cost amortized O(1) like Redis's sds, and reported as {@code raw} the way
 * Redis reports a modified string.
 */
public final class RawString implements RedisValue {
    private byte[] buf;
    private int len;

    public RawString(byte[] initial) {
        this.buf = initial;
        this.len = initial.length;
    }

    public int length() {
        return len;
    }

    /** The backing array; only the first {@link #length()} bytes are the value. */
    public byte[] buffer() {
        return buf;
    }

    /** The value as an exact-length copy. */
    public byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    /** Grows the value to at least {@code newLen} bytes, zero-filled, with sds-like headroom. */
    public void ensureLength(int newLen) {
        if (newLen <= len) {
            return;
        }
        if (newLen > buf.length) {
            long cap = newLen < 1024 * 1024 ? (long) newLen * 2 : (long) newLen + 1024 * 1024;
            buf = Arrays.copyOf(buf, (int) Math.min(cap, Integer.MAX_VALUE - 8));
        }
        len = newLen;
    }

    public void append(byte[] b) {
        int old = len;
        ensureLength(len + b.length);
        System.arraycopy(b, 0, buf, old, b.length);
    }

    @Override
    public String typeName() {
        return "string";
    }

    @Override
    public String encoding() {
        return "raw";
    }

    @Override
    public long memoryUsage() {
        return 16 + buf.length + 16;
    }

    @Override
    public RedisValue copy() {
        return new RawString(toBytes());
    }
}
