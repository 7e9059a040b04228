package io.cinnabar.api.rdb;

import io.cinnabar.api.RedisNumbers;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * RDB lengths, strings and doubles as rdb.c writes and reads them (rdbSaveLen, rdbSaveRawString with its
 * integer and LZF forms, rdbSaveBinaryDoubleValue, the old string-encoded doubles). Every read checks its
 * bounds and throws IOException on corrupt input, never more than the input can hold.
 */
public final class RdbStrings {
    private static final int ENC_INT8 = 0;
    private static final int ENC_INT16 = 1;
    private static final int ENC_INT32 = 2;
    private static final int ENC_LZF = 3;
    /** Strings longer than this go through LZF when compression is on (rdbSaveRawString). */
    private static final int LZF_MIN_LENGTH = 20;
    /** Refuse to allocate a single string larger than this from an untrusted length. */
    private static final long MAX_STRING = Integer.MAX_VALUE - 16;

    private RdbStrings() {
    }

    public static void writeLength(DataOutput out, long len) throws IOException {
        if (len < (1 << 6)) {
            out.writeByte((int) len);
        } else if (len < (1 << 14)) {
            out.writeByte((int) ((len >>> 8) | 0x40));
            out.writeByte((int) (len & 0xff));
        } else if (len <= 0xFFFFFFFFL) {
            out.writeByte(0x80);
            out.writeInt((int) len);
        } else {
            out.writeByte(0x81);
            out.writeLong(len);
        }
    }

    /** rdbSaveLen's size for a length. */
    public static int lengthSize(long len) {
        if (len < (1 << 6)) {
            return 1;
        }
        if (len < (1 << 14)) {
            return 2;
        }
        return len <= 0xFFFFFFFFL ? 5 : 9;
    }

    /**
     * rdbSaveRawString: a short canonical integer in its 1/2/4-byte form, else LZF when {@code out} is an
     * {@link RdbOutput} with compression on and it saves space, else the length-prefixed bytes.
     */
    public static void writeString(DataOutput out, byte[] s) throws IOException {
        int len = s.length;
        if (len <= 11 && writeIntegerForm(out, s)) {
            return;
        }
        if (len > LZF_MIN_LENGTH && out instanceof RdbOutput r && r.compression()) {
            byte[] packed = Lzf.compress(s, len - 4);
            if (packed != null) {
                out.writeByte(0xC0 | ENC_LZF);
                writeLength(out, packed.length);
                writeLength(out, len);
                out.write(packed);
                return;
            }
        }
        writeLength(out, len);
        out.write(s);
    }

    /** A string's serialized size as {@link #writeString} would write it. */
    public static long stringSize(byte[] s, boolean compression) {
        int len = s.length;
        if (len <= 11) {
            int n = integerFormSize(s);
            if (n > 0) {
                return n;
            }
        }
        if (compression && len > LZF_MIN_LENGTH) {
            byte[] packed = Lzf.compress(s, len - 4);
            if (packed != null) {
                return 1 + lengthSize(packed.length) + lengthSize(len) + packed.length;
            }
        }
        return lengthSize(len) + len;
    }

    /** rdbSaveLongLongAsStringObject: an integer in its shortest integer form or as its decimal digits. */
    public static void writeLong(DataOutput out, long v) throws IOException {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            out.writeByte(0xC0 | ENC_INT8);
            out.writeByte((int) v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            out.writeByte(0xC0 | ENC_INT16);
            out.writeShort(Short.reverseBytes((short) v));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.writeByte(0xC0 | ENC_INT32);
            out.writeInt(Integer.reverseBytes((int) v));
        } else {
            byte[] digits = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            writeLength(out, digits.length);
            out.write(digits);
        }
    }

    private static boolean writeIntegerForm(DataOutput out, byte[] s) throws IOException {
        if (integerFormSize(s) == 0) {
            return false;
        }
        writeLong(out, RedisNumbers.parseLong(s, "not an integer"));
        return true;
    }

