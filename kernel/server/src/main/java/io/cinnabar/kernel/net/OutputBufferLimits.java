package io.cinnabar.kernel.net;

import io.cinnabar.kernel.server.Clients;

/**
 * {@code client-output-buffer-limit} per client class (normal, replica, pubsub) as {hard bytes, soft bytes,
 * soft seconds}, parsed from the value CONFIG GET prints. Redis's checkClientOutputBufferLimits decides
 * with it whether a client that does not read its replies must be disconnected.
 */
public final class OutputBufferLimits {
    private final long[][] limits;

    private OutputBufferLimits(long[][] limits) {
        this.limits = limits;
    }

    /** Parses "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60". */
    public static OutputBufferLimits parse(String value) {
        long[][] l = new long[3][3];
        String[] w = value == null ? new String[0] : value.trim().split("\\s+");
        for (int i = 0; i + 3 < w.length; i += 4) {
            int cls = switch (w[i]) {
                case "normal" -> 0;
                case "slave", "replica" -> 1;
                case "pubsub" -> 2;
                default -> -1;
            };
            if (cls >= 0) {
                l[cls] = new long[] {Long.parseLong(w[i + 1]), Long.parseLong(w[i + 2]), Long.parseLong(w[i + 3])};
            }
        }
        return new OutputBufferLimits(l);
    }

    /** {hard, soft, seconds} of a client type (a master link counts as normal, as in Redis). */
    public long[] of(Clients.Type type) {
        return switch (type) {
            case REPLICA -> limits[1];
            case PUBSUB -> limits[2];
            default -> limits[0];
        };
    }
}
