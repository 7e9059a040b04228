package io.cinnabar.api;

import java.math.BigInteger;

/**
 * Shortest-ish decimal digits of a double by the Grisu2 algorithm, exactly as the fpconv_dtoa code that
 * Redis 7.2 uses for doubles that are not small integers. Grisu2 is not always the shortest form (Redis
 * prints 1.2345e21 as 1234499999999999900000), so reproducing its digits byte for byte needs this very
 * algorithm, with its cached powers of ten and its rounding, in unsigned 64-bit arithmetic.
 */
final class Grisu2 {
    private static final int NPOWERS = 87;
    private static final int STEPPOWERS = 8;
    private static final int FIRSTPOWER = -348;
    private static final int EXPMAX = -32;
    private static final int EXPMIN = -60;
    private static final long FRACMASK = 0x000FFFFFFFFFFFFFL;
    private static final long EXPMASK = 0x7FF0000000000000L;
    private static final long HIDDENBIT = 0x0010000000000000L;
    private static final int EXPBIAS = 1023 + 52;
    private static final long[] POW_FRAC = new long[NPOWERS];
    private static final int[] POW_EXP = new int[NPOWERS];
    private static final long[] TENS = new long[20];

    static {
        // 10^k for k = -348, -340, ..., 340 as 64-bit normalized significands rounded to nearest
        for (int i = 0; i < NPOWERS; i++) {
            int k = FIRSTPOWER + i * STEPPOWERS;
            BigInteger num;
            BigInteger den;
            if (k >= 0) {
                num = BigInteger.TEN.pow(k);
                den = BigInteger.ONE;
            } else {
                num = BigInteger.ONE;
                den = BigInteger.TEN.pow(-k);
            }
            // find e with 2^63 <= 10^k / 2^e < 2^64
            int e = num.bitLength() - den.bitLength() - 64;
            BigInteger q;
            while (true) {
                BigInteger n2 = e >= 0 ? num : num.shiftLeft(-e);
                BigInteger d2 = e >= 0 ? den.shiftLeft(e) : den;
                BigInteger[] qr = n2.divideAndRemainder(d2);
                q = qr[0];
                if (qr[1].shiftLeft(1).compareTo(d2) >= 0) {
                    q = q.add(BigInteger.ONE);
                }
                if (q.bitLength() > 64) {
                    e++;
                } else if (q.bitLength() < 64) {
                    e--;
                } else {
                    break;
                }
            }
            POW_FRAC[i] = q.longValue();
            POW_EXP[i] = e;
        }
        long t = 1;
        for (int i = 19; i >= 0; i--) {
            TENS[i] = t;
            t *= 10;
        }
    }

    private Grisu2() {
    }

    /** Digits of {@code d} (finite, non-zero, positive) into {@code digits}; returns count, sets k[0] = K. */
    static int digits(double d, char[] digits, int[] kOut) {
        long bits = Double.doubleToRawLongBits(d);
        long wFrac = bits & FRACMASK;
        int wExp = (int) ((bits & EXPMASK) >>> 52);
        if (wExp != 0) {
            wFrac += HIDDENBIT;
            wExp -= EXPBIAS;
        } else {
            wExp = -EXPBIAS + 1;
        }
        // normalized boundaries
        long upperFrac = (wFrac << 1) + 1;
        int upperExp = wExp - 1;
        while ((upperFrac & (HIDDENBIT << 1)) == 0) {
            upperFrac <<= 1;
            upperExp--;
        }
        int uShift = 64 - 52 - 2;
        upperFrac <<= uShift;
        upperExp -= uShift;
        int lShift = wFrac == HIDDENBIT ? 2 : 1;
        long lowerFrac = (wFrac << lShift) - 1;
        int lowerExp = wExp - lShift;
        lowerFrac <<= lowerExp - upperExp;
        // normalize w
        while ((wFrac & HIDDENBIT) == 0) {
            wFrac <<= 1;
            wExp--;
        }
        int shift = 64 - 52 - 1;
        wFrac <<= shift;
        wExp -= shift;
        // cached power
        final double oneLogTen = 0.30102999566398114;
        int approx = (int) (-(upperExp + NPOWERS) * oneLogTen);
        int idx = (approx - FIRSTPOWER) / STEPPOWERS;
        while (true) {
            int current = upperExp + POW_EXP[idx] + 64;
            if (current < EXPMIN) {
                idx++;
                continue;
            }
            if (current > EXPMAX) {
                idx--;
                continue;
            }
            break;
        }
        int k = FIRSTPOWER + idx * STEPPOWERS;
        long cpFrac = POW_FRAC[idx];
        int cpExp = POW_EXP[idx];
        long w = multiply(wFrac, cpFrac);
        long upper = multiply(upperFrac, cpFrac);
        long lower = multiply(lowerFrac, cpFrac);
        int oneExp = upperExp + cpExp + 64;
        lower++;
        upper--;
        kOut[0] = -k;
        return generate(w, upper, lower, oneExp, digits, kOut);
    }

    /** (a * b) >> 64 with the low half rounded, as fpconv's multiply. */
    private static long multiply(long a, long b) {
        final long lomask = 0xFFFFFFFFL;
        long ahBl = (a >>> 32) * (b & lomask);
        long alBh = (a & lomask) * (b >>> 32);
        long alBl = (a & lomask) * (b & lomask);
        long ahBh = (a >>> 32) * (b >>> 32);
        long tmp = (ahBl & lomask) + (alBh & lomask) + (alBl >>> 32);
        tmp += 1L << 31;
        return ahBh + (ahBl >>> 32) + (alBh >>> 32) + (tmp >>> 32);
    }

    private static int generate(long fp, long upper, long lower, int oneExp, char[] digits, int[] kOut) {
        long wfrac = upper - fp;
        long delta = upper - lower;
        int s = -oneExp;
        long oneFrac = 1L << s;
        long part1 = upper >>> s;
        long part2 = upper & (oneFrac - 1);
        int idx = 0;
        int kappa = 10;
        for (int di = 10; kappa > 0; di++) {
            long div = TENS[di];
            long digit = Long.divideUnsigned(part1, div);
            if (digit != 0 || idx != 0) {
                digits[idx++] = (char) ('0' + digit);
            }
            part1 -= digit * div;
            kappa--;
            long tmp = (part1 << s) + part2;
            if (Long.compareUnsigned(tmp, delta) <= 0) {
                kOut[0] += kappa;
                roundDigit(digits, idx, delta, tmp, div << s, wfrac);
                return idx;
            }
        }
        int unit = 18;
        while (true) {
            part2 *= 10;
            delta *= 10;
            kappa--;
            long digit = part2 >>> s;
            if (digit != 0 || idx != 0) {
                digits[idx++] = (char) ('0' + digit);
            }
            part2 &= oneFrac - 1;
            if (Long.compareUnsigned(part2, delta) < 0) {
                kOut[0] += kappa;
                roundDigit(digits, idx, delta, part2, oneFrac, wfrac * TENS[unit]);
                return idx;
            }
            unit--;
        }
    }

    private static void roundDigit(char[] digits, int ndigits, long delta, long rem, long kappa, long frac) {
        while (Long.compareUnsigned(rem, frac) < 0 && Long.compareUnsigned(delta - rem, kappa) >= 0
                && (Long.compareUnsigned(rem + kappa, frac) < 0
                || Long.compareUnsigned(frac - rem, rem + kappa - frac) > 0)) {
            digits[ndigits - 1]--;
            rem += kappa;
        }
    }
}
