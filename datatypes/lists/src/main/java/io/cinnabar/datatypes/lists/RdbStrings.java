package io.cinnabar.datatypes.lists;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** RDB lengths and strings (rdb.c rdbSaveLen / rdbSaveRawString / rdbGenericLoadStringObject). */
final class RdbStrings {
    private RdbStrings() {
    }

    static void writeLength(DataOutput out, long len) throws IOException {
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

    /** A raw string (no integer or LZF encoding). */
    static void writeString(DataOutput out, byte[] s) throws IOException {
        writeLength(out, s.length);
        out.write(s);
    }

    static long readLength(DataInput in) throws IOException {
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
                    return in.readLong();
                }
                throw new IOException("bad RDB length prefix " + b);
            default:
                return -1 - (b & 0x3f); // an encoded string: -1 - encoding type
        }
    }

    static byte[] readString(DataInput in) throws IOException {
        long len = readLength(in);
        if (len >= 0) {
            return read(in, len);
        }
        int enc = (int) (-1 - len);
        switch (enc) {
            case 0:
                return Long.toString(in.readByte()).getBytes(StandardCharsets.US_ASCII);
            case 1:
                return Long.toString(Short.reverseBytes(in.readShort())).getBytes(StandardCharsets.US_ASCII);
            case 2:
                return Long.toString(Integer.reverseBytes(in.readInt())).getBytes(StandardCharsets.US_ASCII);
            case 3:
                long clen = readLength(in);
                long ulen = readLength(in);
                return lzfDecompress(read(in, clen), (int) ulen);
            default:
                throw new IOException("bad RDB string encoding " + enc);
        }
    }

    private static byte[] read(DataInput in, long len) throws IOException {
        if (len < 0 || len > Integer.MAX_VALUE - 8) {
            throw new IOException("bad RDB string length " + len);
        }
        byte[] b = new byte[(int) len];
        in.readFully(b);
        return b;
    }

    /** lzf_decompress (liblzf). */
    static byte[] lzfDecompress(byte[] in, int outLen) throws IOException {
        byte[] out = new byte[outLen];
        int ip = 0;
        int op = 0;
        while (ip < in.length) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < (1 << 5)) {
                ctrl++;
                if (op + ctrl > outLen || ip + ctrl > in.length) {
                    throw new IOException("corrupt LZF data");
                }
                System.arraycopy(in, ip, out, op, ctrl);
                ip += ctrl;
                op += ctrl;
            } else {
                int len = ctrl >>> 5;
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (len == 7) {
                    len += in[ip++] & 0xff;
                }
                ref -= in[ip++] & 0xff;
                len += 2;
                if (op + len > outLen || ref < 0) {
                    throw new IOException("corrupt LZF data");
                }
                for (int i = 0; i < len; i++) {
                    out[op++] = out[ref++];
                }
            }
        }
        if (op != outLen) {
            throw new IOException("LZF length mismatch");
        }
        return out;
    }
}
