package io.cinnabar.kernel.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The two text forms a redis.conf line has: reading it into words (Redis's {@code sdssplitargs}) and
 * writing a value back quoted (Redis's {@code sdscatrepr}), which CONFIG REWRITE and MONITOR share.
 * Strings here hold one byte per char (ISO-8859-1), so any byte survives a round trip.
 */
public final class ConfigLine {
    private ConfigLine() {
    }

    /**
     * Splits a line as {@code sdssplitargs}: blanks separate words, "double quotes" take \n \r \t \b \a
     * \xHH and \c escapes, 'single quotes' only \'; a closing quote must be followed by a blank.
     * Returns null on unbalanced quotes.
     */
    public static List<String> split(String line) {
        List<byte[]> words = io.cinnabar.kernel.net.SplitArgs.split(line.getBytes(StandardCharsets.ISO_8859_1));
        if (words == null) {
            return null;
        }
        List<String> out = new ArrayList<>(words.size());
        for (byte[] w : words) {
            out.add(new String(w, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /** Splits on single spaces as {@code sdssplitlen(v, " ")}: "" gives no words, "a  b" gives a, "", b. */
    public static List<String> splitSpaces(String v) {
        List<String> out = new ArrayList<>();
        if (v.isEmpty()) {
            return out;
        }
        int start = 0;
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) == ' ') {
                out.add(v.substring(start, i));
                start = i + 1;
            }
        }
        out.add(v.substring(start));
        return out;
    }

    /** {@code sdscatrepr}: the value in double quotes with C escapes for what is not printable. */
    public static String repr(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            appendRepr(sb, s.charAt(i) & 0xff);
        }
        return sb.append('"').toString();
    }

    /** {@code sdscatrepr} of raw bytes, appended to {@code sb}. */
    public static void repr(StringBuilder sb, byte[] b) {
        sb.append('"');
        for (byte x : b) {
            appendRepr(sb, x & 0xff);
        }
        sb.append('"');
    }

    private static void appendRepr(StringBuilder sb, int c) {
        switch (c) {
            case '\\', '"' -> sb.append('\\').append((char) c);
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 7 -> sb.append("\\a");
            case '\b' -> sb.append("\\b");
            default -> {
                if (c >= 0x20 && c <= 0x7e) {
                    sb.append((char) c);
                } else {
                    sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                }
            }
        }
    }

    /** C's isspace in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }
}