    /** rdbTryIntegerEncoding: 2, 3 or 5 bytes for a canonical integer that fits 8, 16 or 32 bits, else 0. */
    private static int integerFormSize(byte[] s) {
        if (!RedisNumbers.isCanonicalLong(s)) {
            return 0;
        }
        long v = RedisNumbers.parseLong(s, "not an integer");
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            return 2;
        }
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return 3;
        }
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? 5 : 0;
    }

    /** A length; for an encoded string's prefix byte returns {@code -1 - encoding}. */
    public static long readLength(DataInput in) throws IOException {
        int b = in.readUnsignedByte();
        switch (b >>> 6) {
            case 0:
                return b & 0x3f;
            case 1:
                return ((long) (b & 0x3f) << 8) | in.readUnsignedByte();
            case 2:
                if (b == 0x80) {
                    return in.readInt() & 0xFFFFFFFFL;
                }
                if (b == 0x81) {
                    long v = in.readLong();
                    if (v < 0) {
                        throw new IOException("bad RDB length " + Long.toUnsignedString(v));
                    }
                    return v;
                }
                throw new IOException("bad RDB length prefix " + b);
            default:
                return -1 - (b & 0x3f);
        }
    }

    /** A length that must be a plain count (not a string encoding) no larger than {@code max}. */
    public static long readCount(DataInput in, long max) throws IOException {
        long n = readLength(in);
        if (n < 0 || n > max) {
            throw new IOException("bad RDB count " + n);
        }
        return n;
    }

    /** Any RDB string form, decoded to its bytes (integers as their decimal digits). */
    public static byte[] readString(DataInput in) throws IOException {
        long len = readLength(in);
        if (len >= 0) {
            return readBytes(in, len);
        }
        int enc = (int) (-1 - len);
        switch (enc) {
            case ENC_INT8:
                return digits(in.readByte());
            case ENC_INT16:
                return digits(Short.reverseBytes(in.readShort()));
            case ENC_INT32:
                return digits(Integer.reverseBytes(in.readInt()));
            case ENC_LZF:
                long clen = readLength(in);
                long ulen = readLength(in);
                if (clen < 0 || ulen < 0 || ulen > MAX_STRING) {
                    throw new IOException("bad LZF string lengths");
                }
                return Lzf.decompress(readBytes(in, clen), (int) ulen);
            default:
                throw new IOException("bad RDB string encoding " + enc);
        }
    }

    public static byte[] readBytes(DataInput in, long len) throws IOException {
        if (len < 0 || len > MAX_STRING) {
            throw new IOException("bad RDB string length " + len);
        }
        // grow while reading so a forged huge length fails at end of input, not with an OutOfMemoryError
        int chunk = 1 << 20;
        if (len <= chunk) {
            byte[] b = new byte[(int) len];
            in.readFully(b);
            return b;
        }
        byte[] b = new byte[chunk];
        int have = 0;
        while (have < len) {
            if (have == b.length) {
                b = java.util.Arrays.copyOf(b, (int) Math.min(len, (long) b.length * 2));
            }
            int n = b.length - have;
            in.readFully(b, have, n);
            have += n;
        }
        return b;
    }

    private static byte[] digits(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /** rdbSaveBinaryDoubleValue: the IEEE 754 bits, little-endian. */
    public static void writeBinaryDouble(DataOutput out, double d) throws IOException {
        out.writeLong(Long.reverseBytes(Double.doubleToRawLongBits(d)));
    }

    public static double readBinaryDouble(DataInput in) throws IOException {
        return Double.longBitsToDouble(Long.reverseBytes(in.readLong()));
    }

    /** rdbLoadDoubleValue: the RDB_TYPE_ZSET form, a length byte (253 NaN, 254 +inf, 255 -inf) and digits. */
    public static double readStringDouble(DataInput in) throws IOException {
        int len = in.readUnsignedByte();
        switch (len) {
            case 253:
                return Double.NaN;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 255:
                return Double.NEGATIVE_INFINITY;
            default:
                byte[] b = readBytes(in, len);
                try {
                    return Double.parseDouble(new String(b, StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    throw new IOException("bad RDB double", e);
                }
        }
    }
}
