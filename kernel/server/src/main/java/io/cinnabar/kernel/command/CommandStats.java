package io.cinnabar.kernel.command;

import io.cinnabar.kernel.info.LatencyHistogram;

/**
 * Per-command counters for INFO commandstats (calls, usec, rejected and failed calls), and the command's
 * latency histogram for INFO latencystats (null until it runs while latency-tracking is on).
 */
public final class CommandStats {
    public long calls;
    public long micros;
    public long rejectedCalls;
    public long failedCalls;
    public LatencyHistogram latency;

    public void reset() {
        calls = 0;
        micros = 0;
        rejectedCalls = 0;
        failedCalls = 0;
        latency = null;
    }
}
