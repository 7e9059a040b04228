package io.cinnabar.kernel.diagnostics;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandFlag;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.kernel.command.Command;
import io.cinnabar.kernel.command.Dispatcher;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.server.BlockingRegistry;
import io.cinnabar.kernel.server.CinnabarServer;
import java.nio.charset.StandardCharsets;

/**
 * What Redis's call() does with every executed command after it ran, besides the command stats and the
 * latency histograms (ServerMetrics): the latency monitor's "command"/"fast-command" samples, the slow
 * log, and the MONITOR feed. One observer on the dispatcher, on the execution thread.
 */
public final class Diagnostics implements Dispatcher.CommandObserver {
    /** Quicklist entries bigger than this go in plain nodes (DEBUG QUICKLIST-PACKED-THRESHOLD; 1GB by default). */
    public static final long DEFAULT_PACKED_THRESHOLD = 1L << 30;
    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    private final SlowLog slowLog;
    private final LatencyMonitor latency;
    private final Monitors monitors = new Monitors();
    private volatile long quicklistPackedThreshold = DEFAULT_PACKED_THRESHOLD;
    /** Arguments of the running command to show as "(redacted)" (AUTH passwords, sensitive CONFIG SET values). */
    private long redacted;

    public Diagnostics(CinnabarServer server) {
        this.slowLog = new SlowLog(server.config());
        this.latency = new LatencyMonitor(server.config());
        server.onClientClose(monitors::remove);
    }

    /** Hides argument {@code index} of the command now executing from the slow log and MONITOR. */
    public void redactArgument(int index) {
        if (index < 64) {
            redacted |= 1L << index;
        }
    }

    @Override
    public boolean onCommand(ClientConnection client, Command command, Args args, long durationMicros) {
        long mask = redacted;
        redacted = 0;
        CommandSpec spec = command.spec();
        // as Redis's call(): a call that left its client blocked is logged when its wait ends, MONITOR shows
        // the first call only (not the re-run after a key became ready, nor the end of the wait)
        BlockingRegistry blocking = client.server().blocking();
        boolean blocked = blocking.leftBlocked(client);
        boolean rerun = blocking.isRerunning(client) || blocking.isEnding(client);
        boolean worked = false;
        if (!spec.has(CommandFlag.SKIP_SLOWLOG) && !blocked) {
            worked = latency.addSampleIfNeeded(spec.has(CommandFlag.FAST) ? "fast-command" : "command",
                    durationMicros / 1000);
            if (slowLog.active()) {
                if (slowLog.wants(durationMicros)) {
                    byte[][] argv = redactedArgs(args, mask);
                    slowLog.push(argv, argv.length, durationMicros, client.remoteAddress(), client.name());
                    worked = true;
                }
                slowLog.trim();
            }
        }
        if (!monitors.isEmpty() && !rerun && !spec.has(CommandFlag.SKIP_MONITOR) && !spec.has(CommandFlag.ADMIN)) {
            byte[][] argv = args.tail(0);
            monitors.feed(client.remoteAddress(), client.dbIndex(), argv, argv.length, mask);
            worked = true;
        }
        return worked;
    }

    private static byte[][] redactedArgs(Args args, long mask) {
        byte[][] argv = args.tail(0);
        for (int j = 0; j < argv.length && j < 64; j++) {
            if ((mask & (1L << j)) != 0) {
                argv[j] = REDACTED;
            }
        }
        return argv;
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    public LatencyMonitor latency() {
        return latency;
    }

    public Monitors monitors() {
        return monitors;
    }

    public long quicklistPackedThreshold() {
        return quicklistPackedThreshold;
    }

    public void setQuicklistPackedThreshold(long bytes) {
        quicklistPackedThreshold = bytes;
    }

    /** MONITOR: the client starts receiving the feed. */
    public void addMonitor(ClientConnection c) {
        c.setMonitor(true);
        monitors.add(c);
    }
}
