package io.cinnabar.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The arithmetic of INCRBYFLOAT and HINCRBYFLOAT, which Redis does in C {@code long double}: on x86-64 the x87 80-bit format,
 * a 64-bit significand and exponents from -16382 (subnormals down to 2^-16445) to 16383. A value here is
 * exactly {@code mantissa * 2^exponent} with {@code |mantissa| < 2^64}; parsing ({@code strtold}) and
 * addition round to nearest, ties to even, as the FPU does, and {@link #format} prints {@code "%.17Lf"}
 * exactly as glibc does (exact decimal expansion rounded half-even), then strips trailing zeros as
 * Redis's {@code ld2string(LD_STR_HUMAN)}.
 *
 * @param mantissa signed significand, {@code |mantissa| < 2^64}; zero is {@link BigInteger#ZERO}
 * @param exponent power of two of the least significant mantissa bit
 * @param infinite true for +/-inf (the sign is the mantissa's)
 */
public record LongDouble(BigInteger mantissa, int exponent, boolean infinite) {
    private static final int MANT_BITS = 64;
    private static final int MIN_EXP = -16445;      // exponent of the least significant bit of the smallest subnormal
    private static final int MAX_TOP_EXP = 16383;   // largest exponent of the most significant bit
    /** Longest input strtold sees in Redis's {@code string2ld} ({@code MAX_LONG_DOUBLE_CHARS}). */
    private static final int MAX_CHARS = 5 * 1024;
    private static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    public static final LongDouble ZERO = new LongDouble(BigInteger.ZERO, 0, false);

    public boolean isZero() {
        return !infinite && mantissa.signum() == 0;
    }

    /**
     * Parses as Redis's {@code string2ld}: {@code strtold} must consume every byte (a NUL byte included),
     * no leading space, no NaN, no overflow and no underflow to zero. Returns null
     * when Redis would reply "not a valid float".
     */
    public static LongDouble parse(byte[] b, int off, int len) {
        if (len == 0 || len >= MAX_CHARS || isSpace(b[off])) {
            return null;
        }
        return new Parser(b, off, off + len).parse();
    }

    /** The exact sum rounded to long double (possibly infinite). */
    public LongDouble add(LongDouble o) {
        if (infinite || o.infinite) {
            // inf + x is inf, inf - inf is NaN: INCRBYFLOAT rejects both, so one marker is enough
            return new LongDouble(infinite ? mantissa : o.mantissa, 0, true);
        }
        int e = Math.min(exponent, o.exponent);
        BigInteger sum = mantissa.shiftLeft(exponent - e).add(o.mantissa.shiftLeft(o.exponent - e));
        return round(sum.signum() < 0, sum.abs(), BigInteger.ONE, e);
    }

    /** {@code "%.17Lf"} with trailing zeros (and a trailing '.') removed; "-0" becomes "0". */
    public String format() {
        if (mantissa.signum() == 0 || exponent < -125) {
            // |value| < 2^64 * 2^-126 < 0.5e-17: prints as (-)0.00000000000000000
            return "0";
        }
        BigInteger m = mantissa.abs();
        BigDecimal exact = exponent >= 0 ? new BigDecimal(m.shiftLeft(exponent))
                : new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(-exponent)), -exponent);
        String s = exact.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int n = s.length();
        while (s.charAt(n - 1) == '0') {
            n--;
        }
        if (s.charAt(n - 1) == '.') {
            n--;
        }
        s = s.substring(0, n);
        if (s.equals("0")) {
            return "0";
        }
        return mantissa.signum() < 0 ? "-" + s : s;
    }

    /**
     * Rounds {@code num / den * 2^e2} (num, den positive) to the nearest long double, ties to even, with
     * gradual underflow; returns an infinite value on overflow and a zero when it underflows completely.
     */
    static LongDouble round(boolean negative, BigInteger num, BigInteger den, int e2) {
        if (num.signum() == 0) {
            return ZERO;
        }
        long estimate = (long) num.bitLength() - den.bitLength() + e2; // value in [2^(estimate-1), 2^(estimate+1))
        if (estimate - 1 > MAX_TOP_EXP + 1) {
            return new LongDouble(negative ? BigInteger.ONE.negate() : BigInteger.ONE, 0, true);
        }
        if (estimate + 1 < MIN_EXP - 1) {
            return ZERO;
        }
        int e = (int) Math.max(estimate - MANT_BITS, MIN_EXP);
        BigInteger[] qr;
        while (true) {
            qr = divide(num, den, e2 - e);
            if (qr[0].compareTo(TWO_64) >= 0) {
                e++;
            } else if (qr[0].compareTo(TWO_63) < 0 && e > MIN_EXP) {
                e--;
            } else {
                break;
            }
        }
        BigInteger q = qr[0];
        BigInteger twiceRem = qr[1].shiftLeft(1);
        BigInteger scaledDen = qr[2];
        int cmp = twiceRem.compareTo(scaledDen);
        if (cmp > 0 || (cmp == 0 && q.testBit(0))) {
            q = q.add(BigInteger.ONE);
            if (q.equals(TWO_64)) {
                q = TWO_63;
                e++;
            }
        }
        if (q.signum() == 0) {
            return ZERO;
        }
        if (e + MANT_BITS - 1 > MAX_TOP_EXP) {
            return new LongDouble(negative ? BigInteger.ONE.negate() : BigInteger.ONE, 0, true);
        }
        return new LongDouble(negative ? q.negate() : q, e, false);
    }

    /** floor(num * 2^shift / den), the remainder and the divisor actually used. */
    private static BigInteger[] divide(BigInteger num, BigInteger den, int shift) {
        BigInteger n = shift >= 0 ? num.shiftLeft(shift) : num;
        BigInteger d = shift >= 0 ? den : den.shiftLeft(-shift);
        BigInteger[] qr = n.divideAndRemainder(d);
        return new BigInteger[] {qr[0], qr[1], d};
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** glibc {@code strtold} syntax: [sign] (decimal [e exp] | 0x hex [p exp] | inf | infinity), nothing after. */
    private static final class Parser {
        private final byte[] b;
        private final int end;
        private int i;

        Parser(byte[] b, int off, int end) {
            this.b = b;
            this.i = off;
            this.end = end;
        }

        LongDouble parse() {
            boolean negative = false;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                negative = b[i] == '-';
                i++;
            }
            if (matchesWord("infinity") || matchesWord("inf")) {
                return i == end ? new LongDouble(negative ? BigInteger.ONE.negate() : BigInteger.ONE, 0, true) : null;
            }
            if (hexPrefix()) {
                i += 2;
                return number(negative, 16);
            }
            return number(negative, 10);
        }

        /** "0x" followed by a hex digit or ".digit"; otherwise strtold reads just the "0". */
        private boolean hexPrefix() {
            if (end - i < 3 || b[i] != '0' || (b[i + 1] | 0x20) != 'x') {
                return false;
            }
            return isDigit(b[i + 2], 16) || (b[i + 2] == '.' && end - i > 3 && isDigit(b[i + 3], 16));
        }

        private boolean matchesWord(String w) {
            if (end - i < w.length()) {
                return false;
            }
            for (int k = 0; k < w.length(); k++) {
                if ((b[i + k] | 0x20) != w.charAt(k)) {
                    return false;
                }
            }
            i += w.length();
            return true;
        }

        private LongDouble number(boolean negative, int radix) {
            StringBuilder digits = new StringBuilder();
            int fraction = 0;
            while (i < end && isDigit(b[i], radix)) {
                digits.append((char) b[i++]);
            }
            if (i < end && b[i] == '.') {
                i++;
                while (i < end && isDigit(b[i], radix)) {
                    digits.append((char) b[i++]);
                    fraction++;
                }
            }
            if (digits.length() == 0) {
                return null;
            }
            long exp = exponent(radix == 16 ? 'p' : 'e');
            if (i != end) {
                return null;
            }
            BigInteger m = new BigInteger(digits.toString(), radix);
            if (m.signum() == 0) {
                return ZERO;
            }
            LongDouble v;
            if (radix == 16) {
                long e2 = exp - 4L * fraction;
                long top = e2 + m.bitLength();
                if (top > MAX_TOP_EXP + 2 || top < MIN_EXP - 2) {
                    return null;
                }
                v = round(negative, m, BigInteger.ONE, (int) e2);
            } else {
                long e10 = exp - fraction;
                // |value| is in [10^(adj), 10^(adj+1)): decide hopeless exponents before building huge powers
                long adj = e10 + digits.length() - leadingZeros(digits) - 1;
                if (adj > 4933 || adj < -4952) {
                    return null; // beyond the largest long double (~1.19e4932) or below half the smallest (~3.6e-4951)
                }
                BigInteger p = BigInteger.TEN.pow((int) Math.abs(e10));
                v = e10 >= 0 ? round(negative, m.multiply(p), BigInteger.ONE, 0) : round(negative, m, p, 0);
            }
            // strtold reports overflow (inf) and total underflow (0) with ERANGE: Redis rejects both
            return v.infinite || v.isZero() ? null : v;
        }

        /** An exponent part when complete (marker, optional sign, digits); else nothing is consumed. */
        private long exponent(char marker) {
            if (i >= end || (b[i] | 0x20) != marker) {
                return 0;
            }
            int j = i + 1;
            boolean negative = false;
            if (j < end && (b[j] == '+' || b[j] == '-')) {
                negative = b[j] == '-';
                j++;
            }
            if (j >= end || !isDigit(b[j], 10)) {
                return 0;
            }
            long e = 0;
            while (j < end && isDigit(b[j], 10)) {
                e = Math.min(e * 10 + (b[j] - '0'), 1_000_000_000L); // saturate: far beyond any finite result
                j++;
            }
            i = j;
            return negative ? -e : e;
        }

        private static int leadingZeros(CharSequence digits) {
            int z = 0;
            while (z < digits.length() && digits.charAt(z) == '0') {
                z++;
            }
            return z;
        }

        private static boolean isDigit(byte c, int radix) {
            if (c >= '0' && c <= '9') {
                return true;
            }
            int l = c | 0x20;
            return radix == 16 && l >= 'a' && l <= 'f';
        }
    }
}
