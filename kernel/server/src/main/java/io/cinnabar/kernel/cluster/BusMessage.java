package io.cinnabar.kernel.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Redis 7.2's cluster bus message (cluster.h clusterMsg): a 2256-byte header, then the type's data. Every
 * integer is big-endian. This class reads a received frame in place and builds outgoing ones.
 */
final class BusMessage {
    static final int HEADER = 2256;
    static final int GOSSIP_ENTRY = 104;
    static final int NAME = 40;
    static final int IP = 46;
    static final int VERSION = 1;

    static final int PING = 0;
    static final int PONG = 1;
    static final int MEET = 2;
    static final int FAIL = 3;
    static final int PUBLISH = 4;
    static final int FAILOVER_AUTH_REQUEST = 5;
    static final int FAILOVER_AUTH_ACK = 6;
    static final int UPDATE = 7;
    static final int MFSTART = 8;
    static final int MODULE = 9;
    static final int PUBLISHSHARD = 10;
    static final int TYPE_COUNT = 11;
    static final String[] TYPE_NAMES = {"ping", "pong", "meet", "fail", "publish", "auth-req", "auth-ack",
        "update", "mfstart", "module", "publishshard"};

    // header offsets
    static final int OFF_TOTLEN = 4;
    static final int OFF_VER = 8;
    static final int OFF_PORT = 10;
    static final int OFF_TYPE = 12;
    static final int OFF_COUNT = 14;
    static final int OFF_CURRENT_EPOCH = 16;
    static final int OFF_CONFIG_EPOCH = 24;
    static final int OFF_OFFSET = 32;
    static final int OFF_SENDER = 40;
    static final int OFF_MYSLOTS = 80;
    static final int OFF_SLAVEOF = 2128;
    static final int OFF_MYIP = 2168;
    static final int OFF_EXTENSIONS = 2214;
    static final int OFF_PPORT = 2246;
    static final int OFF_CPORT = 2248;
    static final int OFF_FLAGS = 2250;
    static final int OFF_STATE = 2252;
    static final int OFF_MFLAGS = 2253;

    static final int MFLAG_PAUSED = 1;
    static final int MFLAG_FORCEACK = 2;
    static final int MFLAG_EXT_DATA = 4;

    static final int EXT_HOSTNAME = 0;
    static final int EXT_HUMAN_NODENAME = 1;
    static final int EXT_FORGOTTEN_NODE = 2;
    static final int EXT_SHARDID = 3;

    private final ByteBuffer b;

    BusMessage(byte[] frame) {
        this.b = ByteBuffer.wrap(frame);
    }

    static boolean hasSignature(byte[] frame) {
        return frame.length >= 8 && frame[0] == 'R' && frame[1] == 'C' && frame[2] == 'm' && frame[3] == 'b';
    }

    int totlen() {
        return b.getInt(OFF_TOTLEN);
    }

    int version() {
        return b.getShort(OFF_VER) & 0xffff;
    }

    int type() {
        return b.getShort(OFF_TYPE) & 0xffff;
    }

    int count() {
        return b.getShort(OFF_COUNT) & 0xffff;
    }

    int port() {
        return b.getShort(OFF_PORT) & 0xffff;
    }

    int pport() {
        return b.getShort(OFF_PPORT) & 0xffff;
    }

    int cport() {
        return b.getShort(OFF_CPORT) & 0xffff;
    }

    int flags() {
        return b.getShort(OFF_FLAGS) & 0xffff;
    }

    int mflags() {
        return b.get(OFF_MFLAGS) & 0xff;
    }

    int state() {
        return b.get(OFF_STATE) & 0xff;
    }

    int extensions() {
        return b.getShort(OFF_EXTENSIONS) & 0xffff;
    }

    long currentEpoch() {
        return b.getLong(OFF_CURRENT_EPOCH);
    }

    long configEpoch() {
        return b.getLong(OFF_CONFIG_EPOCH);
    }

    long offset() {
        return b.getLong(OFF_OFFSET);
    }

    String sender() {
        return name(OFF_SENDER);
    }

