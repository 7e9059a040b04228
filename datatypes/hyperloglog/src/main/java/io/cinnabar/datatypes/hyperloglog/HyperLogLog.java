package io.cinnabar.datatypes.hyperloglog;

/**
 * The algorithm of Redis's hyperloglog.c, bit for bit: MurmurHash64A, the dense 6-bit registers, the sparse
 * ZERO/XZERO/VAL opcodes with their in-place updates and promotion, merging, and Otmar Ertl's estimator.
 * The strings it produces are byte-identical to Redis's, so HLLs move between the two servers.
 */
final class HyperLogLog {
    static final int P = 14;
    static final int Q = 64 - P;
    static final int REGISTERS = 1 << P;
    static final int BITS = 6;
    static final int REGISTER_MAX = (1 << BITS) - 1;
    static final int SPARSE_VAL_MAX_VALUE = 32;
    static final int SPARSE_VAL_MAX_LEN = 4;
    static final int SPARSE_ZERO_MAX_LEN = 64;
    static final int SPARSE_XZERO_MAX_LEN = 16384;
    private static final long SEED = 0xadc83b19L;
    private static final double ALPHA_INF = 0.721347520444481703680;

    private HyperLogLog() {
    }

    // ---- hashing ----

    /** MurmurHash2, 64-bit, reading blocks little endian (Redis's endian-neutral variant). */
    static long murmurHash64A(byte[] key, int off, int len, long seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        long h = seed ^ (len * m);
        int end = off + (len - (len & 7));
        int i = off;
        for (; i != end; i += 8) {
            long k = (key[i] & 0xffL) | (key[i + 1] & 0xffL) << 8 | (key[i + 2] & 0xffL) << 16
                    | (key[i + 3] & 0xffL) << 24 | (key[i + 4] & 0xffL) << 32 | (key[i + 5] & 0xffL) << 40
                    | (key[i + 6] & 0xffL) << 48 | (key[i + 7] & 0xffL) << 56;
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int tail = len & 7;
        if (tail > 0) {
            for (int j = tail - 1; j >= 0; j--) {
                h ^= (key[i + j] & 0xffL) << (8 * j);
            }
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /**
     * hllPatLen: the register an element goes to (low P bits of its hash) and the length of the 000..1
     * pattern after them, packed as {@code count << 16 | index}.
     */
    static int patLen(byte[] ele, int off, int len) {
        long hash = murmurHash64A(ele, off, len, SEED);
        int index = (int) (hash & (REGISTERS - 1));
        // bit 63 set so the run ends: at most Q + 1
        int count = Long.numberOfTrailingZeros((hash | (1L << 63)) >>> P) + 1;
        return count << 16 | index;
    }

    // ---- dense ----

    /** HLL_DENSE_GET_REGISTER; the byte after the last register reads as 0, as sds's terminator does. */
    static int denseGet(byte[] b, int regnum) {
        int i = HllString.HDR_SIZE + (regnum * BITS >>> 3);
        int fb = regnum * BITS & 7;
        int b0 = b[i] & 0xff;
        int b1 = i + 1 < HllString.DENSE_SIZE ? b[i + 1] & 0xff : 0;
        return ((b0 >>> fb) | (b1 << (8 - fb))) & REGISTER_MAX;
    }

    /** HLL_DENSE_SET_REGISTER. */
    static void denseSetRegister(byte[] b, int regnum, int val) {
        int i = HllString.HDR_SIZE + (regnum * BITS >>> 3);
        int fb = regnum * BITS & 7;
        int fb8 = 8 - fb;
        b[i] = (byte) ((b[i] & ~(REGISTER_MAX << fb)) | (val << fb));
        if (i + 1 < HllString.DENSE_SIZE) {
            b[i + 1] = (byte) ((b[i + 1] & ~(REGISTER_MAX >>> fb8)) | (val >>> fb8));
        }
    }

    /** hllDenseSet: raises register {@code index} to {@code count}; 1 when it changed. */
    static int denseSet(byte[] b, int index, int count) {
        if (count > denseGet(b, index)) {
            denseSetRegister(b, index, count);
            return 1;
        }
        return 0;
    }

    // ---- sparse opcodes ----

    static boolean isZero(int op) {
        return (op & 0xc0) == 0;
    }

    static boolean isXzero(int op) {
        return (op & 0xc0) == 0x40;
    }

    static boolean isVal(int op) {
        return (op & 0x80) != 0;
    }

    static int zeroLen(int op) {
        return (op & 0x3f) + 1;
    }

    /** The XZERO at {@code p}; its second byte past {@code end} reads as sds's 0 terminator. */
    static int xzeroLen(byte[] b, int p, int end) {
        int second = p + 1 < end ? b[p + 1] & 0xff : 0;
        return (((b[p] & 0x3f) << 8) | second) + 1;
    }

    static int valValue(int op) {
        return ((op >>> 2) & 0x1f) + 1;
    }

    static int valLen(int op) {
        return (op & 0x3) + 1;
    }

    static byte val(int value, int len) {
        return (byte) (((value - 1) << 2 | (len - 1)) | 0x80);
    }

    static void xzeroSet(byte[] b, int p, int len) {
        int l = len - 1;
        b[p] = (byte) ((l >>> 8) | 0x40);
        b[p + 1] = (byte) (l & 0xff);
    }

    // ---- sparse ----

    /** A run of {@code len} registers from {@code first} holding {@code value} (0 for ZERO and XZERO opcodes). */
    interface RunVisitor {
        void run(int first, int len, int value);
    }

    /**
     * Walks the sparse opcodes and returns how many registers they cover. With {@code bounded}, the walk stops
     * before a VAL run that would go past the last register, as Redis's loops that write registers do (runs
     * of zeros are never bounded: they only move the index, and {@code first} means nothing past the last
     * register). The count is a long so that a huge corrupted string cannot wrap it into a valid index.
     */
    static long walkSparse(HllString h, boolean bounded, RunVisitor visitor) {
        byte[] b = h.b;
        int end = h.len;
        int p = HllString.HDR_SIZE;
        long idx = 0;
        while (p < end) {
            int op = b[p] & 0xff;
            int runlen;
            int value = 0;
            if (isZero(op)) {
                runlen = zeroLen(op);
                p++;
            } else if (isXzero(op)) {
                runlen = xzeroLen(b, p, end);
                p += 2;
            } else {
                runlen = valLen(op);
                value = valValue(op);
                if (bounded && runlen + idx > REGISTERS) {
                    break;
                }
                p++;
            }
            visitor.run((int) Math.min(idx, Integer.MAX_VALUE), runlen, value);
            idx += runlen;
        }
        return idx;
    }

    /** hllSparseToDense; false (nothing changed) when the opcodes do not cover exactly every register. */
    static boolean sparseToDense(HllString h) {
        if (h.encoding() == HllString.DENSE) {
            return true;
        }
        byte[] dense = new byte[HllString.DENSE_SIZE];
        System.arraycopy(h.b, 0, dense, 0, HllString.HDR_SIZE);
        dense[4] = HllString.DENSE;
        long covered = walkSparse(h, true, (first, len, value) -> {
            for (int i = 0; value != 0 && i < len; i++) {
                denseSetRegister(dense, first + i, value);
            }
        });
        if (covered != REGISTERS) {
            return false;
        }
        h.b = dense;
        h.len = HllString.DENSE_SIZE;
        return true;
    }

    /**
     * hllSparseSet: raises register {@code index} to {@code count} in a sparse HLL, splitting the opcode that
     * covers it and merging equal neighbours; promotes to dense when the value does not fit a VAL opcode or
     * the string would exceed {@code maxBytes} (hll-sparse-max-bytes). 1 changed, 0 not, -1 corrupted.
     */
    static int sparseSet(HllString h, int index, int count, long maxBytes) {
        if (count > SPARSE_VAL_MAX_VALUE) {
            return promote(h, index, count);
        }
        // an XZERO split into XZERO-VAL-XZERO grows the string by 3 bytes at most
        h.makeRoom(3);
        byte[] b = h.b;
        int p = HllString.HDR_SIZE;
        int end = h.len;
        long first = 0;
        long span = 0;
        int prev = -1;
        // find the opcode covering the register: it starts at register 'first' and covers 'span' of them
        while (p < end) {
            int op = b[p] & 0xff;
            int oplen = 1;
            if (isZero(op)) {
                span = zeroLen(op);
            } else if (isVal(op)) {
                span = valLen(op);
            } else {
                span = xzeroLen(b, p, end);
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) {
            return -1;
        }
        int op = b[p] & 0xff;
        if (isVal(op) && valValue(op) >= count) {
            return 0;
        }
        if ((isVal(op) && valLen(op) == 1) || (isZero(op) && zeroLen(op) == 1)) {
            // the opcode covers this register alone: it becomes a VAL in place
            b[p] = val(count, 1);
        } else {
            byte[] seq = new byte[5];
            int n = split(seq, op, index - first, first + span - 1 - index, count);
            int oldlen = isXzero(op) ? 2 : 1;
            int deltalen = n - oldlen;
            if (deltalen > 0 && (long) h.len + deltalen > maxBytes) {
                return promote(h, index, count);
            }
            int next = p + oldlen;
            if (deltalen != 0 && next < end) {
                System.arraycopy(b, next, b, next + deltalen, end - next);
            }
            h.len += deltalen;
            System.arraycopy(seq, 0, b, p, n);
        }
        mergeAdjacentVals(h, prev >= 0 ? prev : HllString.HDR_SIZE);
        h.invalidateCache();
        return 1;
    }

    /**
     * The opcodes replacing {@code op} (a ZERO, an XZERO or a VAL of several registers) once the register
     * {@code before} registers into it takes {@code count}, {@code after} registers before its end; their length.
     */
    private static int split(byte[] seq, int op, long before, long after, int count) {
        int n = 0;
        if (isVal(op)) {
            int curval = valValue(op);
            if (before != 0) {
                seq[n++] = val(curval, (int) before);
            }
            seq[n++] = val(count, 1);
            if (after != 0) {
                seq[n++] = val(curval, (int) after);
            }
            return n;
        }
        if (before != 0) {
            n = zeroRun(seq, n, (int) before);
        }
        seq[n++] = val(count, 1);
        if (after != 0) {
            n = zeroRun(seq, n, (int) after);
        }
        return n;
    }

    /**
     * Step 4 of hllSparseSet: adjacent VAL opcodes of the same value whose lengths fit one opcode become one,
     * looking at up to 5 opcodes from {@code p} (the opcode before the one updated).
     */
    private static void mergeAdjacentVals(HllString h, int p) {
        byte[] b = h.b;
        int end = h.len;
        int scanlen = 5;
        while (p < end && scanlen-- > 0) {
            int o = b[p] & 0xff;
            if (isXzero(o)) {
                p += 2;
                continue;
            } else if (isZero(o)) {
                p++;
                continue;
            }
            if (p + 1 < end && isVal(b[p + 1])) {
                int v1 = valValue(o);
                int v2 = valValue(b[p + 1]);
                int len = valLen(o) + valLen(b[p + 1]);
                if (v1 == v2 && len <= SPARSE_VAL_MAX_LEN) {
                    b[p + 1] = val(v1, len);
                    System.arraycopy(b, p + 1, b, p, end - p - 1);
                    h.len--;
                    end--;
                    // try again from here: the merged opcode may merge with the next one
                    continue;
                }
            }
            p++;
        }
    }

    /** A run of zero registers as one ZERO or XZERO opcode at {@code n} of {@code seq}; the new end. */
    private static int zeroRun(byte[] seq, int n, int len) {
        if (len > SPARSE_ZERO_MAX_LEN) {
            xzeroSet(seq, n, len);
            return n + 2;
        }
        seq[n] = (byte) (len - 1);
        return n + 1;
    }

    private static int promote(HllString h, int index, int count) {
        if (!sparseToDense(h)) {
            return -1;
        }
        return denseSet(h.b, index, count);
    }

    /** hllAdd: 1 when a register changed, 0 when not, -1 for a corrupted sparse HLL. */
    static int add(HllString h, byte[] ele, long maxBytes) {
        int pat = patLen(ele, 0, ele.length);
        int index = pat & 0xffff;
        int count = pat >>> 16;
        return h.encoding() == HllString.DENSE ? denseSet(h.b, index, count) : sparseSet(h, index, count, maxBytes);
    }

    // ---- merge and count ----

    /** hllMerge: {@code max[i] = MAX(max[i], register i)}; false for a corrupted sparse HLL. */
    static boolean merge(byte[] max, HllString h) {
        if (h.encoding() == HllString.DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(h.b, i);
                if (v > max[i]) {
                    max[i] = (byte) v;
                }
            }
            return true;
        }
        return walkSparse(h, true, (first, len, value) -> {
            for (int i = first; value != 0 && i < first + len; i++) {
                if (value > max[i]) {
                    max[i] = (byte) value;
                }
            }
        }) == REGISTERS;
    }

    /** The register histogram of an HLL; {@code invalid[0]} set when sparse opcodes do not cover every register. */
    static int[] histogram(HllString h, boolean[] invalid) {
        int[] reghisto = new int[64];
        byte[] b = h.b;
        if (h.encoding() == HllString.DENSE) {
            for (int j = 0; j < REGISTERS; j++) {
                reghisto[denseGet(b, j)]++;
            }
            return reghisto;
        }
        long covered = walkSparse(h, false, (first, len, value) -> reghisto[value] += len);
        if (covered != REGISTERS && invalid != null) {
            invalid[0] = true;
        }
        return reghisto;
    }

    /** The histogram of registers held one per byte (the merged registers of several keys). */
    static int[] histogram(byte[] registers) {
        int[] reghisto = new int[64];
        for (int j = 0; j < REGISTERS; j++) {
            reghisto[registers[j]]++;
        }
        return reghisto;
    }

    /** hllCount's estimate from the register histogram (Ertl, "New cardinality estimation algorithms for HyperLogLog sketches"). */
    static long count(int[] reghisto) {
        double m = REGISTERS;
        double z = m * tau((m - reghisto[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += reghisto[j];
            z *= 0.5;
        }
        z += m * sigma(reghisto[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    static double sigma(double x) {
        if (x == 1.) {
            return Double.POSITIVE_INFINITY;
        }
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    static double tau(double x) {
        if (x == 0. || x == 1.) {
            return 0.;
        }
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (zPrime != z);
        return z / 3;
    }
}
