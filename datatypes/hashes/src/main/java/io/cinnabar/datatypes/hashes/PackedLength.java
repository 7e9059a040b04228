package io.cinnabar.datatypes.hashes;

/**
 * The length prefix of a field or value inside a packed array ({@link HashValue}'s listpack, a
 * {@link FieldTable} entry): one byte for lengths below 128 (almost every field and value), else four bytes
 * big-endian with the top bit of the first set.
 */
final class PackedLength {
    private PackedLength() {
    }

    /** The bytes the prefix of {@code len} takes. */
    static int size(int len) {
        return len < 128 ? 1 : 4;
    }

    /** The bytes of the prefix stored at {@code off}. */
    static int sizeAt(byte[] b, int off) {
        return b[off] >= 0 ? 1 : 4;
    }

    /** The length stored at {@code off}. */
    static int read(byte[] b, int off) {
        int x = b[off];
        if (x >= 0) {
            return x;
        }
        return (x & 0x7f) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    /** Writes the prefix of {@code len} at {@code off}; the offset after it. */
    static int write(byte[] b, int off, int len) {
        if (len < 128) {
            b[off] = (byte) len;
            return off + 1;
        }
        b[off] = (byte) (0x80 | len >>> 24);
        b[off + 1] = (byte) (len >>> 16);
        b[off + 2] = (byte) (len >>> 8);
        b[off + 3] = (byte) len;
        return off + 4;
    }
}
