package io.cinnabar.datatypes.strings;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;

/**
 * The options of SET and GETEX, parsed as Redis's {@code parseExtendedStringArgumentsOrReply}: each option
 * is accepted only when it does not conflict with one already seen (NX with XX, the expiry forms with each
 * other and with KEEPTTL/PERSIST), anything else is a syntax error. Repeating the same option is allowed
 * (the last EX value wins), as in Redis.
 *
 * <p>The result is packed in one long (flags in the low 32 bits, the index of the expiry argument above)
 * so parsing allocates nothing.
 */
final class StringOptions {
    static final int NX = 1;
    static final int XX = 1 << 1;
    static final int EX = 1 << 2;
    static final int PX = 1 << 3;
    static final int KEEPTTL = 1 << 4;
    static final int GET = 1 << 5;
    static final int EXAT = 1 << 6;
    static final int PXAT = 1 << 7;
    static final int PERSIST = 1 << 8;

    private static final int EXPIRES = EX | PX | EXAT | PXAT;

    private StringOptions() {
    }

    /** SET's options, from argument 3 on. */
    static long parseSet(Args args) {
        return parse(args, 3, true);
    }

    /** GETEX's options, from argument 2 on. */
    static long parseGetex(Args args) {
        return parse(args, 2, false);
    }

    static int flags(long parsed) {
        return (int) parsed;
    }

    /** Index of the expiry argument, or 0 when none was given. */
    static int expireIndex(long parsed) {
        return (int) (parsed >>> 32);
    }

    private static long parse(Args args, int from, boolean set) {
        int flags = 0;
        int expireIndex = 0;
        int argc = args.size();
        for (int j = from; j < argc; j++) {
            boolean hasNext = j < argc - 1;
            if (set && args.is(j, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (set && args.is(j, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (set && args.is(j, "get")) {
                flags |= GET;
            } else if (set && args.is(j, "keepttl") && (flags & (PERSIST | EXPIRES)) == 0) {
                flags |= KEEPTTL;
            } else if (!set && args.is(j, "persist") && (flags & (KEEPTTL | EXPIRES)) == 0) {
                flags |= PERSIST;
            } else if (hasNext && args.is(j, "ex") && (flags & (KEEPTTL | PERSIST | (EXPIRES & ~EX))) == 0) {
                flags |= EX;
                expireIndex = ++j;
            } else if (hasNext && args.is(j, "px") && (flags & (KEEPTTL | PERSIST | (EXPIRES & ~PX))) == 0) {
                flags |= PX;
                expireIndex = ++j;
            } else if (hasNext && args.is(j, "exat") && (flags & (KEEPTTL | PERSIST | (EXPIRES & ~EXAT))) == 0) {
                flags |= EXAT;
                expireIndex = ++j;
            } else if (hasNext && args.is(j, "pxat") && (flags & (KEEPTTL | PERSIST | (EXPIRES & ~PXAT))) == 0) {
                flags |= PXAT;
                expireIndex = ++j;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        return ((long) expireIndex << 32) | (flags & 0xffffffffL);
    }

    /**
     * The absolute expiry in unix ms for the expiry argument at {@code index}, as Redis's
     * {@code getExpireMillisecondsOrReply}: positive, no overflow when converted to ms or made absolute
     * (the addition wraps as in C and a non-positive result is an error too).
     */
    static long absoluteExpire(Args args, int index, int flags, long now, String command) {
        long when = args.longAt(index);
        boolean seconds = (flags & (EX | EXAT)) != 0;
        if (when <= 0 || (seconds && when > Long.MAX_VALUE / 1000)) {
            throw new CommandException(Errors.invalidExpireTime(command));
        }
        if (seconds) {
            when *= 1000;
        }
        if ((flags & (EX | PX)) != 0) {
            when += now;
        }
        if (when <= 0) {
            throw new CommandException(Errors.invalidExpireTime(command));
        }
        return when;
    }
}
