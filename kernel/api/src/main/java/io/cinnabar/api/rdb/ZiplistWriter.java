package io.cinnabar.api.rdb;

import io.cinnabar.api.RedisNumbers;
import java.io.ByteArrayOutputStream;

/**
 * Builds a ziplist (ziplist.c), the packed form RDB versions before 10 use for small lists (inside
 * RDB_TYPE_LIST_QUICKLIST nodes), hashes and sorted sets: what a DataType writes when {@code rdb-version}
 * asks for a file an older Redis reads. Entries are encoded as ziplist.c would: canonical integers in the
 * smallest integer form, other strings with a 1-, 2- or 5-byte length header.
 */
public final class ZiplistWriter {
    private static final int HEADER = 10;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int count;
    private int lastEntryStart = HEADER;
    private int lastEntryLength;

    public ZiplistWriter() {
        for (int i = 0; i < HEADER; i++) {
            out.write(0);
        }
    }

    /** Appends an entry: a canonical integer (string2ll) in integer form, anything else as a string. */
    public ZiplistWriter add(byte[] v) {
        int start = out.size();
        writePrevlen();
        if (v.length <= 32 && RedisNumbers.isCanonicalLong(v)) {
            writeInteger(RedisNumbers.parseLong(v, "not an integer"));
        } else {
            int len = v.length;
            if (len <= 0x3f) {
                out.write(len);
            } else if (len <= 0x3fff) {
                out.write(0x40 | (len >>> 8));
                out.write(len & 0xff);
            } else {
                out.write(0x80);
                out.write(len >>> 24);
                out.write((len >>> 16) & 0xff);
                out.write((len >>> 8) & 0xff);
                out.write(len & 0xff);
            }
            out.write(v, 0, len);
        }
        lastEntryStart = start;
        lastEntryLength = out.size() - start;
        count++;
        return this;
    }

    private void writePrevlen() {
        if (count == 0) {
            out.write(0);
        } else if (lastEntryLength < 254) {
            out.write(lastEntryLength);
        } else {
            out.write(0xfe);
            little(lastEntryLength, 4);
        }
    }

    private void writeInteger(long x) {
        if (x >= 0 && x <= 12) {
            out.write(0xf1 + (int) x);
        } else if (x >= Byte.MIN_VALUE && x <= Byte.MAX_VALUE) {
            out.write(0xfe);
            little(x, 1);
        } else if (x >= Short.MIN_VALUE && x <= Short.MAX_VALUE) {
            out.write(0xc0);
            little(x, 2);
        } else if (x >= -8388608 && x <= 8388607) {
            out.write(0xf0);
            little(x, 3);
        } else if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
            out.write(0xd0);
            little(x, 4);
        } else {
            out.write(0xe0);
            little(x, 8);
        }
    }

    private void little(long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    public int size() {
        return count;
    }

    /** The finished ziplist: header (total bytes, offset of the last entry, count), entries, 0xFF. */
    public byte[] build() {
        out.write(0xff);
        byte[] zl = out.toByteArray();
        put(zl, 0, zl.length, 4);
        put(zl, 4, count == 0 ? HEADER : lastEntryStart, 4);
        put(zl, 8, Math.min(count, 65535), 2); // 65535: count unknown, walk the entries
        return zl;
    }

    private static void put(byte[] b, int at, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
