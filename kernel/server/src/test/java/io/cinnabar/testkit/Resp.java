package io.cinnabar.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a raw reply (as {@link RespClient} returns it) into Java values for structural comparisons:
 * simple and bulk strings become {@code String}, integers {@code Long}, doubles {@code Double}, nulls
 * {@code null}, arrays/sets/pushes {@code List}, maps {@code Map} (in order), errors {@link Error}.
 */
public final class Resp {
    private final String raw;
    private int pos;

    /** An error reply, e.g. {@code ERR syntax error}. */
    public record Error(String line) {
    }

    private Resp(String raw) {
        this.raw = raw;
    }

    public static Object parse(String raw) {
        Resp r = new Resp(raw);
        Object v = r.value();
        if (r.pos != raw.length()) {
            throw new IllegalArgumentException("trailing data after a reply: " + raw.substring(r.pos));
        }
        return v;
    }

    private String line() {
        int end = raw.indexOf("\r\n", pos);
        String l = raw.substring(pos, end);
        pos = end + 2;
        return l;
    }

    private Object value() {
        String l = line();
        char t = l.charAt(0);
        String rest = l.substring(1);
        switch (t) {
            case '+':
                return rest;
            case '-':
                return new Error(rest);
            case ':':
                return Long.parseLong(rest);
            case ',':
                return Double.parseDouble(rest);
            case '#':
                return rest.equals("t");
            case '(':
                return new java.math.BigInteger(rest);
            case '_':
                return null;
            case '$':
            case '=':
            case '!': {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                String s = raw.substring(pos, pos + n);
                pos += n + 2;
                return t == '=' ? s.substring(4) : s;
            }
            case '*':
            case '~':
            case '>': {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                List<Object> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(value());
                }
                return out;
            }
            case '%': {
                int n = Integer.parseInt(rest);
                Map<Object, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object k = value();
                    out.put(k, value());
                }
                return out;
            }
            default:
                throw new IllegalArgumentException("unknown reply type in: " + l);
        }
    }

    /** A RESP2 flat array of pairs as a map (COMMAND INFO key specs, MEMORY STATS...). */
    @SuppressWarnings("unchecked")
    public static Map<Object, Object> pairs(Object v) {
        if (v instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        List<Object> l = (List<Object>) v;
        Map<Object, Object> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < l.size(); i += 2) {
            out.put(l.get(i), l.get(i + 1));
        }
        return out;
    }
}
