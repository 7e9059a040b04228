package io.cinnabar.kernel.commands;

import static io.cinnabar.api.CommandFlag.WRITE;

import io.cinnabar.api.AclCategory;
import io.cinnabar.api.Args;
import io.cinnabar.api.Argv;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeySpec;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Reply;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.persistence.DumpPayload;
import io.cinnabar.kernel.propagation.CommandEncoder;
import io.cinnabar.kernel.server.CinnabarServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * MIGRATE (cluster.c's migrateCommand): the keys go to another instance as DUMP payloads restored there with
 * RESTORE (RESTORE-ASKING in cluster mode), then are deleted here unless COPY. As in Redis the exchange is
 * synchronous, bounded by the timeout, and the connection to each target is cached for 10 seconds of
 * idleness together with the database it last selected. What propagates is a DEL of the moved keys.
 */
public final class MigrateFamily implements CommandFamily {
    private static final long CACHE_IDLE_MILLIS = 10_000;
    private static final int CACHE_MAX = 64;

    private final CinnabarServer server;
    private final Map<String, Target> cache = new HashMap<>();

    /** A cached connection to a target instance (Redis's migrateCachedSocket). */
    private static final class Target {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        long lastDbid = -1;
        long lastUse;

        Target(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new java.io.BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }
    }

    private boolean sweeping;

    public MigrateFamily(CinnabarServer server) {
        this.server = server;
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(CommandSpec.command("migrate").arity(-6).flags(WRITE)
                .acl(AclCategory.KEYSPACE, AclCategory.DANGEROUS).group("generic").since("2.6.0")
                .summary("Atomically transfers a key from one Redis instance to another.")
                .complexity("This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the "
                        + "target instance. See the pages of these commands for time complexity. Also an O(N) data "
                        + "transfer between the two instances is performed.")
                .tips("nondeterministic_output")
                .history("3.0.0", "Added the `COPY` and `REPLACE` options.")
                .history("3.0.6", "Added the `KEYS` option.")
                .history("4.0.7", "Added the `AUTH` option.")
                .history("6.0.0", "Added the `AUTH2` option.")
                .key(KeySpec.range(3, 0, 1, "RW", "ACCESS", "DELETE"))
                .key(KeySpec.keyword("KEYS", -2, -1, 1, "RW", "ACCESS", "DELETE", "INCOMPLETE"))
                .keyFinder(MigrateFamily::migrateKeys).handler(this::migrate).build());
    }

    /** MIGRATE's key, or the keys after KEYS (skipping AUTH/AUTH2 arguments), as Redis's migrateGetKeys. */
    private static void migrateKeys(Args args, io.cinnabar.api.KeyFinder.Sink out) {
        int first = 3;
        int num = 1;
        for (int i = 6; i < args.size(); i++) {
            if (args.is(i, "keys")) {
                if (args.get(3).length > 0) {
                    return;
                }
                first = i + 1;
                num = args.size() - first;
                break;
            }
            i += args.is(i, "auth") ? 1 : args.is(i, "auth2") ? 2 : 0;
        }
        for (int i = 0; i < num; i++) {
            out.key(first + i, List.of("RW", "access", "delete"));
        }
    }

    private void migrate(CommandContext ctx, Args args, Reply reply) {
        boolean copy = false;
        boolean replace = false;
        byte[][] auth = null;
        int firstKey = 3;
        int numKeys = 1;
        for (int j = 6; j < args.size(); j++) {
            int more = args.size() - 1 - j;
            if (args.is(j, "copy")) {
                copy = true;
            } else if (args.is(j, "replace")) {
                replace = true;
            } else if (args.is(j, "auth")) {
                if (more < 1) {
                    throw new CommandException(Errors.SYNTAX);
                }
                auth = new byte[][] {Argv.word("AUTH"), args.get(++j)};
            } else if (args.is(j, "auth2")) {
                if (more < 2) {
                    throw new CommandException(Errors.SYNTAX);
                }
                auth = new byte[][] {Argv.word("AUTH"), args.get(j + 1), args.get(j + 2)};
                j += 2;
            } else if (args.is(j, "keys")) {
                if (args.get(3).length != 0) {
                    throw new CommandException(Errors.MIGRATE_KEYS_NEEDS_EMPTY_KEY);
                }
                firstKey = j + 1;
                numKeys = args.size() - j - 1;
                break;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        long timeout = args.longAt(5);
        long dbid = args.longAt(4);
        if (timeout <= 0) {
            timeout = 1000;
        }
        Database db = (Database) ctx.db();
        List<byte[]> keys = new ArrayList<>();
        for (int i = firstKey; i < firstKey + numKeys; i++) {
            if (db.get(args.get(i)) != null) {
                keys.add(args.get(i));
            }
        }
        if (keys.isEmpty()) {
            reply.simple("NOKEY");
            return;
        }
        String error = transfer(ctx, db, args.string(1), args.string(2), dbid, (int) timeout, auth, keys, copy,
                replace, true);
        if (error != null) {
            reply.error(error);
        } else {
            reply.ok();
        }
    }

    /** Sends the keys and reads the replies; null on success, else the error reply (after one retry on a stale socket). */
    private String transfer(CommandContext ctx, Database db, String host, String port, long dbid, int timeout,
                            byte[][] auth, List<byte[]> keys, boolean copy, boolean replace, boolean mayRetry) {
        if (!sweeping) {
            sweeping = true;
            server.scheduleAtFixedRate(this::closeIdle, 1000);
        }
        String name = host + ":" + port;
        Target t = cache.get(name);
        boolean cached = t != null;
        if (t == null) {
            try {
                t = connect(host, Integer.parseInt(port), timeout);
            } catch (java.net.ConnectException e) {
                // Redis's non-blocking connect "succeeds" on a refused port; its first write is what fails
                return Errors.migrateIoError("writing");
            } catch (IOException | NumberFormatException e) {
                return Errors.MIGRATE_IOERR_CONNECT;
            }
            cache.put(name, t);
        }
        t.lastUse = System.currentTimeMillis();
        ByteArrayOutputStream cmd = new ByteArrayOutputStream();
        if (auth != null) {
            cmd.writeBytes(CommandEncoder.encode(auth));
        }
        boolean select = t.lastDbid != dbid;
        if (select) {
            cmd.writeBytes(CommandEncoder.encode(Argv.word("SELECT"), Argv.number(dbid)));
        }
        byte[] restore = Argv.word(server.cluster() != null ? "RESTORE-ASKING" : "RESTORE");
        List<byte[]> sent = new ArrayList<>();
        for (byte[] key : keys) {
            long expire = db.getExpire(key);
            long ttl = 0;
            if (expire != -1) {
                ttl = Math.max(1, expire - ctx.nowMillis());
                if (expire < ctx.nowMillis()) {
                    continue; // expired meanwhile: not sent, as Redis skips it
                }
            }
            byte[] payload;
            try {
                payload = DumpPayload.create(db.get(key), server.persistence().codec(),
                        server.config().getBoolean("rdbcompression"));
            } catch (IOException e) {
                return "ERR " + e.getMessage();
            }
            List<byte[]> argv = new ArrayList<>(List.of(restore, key, Argv.number(ttl), payload));
            if (replace) {
                argv.add(Argv.word("REPLACE"));
            }
            cmd.writeBytes(CommandEncoder.encode(argv.toArray(new byte[0][])));
            sent.add(key);
        }
        boolean writing = true;
        String targetError = null;
        List<byte[]> deleted = new ArrayList<>();
        try {
            t.socket.setSoTimeout(timeout);
            t.out.write(cmd.toByteArray());
            t.out.flush();
            writing = false;
            if (auth != null) {
                String line = readLine(t.in);
                if (line.startsWith("-")) {
                    targetError = Errors.migrateTargetError(line.substring(1));
                }
            }
            if (select) {
                String line = readLine(t.in);
                if (line.startsWith("-") && targetError == null) {
                    targetError = Errors.migrateTargetError(line.substring(1));
                }
            }
            for (byte[] key : sent) {
                String line = readLine(t.in);
                if (line.startsWith("-")) {
                    if (targetError == null) {
                        t.lastDbid = -1;
                        targetError = Errors.migrateTargetError(line.substring(1));
                    }
                } else if (!copy && targetError == null) {
                    db.delete(key);
                    ctx.signalModifiedKey(key);
                    ctx.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", key);
                    ctx.addDirty(1);
                    deleted.add(key);
                }
            }
        } catch (IOException e) {
            close(name);
            if (cached && mayRetry && !(e instanceof java.net.SocketTimeoutException) && deleted.isEmpty()) {
                return transfer(ctx, db, host, port, dbid, timeout, auth, keys, copy, replace, false);
            }
            return Errors.migrateIoError(writing ? "writing" : "reading");
        }
        propagateDeletes(ctx, deleted);
        if (targetError != null) {
            return targetError;
        }
        t.lastDbid = dbid;
        return null;
    }

    /** MIGRATE propagates as DEL of the keys it moved (nothing when it copied or moved none). */
    private static void propagateDeletes(CommandContext ctx, List<byte[]> deleted) {
        if (deleted.isEmpty()) {
            ctx.preventPropagation();
            return;
        }
        byte[][] argv = new byte[deleted.size() + 1][];
        argv[0] = Argv.DEL;
        for (int i = 0; i < deleted.size(); i++) {
            argv[i + 1] = deleted.get(i);
        }
        ctx.propagateAs(argv);
    }

    private Target connect(String host, int port, int timeout) throws IOException {
        if (cache.size() >= CACHE_MAX) {
            Iterator<String> it = cache.keySet().iterator();
            close(it.next()); // too many cached sockets: drop one, as Redis drops a random one
        }
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), timeout);
        return new Target(s);
    }

    private void close(String name) {
        Target t = cache.remove(name);
        if (t != null) {
            try {
                t.socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** migrateCloseTimedoutSockets: cached connections idle for 10 seconds are closed. */
    private void closeIdle() {
        long now = System.currentTimeMillis();
        for (String name : new ArrayList<>(cache.keySet())) {
            if (now - cache.get(name).lastUse > CACHE_IDLE_MILLIS) {
                close(name);
            }
        }
    }

    /** One reply line (RESTORE, SELECT and AUTH answer with a status or an error). */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed by the target");
            }
            if (prev == '\r' && c == '\n') {
                byte[] b = line.toByteArray();
                return new String(b, 0, b.length - 1, StandardCharsets.UTF_8);
            }
            line.write(c);
            prev = c;
        }
    }
}
