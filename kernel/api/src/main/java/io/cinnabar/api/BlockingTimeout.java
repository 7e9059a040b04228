package io.cinnabar.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/** The timeout argument of blocking commands, as Redis's getTimeoutFromObjectOrReply reads it. */
public final class BlockingTimeout {
    private BlockingTimeout() {
    }

    /**
     * Seconds with an optional fraction (BLPOP, BZPOPMIN, BLMOVE...) to milliseconds, rounded up: 0 means
     * forever, negative gives "ERR timeout is negative", a non-number "ERR timeout is not a float or out of
     * range", more than 2^63 ms "ERR timeout is out of range".
     */
    public static long seconds(byte[] arg) {
        double d;
        try {
            d = RedisNumbers.parseDouble(arg, Errors.TIMEOUT_NOT_FLOAT);
        } catch (CommandException e) {
            // Redis reads a long double: 1e400 is a number there, just too far from zero for a timeout
            BigDecimal big = decimal(arg);
            if (big == null || big.abs().compareTo(LONG_DOUBLE_MAX) >= 0) {
                throw e;
            }
            throw new CommandException(big.signum() < 0 ? Errors.TIMEOUT_NEGATIVE : Errors.TIMEOUT_OUT_OF_RANGE);
        }
        double ms = d * 1000;
        if (ms > Long.MAX_VALUE) {
            throw new CommandException("ERR timeout is out of range");
        }
        // Redis rounds up before the sign check: -0.0001 s is ceil(-0.1) = 0 ms, i.e. forever
        long rounded = (long) Math.ceil(ms);
        if (rounded < 0 && (rounded < -1 || reachesOneMilli(arg))) {
            throw new CommandException(Errors.TIMEOUT_NEGATIVE);
        }
        return Math.max(rounded, 0);
    }

    /**
     * Whether Redis's long double arithmetic makes {@code |arg| * 1000} round to 1 or more, for a negative
     * timeout that doubles put at exactly -1 ms: the long double nearest 0.001 is below it and times 1000
     * stays under 1, so Redis takes "-0.001" as 0 (forever) where doubles would say -1 ms.
     */
    private static boolean reachesOneMilli(byte[] arg) {
        BigDecimal x = decimal(arg);
        if (x == null) {
            return true;
        }
        x = x.abs();
        // the long double nearest x: a 64-bit significand m with x ~ m / 2^k
        int k = 63 - Math.getExponent(x.doubleValue());
        BigDecimal low = new BigDecimal(BigInteger.ONE.shiftLeft(63));
        BigDecimal high = new BigDecimal(BigInteger.ONE.shiftLeft(64));
        while (scaled(x, k).compareTo(low) < 0) {
            k++;
        }
        while (scaled(x, k).compareTo(high) >= 0) {
            k--;
        }
        BigInteger m = scaled(x, k).setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
        // m / 2^k * 1000 rounds (to 64 bits, ties to even) to 1 or more exactly when it is >= 1 - 2^-65
        BigInteger product = m.multiply(BigInteger.valueOf(1000)).shiftLeft(65);
        BigInteger threshold = BigInteger.ONE.shiftLeft(65).subtract(BigInteger.ONE).shiftLeft(k);
        return product.compareTo(threshold) >= 0;
    }

    private static BigDecimal scaled(BigDecimal x, int k) {
        return k >= 0 ? x.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(k)))
                : x.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-k)));
    }

    /** The argument as an exact decimal, or null when it is not a plain decimal number. */
    private static BigDecimal decimal(byte[] arg) {
        try {
            return new BigDecimal(new String(arg, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** LDBL_MAX of x86's 80-bit long double, which Redis's string2ld parses into. */
    private static final BigDecimal LONG_DOUBLE_MAX = new BigDecimal("1.18973149535723176502e4932");

    /**
     * Like {@link #seconds(byte[])}, also refusing with "ERR timeout is out of range" a timeout whose deadline
     * ({@code nowMillis} + timeout) would overflow, as Redis does (BZPOPMIN k 9223372036854775).
     */
    public static long seconds(byte[] arg, long nowMillis) {
        long ms = seconds(arg);
        if (ms > Long.MAX_VALUE - nowMillis) {
            throw new CommandException(Errors.TIMEOUT_OUT_OF_RANGE);
        }
        return ms;
    }

    /** Milliseconds as an integer (XREAD BLOCK, WAIT): negative gives "ERR timeout is negative". */
    public static long millis(byte[] arg) {
        long ms = RedisNumbers.parseLong(arg, "ERR timeout is not an integer or out of range");
        if (ms < 0) {
            throw new CommandException(Errors.TIMEOUT_NEGATIVE);
        }
        return ms;
    }
}
