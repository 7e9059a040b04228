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
}
