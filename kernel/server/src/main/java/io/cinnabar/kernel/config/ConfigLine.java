package io.cinnabar.kernel.config;

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
        List<String> out = new ArrayList<>();
        int n = line.length();
        int p = 0;
        while (true) {
            while (p < n && isSpace(line.charAt(p))) {
                p++;
            }
            if (p >= n) {
                return out;
            }
            StringBuilder cur = new StringBuilder();
            boolean inq = false;
            boolean insq = false;
            boolean done = false;
            while (!done) {
                char c = p < n ? line.charAt(p) : 0;
                if (inq) {
                    if (c == '\\' && at(line, p + 1) == 'x' && isHex(at(line, p + 2)) && isHex(at(line, p + 3))) {
                        cur.append((char) (Character.digit(at(line, p + 2), 16) * 16 + Character.digit(at(line, p + 3), 16)));
                        p += 3;
                    } else if (c == '\\' && p + 1 < n) {
                        p++;
                        char e = line.charAt(p);
                        cur.append(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> (char) 7;
                            default -> e;
                        });
                    } else if (c == '"') {
                        if (p + 1 < n && !isSpace(line.charAt(p + 1))) {
                            return null;
                        }
                        done = true;
                    } else if (p >= n) {
                        return null;
                    } else {
                        cur.append(c);
                    }
                } else if (insq) {
                    if (c == '\\' && at(line, p + 1) == '\'') {
                        p++;
                        cur.append('\'');
                    } else if (c == '\'') {
                        if (p + 1 < n && !isSpace(line.charAt(p + 1))) {
                            return null;
                        }
                        done = true;
                    } else if (p >= n) {
                        return null;
                    } else {
                        cur.append(c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inq = true;
                        case '\'' -> insq = true;
                        default -> cur.append(c);
                    }
                }
                if (p < n) {
                    p++;
                }
            }
            out.add(cur.toString());
        }
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

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
