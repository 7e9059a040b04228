package io.cinnabar.kernel.persistence;

import io.cinnabar.api.rdb.Crc64;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads through while keeping the CRC-64 of the bytes read and the offset (for error messages). */
final class Crc64InputStream extends FilterInputStream {
    private long crc;
    private long offset;

    Crc64InputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            crc = Crc64.update(crc, b);
            offset++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            crc = Crc64.update(crc, b, off, n);
            offset += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long done = 0;
        byte[] buf = new byte[8192];
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    long crc() {
        return crc;
    }

    long offset() {
        return offset;
    }
}
