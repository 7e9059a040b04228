package io.cinnabar.kernel.keyspace;

/** What the keyspace needs from the server: the command clock and what happens when a key expires. */
public interface KeyspaceHooks {
    /** The frozen command time in unix ms. */
    long now();

    /** True when expired keys may be deleted now (false on replicas and while writes are paused). */
    boolean mayDeleteExpired();

    /** True when no key counts as expired for the command running now (a replica applying its master's). */
    default boolean keysNeverExpire() {
        return false;
    }

    /** A key was deleted because it expired (stats, "expired" event, propagation, WATCH). */
    void onExpired(Database db, byte[] key);

    /** A key was created (Redis's dbAdd emits the "new" keyspace event). */
    void onNewKey(Database db, byte[] key);

    /** The LRU/LFU stamp for an access now. */
    int accessStamp(int previous);

    /** The LRU/LFU stamp of a value created now (LFU starts a new key's counter at 5). */
    default int creationStamp() {
        return accessStamp(0);
    }

    /**
     * The {@link Database#lookup} flags the running command implies for plain {@code Db} reads:
     * {@link Database#LOOKUP_WRITE} for write commands (Redis's lookupKeyWrite), stats-free flags outside any
     * command.
     */
    default int lookupFlags() {
        return 0;
    }

    /** True when lookups must not update access stamps (a CLIENT NO-TOUCH client running anything but TOUCH). */
    default boolean touchSuppressed() {
        return false;
    }

    /** A read lookup (lookupKeyRead) found or missed {@code key}: keyspace hits/misses and the "keymiss" event. */
    default void onReadLookup(Database db, byte[] key, boolean hit, int flags) {
    }
}