    /** The master's name, or null when the sender is a master (all zero bytes). */
    String slaveOf() {
        return b.get(OFF_SLAVEOF) == 0 ? null : name(OFF_SLAVEOF);
    }

    /** The announced ip, or "" when the receiver should use the socket's address. */
    String myIp() {
        return cString(OFF_MYIP, IP);
    }

    byte[] slots() {
        return bytes(OFF_MYSLOTS, ClusterState.SLOTS / 8);
    }

    byte[] bytes(int off, int len) {
        byte[] out = new byte[len];
        b.get(off, out, 0, len);
        return out;
    }

    String name(int off) {
        return new String(b.array(), off, NAME, StandardCharsets.ISO_8859_1);
    }

    String cString(int off, int max) {
        int end = off;
        while (end < off + max && end < b.limit() && b.get(end) != 0) {
            end++;
        }
        return new String(b.array(), off, end - off, StandardCharsets.ISO_8859_1);
    }

    int u16(int off) {
        return b.getShort(off) & 0xffff;
    }

    long u32(int off) {
        return b.getInt(off) & 0xffffffffL;
    }

    long u64(int off) {
        return b.getLong(off);
    }

    int u32Int(int off) {
        return b.getInt(off);
    }

    int length() {
        return b.limit();
    }

    /**
     * Redis's clusterIsValidPacket: the version is ours and the length is exactly what the type implies.
     */
    boolean valid() {
        int len = length();
        if (len < HEADER || totlen() != len || version() != VERSION) {
            return false;
        }
        int type = type();
        int expected;
        switch (type) {
            case PING, PONG, MEET -> {
                expected = HEADER + GOSSIP_ENTRY * count();
                if ((mflags() & MFLAG_EXT_DATA) != 0) {
                    int off = expected;
                    for (int i = 0; i < extensions(); i++) {
                        if (off + 8 > len) {
                            return false;
                        }
                        int extLen = b.getInt(off);
                        if (extLen < 8 || extLen % 8 != 0) {
                            return false;
                        }
                        off += extLen;
                    }
                    expected = off;
                }
            }
            case FAIL -> expected = HEADER + NAME;
            case PUBLISH, PUBLISHSHARD -> {
                if (len < HEADER + 8) {
                    return false;
                }
                expected = HEADER + 8 + (int) (u32(HEADER) + u32(HEADER + 4));
            }
            case FAILOVER_AUTH_REQUEST, FAILOVER_AUTH_ACK, MFSTART -> expected = HEADER;
            case UPDATE -> expected = HEADER + 8 + NAME + ClusterState.SLOTS / 8;
            case MODULE -> {
                if (len < HEADER + 13) {
                    return false;
                }
                expected = HEADER + 13 + (int) u32(HEADER + 8);
            }
            default -> {
                return true; // unknown types are ignored, whatever their length
            }
        }
        return len == expected;
    }

    // ---- building ----

    /** A writer for one outgoing message; the caller fills the header fields, then the data. */
    static final class Builder {
        final ByteBuffer out;

        Builder(int type, int totlen) {
            out = ByteBuffer.allocate(totlen);
            out.put(0, (byte) 'R').put(1, (byte) 'C').put(2, (byte) 'm').put(3, (byte) 'b');
            out.putInt(OFF_TOTLEN, totlen);
            out.putShort(OFF_VER, (short) VERSION);
            out.putShort(OFF_TYPE, (short) type);
        }

        Builder u16(int off, int v) {
            out.putShort(off, (short) v);
            return this;
        }

        Builder u32(int off, long v) {
            out.putInt(off, (int) v);
            return this;
        }

        Builder u64(int off, long v) {
            out.putLong(off, v);
            return this;
        }

        Builder u8(int off, int v) {
            out.put(off, (byte) v);
            return this;
        }

        Builder text(int off, String s, int max) {
            byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
            out.put(off, bytes, 0, Math.min(bytes.length, max));
            return this;
        }

        Builder bytes(int off, byte[] bytes) {
            out.put(off, bytes);
            return this;
        }

        byte[] array() {
            return out.array();
        }
    }
}
