package io.cinnabar.api;

import java.util.List;

/**
 * The keyspace signals client-side caching (CLIENT TRACKING) needs from the kernel, registered with
 * {@link ServerContext#addKeyspaceSignals}. Called on the execution thread; must not block.
 */
public interface KeyspaceSignals {
    /** True when the read keys of {@code client} must be reported to {@link #keysRead} (the kernel finds them only then). */
    boolean wantsReads(ClientHandle client);

    /**
     * A read-only command ran on behalf of {@code client} (each command of an EXEC or a script counts; EVAL_RO
     * and friends themselves do not): its keys, as its key specs name them (Redis's trackingRememberKeys).
     */
    void keysRead(ClientHandle client, List<byte[]> keys);

    /**
     * A command of {@code client} was processed: run, rejected or unknown, but not queued in MULTI
     * ({@code command}: its lower-case top-level name, empty when unknown). Redis's resetClient.
     */
    void commandDone(ClientHandle client, String command);

    /**
     * Redis's signalModifiedKey: {@code key} of database {@code dbIndex} changed (also when it expired),
     * because of {@code by}'s command, or of none (null).
     */
    void keyModified(int dbIndex, byte[] key, ClientHandle by);

    /** FLUSHDB of {@code dbIndex}, or FLUSHALL ({@code -1}): Redis's signalFlushedDb. */
    void flushed(int dbIndex);
}
