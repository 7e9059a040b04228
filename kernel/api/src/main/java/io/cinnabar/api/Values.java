package io.cinnabar.api;

/** Questions about a stored value, whichever form it has ({@code byte[]} string or {@link RedisValue}). */
public final class Values {
    private Values() {
    }

    public static String typeName(Object v) {
        return v instanceof byte[] ? "string" : ((RedisValue) v).typeName();
    }

    public static boolean isString(Object v) {
        return v instanceof byte[] || v instanceof RawString;
    }

    /** The bytes of a string value (a copy only for {@link RawString}); WRONGTYPE for other values. */
    public static byte[] stringBytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof RawString r) {
            return r.toBytes();
        }
        throw new CommandException(Errors.WRONGTYPE);
    }

    /** OBJECT ENCODING as Redis decides it for strings: int, embstr (up to 44 bytes) or raw. */
    public static String encoding(Object v) {
        if (v instanceof byte[] b) {
            if (RedisNumbers.isCanonicalLong(b)) {
                return "int";
            }
            return b.length <= 44 ? "embstr" : "raw";
        }
        return ((RedisValue) v).encoding();
    }

    public static long memoryUsage(Object v) {
        if (v instanceof byte[] b) {
            return 16 + ((b.length + 7) & ~7);
        }
        return ((RedisValue) v).memoryUsage();
    }

    /** A copy safe to store under another key (strings are immutable and shared). */
    public static Object copy(Object v) {
        return v instanceof byte[] ? v : ((RedisValue) v).copy();
    }
}
