package io.cinnabar.kernel.server;

import io.cinnabar.api.Args;
import io.cinnabar.api.RedisValue;
import io.cinnabar.api.Reply;
import io.cinnabar.kernel.command.Command;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.net.ClientConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Clients blocked on keys (Redis's blocked.c): who waits on which key in arrival order, which keys a write
 * made ready, and serving them after the command that made them ready (as Redis's
 * handleClientsBlockedOnKeys runs after each command): the blocked command runs again with its arguments;
 * if it cannot be served it blocks again and keeps its place. Only the execution thread touches this.
 */
public final class BlockingRegistry {
    private final CinnabarServer server;
    private final Map<DbKey, ArrayDeque<Waiter>> waiting = new HashMap<>();
    private final LinkedHashSet<DbKey> ready = new LinkedHashSet<>();
    private Waiter rerunning;
    private Waiter ending;
    private boolean reblocked;
    private int blockedClients;
    private int withTimeout;

    private record DbKey(int db, ByteKey key) {
    }

    BlockingRegistry(CinnabarServer server) {
        this.server = server;
    }

    /** One blocked command: its client, its command line, its keys, its timeout reply. */
    private final class Waiter implements ClientConnection.Blocked {
        final ClientConnection client;
        final Command command;
        final Args args;
        final List<DbKey> keys = new ArrayList<>();
        final Class<? extends RedisValue> waitsFor;
        final Consumer<Reply> onTimeout;
        ScheduledFuture<?> timer;

        Waiter(ClientConnection client, Command command, Args args, Class<? extends RedisValue> waitsFor,
               Consumer<Reply> onTimeout) {
            this.client = client;
            this.command = command;
            this.args = args;
            this.waitsFor = waitsFor;
            this.onTimeout = onTimeout;
        }

        @Override
        public void timeout() {
            end(this, () -> onTimeout.accept(client.reply()), false);
        }

        @Override
        public void error(String line) {
            end(this, () -> client.reply().error(line), true);
        }
    }

    /** Blocks the client running {@code command}; during a re-run of the same client it keeps its place. */
    public void block(ClientConnection client, Command command, Args args, byte[][] keys, long timeoutMillis,
                      Class<? extends RedisValue> waitsFor, Consumer<Reply> onTimeout) {
        if (rerunning != null && rerunning.client == client) {
            reblocked = true;
            return;
        }
        Waiter w = new Waiter(client, command, args.copy(), waitsFor, onTimeout);
        int db = client.dbIndex();
        for (byte[] k : keys) {
            DbKey dk = new DbKey(db, new ByteKey(k));
            if (!w.keys.contains(dk)) {
                w.keys.add(dk);
                waiting.computeIfAbsent(dk, x -> new ArrayDeque<>()).add(w);
            }
        }
        if (timeoutMillis > 0) {
            w.timer = server.transport().loop().schedule(w::timeout, timeoutMillis, TimeUnit.MILLISECONDS);
            withTimeout++;
        }
        blockedClients++;
        client.block(w);
        client.suspend(); // its next pipelined commands wait until this one is answered
    }

    /** Decides whether a blocked command may keep waiting on its first key: null, or the error that ends it. */
    public interface WaitCheck {
        String errorFor(ClientConnection client, Command command, byte[] firstKey);
    }

    /**
     * Ends with an error every wait the check refuses (Redis's clusterRedirectBlockedClientIfNeeded: a slot
     * that moved away or a cluster that went down unblocks its clients with -MOVED / -CLUSTERDOWN).
     */
    public void endWaitsWhere(WaitCheck check) {
        if (blockedClients == 0) {
            return;
        }
        java.util.Set<Waiter> all = new LinkedHashSet<>();
        for (ArrayDeque<Waiter> q : waiting.values()) {
            all.addAll(q);
        }
        for (Waiter w : all) {
            if (!w.keys.isEmpty()) {
                String error = check.errorFor(w.client, w.command, w.keys.get(0).key().bytes());
                if (error != null) {
                    w.error(error);
                }
            }
        }
    }

    /** A write touched {@code key}: clients blocked on it get a chance after the current command. */
    public void signal(int db, byte[] key) {
        if (waiting.isEmpty()) {
            return;
        }
        DbKey dk = new DbKey(db, new ByteKey(key));
        if (waiting.containsKey(dk)) {
            ready.add(dk);
        }
    }

    /**
     * SWAPDB gave database {@code db} new content (Redis's scanDatabaseForReadyKeys): every key of it a client
     * waits on gets a chance after the command (serving checks the key holds the awaited type).
     */
    public void signalDb(int db) {
        for (DbKey dk : waiting.keySet()) {
            if (dk.db() == db) {
                ready.add(dk);
            }
        }
    }

    /** Serves clients blocked on keys made ready, in arrival order, until no ready key is left. */
    /** True when a write made keys ready that {@link #serveReadyKeys} has still to serve. */
    public boolean hasReadyKeys() {
        return !ready.isEmpty();
    }

    public void serveReadyKeys() {
        while (!ready.isEmpty() && rerunning == null) {
            Iterator<DbKey> it = ready.iterator();
            DbKey dk = it.next();
            it.remove();
            ArrayDeque<Waiter> queue = waiting.get(dk);
            if (queue == null) {
                continue;
            }
            for (Waiter w : new ArrayList<>(queue)) {
                if (w.client.blocked() != w || !keyHolds(dk, w.waitsFor)) {
                    continue;
                }
                rerun(w);
            }
        }
    }

    private boolean keyHolds(DbKey dk, Class<? extends RedisValue> type) {
        Database db = server.db(dk.db());
        Object v = db.peek(dk.key().bytes());
        return v != null && (type == null || type.isInstance(v));
    }

    private void rerun(Waiter w) {
        rerunning = w;
        reblocked = false;
        try {
            server.dispatcher().call(w.client, w.command, w.args);
        } finally {
            rerunning = null;
        }
        if (!reblocked) {
            release(w);
            w.client.flush();
            w.client.resume();
        }
    }

    /** Ends a wait with a reply (timeout, CLIENT UNBLOCK) and lets the client go on. */
    private void end(Waiter w, Runnable writeReply, boolean failed) {
        if (w.client.blocked() != w) {
            return;
        }
        release(w);
        writeReply.run();
        // Redis's updateStatsOnUnblock: the call that blocked was not counted, its end is
        w.command.stats().calls++;
        if (failed) {
            w.command.stats().failedCalls++;
        }
        server.stats().commandsProcessed++;
        ending = w;
        try {
            server.dispatcher().observeUnblocked(w.client, w.command, w.args);
        } finally {
            ending = null;
        }
        w.client.flush();
        w.client.resume();
    }

    private void release(Waiter w) {
        for (DbKey dk : w.keys) {
            ArrayDeque<Waiter> q = waiting.get(dk);
            if (q != null) {
                q.remove(w);
                if (q.isEmpty()) {
                    waiting.remove(dk);
                    ready.remove(dk);
                }
            }
        }
        if (w.timer != null) {
            w.timer.cancel(false);
            withTimeout--;
        }
        blockedClients--;
        w.client.unblock();
    }

    /**
     * Redis's disconnectAllBlockedClients: a master turning replica answers every client blocked on keys
     * with an error, since what they wait for will now come from its master.
     */
    public void unblockAllForRoleChange() {
        java.util.Set<Waiter> all = new java.util.LinkedHashSet<>();
        for (ArrayDeque<Waiter> q : waiting.values()) {
            all.addAll(q);
        }
        for (Waiter w : all) {
            w.error(io.cinnabar.api.Errors.UNBLOCKED_ROLE_CHANGE);
        }
    }

    /** A blocked client disconnected. */
    public void forget(ClientConnection c) {
        if (c.blocked() instanceof Waiter w) {
            release(w);
        }
    }

    /**
     * True when the command {@code c} just ran left it blocked here (a first call that blocked, or a re-run
     * that blocked again): as in Redis's call(), such a call is not counted in the command stats.
     */
    public boolean leftBlocked(ClientConnection c) {
        if (rerunning != null && rerunning.client == c) {
            return reblocked;
        }
        return c.blocked() instanceof Waiter;
    }

    /** True while the observers hear of this client's wait that ended by timeout or CLIENT UNBLOCK. */
    public boolean isEnding(ClientConnection c) {
        return ending != null && ending.client == c;
    }

    /** True while this client's command is being run again after its key became ready. */
    public boolean isRerunning(ClientConnection c) {
        return rerunning != null && rerunning.client == c;
    }

    /** INFO clients: blocked_clients. */
    public int blockedClients() {
        return blockedClients;
    }

    /** INFO clients: total_blocking_keys. */
    public int blockingKeys() {
        return waiting.size();
    }

    /** INFO clients: clients_in_timeout_table. */
    public int clientsWithTimeout() {
        return withTimeout;
    }
}
