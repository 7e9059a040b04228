package io.cinnabar.datatypes.hyperloglog;

import io.cinnabar.api.CommandException;
import io.cinnabar.api.Db;
import io.cinnabar.api.Errors;
import io.cinnabar.api.RawString;
import java.util.Arrays;

/**
 * One HyperLogLog string while a command works on it: Redis's {@code struct hllhdr} over the string's bytes.
 * The 16-byte header is "HYLL", the encoding (0 dense, 1 sparse), 3 unused bytes and the cached cardinality
 * (8 bytes little endian; the top bit of the last byte set means "stale"). Dense registers are updated in
 * the stored {@link RawString}'s own buffer; a sparse string that grows or shrinks is stored again at the
 * end of the command ({@link #store}).
 */
final class HllString {
    static final int HDR_SIZE = 16;
    static final int DENSE = 0;
    static final int SPARSE = 1;
    static final int DENSE_SIZE = HDR_SIZE + (HyperLogLog.REGISTERS * HyperLogLog.BITS + 7) / 8;

    /** The bytes; only the first {@link #len} are the value. */
    byte[] b;
    int len;
    /** The stored value this was read from, null for a string not in the keyspace yet. */
    private RawString stored;

    private HllString(byte[] b, int len, RawString stored) {
        this.b = b;
        this.len = len;
        this.stored = stored;
    }

    /** Redis's createHLLObject: sparse, every register zero (one XZERO opcode), cached cardinality 0. */
    static HllString empty() {
        int opcodes = (HyperLogLog.REGISTERS + HyperLogLog.SPARSE_XZERO_MAX_LEN - 1) / HyperLogLog.SPARSE_XZERO_MAX_LEN;
        byte[] b = new byte[HDR_SIZE + opcodes * 2];
        b[0] = 'H';
        b[1] = 'Y';
        b[2] = 'L';
        b[3] = 'L';
        b[4] = SPARSE;
        int p = HDR_SIZE;
        for (int left = HyperLogLog.REGISTERS; left > 0; ) {
            int run = Math.min(left, HyperLogLog.SPARSE_XZERO_MAX_LEN);
            HyperLogLog.xzeroSet(b, p, run);
            p += 2;
            left -= run;
        }
        return new HllString(b, b.length, null);
    }

    /** An HLL held outside the keyspace (PFSELFTEST's counters); a zeroed header reads as dense. */
    static HllString detached(byte[] b) {
        return new HllString(b, b.length, null);
    }

    /** A value read only (PFCOUNT of several keys, the sources of PFMERGE); Redis's isHLLObjectOrReply checks. */
    static HllString read(Object v) {
        byte[] b;
        int len;
        if (v instanceof byte[] a) {
            b = a;
            len = a.length;
        } else if (v instanceof RawString r) {
            b = r.buffer();
            len = r.length();
        } else {
            throw new CommandException(Errors.WRONGTYPE);
        }
        if (len < HDR_SIZE || b[0] != 'H' || b[1] != 'Y' || b[2] != 'L' || b[3] != 'L') {
            throw new CommandException(Errors.HLL_WRONGTYPE);
        }
        int encoding = b[4] & 0xff;
        if (encoding > SPARSE || (encoding == DENSE && len != DENSE_SIZE)) {
            throw new CommandException(Errors.HLL_WRONGTYPE);
        }
        return new HllString(b, len, v instanceof RawString r ? r : null);
    }

    /**
     * A value about to be written, checked as {@link #read} does and then made this key's own raw string
     * (Redis's dbUnshareStringValue): a stored {@code byte[]} may be shared, so it is copied and replaced.
     */
    static HllString open(Db db, byte[] key, Object v) {
        HllString h = read(v);
        if (h.stored == null) {
            RawString r = new RawString(Arrays.copyOf(h.b, h.len));
            db.setKeepTtl(key, r);
            h.stored = r;
            h.b = r.buffer();
        }
        return h;
    }

    /** Puts the value in the keyspace when it is new or no longer lives in the stored buffer. */
    void store(Db db, byte[] key) {
        if (stored == null) {
            stored = new RawString(Arrays.copyOf(b, len));
            b = stored.buffer();
            db.add(key, stored);
        } else if (b != stored.buffer() || len != stored.length()) {
            stored = new RawString(Arrays.copyOf(b, len));
            b = stored.buffer();
            db.setKeepTtl(key, stored);
        }
    }

    int encoding() {
        return b[4];
    }

    /** Like sdsMakeRoomFor: room for {@code n} more bytes after the value. */
    void makeRoom(int n) {
        if (len + n > b.length) {
            b = Arrays.copyOf(b, Math.max(len + n, len * 2));
        }
    }

    boolean validCache() {
        return (b[15] & 0x80) == 0;
    }

    void invalidateCache() {
        b[15] |= (byte) 0x80;
    }

    long cachedCardinality() {
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = (card << 8) | (b[8 + i] & 0xff);
        }
        return card;
    }

    void setCachedCardinality(long card) {
        for (int i = 0; i < 8; i++) {
            b[8 + i] = (byte) (card >>> (8 * i));
        }
    }
}
