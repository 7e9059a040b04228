package io.cinnabar.kernel.diagnostics;

import io.cinnabar.api.Reply;
import io.cinnabar.kernel.config.Config;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis's latency monitor (latency.c): per event ("command", "fast-command", "expire-cycle", ...) a ring
 * of the last 160 per-second maxima of latencies at or above latency-monitor-threshold ms, the all-time
 * max, and the DOCTOR report and GRAPH built from them. Only the execution thread touches it.
 */
public final class LatencyMonitor {
    static final int TS_LEN = 160;
    private static final int GRAPH_COLS = 80;

    /** One event's time series. */
    static final class Series {
        int idx;
        final long[] time = new long[TS_LEN];
        final long[] latency = new long[TS_LEN];
        long max;
    }

    private final Config config;
    private final Map<String, Series> events = new LinkedHashMap<>();
    private volatile long threshold;

    LatencyMonitor(Config config) {
        this.config = config;
        this.threshold = config.getLong("latency-monitor-threshold");
        config.onChange("latency-monitor-threshold", v -> threshold = Long.parseLong(v));
    }

    /** latencyAddSampleIfNeeded: records {@code millis} for {@code event} when the monitor is on and it is slow enough. */
    /** Records a sample when {@code millis} reaches the threshold; true when it did. */
    public boolean addSampleIfNeeded(String event, long millis) {
        long t = threshold;
        if (t != 0 && millis >= t) {
            addSample(event, millis, System.currentTimeMillis() / 1000);
            return true;
        }
        return false;
    }

    void addSample(String event, long millis, long now) {
        Series ts = events.computeIfAbsent(event, k -> new Series());
        long latency = millis & 0xffffffffL;
        if (latency > ts.max) {
            ts.max = latency;
        }
        // samples in the same second keep the highest one
        int prev = (ts.idx + TS_LEN - 1) % TS_LEN;
        if (ts.time[prev] == now) {
            if (latency > ts.latency[prev]) {
                ts.latency[prev] = latency;
            }
            return;
        }
        ts.time[ts.idx] = now;
        ts.latency[ts.idx] = latency;
        ts.idx = (ts.idx + 1) % TS_LEN;
    }

    /** LATENCY LATEST: per event {name, time of the last sample, its latency, the all-time max}. */
    public void latest(Reply reply) {
        reply.array(events.size());
        events.forEach((event, ts) -> {
            int last = (ts.idx + TS_LEN - 1) % TS_LEN;
            reply.array(4);
            reply.bulk(event);
            reply.integer(ts.time[last]);
            reply.integer(ts.latency[last]);
            reply.integer(ts.max);
        });
    }

    /** LATENCY HISTORY: the event's {time, latency} samples, oldest first (empty for an unknown event). */
    public void history(Reply reply, String event) {
        Series ts = events.get(event);
        if (ts == null) {
            reply.array(0);
            return;
        }
        Reply.Deferred len = reply.deferredArray();
        int samples = 0;
        for (int j = 0; j < TS_LEN; j++) {
            int i = (ts.idx + j) % TS_LEN;
            if (ts.time[i] == 0) {
                continue;
            }
            reply.array(2);
            reply.integer(ts.time[i]);
            reply.integer(ts.latency[i]);
            samples++;
        }
        len.finish(samples);
    }

    /** LATENCY RESET [event ...]: returns how many events were reset. */
    public int reset(List<String> names) {
        if (names.isEmpty()) {
            return reset((String) null);
        }
        int n = 0;
        for (String e : names) {
            n += reset(e);
        }
        return n;
    }

    /** LATENCY GRAPH: the graph of a known event (names are case-sensitive here), null when it has no samples. */
    public String graph(String event) {
        Series ts = events.get(event);
        return ts == null ? null : graph(event, ts);
    }

    /** The named event (case-insensitively) or all of them; returns how many were reset. */
    private int reset(String event) {
        int resets = 0;
        for (Iterator<String> it = events.keySet().iterator(); it.hasNext(); ) {
            String e = it.next();
            if (event == null || e.equalsIgnoreCase(event)) {
                it.remove();
                resets++;
            }
        }
        return resets;
    }

    /** A header, 80 dashes, then the sparkline of the samples labelled by their age. */
    private String graph(String event, Series ts) {
        Sparkline seq = new Sparkline();
        long min = 0;
        long max = 0;
        boolean first = true;
        long now = System.currentTimeMillis() / 1000;
        for (int j = 0; j < TS_LEN; j++) {
            int i = (ts.idx + j) % TS_LEN;
            if (ts.time[i] == 0) {
                continue;
            }
            long l = ts.latency[i];
            if (first) {
                min = max = l;
                first = false;
            } else {
                max = Math.max(max, l);
                min = Math.min(min, l);
            }
            int elapsed = (int) (now - ts.time[i]);
            String label = elapsed < 60 ? elapsed + "s" : elapsed < 3600 ? elapsed / 60 + "m"
                    : elapsed < 3600 * 24 ? elapsed / 3600 + "h" : elapsed / (3600 * 24) + "d";
            seq.add(l, label);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(event).append(" - high ").append(max).append(" ms, low ").append(min).append(" ms (all time high ")
                .append(ts.max).append(" ms)\n");
        sb.append("-".repeat(GRAPH_COLS)).append('\n');
        seq.render(sb, GRAPH_COLS, 4);
        return sb.toString();
    }

    /** LATENCY DOCTOR: the human-readable analysis of the events and the advice that follows from them. */
    public String doctor() {
        return LatencyDoctor.report(events, threshold, config);
    }
}
