package io.cinnabar.kernel.config;

import io.cinnabar.api.CommandException;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.RedisNumbers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parameters whose values have a structure of their own (Redis's {@code createSpecialConfig}
 * entries): each takes its words and the current value, and returns the new CONFIG GET form or throws
 * IllegalArgumentException with Redis's reason.
 */
public final class SpecialConfigs {
    private SpecialConfigs() {
    }

    /** Sets a special parameter from its words; {@code current} is its present value. */
    interface Special {
        String set(List<String> args, String current);
    }

    static Special of(String name) {
        return switch (name) {
            case "save" -> (a, cur) -> save(a);
            case "client-output-buffer-limit" -> SpecialConfigs::clientOutputBufferLimit;
            case "oom-score-adj-values" -> SpecialConfigs::oomScoreAdjValues;
            case "notify-keyspace-events" -> (a, cur) -> {
                requireOne(a);
                return keyspaceEventsToString(parseKeyspaceEvents(a.get(0)));
            };
            case "bind" -> (a, cur) -> bind(a);
            case "replicaof" -> (a, cur) -> replicaof(a);
            case "latency-tracking-info-percentiles" -> (a, cur) -> percentiles(a);
            case "dir" -> SpecialConfigs::dir;
            case "appendfilename" -> (a, cur) -> aofName(a, "appendfilename", "filename");
            case "appenddirname" -> (a, cur) -> aofName(a, "appenddirname", "dirname");
            default -> throw new IllegalArgumentException("no special config " + name);
        };
    }

    private static void requireOne(List<String> a) {
        if (a.size() != 1) {
            throw new IllegalArgumentException("wrong number of arguments");
        }
    }

