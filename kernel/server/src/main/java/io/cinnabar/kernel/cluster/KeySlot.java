package io.cinnabar.kernel.cluster;

/** Key to hash slot: CRC16-XMODEM of the key, or of its first non-empty {hash tag}, modulo 16384. */
public final class KeySlot {
    public static final int SLOTS = 16384;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int j = 0; j < 8; j++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xffff;
        }
    }

    private KeySlot() {
    }

    public static int crc16(byte[] b, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ b[i]) & 0xff]) & 0xffff;
        }
        return crc;
    }

    public static int slot(byte[] key) {
        return slot(key, 0, key.length);
    }

    /** The slot of the key held in {@code key[off, off + len)}. */
    public static int slot(byte[] key, int off, int len) {
        int n = off + len;
        int s = -1;
        for (int i = off; i < n; i++) {
            if (key[i] == '{') {
                s = i;
                break;
            }
        }
        if (s >= 0) {
            for (int e = s + 1; e < n; e++) {
                if (key[e] == '}') {
                    if (e > s + 1) {
                        return crc16(key, s + 1, e - s - 1) & (SLOTS - 1);
                    }
                    break;
                }
            }
        }
        return crc16(key, off, len) & (SLOTS - 1);
    }
}
