package io.cinnabar.datatypes.hashes;

import java.util.Arrays;

/**
 * The layout of {@link HashValue}'s listpack: pairs back to back from offset 0, each a {@link PackedLength}
 * prefix and the field's bytes, then a prefix and the value's bytes, as Redis's listpack holds a hash's
 * fields and values as alternating entries. Pairs are addressed by the offset of their first byte.
 */
final class ListpackPairs {
    private ListpackPairs() {
    }

    /** The offset of the value's length prefix of the pair at {@code o}. */
    static int valuePrefixAt(byte[] p, int o) {
        return o + PackedLength.sizeAt(p, o) + PackedLength.read(p, o);
    }

    /** The offset after the pair at {@code o}. */
    static int pairEnd(byte[] p, int o) {
        int vp = valuePrefixAt(p, o);
        return vp + PackedLength.sizeAt(p, vp) + PackedLength.read(p, vp);
    }

    /** The bytes a pair of these lengths takes. */
    static int pairSize(int fieldLen, int valueLen) {
        return PackedLength.size(fieldLen) + fieldLen + PackedLength.size(valueLen) + valueLen;
    }

    /**
     * The offset of the field's pair among the {@code used} bytes of {@code p}, or -1. Fields of one hash often share a prefix
     * ({@code field1}, {@code field2}), so the last byte is compared before the whole field.
     */
    static int find(byte[] p, int used, byte[] field) {
        int len = field.length;
        byte last = len == 0 ? 0 : field[len - 1];
        for (int o = 0, end = used; o < end; ) {
            int fieldLen = p[o];
            int fieldAt = o + 1;
            if (fieldLen < 0) {
                fieldLen = PackedLength.read(p, o);
                fieldAt = o + 4;
            }
            int vp = fieldAt + fieldLen;
            if (fieldLen == len && (len == 0 || p[vp - 1] == last) && Arrays.equals(p, fieldAt, vp, field, 0, len)) {
                return o;
            }
            int valueLen = p[vp];
            o = valueLen >= 0 ? vp + 1 + valueLen : vp + 4 + PackedLength.read(p, vp);
        }
        return -1;
    }

    /** The ordinal of the pair at offset {@code o}: how many pairs come before it. */
    static int ordinalAt(byte[] p, int o) {
        int k = 0;
        for (int at = 0; at < o; at = pairEnd(p, at)) {
            k++;
        }
        return k;
    }

    /** The offset of the pair of ordinal {@code k}. */
    static int offsetOf(byte[] p, int k) {
        int o = 0;
        for (int i = 0; i < k; i++) {
            o = pairEnd(p, o);
        }
        return o;
    }

    /** The listpack pair at {@code o} to the visitor. */
    static void visit(byte[] p, int o, HashValue.Visitor v) {
        int fieldAt = o + PackedLength.sizeAt(p, o);
        int fieldLen = PackedLength.read(p, o);
        int vp = fieldAt + fieldLen;
        int valueAt = vp + PackedLength.sizeAt(p, vp);
        v.visit(p, fieldAt, fieldLen, valueAt, PackedLength.read(p, vp));
    }
}
