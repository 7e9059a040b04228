package io.cinnabar.kernel.commands;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import io.cinnabar.api.RedisNumbers;
import io.cinnabar.api.Reply;
import io.cinnabar.api.Values;
import io.cinnabar.kernel.config.Config;
import io.cinnabar.kernel.diagnostics.DebugInspect;
import io.cinnabar.kernel.diagnostics.Diagnostics;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.kernel.server.LruClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DEBUG (debug.c): the subcommands that make sense for this server. The crash, AOF reload and
 * allocator subcommands are not offered and answer like an unknown subcommand; JMAP is Cinnabar's own.
 */
final class DebugCommand {
    private static final String[] HELP = {
        "AOF-FLUSH-SLEEP <microsec>",
        "    Server will sleep before flushing the AOF, this is used for testing.",
        "ASSERT",
        "    Crash by assertion failed.",
        "CHANGE-REPL-ID",
        "    Change the replication IDs of the instance.",
        "    Dangerous: should be used only for testing the replication subsystem.",
        "CONFIG-REWRITE-FORCE-ALL",
        "    Like CONFIG REWRITE but writes all configuration options, including",
        "    keywords not listed in original configuration file or default values.",
        "CRASH-AND-RECOVER [<milliseconds>]",
        "    Hard crash and restart after a <milliseconds> delay (default 0).",
        "DIGEST",
        "    Output a hex signature representing the current DB content.",
        "DIGEST-VALUE <key> [<key> ...]",
        "    Output a hex signature of the values of all the specified keys.",
        "ERROR <string>",
        "    Return a Redis protocol error with <string> as message. Useful for clients",
        "    unit tests to simulate Redis errors.",
        "LEAK <string>",
        "    Create a memory leak of the input string.",
        "LOG <message>",
        "    Write <message> to the server log.",
        "HTSTATS <dbid> [full]",
        "    Return hash table statistics of the specified Redis database.",
        "HTSTATS-KEY <key> [full]",
        "    Like HTSTATS but for the hash table stored at <key>'s value.",
        "LOADAOF",
        "    Flush the AOF buffers on disk and reload the AOF in memory.",
        "REPLICATE <string>",
        "    Replicates the provided string to replicas, allowing data divergence.",
        "MALLCTL <key> [<val>]",
        "    Get or set a malloc tuning integer.",
        "MALLCTL-STR <key> [<val>]",
        "    Get or set a malloc tuning string.",
        "OBJECT <key>",
        "    Show low level info about `key` and associated value.",
        "DROP-CLUSTER-PACKET-FILTER <packet-type>",
        "    Drop all packets that match the filtered type. Set to -1 allow all packets.",
        "OOM",
        "    Crash the server simulating an out-of-memory error.",
        "PANIC",
        "    Crash the server simulating a panic.",
        "POPULATE <count> [<prefix>] [<size>]",
        "    Create <count> string keys named key:<num>. If <prefix> is specified then",
        "    it is used instead of the 'key' prefix. These are not propagated to",
        "    replicas. Cluster slots are not respected so keys not belonging to the",
        "    current node can be created in cluster mode.",
        "PROTOCOL <type>",
        "    Reply with a test value of the specified type. <type> can be: string,",
        "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
        "    true, false.",
        "RELOAD [option ...]",
        "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
        "    * MERGE: conflicting keys will be loaded from RDB.",
        "    * NOFLUSH: the existing database will not be removed before load, but",
        "      conflicting keys will generate an exception and kill the server.",
        "    * NOSAVE: the database will be loaded from an existing RDB file.",
        "    Examples:",
        "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
        "      the database.",
        "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
        "      existing RDB file.",
        "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
        "      file to the database.",
        "RESTART [<milliseconds>]",
        "    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).",
        "SDSLEN <key>",
        "    Show low level SDS string info representing `key` and value.",
        "SEGFAULT",
        "    Crash the server with sigsegv.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys in background when they are not",
        "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
        "    default.",
        "QUICKLIST-PACKED-THRESHOLD <size>",
        "    Sets the threshold for elements to be inserted as plain vs packed nodes",
        "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
        "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
        "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
        "STRINGMATCH-TEST",
        "    Run a fuzz tester against the stringmatchlen() function.",
        "STRUCTSIZE",
        "    Return the size of different Redis core C structures.",
        "LISTPACK <key>",
        "    Show low level info about the listpack encoding of <key>.",
        "QUICKLIST <key> [<0|1>]",
        "    Show low level info about the quicklist encoding of <key>.",
        "    The optional argument (0 by default) sets the level of detail",
        "CLIENT-EVICTION",
        "    Show low level client eviction pools info (maxmemory-clients).",
        "PAUSE-CRON <0|1>",
        "    Stop periodic cron job processing.",
        "REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
        "    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
        "    In case NEVER is provided the last observed peak will never be reset",
        "    In case RESET is provided the peak reset time will be restored to the default value",
        "REPLYBUFFER RESIZING <0|1>",
        "    Enable or disable the reply buffer resize cron job",
        "CLUSTERLINK KILL <to|from|all> <node-id>",
        "    Kills the link based on the direction to/from (both) with the provided node.",
    };

