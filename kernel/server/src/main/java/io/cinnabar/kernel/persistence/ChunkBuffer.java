package io.cinnabar.kernel.persistence;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer the snapshot writes its chunks into: {@link java.io.ByteArrayOutputStream} without its
 * synchronized methods, whose lock cost a quarter of a full sync's snapshot time (every value's bytes go
 * through it, one call per field, on one thread).
 */
final class ChunkBuffer extends OutputStream {
    private byte[] buf;
    private int count;

    ChunkBuffer(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    ChunkBuffer() {
        this(64);
    }

    private void ensure(int more) {
        if (count + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(count + more, buf.length * 2));
        }
    }

    @Override
    public void write(int b) {
        ensure(1);
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    int size() {
        return count;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, count);
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, count);
    }
}
