package io.cinnabar.kernel.storage;

/**
 * One database's values kept outside the dict. The dict holds what {@link #put} returns (the value itself or a
 * handle); {@link #load} turns a handle back into the value. Called on the execution thread only.
 */
public interface ValueStore {
    /**
     * Stores {@code value} for {@code key}, replacing {@code previous} (what the dict held, or null for a new key);
     * returns what the dict must hold now.
     */
    Object put(byte[] key, Object value, Object previous);

    /** The value behind {@code stored} (what {@link #put} returned): the object itself unless it is a handle. */
    Object load(byte[] key, Object stored);

    /** The key is gone: drops its value and its TTL. */
    void remove(byte[] key, Object stored);

    /**
     * Mirrors the key's TTL (an absolute unix-ms deadline, or -1 for none) for the next restart; {@code stored} is
     * what the dict holds. Returns what the dict must hold now: {@code stored}, or the value itself when the store
     * cannot keep this TTL and so no longer keeps the value either.
     */
    Object expire(byte[] key, Object stored, long unixMillis);

    /** FLUSHDB: drops every value and TTL. */
    void clear();

    /** SWAPDB: this store and {@code other} exchange the database they belong to. */
    void exchangeWith(ValueStore other);

    /** True when {@code stored} is a handle that {@link #load} must resolve. */
    static boolean isHandle(Object stored) {
        return stored instanceof OffHeapValue;
    }
}
