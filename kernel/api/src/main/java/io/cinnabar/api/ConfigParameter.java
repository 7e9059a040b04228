package io.cinnabar.api;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A configuration parameter: name (plus aliases), default, and a validator that turns the text given in
 * cinnabar.conf, on the command line or by CONFIG SET into the value CONFIG GET prints, or throws
 * {@link IllegalArgumentException} with the reason Redis gives (e.g. "argument must be 'yes' or 'no'").
 */
public record ConfigParameter(String name, List<String> aliases, String defaultValue,
                              Function<String, String> validator, boolean immutable, boolean sensitive) {

    public static ConfigParameter bool(String name, boolean def) {
        return new ConfigParameter(name, List.of(), def ? "yes" : "no", ConfigParameter::parseBool, false, false);
    }

    public static ConfigParameter integer(String name, long def, long min, long max) {
        return new ConfigParameter(name, List.of(), Long.toString(def), v -> parseRange(v, min, max), false, false);
    }

    /** A size in bytes accepting Redis's units (1k, 5mb, 1gb). CONFIG GET prints the plain byte count. */
    public static ConfigParameter memory(String name, long def, long min, long max) {
        return new ConfigParameter(name, List.of(), Long.toString(def), v -> {
            long n = parseMemory(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException("argument must be between " + min + " and " + max + " inclusive");
            }
            return Long.toString(n);
        }, false, false);
    }

    public static ConfigParameter string(String name, String def) {
        return new ConfigParameter(name, List.of(), def, v -> v, false, false);
    }

    public static ConfigParameter oneOf(String name, String def, String... allowed) {
        return new ConfigParameter(name, List.of(), def, v -> {
            String l = v.toLowerCase(Locale.ROOT);
            for (String a : allowed) {
                if (a.equals(l)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("argument(s) must be one of the following: " + String.join(", ", allowed));
        }, false, false);
    }

    public static ConfigParameter custom(String name, String def, Function<String, String> validator) {
        return new ConfigParameter(name, List.of(), def, validator, false, false);
    }

    public ConfigParameter withAliases(String... a) {
        return new ConfigParameter(name, List.of(a), defaultValue, validator, immutable, sensitive);
    }

    /** Settable only at startup (CONFIG SET answers "can't set immutable config"). */
    public ConfigParameter asImmutable() {
        return new ConfigParameter(name, aliases, defaultValue, validator, true, sensitive);
    }

    public ConfigParameter asSensitive() {
        return new ConfigParameter(name, aliases, defaultValue, validator, immutable, true);
    }

    static String parseBool(String v) {
        String l = v.toLowerCase(Locale.ROOT);
        if (l.equals("yes") || l.equals("no")) {
            return l;
        }
        throw new IllegalArgumentException("argument must be 'yes' or 'no'");
    }

    static String parseRange(String v, long min, long max) {
        long n;
        try {
            n = parseMemory(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("argument couldn't be parsed into an integer");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("argument must be between " + min + " and " + max + " inclusive");
        }
        return Long.toString(n);
    }

    /** Redis's memtoull: a number with an optional k/kb/m/mb/g/gb unit (k = 1000, kb = 1024). */
    public static long parseMemory(String v) {
        String l = v.toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1000"}, {"m", "1000000"},
            {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (l.endsWith(u[0]) && l.length() > u[0].length()) {
                mul = Long.parseLong(u[1]);
                l = l.substring(0, l.length() - u[0].length());
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(l), mul);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("argument must be a memory value");
        }
    }
}
