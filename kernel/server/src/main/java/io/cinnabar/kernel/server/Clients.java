package io.cinnabar.kernel.server;

import io.cinnabar.kernel.net.ClientConnection;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The connected clients, by id, in connection order (CLIENT LIST order), and the client pause state. */
public final class Clients {
    /** Redis's client types (getClientType), as CLIENT LIST/KILL TYPE name them. */
    public enum Type { NORMAL, REPLICA, PUBSUB, MASTER }

    private final CinnabarServer server;
    private final Map<Long, ClientConnection> byId = Collections.synchronizedMap(new LinkedHashMap<>());
    private final ClientPause pause;
    private final List<Consumer<ClientConnection>> resetListeners = new CopyOnWriteArrayList<>();
    private boolean cronScheduled;
    /** Clients whose replies wait for the end of this turn of the event loop (Redis's clients_pending_write). */
    private final ArrayDeque<ClientConnection> pendingWrites = new ArrayDeque<>();
    private boolean pendingWritesScheduled;
    /** Clients with input read this turn, in read order; their commands run once every ready client is read. */
    private final ArrayDeque<ClientConnection> pendingInput = new ArrayDeque<>();
    private boolean pendingInputScheduled;
    private final ClientConnection[] inputBatch = new ClientConnection[io.cinnabar.kernel.keyspace.Database.PREFETCH_MAX];

    Clients(CinnabarServer server) {
        this.server = server;
        this.pause = new ClientPause(server);
    }

    /** Registers a new connection; false when maxclients is reached. */
    public boolean admit(ClientConnection c) {
        server.stats().connectionsReceived++;
        if (byId.size() >= server.config().getLong("maxclients")) {
            server.stats().rejectedConnections++;
            return false;
        }
        byId.put(c.id(), c);
        if (!cronScheduled && server.transport() != null) {
            cronScheduled = true;
            server.transport().loop().scheduleAtFixedRate(this::cron, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
        return true;
    }

    public void remove(ClientConnection c) {
        if (byId.remove(c.id()) != null) {
            server.watches().unwatchAll(c);
            c.setTransaction(null);
            server.onClientClosed(c);
        }
    }

    public ClientConnection get(long id) {
        return byId.get(id);
    }

    /** A snapshot safe to iterate while clients come and go. */
    public Collection<ClientConnection> all() {
        synchronized (byId) {
            return java.util.List.copyOf(byId.values());
        }
    }

    public int size() {
        return byId.size();
    }

    /**
     * Has {@code c} write its replies once the event loop {@code loop} (the transport's, which the caller runs
     * on) has read every ready client, as Redis's handleClientsWithPendingWrites before it sleeps. The last
     * client queued writes first, as Redis links it at the head: a client whose command pushed to others
     * (PUBLISH) gets its own reply before their messages, so it can send its next batch meanwhile. False when
     * {@code loop} is not the transport's or the caller is elsewhere: the caller then schedules the flush itself.
     */
    public boolean writeAfterTurn(ClientConnection c, EventExecutor loop) {
        if (!onTransportLoop(loop)) {
            return false;
        }
        pendingWrites.addFirst(c);
        if (!pendingWritesScheduled) {
            pendingWritesScheduled = true;
            loop.execute(this::writePending);
        }
        return true;
    }

    /**
     * Has {@code c} execute the input it just read once the event loop {@code loop} has read every ready
     * client (in read order), so the keys of the first commands of many clients are prefetched together: at
     * pipeline 1 each lookup is otherwise a chain of cache misses of its own. False when {@code loop} is not the
     * transport's or the caller is elsewhere: the caller then executes the input itself.
     */
    public boolean inputAfterTurn(ClientConnection c, EventExecutor loop) {
        if (!onTransportLoop(loop)) {
            return false;
        }
        pendingInput.addLast(c);
        if (!pendingInputScheduled) {
            pendingInputScheduled = true;
            loop.execute(this::processPendingInput);
        }
        return true;
    }

    /** True when the caller runs on {@code loop} and it is the transport's event loop. */
    private boolean onTransportLoop(EventExecutor loop) {
        return server.transport() != null && loop == server.transport().loop() && loop.inEventLoop();
    }

    private void processPendingInput() {
        pendingInputScheduled = false;
        io.cinnabar.kernel.net.KeyPrefetcher ahead = server.keyPrefetcher();
        ClientConnection[] batch = inputBatch;
        while (!pendingInput.isEmpty()) {
            int n = 0;
            int db = -1;
            for (ClientConnection c; n < batch.length && (c = pendingInput.pollFirst()) != null; ) {
                batch[n++] = c;
                if (db < 0 || c.dbIndex() == db) {
                    db = c.dbIndex();
                    c.lookAhead(ahead);
                }
            }
            ahead.prefetch(server.db(db));
            long clock = 0; // each client's first command starts at the clock reading that ended the one before
            for (int i = 0; i < n; i++) {
                clock = batch[i].processQueuedInput(clock);
                batch[i] = null;
            }
        }
    }

    private void writePending() {
        pendingWritesScheduled = false;
        for (ClientConnection c; (c = pendingWrites.pollFirst()) != null; ) {
            c.flushAfterTurn();
        }
    }

    /** CLIENT PAUSE / UNPAUSE state and the clients it holds. */
    public ClientPause pause() {
        return pause;
    }

    /** Redis's getClientType: a MONITOR is a normal client, a subscriber is PUBSUB. */
    public static Type typeOf(ClientConnection c) {
        if (c.isMaster()) {
            return Type.MASTER;
        }
        if (c.isReplica()) {
            return Type.REPLICA;
        }
        if (c.isPubSub()) {
            return Type.PUBSUB;
        }
        return Type.NORMAL;
    }

    /** Redis's getClientTypeByName ("slave" is the old name of "replica"); null when unknown. */
    public static Type typeByName(io.cinnabar.api.Args args, int i) {
        if (args.is(i, "normal")) {
            return Type.NORMAL;
        }
        if (args.is(i, "replica") || args.is(i, "slave")) {
            return Type.REPLICA;
        }
        if (args.is(i, "pubsub")) {
            return Type.PUBSUB;
        }
        if (args.is(i, "master")) {
            return Type.MASTER;
        }
        return null;
    }

    /** Told when a client runs RESET, so features with per-client state (pub/sub, tracking, MONITOR) drop it. */
    public void onReset(Consumer<ClientConnection> listener) {
        resetListeners.add(listener);
    }

    public void fireReset(ClientConnection c) {
        for (Consumer<ClientConnection> l : resetListeners) {
            l.accept(c);
        }
    }

    /** Redis's clientsCron part that resizes reply buffers; scheduled once a second on the loop. */
    public void cron() {
        long now = System.currentTimeMillis();
        for (ClientConnection c : all()) {
            c.resizeReplyBuffer(now);
        }
    }
}
