package io.cinnabar.kernel.config;

import io.cinnabar.kernel.net.ClientConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.kernel.server.ServerLog;

/**
 * Applies the parameters whose new value must reach running parts of the server when CONFIG SET
 * changes them. Parameters read where they are used (maxclients, requirepass, timeout...) need nothing
 * here; the slow log and latency monitor register their own listeners.
 */
public final class LiveSettings {
    private LiveSettings() {
    }

    public static void install(CinnabarServer server) {
        Config config = server.config();
        config.onChange("hz", v -> server.rescheduleCron());
        // existing connections get the new limit too, as Redis checks server.proto_max_bulk_len per request
        config.onChange("proto-max-bulk-len", v -> {
            long max = Long.parseLong(v);
            for (ClientConnection c : server.clients().all()) {
                c.setMaxBulkLen(max);
            }
        });
        config.onChange("loglevel", ServerLog::setLevel);
        // resizeReplicationBacklog: CONFIG SET (not the config file) raises a tiny backlog to 16kb
        config.onChange("repl-backlog-size", v -> {
            if (Long.parseLong(v) < MIN_BACKLOG) {
                config.put("repl-backlog-size", Long.toString(MIN_BACKLOG));
            }
        });
        config.onChange("maxclients", v -> checkOpenFilesLimit(Long.parseLong(v)));
    }

    private static final long MIN_BACKLOG = 16 * 1024;
    /** Descriptors Redis keeps for itself besides one per client (CONFIG_MIN_RESERVED_FDS). */
    private static final long RESERVED_FDS = 32;

    /** adjustOpenFilesLimit: the process must be able to open one descriptor per client. */
    private static void checkOpenFilesLimit(long maxclients) {
        long limit = openFilesLimit();
        if (limit > 0 && maxclients + RESERVED_FDS > limit) {
            throw new IllegalArgumentException("The operating system is not able to handle the specified number of "
                    + "clients, try with " + (limit - RESERVED_FDS));
        }
    }

    /** The soft "Max open files" limit of this process, or 0 when unknown or unlimited. */
    private static long openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? 0 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
