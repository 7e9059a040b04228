package io.cinnabar.kernel.keyspace;

/** What the keyspace needs from the server: the command clock and what happens when a key expires. */
public interface KeyspaceHooks {
    /** The frozen command time in unix ms. */
    long now();

    /** True when expired keys may be deleted now (false on replicas and while writes are paused). */
    boolean mayDeleteExpired();

    /** A key was deleted because it expired (stats, "expired" event, propagation, WATCH). */
    void onExpired(Database db, byte[] key);

    /** A key was created (Redis's dbAdd emits the "new" keyspace event). */
    void onNewKey(Database db, byte[] key);

    /** The LRU/LFU stamp for an access now. */
    int accessStamp(int previous);
}
