package io.cinnabar.api;

/**
 * The cursor and options of SCAN, SSCAN and HSCAN ({@code cursor [MATCH pattern] [COUNT count] [TYPE type]}),
 * parsed as Redis 7.2's {@code scanGenericCommand}: options in any order, the last of a repeated one wins,
 * COUNT must be an integer ({@link Errors#NOT_INTEGER}) of at least 1, and anything else, an option without
 * its value, or TYPE where it does not apply, is {@link Errors#SYNTAX}.
 *
 * @param cursor  the cursor as {@link ScanCursor} reads it (the same 64 bits in a {@code long})
 * @param pattern the MATCH pattern, or null when there is none or it is {@code *} (matches everything)
 * @param count   the COUNT hint, 10 by default
 * @param type    the TYPE name (SCAN only), or null
 */
public record ScanOptions(long cursor, byte[] pattern, long count, String type) {
    private static final long DEFAULT_COUNT = 10;

    /**
     * Reads the cursor at {@code from - 1} and the options from {@code from} on; {@code typeAllowed} for the
     * keyspace SCAN, where TYPE filters keys by type.
     */
    public static ScanOptions parse(Args args, int from, boolean typeAllowed) {
        long cursor = ScanCursor.parse(args.get(from - 1));
        long count = DEFAULT_COUNT;
        byte[] pattern = null;
        String type = null;
        for (int i = from; i < args.size(); i += 2) {
            boolean hasValue = i + 1 < args.size();
            if (args.is(i, "count") && hasValue) {
                count = args.longAt(i + 1);
                if (count < 1) {
                    throw new CommandException(Errors.SYNTAX);
                }
            } else if (args.is(i, "match") && hasValue) {
                pattern = Glob.matchesEverything(args.get(i + 1)) ? null : args.get(i + 1);
            } else if (typeAllowed && args.is(i, "type") && hasValue) {
                type = args.string(i + 1);
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        return new ScanOptions(cursor, pattern, count, type);
    }

    /** True when {@code item} passes the MATCH filter (always, without a pattern). */
    public boolean matches(byte[] item) {
        return pattern == null || Glob.matches(pattern, item);
    }
}
