package io.cinnabar.datatypes.lists;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A numeric SORT weight as sort.c reads it: {@code strtod} over the value as a C string, rejected when bytes are
 * left over, on ERANGE (overflow, or an inexact result in the subnormal range) or NaN. So leading white space is
 * allowed, trailing is not, an empty value weighs 0, and hex floats, {@code inf} and {@code infinity} count.
 */
final class SortWeights {
    private static final Pattern DECIMAL = Pattern.compile("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?");
    private static final Pattern HEX = Pattern.compile("0x([0-9a-f]+\\.?[0-9a-f]*|\\.[0-9a-f]+)(p[+-]?[0-9]+)?");
    /** Binary exponents beyond this make a nonzero value overflow or vanish whatever its digits. */
    private static final int EXPONENT_BOUND = 1 << 20;

    private SortWeights() {
    }

    /** The weight, or NaN when strtod would not give one. */
    static double parse(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        if (n == 0) {
            return 0; // no conversion, and the end pointer is already at the NUL
        }
        int i = 0;
        while (i < n && isSpace(b[i])) {
            i++;
        }
        String s = new String(b, i, n - i, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        boolean negative = !s.isEmpty() && s.charAt(0) == '-';
        String body = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+') ? s.substring(1) : s;
        if (body.equals("inf") || body.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        double d;
        if (DECIMAL.matcher(body).matches()) {
            d = decimal(body);
        } else if (HEX.matcher(body).matches()) {
            d = hex(body);
        } else {
            return Double.NaN;
        }
        return negative ? -d : d;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static double decimal(String body) {
        int e = body.indexOf('e');
        String mantissa = e < 0 ? body : body.substring(0, e);
        if (!hasNonZeroDigit(mantissa)) {
            return 0;
        }
        double d = Double.parseDouble(body);
        if (Double.isInfinite(d) || d == 0) {
            return Double.NaN;
        }
        if (d < Double.MIN_NORMAL) {
            try {
                return new BigDecimal(body).compareTo(new BigDecimal(d)) == 0 ? d : Double.NaN;
            } catch (NumberFormatException | ArithmeticException ex) {
                return Double.NaN;
            }
        }
        return d;
    }

    private static double hex(String body) {
        int p = body.indexOf('p');
        String digits = (p < 0 ? body.substring(2) : body.substring(2, p));
        if (!hasNonZeroDigit(digits)) {
            return 0;
        }
        long exponent;
        try {
            exponent = p < 0 ? 0 : Long.parseLong(body.substring(p + 1).replace("+", ""));
        } catch (NumberFormatException ex) {
            return Double.NaN; // an exponent past a long cannot give a finite nonzero value
        }
        if (Math.abs(exponent) > EXPONENT_BOUND) {
            return Double.NaN;
        }
        double d = Double.parseDouble(p < 0 ? body + "p0" : body);
        if (Double.isInfinite(d) || d == 0) {
            return Double.NaN;
        }
        if (d < Double.MIN_NORMAL) {
            int dot = digits.indexOf('.');
            int fraction = dot < 0 ? 0 : digits.length() - dot - 1;
            BigInteger m = new BigInteger(digits.replace(".", ""), 16);
            long exp = exponent - 4L * fraction;
            BigDecimal exact = exp >= 0 ? new BigDecimal(m.shiftLeft((int) exp))
                    : new BigDecimal(m).divide(new BigDecimal(BigInteger.ONE.shiftLeft((int) -exp)));
            return exact.compareTo(new BigDecimal(d)) == 0 ? d : Double.NaN;
        }
        return d;
    }

    private static boolean hasNonZeroDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '0' && c != '.' && c != 'x') {
                return true;
            }
        }
        return false;
    }
}
