package io.cinnabar.api;

/**
 * The cursor argument of SCAN, SSCAN, HSCAN and ZSCAN, parsed as Redis's {@code parseScanCursorOrReply}:
 * C's {@code strtoul} on the argument as a C string, so a cursor is an unsigned 64-bit number with an
 * optional sign ({@code -1} is 2^64-1), an empty argument is cursor 0, and leading whitespace, trailing
 * garbage or overflow is {@link Errors#INVALID_CURSOR}. Returned as the same 64 bits in a {@code long}.
 */
public final class ScanCursor {
    private ScanCursor() {
    }

    public static long parse(byte[] arg) {
        int end = 0;
        while (end < arg.length && arg[end] != 0) {
            end++; // the argument ends at a NUL, as the C string strtoul reads
        }
        if (end == 0) {
            return 0;
        }
        if (isSpace(arg[0])) {
            throw new CommandException(Errors.INVALID_CURSOR);
        }
        int i = 0;
        boolean negative = false;
        if (arg[0] == '+' || arg[0] == '-') {
            negative = arg[0] == '-';
            i++;
        }
        if (i == end) {
            throw new CommandException(Errors.INVALID_CURSOR); // no digits: strtoul stops at the sign
        }
        long v = 0;
        for (; i < end; i++) {
            int d = arg[i] - '0';
            if (d < 0 || d > 9) {
                throw new CommandException(Errors.INVALID_CURSOR);
            }
            // unsigned overflow (ERANGE) when v * 10 + d exceeds 2^64 - 1
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                throw new CommandException(Errors.INVALID_CURSOR);
            }
            long next = v * 10 + d;
            if (Long.compareUnsigned(next, v * 10) < 0) {
                throw new CommandException(Errors.INVALID_CURSOR);
            }
            v = next;
        }
        return negative ? -v : v;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }
}
