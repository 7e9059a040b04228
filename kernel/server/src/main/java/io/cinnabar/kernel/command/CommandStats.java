package io.cinnabar.kernel.command;

/** Per-command counters for INFO commandstats (calls, usec, rejected and failed calls). */
public final class CommandStats {
    public long calls;
    public long micros;
    public long rejectedCalls;
    public long failedCalls;

    public void reset() {
        calls = 0;
        micros = 0;
        rejectedCalls = 0;
        failedCalls = 0;
    }
}
