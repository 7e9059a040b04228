package io.cinnabar.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** The timeout argument of blocking commands, as Redis's getTimeoutFromObjectOrReply reads it. */
public final class BlockingTimeout {
    private static final String OUT_OF_RANGE = "ERR timeout is out of range";
    /** string2ld's buffer (MAX_LONG_DOUBLE_CHARS): longer arguments are not numbers. */
    private static final int MAX_LONG_DOUBLE_CHARS = 5 * 1024;
    /** Decimal exponents beyond an 80-bit long double's range: strtold overflows or underflows to zero. */
    private static final int MAX_EXP10 = 4932;
    private static final int MIN_EXP10 = -4951;
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal LLONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal MINUS_ONE = BigDecimal.valueOf(-1);
    private static final BigDecimal TWO_63 = new BigDecimal(BigInteger.ONE.shiftLeft(63));
    private static final BigDecimal TWO_64 = new BigDecimal(BigInteger.ONE.shiftLeft(64));
    private static final BigInteger FIVE = BigInteger.valueOf(5);
    private static final double LOG2_10 = Math.log(10) / Math.log(2);

    private BlockingTimeout() {
    }

    /**
     * Seconds with an optional fraction (BLPOP, BZPOPMIN, BLMOVE...) to milliseconds, rounded up: 0 means
     * forever, negative gives "ERR timeout is negative", a non-number "ERR timeout is not a float or out of
     * range", more than 2^63 ms (counted from now) "ERR timeout is out of range". Redis reads the seconds as an
     * x87 80-bit long double and multiplies by 1000 in that precision, so -0.001 s is -0.99999... ms, which
     * rounds up to 0 (forever) rather than to -1: this computes in exactly that precision.
     */
    public static long seconds(byte[] arg) {
        int n = arg.length;
        if (n > 0 && n <= 9 && allDigits(arg)) {
            return fromNow(RedisNumbers.parseLong(arg, Errors.TIMEOUT_NOT_FLOAT) * 1000);
        }
        BigDecimal ms = longDouble(longDouble(arg).multiply(THOUSAND));
        if (ms.compareTo(LLONG_MAX) > 0) {
            throw new CommandException(OUT_OF_RANGE);
        }
        if (ms.compareTo(MINUS_ONE) <= 0) {
            throw new CommandException(Errors.TIMEOUT_NEGATIVE);
        }
        return ms.signum() <= 0 ? 0 : fromNow(ms.setScale(0, RoundingMode.CEILING).longValueExact());
    }

    /**
     * {@link #seconds(byte[])} with the command's frozen clock for the overflow check (now + timeout must
     * stay below 2^63 ms, as Redis adds them).
     */
    public static long seconds(byte[] arg, long nowMillis) {
        long ms = seconds(arg);
        if (ms > 0 && ms > Long.MAX_VALUE - nowMillis) {
            throw new CommandException(OUT_OF_RANGE);
        }
        return ms;
    }

    /** Milliseconds as an integer (XREAD BLOCK, WAIT): negative gives "ERR timeout is negative". */
    public static long millis(byte[] arg) {
        long ms = RedisNumbers.parseLong(arg, "ERR timeout is not an integer or out of range");
        if (ms < 0) {
            throw new CommandException(Errors.TIMEOUT_NEGATIVE);
        }
        return fromNow(ms);
    }

    /** Redis adds the timeout to the current time: a sum past 2^63 is out of range. */
    private static long fromNow(long ms) {
        if (ms > 0 && ms > Long.MAX_VALUE - System.currentTimeMillis()) {
            throw new CommandException(OUT_OF_RANGE);
        }
        return ms;
    }

    private static boolean allDigits(byte[] b) {
        for (byte c : b) {
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The value string2ld (strtold) reads, exactly: decimal text rounded to a 64-bit significand; hex, inf and
     * friends through {@link RedisNumbers#parseDouble}. A NUL byte makes it no number (Redis checks the length).
     */
    private static BigDecimal longDouble(byte[] arg) {
        if (arg.length == 0 || arg.length >= MAX_LONG_DOUBLE_CHARS || Character.isWhitespace(arg[0] & 0xff)) {
            throw new CommandException(Errors.TIMEOUT_NOT_FLOAT);
        }
        for (byte b : arg) {
            if (b == 0) {
                throw new CommandException(Errors.TIMEOUT_NOT_FLOAT);
            }
        }
        String s = new String(arg, java.nio.charset.StandardCharsets.ISO_8859_1);
        BigDecimal v;
        try {
            v = new BigDecimal(s);
        } catch (NumberFormatException e) {
            double d = RedisNumbers.parseDouble(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                    Errors.TIMEOUT_NOT_FLOAT);
            if (Double.isInfinite(d)) {
                throw new CommandException(d > 0 ? OUT_OF_RANGE : Errors.TIMEOUT_NEGATIVE);
            }
            return new BigDecimal(d);
        }
        if (v.signum() != 0) {
            int exp10 = v.precision() - v.scale() - 1;
            if (exp10 > MAX_EXP10 || exp10 < MIN_EXP10) {
                throw new CommandException(Errors.TIMEOUT_NOT_FLOAT); // ERANGE: HUGE_VAL or zero
            }
        }
        return longDouble(v);
    }

    /** {@code x} rounded (to nearest, ties to even) to a 64-bit significand, as x87 long double arithmetic. */
    private static BigDecimal longDouble(BigDecimal x) {
        if (x.signum() == 0) {
            return x;
        }
        BigDecimal a = x.abs();
        int k = 63 - (int) Math.floor(a.unscaledValue().bitLength() - 1 - a.scale() * LOG2_10);
        BigDecimal y = timesPowerOfTwo(a, k);
        while (y.compareTo(TWO_63) < 0) {
            y = timesPowerOfTwo(a, ++k);
        }
        while (y.compareTo(TWO_64) >= 0) {
            y = timesPowerOfTwo(a, --k);
        }
        BigDecimal r = timesPowerOfTwo(new BigDecimal(y.setScale(0, RoundingMode.HALF_EVEN).toBigInteger()), -k);
        return x.signum() < 0 ? r.negate() : r;
    }

    /** {@code a * 2^k}, exactly (2^-n is 5^n / 10^n). */
    private static BigDecimal timesPowerOfTwo(BigDecimal a, int k) {
        if (k >= 0) {
            return a.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(k)));
        }
        return a.multiply(new BigDecimal(FIVE.pow(-k), -k));
    }
}
