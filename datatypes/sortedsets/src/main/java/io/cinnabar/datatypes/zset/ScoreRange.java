package io.cinnabar.datatypes.zset;

import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A score interval as Redis's zslParseRange reads it: each end a C {@code strtod} number, exclusive when
 * prefixed with '(' . Unlike scores given to ZADD, strtod here accepts leading spaces, an empty string (0)
 * and overflow (to infinity); only NaN and trailing garbage are rejected.
 */
record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern HEX =
            Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)([pP][+-]?[0-9]+)?");

    static ScoreRange parse(byte[] min, byte[] max) {
        boolean minEx = min.length > 0 && min[0] == '(';
        boolean maxEx = max.length > 0 && max[0] == '(';
        return new ScoreRange(strtod(min, minEx ? 1 : 0), minEx, strtod(max, maxEx ? 1 : 0), maxEx);
    }

    /** The whole C string (up to a NUL) from {@code from} as strtod, or the range error. */
    private static double strtod(byte[] b, int from) {
        int end = from;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        if (end == from) {
            return 0; // strtod consumed nothing and stopped at the terminator
        }
        double small = smallInteger(b, from, end);
        if (!Double.isNaN(small)) {
            return small;
        }
        if (isInf(b, from, end)) { // the usual open end of a range, read without building a String
            return b[from] == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        int i = from;
        while (i < end && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r'))) {
            i++;
        }
        String s = new String(b, i, end - i, StandardCharsets.ISO_8859_1);
        String body = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        boolean negative = s.startsWith("-");
        if (body.equalsIgnoreCase("inf") || body.equalsIgnoreCase("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        try {
            if (DECIMAL.matcher(s).matches()) {
                return Double.parseDouble(s);
            }
            if (HEX.matcher(s).matches()) {
                String hex = body.toLowerCase(java.util.Locale.ROOT);
                double d = Double.parseDouble(hex.contains("p") ? hex : hex + "p0");
                return negative ? -d : d;
            }
        } catch (NumberFormatException e) {
            // falls through to the error
        }
        throw new CommandException(Errors.MIN_MAX_NOT_FLOAT);
    }

    /** True for "inf", "+inf" or "-inf" in any case (strtod's spellings "infinity" take the slow path). */
    private static boolean isInf(byte[] b, int from, int end) {
        int i = from < end && (b[from] == '+' || b[from] == '-') ? from + 1 : from;
        return end - i == 3 && (b[i] | 0x20) == 'i' && (b[i + 1] | 0x20) == 'n' && (b[i + 2] | 0x20) == 'f';
    }

    /** The common case, an optionally signed integer of up to 15 digits (exact as a double), else NaN. */
    private static double smallInteger(byte[] b, int from, int end) {
        int i = from;
        boolean negative = b[i] == '-';
        if (negative || b[i] == '+') {
            i++;
        }
        if (i == end || end - i > 15) {
            return Double.NaN;
        }
        long v = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return Double.NaN;
            }
            v = v * 10 + d;
        }
        return negative ? -(double) v : v;
    }

    /** True for a score at or past the lower end. */
    boolean aboveMin(double s) {
        return minExclusive ? s > min : s >= min;
    }

    /** True for a score at or before the upper end. */
    boolean belowMax(double s) {
        return maxExclusive ? s < max : s <= max;
    }

    /** Rank of the first element in the range. */
    int start(ZSet z) {
        return z.countBelow(min, minExclusive); // not above an exclusive min: below it or equal
    }

    /** Rank after the last element in the range. */
    int end(ZSet z) {
        return z.countBelow(max, !maxExclusive);
    }
}
