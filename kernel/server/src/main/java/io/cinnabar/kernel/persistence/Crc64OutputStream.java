package io.cinnabar.kernel.persistence;

import io.cinnabar.api.rdb.Crc64;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Passes bytes through while keeping Redis's CRC-64 of everything written (the RDB trailer) and a byte count. */
final class Crc64OutputStream extends FilterOutputStream {
    private long crc;
    private long count;

    Crc64OutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        crc = Crc64.update(crc, b);
        count++;
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        crc = Crc64.update(crc, b, off, len);
        count += len;
        out.write(b, off, len);
    }

    long crc() {
        return crc;
    }

    long count() {
        return count;
    }
}
