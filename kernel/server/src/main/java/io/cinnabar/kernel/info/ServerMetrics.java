package io.cinnabar.kernel.info;

import io.cinnabar.api.Args;
import io.cinnabar.kernel.command.Command;
import io.cinnabar.kernel.command.CommandStats;
import io.cinnabar.kernel.command.Dispatcher;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.server.ServerStats;

/**
 * Measurements INFO needs that no other part keeps: the instantaneous rates (sampled every 100 ms, as
 * Redis's serverCron does), the memory peak and startup footprint, and a latency histogram per command
 * (latencystats), recorded as a dispatcher observer while {@code latency-tracking} is on.
 * Touched only on the execution thread.
 */
public final class ServerMetrics implements Dispatcher.CommandObserver {
    public static final long SAMPLE_PERIOD_MILLIS = 100;

    private final InstantaneousMetric ops = new InstantaneousMetric();
    private final InstantaneousMetric netInput = new InstantaneousMetric();
    private final InstantaneousMetric netOutput = new InstantaneousMetric();
    private volatile boolean latencyTracking = true;
    private long startupMemory;
    private long peakMemory;

    @Override
    public boolean onCommand(ClientConnection client, Command command, Args args, long durationMicros) {
        if (latencyTracking && !client.server().blocking().leftBlocked(client)) { // a blocked call: when served
            CommandStats st = command.stats();
            LatencyHistogram h = st.latency;
            if (h == null) {
                h = st.latency = new LatencyHistogram();
            }
            h.recordNanos(durationMicros * 1000);
        }
        return false;
    }

    public void setLatencyTracking(boolean on) {
        latencyTracking = on;
    }

    /** The histogram of a command (or subcommand), or null when it has not run since the last reset. */
    public LatencyHistogram latency(Command command) {
        return command.stats().latency;
    }

    /** Called once the server is ready: what the heap holds before any data is the startup footprint. */
    public void markStartup() {
        Runtime rt = Runtime.getRuntime();
        startupMemory = rt.totalMemory() - rt.freeMemory();
        peakMemory = Math.max(peakMemory, startupMemory);
    }

    public long startupMemory() {
        return startupMemory;
    }

    /** Raises the peak to {@code used} if higher; returns the peak. */
    public long notePeak(long used) {
        if (used > peakMemory) {
            peakMemory = used;
        }
        return peakMemory;
    }

    /** One sampling round of the rates and the memory peak. */
    public void sample(ServerStats stats, long nowMillis) {
        ops.sample(stats.commandsProcessed, nowMillis);
        netInput.sample(stats.netInputBytes, nowMillis);
        netOutput.sample(stats.netOutputBytes, nowMillis);
        Runtime rt = Runtime.getRuntime();
        notePeak(rt.totalMemory() - rt.freeMemory());
    }

    public long opsPerSecond() {
        return ops.value();
    }

    /** KB per second received, as Redis's instantaneous_input_kbps. */
    public double inputKbps() {
        return netInput.value() / 1024.0;
    }

    public double outputKbps() {
        return netOutput.value() / 1024.0;
    }

    /**
     * CONFIG RESETSTAT: rates start again (the memory peak stays, as in Redis); the latency histograms are the
     * commands' own, reset with their {@link CommandStats}.
     */
    public void reset() {
        ops.reset();
        netInput.reset();
        netOutput.reset();
    }
}
