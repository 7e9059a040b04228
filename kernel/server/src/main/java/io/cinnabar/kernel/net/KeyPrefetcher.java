package io.cinnabar.kernel.net;

import io.cinnabar.api.Args;
import io.cinnabar.kernel.command.KeyExtractor;
import io.cinnabar.kernel.keyspace.Database;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Looks ahead in clients' input at the commands about to run and has the database start loading their keys, and the
 * member or field their third argument may name (the fourth of ZADD key score member and ZINCRBY key increment
 * member) ({@link Database#prefetch}), so the lookups overlap their cache misses: the commands of one client's
 * pipeline, or the first commands of every client read in one turn of the event loop. The first key of most
 * commands is their second argument; for the others the guess costs one wasted load. Only reads the buffers: the
 * decoder still parses, limits and rejects everything itself. One instance serves the execution thread.
 */
public final class KeyPrefetcher {
    /** How much input one look-ahead copies and parses at most. */
    private static final int WINDOW = 2048;
    private final byte[] window = new byte[WINDOW];
    private final int[] offsets = new int[Database.PREFETCH_MAX];
    private final int[] lengths = new int[Database.PREFETCH_MAX];
    private final int[] memberOffsets = new int[Database.PREFETCH_MAX];
    private final int[] memberLengths = new int[Database.PREFETCH_MAX]; // -1: the command has no third argument
    private int lineEnd;
    private final byte[][] argKeys = new byte[Database.PREFETCH_MAX][]; // the keys of prefetch(Args, ...)
    private int used;  // window bytes taken by the batch so far
    private int keys;  // keys in the batch so far
    private boolean lastUseful;  // the last prefetch(Database) had two keys or more that could save a miss
    private boolean lastUseless; // see lastUseless()

    /**
     * Prefetches the keys of the complete commands at the start of {@code in} (at most
     * {@link Database#PREFETCH_MAX}) when there is more than one; returns how many commands it looked at (at
     * least 1, so the caller looks again once that many have run).
     */
    public int prefetch(ByteBuf in, Database db) {
        int commands = scan(in, Database.PREFETCH_MAX);
        prefetch(db);
        lastUseless = commands >= 2 && !lastUseful;
        return Math.max(1, commands);
    }

    /**
     * Whether the last {@link #prefetch(ByteBuf, Database)} saw two complete commands or more and still could
     * not have saved a miss: their keys were one entry and no member lookup began in it ({@link
     * Database#prefetch(byte[], int[], int[], int[], int[], int)}), as in a pipeline of pops on one list. An
     * input of one command, or none yet, says nothing either way.
     */
    public boolean lastUseless() {
        return lastUseless;
    }

    /**
     * Adds to the batch the keys of up to {@code max} complete commands at the start of {@code in} (while the
     * batch and its {@value #WINDOW}-byte window have room); returns how many commands it looked at, at least 1.
     */
    public int add(ByteBuf in, int max) {
        return Math.max(1, scan(in, max));
    }

    /** {@link #add} returning the count of complete commands, 0 when there is none. */
    private int scan(ByteBuf in, int max) {
        int end = used + Math.min(in.readableBytes(), WINDOW - used);
        in.getBytes(in.readerIndex(), window, used, end - used);
        byte[] w = window;
        int pos = used;
        int commands = 0;
        scan:
        while (commands < max && keys < Database.PREFETCH_MAX && pos < end && w[pos] == '*') {
            long argc = number(w, pos + 1, end);
            if (argc < 1) {
                break;
            }
            pos = lineEnd;
            int key = -1; // this command's entry in the batch
            int memberArg = 2;
            for (long a = 0; a < argc; a++) {
                if (pos >= end || w[pos] != '$') {
                    break scan;
                }
                long len = number(w, pos + 1, end);
                if (len < 0 || end - lineEnd < len + 2) {
                    break scan;
                }
                pos = lineEnd;
                if (a == 0 && argc == 4 && memberAfterNumber(w, pos, (int) len)) {
                    memberArg = 3;
                } else if (a == 1 && len <= Database.PREFETCH_KEY_MAX) {
                    key = keys++;
                    offsets[key] = pos;
                    lengths[key] = (int) len;
                    memberLengths[key] = -1;
                } else if (a == memberArg && key >= 0 && len <= Database.PREFETCH_KEY_MAX) {
                    memberOffsets[key] = pos; // a member or field, for a collection at the key
                    memberLengths[key] = (int) len;
                }
                pos += (int) len + 2;
            }
            if (key > 0 && memberLengths[key] < 0 && sameKey(w, key, key - 1)) {
                keys--; // the command before looks the key up already (a pipeline of pops or counts on one key)
            }
            commands++;
        }
        used = pos;
        return commands;
    }

    /**
     * Prefetches the keys of one command that names several, at {@code range}'s places in {@code args} (at most
     * {@link Database#PREFETCH_MAX}), just before it runs: an MSET of ten keys then waits for the misses of
     * its ten lookups together instead of one after the other. The look-ahead over the input sees only the
     * first key of each command. Returns how many keys it handed to the database (none when under two).
     */
    public int prefetch(Args args, KeyExtractor.LegacyRange range, Database db) {
        int last = range.last() < 0 ? args.size() + range.last() : Math.min(range.last(), args.size() - 1);
        int n = 0;
        for (int i = range.first(); i <= last && n < argKeys.length; i += range.step()) {
            argKeys[n++] = args.get(i);
        }
        int prefetched = db.prefetch(argKeys, n);
        Arrays.fill(argKeys, 0, n, null);
        return prefetched;
    }

    /** The keys in the batch so far. */
    int batchKeys() {
        return keys;
    }

    /** Prefetches the batch's keys in {@code db} when there are two or more, and empties the batch. */
    public void prefetch(Database db) {
        lastUseful = keys > 1 && db.prefetch(window, offsets, lengths, memberOffsets, memberLengths, keys);
        keys = 0;
        used = 0;
    }

    /** Whether batch entries {@code a} and {@code b} name the same key. */
    private boolean sameKey(byte[] w, int a, int b) {
        return Arrays.equals(w, offsets[a], offsets[a] + lengths[a], w, offsets[b], offsets[b] + lengths[b]);
    }

    /** ZADD key score member, ZINCRBY key increment member: the member is the fourth argument, not the third. */
    private static boolean memberAfterNumber(byte[] w, int at, int len) {
        return len == 4 && named(w, at, "zadd") || len == 7 && named(w, at, "zincrby");
    }

    /** Whether the command name at {@code at} is {@code lower}, in any case. */
    private static boolean named(byte[] w, int at, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            if ((w[at + i] | 0x20) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The decimal number from {@code pos} up to a CR LF (then {@link #lineEnd} is after it), or -1. */
    private long number(byte[] w, int pos, int end) {
        long v = 0;
        int i = pos;
        for (; i < end; i++) {
            byte b = w[i];
            if (b == '\r') {
                break;
            }
            if (b < '0' || b > '9' || i - pos == 10) {
                return -1;
            }
            v = v * 10 + (b - '0');
        }
        if (i == pos || i + 1 >= end) {
            return -1;
        }
        lineEnd = i + 2;
        return v;
    }
}
