package io.cinnabar.kernel.net;

import io.cinnabar.api.ClientInfo;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.Db;
import io.cinnabar.api.ServerConfig;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.server.CinnabarServer;

/** The {@link CommandContext} of one client, reused for every command it runs. */
public final class ExecutionContext implements CommandContext {
    private final CinnabarServer server;
    private final ClientConnection client;
    private boolean inExec;

    ExecutionContext(CinnabarServer server, ClientConnection client) {
        this.server = server;
        this.client = client;
    }

    @Override
    public Database db() {
        return server.db(client.dbIndex());
    }

    @Override
    public Database db(int index) {
        return server.dbChecked(index);
    }

    @Override
    public int databases() {
        return server.databaseCount();
    }

    @Override
    public ClientInfo client() {
        return client;
    }

    @Override
    public io.cinnabar.api.ClientHandle clientHandle() {
        return client;
    }

    public ClientConnection connection() {
        return client;
    }

    @Override
    public long nowMillis() {
        return server.now();
    }

    @Override
    public ServerConfig config() {
        return server.config();
    }

    @Override
    public void notifyKeyspaceEvent(int eventClass, String event, byte[] key) {
        server.notifyKeyspaceEvent(eventClass, event, key, client.dbIndex());
    }

    @Override
    public void signalModifiedKey(byte[] key) {
        server.signalModifiedKey(client.dbIndex(), key);
    }

    @Override
    public void signalModifiedKey(Db db, byte[] key) {
        server.signalModifiedKey(db.id(), key);
    }

    @Override
    public void block(byte[][] keys, long timeoutMillis, Class<? extends io.cinnabar.api.RedisValue> waitsFor,
                      java.util.function.Consumer<io.cinnabar.api.Reply> onTimeout) {
        if (inExec) {
            onTimeout.accept(client.reply()); // Redis never blocks inside MULTI/EXEC: the timeout reply now
            return;
        }
        server.blocking().block(client, client.currentCommand(), client.currentArgs(), keys, timeoutMillis,
                waitsFor, onTimeout);
    }

    @Override
    public void addDirty(long changes) {
        server.stats().dirty += changes;
    }

    public boolean executingTransaction() {
        return inExec;
    }

    public void setExecutingTransaction(boolean v) {
        inExec = v;
    }

    @Override
    public void propagateAs(byte[]... argv) {
        server.propagator().rewrite(argv);
    }

    @Override
    public void alsoPropagate(byte[]... argv) {
        server.propagator().also(client.dbIndex(), argv);
    }

    @Override
    public void preventPropagation() {
        server.propagator().prevent();
    }

    @Override
    public boolean propagating() {
        return server.propagator().active();
    }
}
