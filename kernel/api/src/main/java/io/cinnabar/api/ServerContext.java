package io.cinnabar.api;

/** Server-wide services for plugins outside a command. */
public interface ServerContext {
    ServerConfig config();

    /** Database {@code index}. Only touch it from the execution thread. */
    Db db(int index);

    /** Runs a task on the execution thread (the only thread that may touch the keyspace). */
    void execute(Runnable task);

    /** Runs a task on the execution thread every {@code periodMillis}. */
    void scheduleAtFixedRate(Runnable task, long periodMillis);

    /** Emits a keyspace notification outside a command (background expiry in a plugin). */
    default void notifyKeyspaceEvent(int eventClass, String event, byte[] key, int dbIndex) {
    }

    /** Redis's signalModifiedKey outside a command: WATCHers of {@code key} in database {@code dbIndex} fail. */
    default void signalModifiedKey(int dbIndex, byte[] key) {
    }

    /** The connected client with this id, or null (CLIENT TRACKING REDIRECT). Execution thread only. */
    default ClientHandle client(long id) {
        return null;
    }

    /** Told on the execution thread when a client disconnects, so plugins drop its state (subscriptions). */
    default void onClientClosed(java.util.function.Consumer<ClientHandle> listener) {
    }

    /** Told when a client runs RESET, before the kernel resets its connection state. */
    default void onClientReset(java.util.function.Consumer<ClientHandle> listener) {
    }

    /** Adds a receiver of key reads, key changes and flushes (client-side caching). */
    default void addKeyspaceSignals(KeyspaceSignals signals) {
    }

    /** PUBLISH/SPUBLISH propagation over the cluster bus, or null in standalone mode. */
    default ClusterPubSub clusterPubSub() {
        return null;
    }
}
