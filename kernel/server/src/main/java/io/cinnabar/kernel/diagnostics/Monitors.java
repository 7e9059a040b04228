package io.cinnabar.kernel.diagnostics;

import io.cinnabar.kernel.config.ConfigLine;
import io.cinnabar.kernel.net.ClientConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The clients in MONITOR mode and the feed they get (replicationFeedMonitors): one status line per
 * executed command, {@code +<seconds>.<micros> [<db> <addr>] "arg" ...}, arguments quoted as
 * sdscatrepr does. Every monitor is flushed right away, as they are passive readers.
 */
public final class Monitors {
    private final List<ClientConnection> monitors = new ArrayList<>();

    void add(ClientConnection c) {
        monitors.add(c);
    }

    void remove(ClientConnection c) {
        monitors.remove(c);
    }

    public boolean isEmpty() {
        return monitors.isEmpty();
    }

    /**
     * Sends a command to every monitor. {@code origin} is "127.0.0.1:5000" for a client or "lua" for a
     * script's own calls; redacted arguments show as (redacted).
     */
    public void feed(String origin, int dbId, byte[][] argv, int argc, long redactedMask) {
        if (monitors.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        StringBuilder sb = new StringBuilder(64);
        sb.append('+').append(now.getEpochSecond()).append('.');
        String micros = Long.toString(now.getNano() / 1000);
        sb.append("000000", micros.length(), 6).append(micros);
        sb.append(" [").append(dbId).append(' ').append(origin).append("] ");
        for (int j = 0; j < argc; j++) {
            if (j < 64 && (redactedMask & (1L << j)) != 0) {
                sb.append("\"(redacted)\"");
            } else {
                ConfigLine.repr(sb, argv[j]);
            }
            if (j != argc - 1) {
                sb.append(' ');
            }
        }
        sb.append("\r\n");
        byte[] line = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        for (ClientConnection m : List.copyOf(monitors)) {
            if (!m.isClosing()) {
                m.reply().rawBytes(line);
                m.flush();
            }
        }
    }
}
