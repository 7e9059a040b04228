package io.cinnabar.api;

import java.nio.charset.StandardCharsets;

/** Number parsing and formatting exactly as Redis does it ({@code string2ll}, {@code strtod}, 7.2's {@code fpconv_dtoa}). */
public final class RedisNumbers {
    private RedisNumbers() {
    }

    /** Sentinel for {@link #tryParseLong}: no valid integer. */
    public static final long NOT_A_LONG = Long.MIN_VALUE;

    /** Parses as Redis's {@code string2ll}: optional '-', digits, no leading zeros, no spaces, no '+'. */
    public static long parseLong(byte[] b, String error) {
        return parseLong(b, 0, b.length, error);
    }

    public static long parseLong(byte[] b, int off, int len, String error) {
        if (len == 0 || len > 20) {
            throw new CommandException(error);
        }
        int i = off;
        int end = off + len;
        boolean neg = false;
        if (b[i] == '-') {
            neg = true;
            i++;
            if (i == end) {
                throw new CommandException(error);
            }
        }
        if (b[i] == '0') {
            if (len == 1) {
                return 0;
            }
            throw new CommandException(error);
        }
        long v = 0; // accumulate negatively so Long.MIN_VALUE fits
        final long multmin = Long.MIN_VALUE / 10;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || v < multmin) {
                throw new CommandException(error);
            }
            v *= 10;
            if (v < Long.MIN_VALUE + d) {
                throw new CommandException(error);
            }
            v -= d;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) {
                throw new CommandException(error);
            }
            return -v;
        }
        return v;
    }

    /** True when the bytes are a canonical Redis integer (what OBJECT ENCODING reports as {@code int}). */
    public static boolean isCanonicalLong(byte[] b) {
        if (b.length == 0 || b.length > 20) {
            return false;
        }
        try {
            parseLong(b, null);
            return true;
        } catch (CommandException e) {
            return false;
        }
    }

    /**
     * Parses as Redis's {@code string2d}/{@code strtod}: decimal or hex floats, {@code inf}/{@code infinity}
     * with optional sign, no surrounding spaces, no NaN.
     */
    public static double parseDouble(byte[] b, String error) {
        double plain = plainInteger(b);
        if (plain == plain) { // not NaN: the common score, parsed without building a String
            return plain;
        }
        int n = b.length;
        if (n == 0 || n > 5000 || Character.isWhitespace(b[0] & 0xff)) {
            throw new CommandException(error);
        }
        String s = new String(b, StandardCharsets.ISO_8859_1);
        String body = s.charAt(0) == '+' || s.charAt(0) == '-' ? s.substring(1) : s;
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return s.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!validFloatSyntax(body)) {
            throw new CommandException(error);
        }
        double d;
        try {
            if (lower.startsWith("0x")) {
                d = Double.parseDouble(s.charAt(0) == '-' ? "-" + hexFloat(body) : hexFloat(body));
            } else {
                d = Double.parseDouble(s);
            }
        } catch (NumberFormatException e) {
            throw new CommandException(error);
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            // strtod sets ERANGE on overflow; Redis rejects it
            throw new CommandException(error);
        }
        return d;
    }

    /** An optional '-' and 1 to 15 digits as an exact double, else NaN (the caller parses it the long way). */
    private static double plainInteger(byte[] b) {
        int n = b.length;
        int i = n > 0 && b[0] == '-' ? 1 : 0;
        if (n - i < 1 || n - i > 15) {
            return Double.NaN;
        }
        long v = 0;
        for (int k = i; k < n; k++) {
            int d = b[k] - '0';
            if (d < 0 || d > 9) {
                return Double.NaN;
            }
            v = v * 10 + d;
        }
        return i == 1 ? -(double) v : (double) v;
    }

    private static final java.util.regex.Pattern HEX_FLOAT =
            java.util.regex.Pattern.compile("([0-9a-f]+\\.?[0-9a-f]*|\\.[0-9a-f]+)(p[+-]?[0-9]+)?");
    private static final java.util.regex.Pattern DECIMAL_FLOAT =
            java.util.regex.Pattern.compile("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?");

    private static String hexFloat(String body) {
        return body.toLowerCase(java.util.Locale.ROOT).contains("p") ? body : body + "p0";
    }

    private static boolean validFloatSyntax(String s) {
        if (s.isEmpty()) {
            return false;
        }
        String l = s.toLowerCase(java.util.Locale.ROOT);
        if (l.startsWith("0x")) {
            return l.length() > 2 && HEX_FLOAT.matcher(l.substring(2)).matches();
        }
        return DECIMAL_FLOAT.matcher(l).matches();
    }

    /** Integer as its decimal ASCII bytes. */
    public static byte[] toBytes(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A double as Redis 7.2 prints it (d2string: reply doubles, sorted-set scores): {@code nan}, {@code inf},
     * {@code -inf}, {@code 0}/{@code -0}, integral values within +-2^62 as integers, otherwise fpconv_dtoa's
     * Grisu2 digits in fixed notation for moderate exponents and {@code 1.5e+21} style otherwise.
     */
    public static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        if (d >= (double) (-Long.MAX_VALUE / 2) && d <= (double) (Long.MAX_VALUE / 2) && d == (double) (long) d) {
            return Long.toString((long) d);
        }
        boolean neg = d < 0;
        char[] digits = new char[24];
        int[] k = new int[1];
        int nd = Grisu2.digits(Math.abs(d), digits, k);
        return (neg ? "-" : "") + emitDigits(new String(digits, 0, nd), k[0], neg);
    }

    private static String emitDigits(String digits, int k, boolean neg) {
        int nd = digits.length();
        int exp = Math.abs(k + nd - 1);
        StringBuilder sb = new StringBuilder(24);
        if (k >= 0 && exp < nd + 7) {
            sb.append(digits);
            for (int i = 0; i < k; i++) {
                sb.append('0');
            }
            return sb.toString();
        }
        if (k < 0 && (k > -7 || exp < 4)) {
            int offset = nd - Math.abs(k);
            if (offset <= 0) {
                sb.append("0.");
                for (int i = 0; i < -offset; i++) {
                    sb.append('0');
                }
                sb.append(digits);
            } else {
                sb.append(digits, 0, offset).append('.').append(digits, offset, nd);
            }
            return sb.toString();
        }
        int shown = Math.min(nd, 18 - (neg ? 1 : 0));
        sb.append(digits.charAt(0));
        if (shown > 1) {
            sb.append('.').append(digits, 1, shown);
        }
        sb.append('e').append(k + nd - 1 < 0 ? '-' : '+');
        sb.append(exp);
        return sb.toString();
    }

    /** ASCII case-insensitive compare of raw bytes with a lower-case word, without allocating. */
    public static boolean equalsIgnoreCase(byte[] b, String lowerWord) {
        int n = lowerWord.length();
        if (b.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = b[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lowerWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
