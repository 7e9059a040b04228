package io.cinnabar.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the raw reply text {@link RespClient} returns into plain values, for tests that compare the
 * structure of replies whose details (timestamps, ids) differ between servers: simple strings and bulk
 * strings become String (ISO-8859-1), integers Long, nulls null, arrays/maps/sets/pushes List, and an
 * error a String starting with "-".
 */
public final class RespParser {
    private final String s;
    private int p;

    private RespParser(String s) {
        this.s = s;
    }

    public static Object parse(String raw) {
        return new RespParser(raw).next();
    }

    private String line() {
        int e = s.indexOf("\r\n", p);
        String l = s.substring(p, e);
        p = e + 2;
        return l;
    }

    private Object next() {
        char t = s.charAt(p++);
        String l = line();
        switch (t) {
            case '+', '(' -> {
                return l;
            }
            case '-' -> {
                return "-" + l;
            }
            case ':' -> {
                return Long.parseLong(l);
            }
            case ',' -> {
                return l;
            }
            case '#' -> {
                return l.equals("t") ? 1L : 0L;
            }
            case '_' -> {
                return null;
            }
            case '$', '=' -> {
                int n = Integer.parseInt(l);
                if (n < 0) {
                    return null;
                }
                String b = s.substring(p, p + n);
                p += n + 2;
                return t == '=' ? b.substring(4) : b;
            }
            case '*', '~', '>', '%', '|' -> {
                int n = Integer.parseInt(l);
                if (n < 0) {
                    return null;
                }
                int count = t == '%' || t == '|' ? 2 * n : n;
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    out.add(next());
                }
                return out;
            }
            default -> throw new IllegalArgumentException("unexpected reply type " + t);
        }
    }
}
