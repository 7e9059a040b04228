package io.cinnabar.api;

import java.nio.charset.StandardCharsets;

/**
 * Building blocks for the argument vectors a handler propagates instead of its own
 * ({@link CommandContext#propagateAs}): the command words Redis writes in upper case, and numbers as digits.
 */
public final class Argv {
    public static final byte[] DEL = word("DEL");
    public static final byte[] UNLINK = word("UNLINK");
    public static final byte[] SET = word("SET");
    public static final byte[] PXAT = word("PXAT");
    public static final byte[] KEEPTTL = word("KEEPTTL");
    public static final byte[] PEXPIREAT = word("PEXPIREAT");
    public static final byte[] PERSIST = word("PERSIST");

    private Argv() {
    }

    public static byte[] word(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] number(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    /** DEL or UNLINK as Redis chooses for a deletion under a {@code lazyfree-lazy-*} setting. */
    public static byte[] deletion(boolean lazy) {
        return lazy ? UNLINK : DEL;
    }
}