    /** "seconds changes ..." pairs; a single "" clears. Seconds must be at least 1. */
    private static String save(List<String> args) {
        List<String> a = args.size() == 1 && args.get(0).isEmpty() ? List.of() : args;
        if (a.size() % 2 != 0) {
            throw new IllegalArgumentException("Invalid save parameters");
        }
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < a.size(); j++) {
            Long v = strtoll(a.get(j));
            if (v == null || (j % 2 == 0 && v < 1) || (j % 2 == 1 && v < 0)) {
                throw new IllegalArgumentException("Invalid save parameters");
            }
            if (j > 0) {
                sb.append(' ');
            }
            // changes are kept in a C int
            sb.append(j % 2 == 0 ? v : (long) (int) (long) v);
        }
        return sb.toString();
    }

    private static final String[] OBUF_CLASSES = {"normal", "slave", "pubsub"};

    /** Updates only the classes named: "class hard soft seconds" groups. */
    private static String clientOutputBufferLimit(List<String> args, String current) {
        if (args.size() % 4 != 0) {
            throw new IllegalArgumentException("Wrong number of arguments in buffer limit configuration.");
        }
        long[][] limits = parseObuf(current);
        long[][] values = new long[3][];
        for (int j = 0; j < args.size(); j += 4) {
            int cls = switch (args.get(j).toLowerCase(Locale.ROOT)) {
                case "normal" -> 0;
                case "slave", "replica" -> 1;
                case "pubsub" -> 2;
                default -> -1;
            };
            if (cls < 0) {
                throw new IllegalArgumentException("Invalid client class specified in buffer limit configuration.");
            }
            Long hard = ConfigMeta.memtoull(args.get(j + 1));
            Long soft = ConfigMeta.memtoull(args.get(j + 2));
            Long seconds = strtoll(args.get(j + 3));
            if (hard == null || soft == null || seconds == null || (int) (long) seconds < 0) {
                throw new IllegalArgumentException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            values[cls] = new long[] {hard, soft, (int) (long) seconds};
        }
        for (int c = 0; c < 3; c++) {
            if (values[c] != null) {
                limits[c] = values[c];
            }
        }
        return formatObuf(limits);
    }

    /** The three classes' {hard, soft, seconds} from the CONFIG GET form. */
    static long[][] parseObuf(String v) {
        String[] w = v.split(" ");
        long[][] out = new long[3][3];
        for (int c = 0; c < 3; c++) {
            out[c][0] = Long.parseUnsignedLong(w[c * 4 + 1]);
            out[c][1] = Long.parseUnsignedLong(w[c * 4 + 2]);
            out[c][2] = Long.parseLong(w[c * 4 + 3]);
        }
        return out;
    }

    static String formatObuf(long[][] limits) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < 3; c++) {
            if (c > 0) {
                sb.append(' ');
            }
            sb.append(OBUF_CLASSES[c]).append(' ').append(Long.toUnsignedString(limits[c][0])).append(' ')
                    .append(Long.toUnsignedString(limits[c][1])).append(' ').append(limits[c][2]);
        }
        return sb.toString();
    }

    /** Three values in [-2000, 2000]. */
    private static String oomScoreAdjValues(List<String> args, String current) {
        if (args.size() != 3) {
            throw new IllegalArgumentException("wrong number of arguments");
        }
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            Long v = strtoll(a);
            if (v == null || v < -2000 || v > 2000) {
                throw new IllegalArgumentException(
                        "Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(v);
        }
        return sb.toString();
    }

    private static String bind(List<String> args) {
        if (args.size() > 16) {
            throw new IllegalArgumentException("Too many bind addresses specified.");
        }
        if (args.size() == 1 && args.get(0).isEmpty()) {
            return "";
        }
        return String.join(" ", args);
    }

    private static String replicaof(List<String> args) {
        if (args.size() != 2) {
            throw new IllegalArgumentException("wrong number of arguments");
        }
        if (args.get(0).equalsIgnoreCase("no") && args.get(1).equalsIgnoreCase("one")) {
            return "";
        }
        Long port = strtoll(args.get(1));
        if (port == null || port < 0 || port > 65535) {
            throw new IllegalArgumentException("Invalid master port");
        }
        return args.get(0) + " " + port;
    }

    private static String percentiles(List<String> args) {
        List<String> a = args.size() == 1 && args.get(0).isEmpty() ? List.of() : args;
        List<String> out = new ArrayList<>();
        for (String x : a) {
            double d;
            try {
                d = RedisNumbers.parseDouble(x.getBytes(StandardCharsets.ISO_8859_1), "");
            } catch (CommandException e) {
                throw new IllegalArgumentException("Invalid latency-tracking-info-percentiles parameters");
            }
            if (d > 100.0 || d < 0.0) {
                throw new IllegalArgumentException(
                        "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            out.add(trimDouble(String.format(Locale.ROOT, "%f", d)));
        }
        return String.join(" ", out);
    }

    /** Redis's trimDoubleString: "%f" without trailing zeros (and without a trailing dot). */
    static String trimDouble(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    /** chdir: relative to the current directory; the value is the resolved absolute path (getcwd). */
    /** isValidAOFfilename / isValidAOFdirname: a plain name in {@code dir}, never empty nor a path. */
    private static String aofName(List<String> args, String name, String what) {
        requireOne(args);
        String v = args.get(0);
        if (v.isEmpty()) {
            throw new IllegalArgumentException(name + " can't be empty");
        }
        if (v.contains("/") || v.contains("\\")) {
            throw new IllegalArgumentException(name + " can't be a path, just a " + what);
        }
        return v;
    }

    private static String dir(List<String> args, String current) {
        requireOne(args);
        Path p = Path.of(current).resolve(args.get(0));
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("No such file or directory");
        }
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("Not a directory");
        }
        if (!Files.isExecutable(p)) {
            throw new IllegalArgumentException("Permission denied");
        }
        try {
            return p.toRealPath().toString();
        } catch (IOException e) {
            throw new IllegalArgumentException("No such file or directory");
        }
    }

    /** C's strtoll(s, &end, 10) that must consume the whole string; "" is 0, overflow saturates. */
    static Long strtoll(String s) {
        return strtoll(s, 10, true);
    }

    /**
     * C's strtoll(s, &end, radix) that must consume the whole string (leading blanks and a sign allowed;
     * "" is 0, as Redis reads it). On overflow: the saturated value, or null when {@code saturate} is false.
     */
    static Long strtoll(String s, int radix, boolean saturate) {
        int i = 0;
        int n = s.length();
        while (i < n && ConfigLine.isSpace(s.charAt(i))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        int start = i;
        long v = 0;
        boolean overflow = false;
        int d;
        while (i < n && (d = Character.digit(s.charAt(i), radix)) >= 0 && s.charAt(i) < 128) {
            if (v > (Long.MAX_VALUE - d) / radix) {
                overflow = true;
            } else {
                v = v * radix + d;
            }
            i++;
        }
        if (i == start) {
            return s.isEmpty() ? 0L : null;
        }
        if (i != n) {
            return null;
        }
        if (overflow) {
            return saturate ? (neg ? Long.MIN_VALUE : Long.MAX_VALUE) : null;
        }
        return neg ? -v : v;
    }

    /** notify-keyspace-events letters to {@link KeyspaceEvents} flags; IllegalArgumentException on a bad letter. */
    public static int parseKeyspaceEvents(String v) {
        int flags = 0;
        for (char c : v.toCharArray()) {
            flags |= switch (c) {
                case 'A' -> KeyspaceEvents.ALL;
                case 'g' -> KeyspaceEvents.GENERIC;
                case '$' -> KeyspaceEvents.STRING;
                case 'l' -> KeyspaceEvents.LIST;
                case 's' -> KeyspaceEvents.SET;
                case 'h' -> KeyspaceEvents.HASH;
                case 'z' -> KeyspaceEvents.ZSET;
                case 'x' -> KeyspaceEvents.EXPIRED;
                case 'e' -> KeyspaceEvents.EVICTED;
                case 'K' -> KeyspaceEvents.KEYSPACE;
                case 'E' -> KeyspaceEvents.KEYEVENT;
                case 't' -> KeyspaceEvents.STREAM;
                case 'm' -> KeyspaceEvents.KEY_MISS;
                case 'd' -> KeyspaceEvents.MODULE;
                case 'n' -> KeyspaceEvents.NEW;
                default -> throw new IllegalArgumentException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            };
        }
        return flags;
    }

    /**
     * The text Redis prints for a set of flags (keyspaceEventsFlagsToString). Redis writes 'n' only in
     * the branch without 'A', so "AKEn" reads back as "AKE"; kept as Redis does it.
     */
    public static String keyspaceEventsToString(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & KeyspaceEvents.ALL) == KeyspaceEvents.ALL) {
            sb.append('A');
        } else {
            char[] letters = {'g', '$', 'l', 's', 'h', 'z', 'x', 'e', 't', 'd', 'n'};
            int[] bits = {KeyspaceEvents.GENERIC, KeyspaceEvents.STRING, KeyspaceEvents.LIST, KeyspaceEvents.SET,
                KeyspaceEvents.HASH, KeyspaceEvents.ZSET, KeyspaceEvents.EXPIRED, KeyspaceEvents.EVICTED,
                KeyspaceEvents.STREAM, KeyspaceEvents.MODULE, KeyspaceEvents.NEW};
            for (int i = 0; i < bits.length; i++) {
                if ((flags & bits[i]) != 0) {
                    sb.append(letters[i]);
                }
            }
        }
        if ((flags & KeyspaceEvents.KEYSPACE) != 0) {
            sb.append('K');
        }
        if ((flags & KeyspaceEvents.KEYEVENT) != 0) {
            sb.append('E');
        }
        if ((flags & KeyspaceEvents.KEY_MISS) != 0) {
            sb.append('m');
        }
        return sb.toString();
    }
}
