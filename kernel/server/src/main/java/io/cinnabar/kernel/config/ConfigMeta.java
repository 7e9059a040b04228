package io.cinnabar.kernel.config;

import io.cinnabar.api.CommandException;
import io.cinnabar.api.RedisNumbers;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What the kernel knows about one of its parameters beyond the API's {@code ConfigParameter}: Redis's
 * type (which decides parsing, the CONFIG GET form, and how CONFIG REWRITE writes it), numeric bounds,
 * enum names, and flags. Mirrors one entry of Redis's {@code static_configs} table.
 */
record ConfigMeta(String name, Kind kind, String defaultValue, long min, long max, Set<Flag> flags,
                  EnumNames enumNames, UnaryOperator<String> check) {

    /** Redis's config types, with the numeric flags (memory, percent, octal) folded in. */
    enum Kind {
        BOOL, INT, MEMORY, UNSIGNED_MEMORY, MEMORY_PERCENT, OCTAL, STRING, NULLABLE_STRING, ENUM, FLAGS_ENUM, SPECIAL
    }

    enum Flag {
        IMMUTABLE, PROTECTED, HIDDEN, SENSITIVE, MULTI_ARG
    }

    boolean has(Flag f) {
        return flags.contains(f);
    }

    static Set<Flag> flags(String letters) {
        EnumSet<Flag> s = EnumSet.noneOf(Flag.class);
        for (char c : letters.toCharArray()) {
            s.add(switch (c) {
                case 'I' -> Flag.IMMUTABLE;
                case 'P' -> Flag.PROTECTED;
                case 'H' -> Flag.HIDDEN;
                case 'S' -> Flag.SENSITIVE;
                case 'M' -> Flag.MULTI_ARG;
                default -> throw new IllegalArgumentException("config flag " + c);
            });
        }
        return s;
    }

    /**
     * Validates one value given as its words (one word except for multi-argument parameters) and returns
     * the form CONFIG GET prints; IllegalArgumentException carries Redis's reason.
     */
    String parse(List<String> args) {
        String v = args.isEmpty() ? "" : args.get(0);
        String out = switch (kind) {
            case BOOL -> parseBool(v);
            case INT, MEMORY, UNSIGNED_MEMORY, MEMORY_PERCENT, OCTAL -> format(parseNumber(v));
            case STRING, NULLABLE_STRING -> v;
            case ENUM -> enumNames.parse(args, false);
            case FLAGS_ENUM -> enumNames.parse(args, true);
            case SPECIAL -> throw new IllegalStateException(name + " is special");
        };
        return check == null ? out : check.apply(out);
    }

    static String parseBool(String v) {
        if (v.equalsIgnoreCase("yes")) {
            return "yes";
        }
        if (v.equalsIgnoreCase("no")) {
            return "no";
        }
        throw new IllegalArgumentException("argument must be 'yes' or 'no'");
    }

    /** numericParseString + numericBoundCheck: the value as a 64-bit pattern (percentages negative). */
    long parseNumber(String v) {
        Long res = switch (kind) {
            case MEMORY, UNSIGNED_MEMORY -> memtoull(v);
            case MEMORY_PERCENT -> {
                Long m = memtoull(v);
                yield m != null ? m : percent(v);
            }
            case OCTAL -> SpecialConfigs.strtoll(v, 8, false);
            default -> string2ll(v);
        };
        if (res == null) {
            throw new IllegalArgumentException(switch (kind) {
                case MEMORY_PERCENT -> "argument must be a memory or percent value";
                case MEMORY, UNSIGNED_MEMORY -> "argument must be a memory value";
                case OCTAL -> "argument couldn't be parsed as an octal number";
                default -> "argument couldn't be parsed into an integer";
            });
        }
        checkBounds(res);
        return res;
    }

    /** "n%" with n a non-negative integer, stored negated as Redis stores percentages; null otherwise. */
    private static Long percent(String v) {
        if (v.length() < 2 || !v.endsWith("%")) {
            return null;
        }
        Long p = string2ll(v.substring(0, v.length() - 1));
        return p != null && p >= 0 ? -p : null;
    }

    private void checkBounds(long v) {
        if (unsigned()) {
            if (Long.compareUnsigned(v, max) > 0 || Long.compareUnsigned(v, min) < 0) {
                throw new IllegalArgumentException(kind == Kind.OCTAL
                        ? "argument must be between " + Long.toOctalString(min) + " and " + Long.toOctalString(max) + " inclusive"
                        : "argument must be between " + Long.toUnsignedString(min) + " and " + Long.toUnsignedString(max)
                                + " inclusive");
            }
        } else if (kind == Kind.MEMORY_PERCENT && v < 0) {
            if (v < min) {
                throw new IllegalArgumentException("percentage argument must be less or equal to " + (-min));
            }
        } else if (v > max || v < min) {
            throw new IllegalArgumentException("argument must be between " + min + " and " + max + " inclusive");
        }
    }

    /**
     * Redis keeps these in unsigned C types whose bound check compares unsigned. For the other unsigned
     * parameters (size_t, unsigned int) a signed compare gives the same replies, since their bounds fit.
     */
    private boolean unsigned() {
        return kind == Kind.UNSIGNED_MEMORY || kind == Kind.OCTAL;
    }

    /** The CONFIG GET form of a number (numericConfigGet). */
    String format(long v) {
        if (kind == Kind.MEMORY_PERCENT && v < 0) {
            return (-v) + "%";
        }
        if (kind == Kind.MEMORY || kind == Kind.UNSIGNED_MEMORY || kind == Kind.MEMORY_PERCENT) {
            return Long.toUnsignedString(v);
        }
        if (kind == Kind.OCTAL) {
            return Long.toOctalString(v);
        }
        return Long.toString(v);
    }

    /** The stored (CONFIG GET) form back to its 64-bit value. */
    long valueOf(String stored) {
        if (stored.endsWith("%")) {
            return -Long.parseLong(stored.substring(0, stored.length() - 1));
        }
        if (kind == Kind.OCTAL) {
            return Long.parseLong(stored, 8);
        }
        return kind == Kind.INT ? Long.parseLong(stored) : Long.parseUnsignedLong(stored);
    }

    /**
     * Redis's memtoull: digits then an optional unit (b, k, kb, m, mb, g, gb, any case). Returns null
     * when invalid. Quirks kept: "" and a bare unit are 0, overflow saturates, a unit multiplies modulo 2^64.
     */
    static Long memtoull(String p) {
        if (p.startsWith("-")) {
            return null;
        }
        int u = 0;
        while (u < p.length() && p.charAt(u) >= '0' && p.charAt(u) <= '9') {
            u++;
        }
        String unit = p.substring(u).toLowerCase(Locale.ROOT);
        long mul = switch (unit) {
            case "", "b" -> 1;
            case "k" -> 1000;
            case "kb" -> 1024;
            case "m" -> 1000 * 1000;
            case "mb" -> 1024 * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> 1024L * 1024 * 1024;
            default -> -1;
        };
        if (mul < 0 || u >= 128) {
            return null;
        }
        long val = 0;
        for (int i = 0; i < u; i++) {
            int d = p.charAt(i) - '0';
            // strtoull saturates at ULLONG_MAX on overflow and memtoull does not check errno
            if (Long.compareUnsigned(val, Long.divideUnsigned(-1L - d, 10)) > 0) {
                val = -1L;
                break;
            }
            val = val * 10 + d;
        }
        return val * mul;
    }

    /** Redis's string2ll: strict decimal, no spaces, no '+', no leading zeros; null when invalid. */
    static Long string2ll(String s) {
        try {
            return RedisNumbers.parseLong(s.getBytes(StandardCharsets.ISO_8859_1), "");
        } catch (CommandException e) {
            return null;
        }
    }


    /** Enum names with their values; a flags enum combines several names into one value. */
    record EnumNames(String[] names, int[] values) {
        /** "a,b,c" (values 0,1,2); "x=y" makes x an input-only alias of y. */
        static EnumNames of(String spec, boolean flags) {
            String[] parts = spec.split(",");
            String[] names = new String[parts.length];
            int[] values = new int[parts.length];
            int next = 0;
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i];
                int eq = p.indexOf('=');
                if (eq > 0) {
                    names[i] = p.substring(0, eq);
                    String target = p.substring(eq + 1);
                    for (int j = 0; j < i; j++) {
                        if (names[j].equals(target)) {
                            values[i] = values[j];
                        }
                    }
                } else {
                    names[i] = p;
                    values[i] = flags ? (i == 0 ? 0 : 1 << (next++)) : next++;
                }
            }
            return new EnumNames(names, values);
        }

        String parse(List<String> args, boolean flags) {
            int value = 0;
            boolean ok = flags ? !args.isEmpty() : args.size() == 1;
            for (String a : args) {
                int v = lookup(a);
                if (v < 0) {
                    ok = false;
                    break;
                }
                value |= v;
            }
            if (!ok) {
                throw new IllegalArgumentException("argument(s) must be one of the following: " + String.join(", ", names));
            }
            return name(value, flags);
        }

        private int lookup(String a) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(a)) {
                    return values[i];
                }
            }
            return -1;
        }

        /** configEnumGetName: the first exact name, else (flags) the names of the set bits in table order. */
        String name(int value, boolean flags) {
            StringBuilder sb = new StringBuilder();
            int unmatched = value;
            for (int i = 0; i < names.length; i++) {
                if (values[i] == value) {
                    return names[i];
                }
                if (flags && values[i] != 0 && (unmatched & values[i]) == values[i]) {
                    if (sb.length() > 0) {
                        sb.append(' ');
                    }
                    sb.append(names[i]);
                    unmatched &= ~values[i];
                }
            }
            return sb.toString();
        }
    }
}
