package io.cinnabar.kernel.config;

import io.cinnabar.api.ConfigParameter;
import io.cinnabar.api.KeyspaceEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Validators for the parameters whose values have a structure of their own. */
public final class SpecialConfigs {
    private SpecialConfigs() {
    }

    static ConfigParameter of(String name, String def) {
        return ConfigParameter.custom(name, def, switch (name) {
            case "save" -> SpecialConfigs::save;
            case "client-output-buffer-limit" -> SpecialConfigs::clientOutputBufferLimit;
            case "notify-keyspace-events" -> v -> keyspaceEventsToString(parseKeyspaceEvents(v));
            case "oom-score-adj-values" -> v -> ints(v, 3, -2000, 2000, "Invalid oom-score-adj-values");
            case "latency-tracking-info-percentiles" -> SpecialConfigs::percentiles;
            case "replicaof" -> SpecialConfigs::replicaof;
            default -> v -> v; // bind: a list of addresses
        });
    }

    private static String save(String v) {
        String t = v.trim();
        if (t.isEmpty() || t.equals("\"\"")) {
            return "";
        }
        String[] w = t.split("\\s+");
        if (w.length % 2 != 0) {
            throw new IllegalArgumentException("Invalid save parameters");
        }
        for (String x : w) {
            try {
                if (Long.parseLong(x) < 0) {
                    throw new IllegalArgumentException("Invalid save parameters");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid save parameters");
            }
        }
        return String.join(" ", w);
    }

    private static String clientOutputBufferLimit(String v) {
        String[] w = v.trim().split("\\s+");
        if (w.length % 4 != 0) {
            throw new IllegalArgumentException("Wrong number of arguments in buffer limit configuration.");
        }
        long[][] limits = {{0, 0, 0}, {268435456, 67108864, 60}, {33554432, 8388608, 60}};
        for (int i = 0; i < w.length; i += 4) {
            int cls = switch (w[i].toLowerCase(Locale.ROOT)) {
                case "normal" -> 0;
                case "slave", "replica" -> 1;
                case "pubsub" -> 2;
                default -> throw new IllegalArgumentException("Invalid client class specified in buffer limit configuration.");
            };
            try {
                limits[cls][0] = ConfigParameter.parseMemory(w[i + 1]);
                limits[cls][1] = ConfigParameter.parseMemory(w[i + 2]);
                limits[cls][2] = Long.parseLong(w[i + 3]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            if (limits[cls][0] < 0 || limits[cls][1] < 0 || limits[cls][2] < 0) {
                throw new IllegalArgumentException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
        }
        return "normal " + limits[0][0] + " " + limits[0][1] + " " + limits[0][2]
                + " slave " + limits[1][0] + " " + limits[1][1] + " " + limits[1][2]
                + " pubsub " + limits[2][0] + " " + limits[2][1] + " " + limits[2][2];
    }

    private static String ints(String v, int count, long min, long max, String error) {
        String[] w = v.trim().split("\\s+");
        if (w.length != count) {
            throw new IllegalArgumentException(error);
        }
        List<String> out = new ArrayList<>();
        for (String x : w) {
            try {
                long n = Long.parseLong(x);
                if (n < min || n > max) {
                    throw new IllegalArgumentException(error);
                }
                out.add(Long.toString(n));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(error);
            }
        }
        return String.join(" ", out);
    }

    private static String percentiles(String v) {
        String t = v.trim();
        if (t.isEmpty()) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (String x : t.split("\\s+")) {
            try {
                double d = Double.parseDouble(x);
                if (d < 0 || d > 100) {
                    throw new IllegalArgumentException("latency-tracking-info-percentiles parameter should be between 0.0 and 100.0");
                }
                out.add(io.cinnabar.api.RedisNumbers.formatDouble(d));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid latency-tracking-info-percentiles parameters");
            }
        }
        return String.join(" ", out);
    }

    private static String replicaof(String v) {
        String t = v.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("no one")) {
            return "";
        }
        String[] w = t.split("\\s+");
        if (w.length != 2) {
            throw new IllegalArgumentException("wrong number of arguments");
        }
        try {
            int port = Integer.parseInt(w[1]);
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("Invalid master port");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid master port");
        }
        return w[0] + " " + w[1];
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

    /** The canonical text Redis prints for a set of flags (keyspaceEventsFlagsToString). */
    public static String keyspaceEventsToString(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & KeyspaceEvents.ALL) == KeyspaceEvents.ALL) {
            sb.append('A');
        } else {
            char[] letters = {'g', '$', 'l', 's', 'h', 'z', 'x', 'e', 't', 'd'};
            int[] bits = {KeyspaceEvents.GENERIC, KeyspaceEvents.STRING, KeyspaceEvents.LIST, KeyspaceEvents.SET,
                KeyspaceEvents.HASH, KeyspaceEvents.ZSET, KeyspaceEvents.EXPIRED, KeyspaceEvents.EVICTED,
                KeyspaceEvents.STREAM, KeyspaceEvents.MODULE};
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
        if ((flags & KeyspaceEvents.NEW) != 0) {
            sb.append('n');
        }
        return sb.toString();
    }
}