    /** OBJ_SHARED_INTEGERS: Redis shares the objects of 0..9999 unless an LRU/LFU policy needs per-key data. */
    private static final long SHARED_INTEGERS = 10000;
    private static final long DEFAULT_PACKED_THRESHOLD = Diagnostics.DEFAULT_PACKED_THRESHOLD;

    private static final Pattern DECIMAL_PREFIX = Pattern.compile("^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER_PREFIX = Pattern.compile("^\\s*[+-]?\\d+");

    private final CinnabarServer server;

    DebugCommand(CinnabarServer server) {
        this.server = server;
    }

    void execute(CommandContext ctx, Args args, Reply reply) {
        int argc = args.size();
        String sub = args.string(1).toLowerCase(Locale.ROOT);
        switch (sub) {
            case "help" -> {
                if (argc == 2) {
                    HelpReply.write(reply, args.string(0), HELP);
                    return;
                }
            }
            case "sleep" -> {
                if (argc == 3) {
                    sleep(args, reply);
                    return;
                }
            }
            case "set-active-expire" -> {
                if (argc == 3) {
                    server.setActiveExpireEnabled(atoi(args.get(2)) != 0);
                    reply.ok();
                    return;
                }
            }
            case "pause-cron" -> {
                if (argc == 3) {
                    server.setCronPaused(atoi(args.get(2)) != 0);
                    reply.ok();
                    return;
                }
            }
            case "quicklist-packed-threshold" -> {
                if (argc == 3) {
                    packedThreshold(args, reply);
                    return;
                }
            }
            case "object" -> {
                if (argc == 3) {
                    object(ctx, args, reply);
                    return;
                }
            }
            case "populate" -> {
                if (argc >= 3 && argc <= 5) {
                    populate(ctx, args, reply);
                    return;
                }
            }
            case "digest" -> {
                if (argc == 2) {
                    reply.simple(DebugInspect.datasetDigest(server.databases(), server.plugins().dataTypes()));
                    return;
                }
            }
            case "reload" -> {
                reload(args, reply);
                return;
            }
            case "digest-value" -> {
                Database db = server.db(ctx.client().dbIndex());
                reply.array(argc - 2);
                for (int i = 2; i < argc; i++) {
                    reply.simple(DebugInspect.valueDigest(db, args.get(i), server.plugins().dataTypes()));
                }
                return;
            }
            case "protocol" -> {
                if (argc == 3) {
                    protocol(ctx, args, reply);
                    return;
                }
            }
            case "change-repl-id" -> {
                if (argc == 2) {
                    server.log().info("Changing replication IDs after receiving DEBUG change-repl-id");
                    server.replication().changeReplicationId();
                    server.replication().clearReplicationId2();
                    reply.ok();
                    return;
                }
            }
            case "listpack", "quicklist" -> {
                if (argc == 3 || (sub.equals("quicklist") && argc == 4)) {
                    encodingDump(ctx, args, reply, sub);
                    return;
                }
            }
            case "error" -> {
                if (argc == 3) {
                    reply.error(args.string(2));
                    return;
                }
            }
            case "log" -> {
                if (argc == 3) {
                    server.log().warn("DEBUG LOG: {}", args.string(2));
                    reply.ok();
                    return;
                }
            }
            case "config-rewrite-force-all" -> {
                if (argc == 2) {
                    rewriteForceAll(reply);
                    return;
                }
            }
            case "stringmatch-test" -> {
                if (argc == 2) {
                    reply.simple("Apparently Redis did not crash: test passed");
                    return;
                }
            }
            case "jmap" -> {
                if (argc == 2) {
                    reply.verbatim("txt", DebugInspect.heapReport());
                    return;
                }
            }
            default -> {
            }
        }
        throw new CommandException(Errors.subcommandSyntax(args.string(1), args.string(0)));
    }

    /** DEBUG SLEEP blocks the execution thread, as Redis blocks its event loop. */
    private static void sleep(Args args, Reply reply) {
        long micros = (long) (strtodPrefix(args.string(2)) * 1_000_000);
        if (micros > 0) {
            try {
                Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        reply.ok();
    }

    /** strtod(s, NULL): the longest decimal prefix, 0 when there is none. */
    static double strtodPrefix(String s) {
        Matcher m = DECIMAL_PREFIX.matcher(s);
        return m.find() ? Double.parseDouble(m.group().trim()) : 0;
    }

    /** atoi: optional blanks and sign, then digits; 0 when there are none. */
    static long atoi(byte[] b) {
        Matcher m = INTEGER_PREFIX.matcher(new String(b, StandardCharsets.ISO_8859_1));
        if (!m.find()) {
            return 0;
        }
        try {
            return (int) Long.parseLong(m.group().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void packedThreshold(Args args, Reply reply) {
        Long sz = Config.parseMemory(args.string(2));
        if (sz == null || Long.compareUnsigned(sz, (1L << 32) - (1 << 20)) > 0) {
            throw new CommandException(Errors.QUICKLIST_PACKED_THRESHOLD);
        }
        server.diagnostics().setQuicklistPackedThreshold(sz == 0 ? DEFAULT_PACKED_THRESHOLD : sz);
        reply.ok();
    }

    /** DEBUG OBJECT: "Value at:... refcount:... encoding:... serializedlength:... lru:... lru_seconds_idle:...". */
    private void object(CommandContext ctx, Args args, Reply reply) {
        Database db = server.db(ctx.client().dbIndex());
        byte[] key = args.get(2);
        Object v = db.peekRaw(key);
        if (v == null) {
            throw new CommandException(Errors.NO_SUCH_KEY);
        }
        Config config = server.config();
        boolean shared = isSharedInteger(v, config);
        int lru = shared ? 0 : db.accessMeta(key);
        long idle = shared ? LruClock.clock(ctx.nowMillis()) : LruClock.idleSeconds(lru, ctx.nowMillis());
        long serialized = DebugInspect.serializedLength(v, server.plugins().dataTypes(), config.getBoolean("rdbcompression"));
        reply.simple("Value at:0x" + Integer.toHexString(System.identityHashCode(v)) + " refcount:"
                + (shared ? Integer.MAX_VALUE : 1) + " encoding:" + Values.encoding(v) + " serializedlength:"
                + serialized + " lru:" + lru + " lru_seconds_idle:" + idle);
    }

    private static boolean isSharedInteger(Object v, Config config) {
        if (!(v instanceof byte[] b) || !RedisNumbers.isCanonicalLong(b)) {
            return false;
        }
        long n = RedisNumbers.parseLong(b, Errors.NOT_INTEGER);
        String policy = config.get("maxmemory-policy");
        boolean canShare = config.getLong("maxmemory") == 0 || !(policy.endsWith("-lru") || policy.endsWith("-lfu"));
        return n >= 0 && n < SHARED_INTEGERS && canShare;
    }

    /**
     * DEBUG POPULATE count [prefix] [size]: string keys "prefix:N" = "value:N" (zero-padded or cut to size),
     * skipping keys that exist; not replicated, no keyspace events, like Redis.
     */
    private void populate(CommandContext ctx, Args args, Reply reply) {
        long keys = positive(args, 2);
        long valsize = args.size() == 5 ? positive(args, 4) : 0;
        if (keys > Runtime.getRuntime().maxMemory() / 8) {
            throw new CommandException(Errors.OOM_DICT_EXPAND);
        }
        byte[] prefix = args.size() == 3 ? "key".getBytes(StandardCharsets.US_ASCII) : cString(args.get(3));
        Database db = server.db(ctx.client().dbIndex());
        for (long j = 0; j < keys; j++) {
            byte[] key = snprintf128(prefix, (":" + j).getBytes(StandardCharsets.US_ASCII));
            if (db.exists(key)) {
                continue;
            }
            byte[] text = ("value:" + j).getBytes(StandardCharsets.US_ASCII);
            byte[] val = valsize == 0 ? text : Arrays.copyOf(text, (int) valsize);
            db.add(key, val);
            ctx.signalModifiedKey(key);
        }
        reply.ok();
    }

    /** getPositiveLongFromObjectOrReply: one message for "not a number" and "negative". */
    private static long positive(Args args, int i) {
        long v = args.longAt(i, Errors.MUST_BE_POSITIVE);
        if (v < 0) {
            throw new CommandException(Errors.MUST_BE_POSITIVE);
        }
        return v;
    }

    /** The bytes before the first NUL, as C sees the argument. */
    private static byte[] cString(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return Arrays.copyOf(b, i);
            }
        }
        return b;
    }

    /** snprintf into Redis's 128-byte buffer: at most 127 bytes survive. */
    private static byte[] snprintf128(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, Math.min(127, a.length + b.length));
        if (a.length < out.length) {
            System.arraycopy(b, 0, out, a.length, out.length - a.length);
        }
        return out;
    }

    /** DEBUG PROTOCOL type: one test reply of each RESP3 type, flattened for RESP2 as Redis does. */
    private static void protocol(CommandContext ctx, Args args, Reply reply) {
        switch (args.string(2).toLowerCase(Locale.ROOT)) {
            case "string" -> reply.bulk("Hello World");
            case "integer" -> reply.integer(12345);
            case "double" -> reply.doubleValue(3.141);
            case "bignum" -> reply.bigNumber("1234567999999999999999999999999999999");
            case "null" -> reply.nullBulk();
            case "array" -> {
                reply.array(3);
                for (int j = 0; j < 3; j++) {
                    reply.integer(j);
                }
            }
            case "set" -> {
                reply.set(3);
                for (int j = 0; j < 3; j++) {
                    reply.integer(j);
                }
            }
            case "map" -> {
                reply.map(3);
                for (int j = 0; j < 3; j++) {
                    reply.integer(j);
                    reply.bool(j == 1);
                }
            }
            case "attrib" -> {
                if (reply.protocol() >= 3) {
                    Kernel.client(ctx).reply().rawBytes("|1\r\n".getBytes(StandardCharsets.US_ASCII));
                    reply.bulk("key-popularity");
                    reply.array(2);
                    reply.bulk("key:123");
                    reply.integer(90);
                }
                // attributes are not replies: a real one follows
                reply.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (reply.protocol() < 3) {
                    throw new CommandException(Errors.RESP2_NOT_SUPPORTED);
                }
                // Redis 7.2 holds pushes made during a command until its reply is written
                reply.bulk("Some real reply following the push reply");
                reply.push(2);
                reply.bulk("server-cpu-usage");
                reply.integer(42);
            }
            case "true" -> reply.bool(true);
            case "false" -> reply.bool(false);
            case "verbatim" -> reply.verbatim("txt", "This is a verbatim\nstring");
            default -> throw new CommandException(Errors.DEBUG_PROTOCOL_TYPE);
        }
    }

    /** DEBUG LISTPACK / QUICKLIST key: the value's layout goes to the log. */
    private void encodingDump(CommandContext ctx, Args args, Reply reply, String encoding) {
        Object v = server.db(ctx.client().dbIndex()).peek(args.get(2));
        if (v == null) {
            throw new CommandException(Errors.NO_SUCH_KEY);
        }
        if (!Values.encoding(v).equals(encoding)) {
            throw new CommandException(encoding.equals("listpack") ? Errors.NOT_LISTPACK : Errors.NOT_QUICKLIST);
        }
        server.log().info("{} {}: {}", encoding, args.string(2), v);
        reply.simple(encoding.equals("listpack") ? "Listpack structure printed on stdout"
                : "Quicklist structure printed on stdout");
    }

    private void rewriteForceAll(Reply reply) {
        if (server.config().file() == null) {
            // Redis passes its NULL config file name to fopen, which fails with EFAULT
            throw new CommandException(Errors.configRewriteForceAllFailed("Bad address"));
        }
        try {
            server.config().rewrite(true);
        } catch (IOException e) {
            throw new CommandException(Errors.configRewriteForceAllFailed(Config.strerror(e)));
        }
        reply.ok();
    }

    /** DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, empty, load back (synchronously, as Redis). */
    private void reload(Args args, Reply reply) {
        boolean merge = false;
        boolean noFlush = false;
        boolean noSave = false;
        for (int j = 2; j < args.size(); j++) {
            if (args.is(j, "merge")) {
                merge = true;
            } else if (args.is(j, "noflush")) {
                noFlush = true;
            } else if (args.is(j, "nosave")) {
                noSave = true;
            } else {
                throw new CommandException(Errors.DEBUG_RELOAD_OPTIONS);
            }
        }
        String error = server.persistence().debugReload(merge, noFlush, noSave);
        if (error != null) {
            throw new CommandException(error);
        }
        reply.ok();
    }
}
