package io.cinnabar.api;

/**
 * What a handler works with while executing one command. Valid only during {@link Handler#execute}.
 */
public interface CommandContext {
    /** The client's selected database. */
    Db db();

    /** Database {@code index}; {@link Errors#DB_INDEX_OUT_OF_RANGE} when out of range. */
    Db db(int index);

    /** Number of databases ({@code databases} config). */
    int databases();

    ClientInfo client();

    /** The running client as a handle a plugin may keep (pub/sub subscribers, tracking redirection). */
    ClientHandle clientHandle();

    /** Unix time in ms, frozen for the whole command (or transaction, or script) like Redis's {@code mstime} cache. */
    long nowMillis();

    ServerConfig config();

    /** Publishes a keyspace event for {@code key} in the current db (filtered by notify-keyspace-events). */
    void notifyKeyspaceEvent(int eventClass, String event, byte[] key);

    /** Tells WATCHers (and client-side caching) that {@code key} of the current db changed. */
    void signalModifiedKey(byte[] key);

    /** Like {@link #signalModifiedKey} for a key of another database. */
    void signalModifiedKey(Db db, byte[] key);

    /** Counts changes for save points ({@code rdb_changes_since_last_save}). */
    void addDirty(long changes);

    /**
     * Blocks the client (BLPOP, BZPOPMIN, XREAD BLOCK...) until one of {@code keys} of the current db holds
     * a value of {@code waitsFor} after a write signalled it ({@link #signalModifiedKey}), or until
     * {@code timeoutMillis} pass (0 = forever). The handler returns without replying. When a key becomes
     * ready, the kernel runs the same command again with the same arguments, clients blocked on a key
     * served first come first served; a re-run that cannot be served calls {@code block} again and keeps its
     * place. On timeout (or CLIENT UNBLOCK ... TIMEOUT) the kernel writes {@code onTimeout}'s reply.
     * Where Redis does not block (inside MULTI/EXEC or a script) {@code onTimeout} is written at once.
     *
     * @param waitsFor the value class that makes a key ready, or null for any value
     */
    void block(byte[][] keys, long timeoutMillis, Class<? extends RedisValue> waitsFor,
               java.util.function.Consumer<Reply> onTimeout);

    /**
     * This command goes to replicas and the AOF as {@code argv} instead of its own arguments (Redis's
     * rewriteClientCommandVector), e.g. INCRBYFLOAT as {@code SET key value KEEPTTL} so replicas get the exact
     * result. Like any command it is sent only when it changed data ({@link #addDirty}).
     */
    void propagateAs(byte[]... argv);

    /**
     * Sends one more command to replicas and the AOF, in the current database, in this command's execution
     * unit before the command's own propagation (Redis's alsoPropagate).
     */
    void alsoPropagate(byte[]... argv);

    /** This command sends nothing to replicas or the AOF (Redis's preventCommandPropagation). */
    void preventPropagation();

    /**
     * True when replicas or the AOF consume propagated commands: a handler may skip building a rewrite (its
     * argument arrays) when false, since nothing would read it.
     */
    boolean propagating();
}
