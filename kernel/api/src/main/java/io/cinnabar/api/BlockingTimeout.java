package io.cinnabar.api;

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
        double d = RedisNumbers.parseDouble(arg, Errors.TIMEOUT_NOT_FLOAT);
        double ms = d * 1000;
        if (ms > Long.MAX_VALUE) {
            throw new CommandException("ERR timeout is out of range");
        }
        if (ms < 0) {
            throw new CommandException(Errors.TIMEOUT_NEGATIVE);
        }
        return (long) Math.ceil(ms);
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
