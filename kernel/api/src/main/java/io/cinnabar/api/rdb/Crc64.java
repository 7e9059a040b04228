package io.cinnabar.api.rdb;

/**
 * Redis's CRC-64 (crc64.c): the Jones polynomial, reflected, initial value 0, no final xor; it checks RDB
 * files and DUMP payloads. {@code crc64(0, "123456789")} is {@code 0xe9c6d914c4b8d9ca}.
 */
public final class Crc64 {
    private static final long POLY_REFLECTED = 0x95ac9329ac4bc9b5L;
    private static final long[] TABLE = new long[256];

    static {
        for (int n = 0; n < 256; n++) {
            long c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private Crc64() {
    }

    public static long update(long crc, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            crc = TABLE[(int) ((crc ^ b[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }

    public static long update(long crc, int b) {
        return TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
    }
}
