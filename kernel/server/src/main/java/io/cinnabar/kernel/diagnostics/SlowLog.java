package io.cinnabar.kernel.diagnostics;

import io.cinnabar.api.Reply;
import io.cinnabar.kernel.config.Config;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Redis's slow log (slowlog.c): commands that took at least slowlog-log-slower-than µs (-1 disables, 0
 * logs everything), newest first, at most slowlog-max-len entries, each with at most 32 arguments of at
 * most 128 bytes. Only the execution thread touches it.
 */
public final class SlowLog {
    static final int MAX_ARGC = 32;
    static final int MAX_STRING = 128;

    /** One logged command. */
    record Entry(long id, long unixSeconds, long micros, byte[][] argv, String peer, String clientName) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;
    private volatile long slowerThan;
    private volatile long maxLen;

    SlowLog(Config config) {
        slowerThan = config.getLong("slowlog-log-slower-than");
        maxLen = config.getLong("slowlog-max-len");
        config.onChange("slowlog-log-slower-than", v -> slowerThan = Long.parseLong(v));
        // a shorter log is trimmed by the next command logged, not right away, as in Redis
        config.onChange("slowlog-max-len", v -> maxLen = Long.parseLong(v));
    }

    /**
     * False while the log is disabled (slowlog-log-slower-than -1): nothing is added or trimmed. With
     * slowlog-max-len 0 entries are still created (they take an id) and trimmed away at once, as in Redis.
     */
    boolean active() {
        return slowerThan >= 0;
    }

    /** True when a command that took {@code micros} belongs in the log. */
    boolean wants(long micros) {
        long t = slowerThan;
        return t >= 0 && micros >= t;
    }

    /** slowlogCreateEntry: the arguments (already redacted) of a command {@link #wants} took. */
    void push(byte[][] argv, int argc, long micros, String peer, String clientName) {
        entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, micros, trimArgs(argv, argc), peer,
                clientName == null ? "" : clientName));
    }

    /** Drops the oldest entries beyond slowlog-max-len (after every command while the log is active). */
    void trim() {
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    /** Logging many or long arguments wastes memory: keep 32, the last saying how many more there were. */
    static byte[][] trimArgs(byte[][] argv, int argc) {
        int n = Math.min(argc, MAX_ARGC);
        byte[][] out = new byte[n][];
        for (int j = 0; j < n; j++) {
            if (n != argc && j == n - 1) {
                out[j] = ("... (" + (argc - n + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII);
            } else if (argv[j].length > MAX_STRING) {
                byte[] head = Arrays.copyOf(argv[j], MAX_STRING);
                byte[] tail = ("... (" + (argv[j].length - MAX_STRING) + " more bytes)").getBytes(StandardCharsets.US_ASCII);
                byte[] b = Arrays.copyOf(head, MAX_STRING + tail.length);
                System.arraycopy(tail, 0, b, MAX_STRING, tail.length);
                out[j] = b;
            } else {
                out[j] = argv[j];
            }
        }
        return out;
    }

    public int size() {
        return entries.size();
    }

    public void reset() {
        entries.clear();
    }

    /** SLOWLOG GET: the newest {@code count} entries as {id, time, µs, argv, client address, client name}. */
    public void reply(Reply reply, long count) {
        int n = (int) Math.min(count, entries.size());
        reply.array(n);
        Iterator<Entry> it = entries.iterator();
        for (int i = 0; i < n; i++) {
            Entry e = it.next();
            reply.array(6);
            reply.integer(e.id());
            reply.integer(e.unixSeconds());
            reply.integer(e.micros());
            reply.array(e.argv().length);
            for (byte[] a : e.argv()) {
                reply.bulk(a);
            }
            reply.bulk(e.peer());
            reply.bulk(e.clientName());
        }
    }
}
