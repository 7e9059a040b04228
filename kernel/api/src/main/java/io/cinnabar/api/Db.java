package io.cinnabar.api;

import java.util.function.Consumer;

/**
 * One logical database. Every read applies lazy expiry first, with the command's frozen clock, so a
 * handler never sees a logically expired key. Values are {@code byte[]} (plain strings) or
 * {@link RedisValue}s. Writes through this interface do not emit keyspace events or signal WATCH: the
 * handler does that with {@link CommandContext#notifyKeyspaceEvent} and {@link CommandContext#signalModifiedKey}
 * (as Redis's command implementations do), because only it knows which event a write is. The one
 * exception is the {@code new} event (class {@code n}), which the keyspace emits itself whenever a write
 * creates a key, as Redis's dbAdd does.
 */
public interface Db {
    int id();

    /** Number of keys (including logically expired keys not yet reclaimed, as Redis's DBSIZE). */
    long size();

    /** The value or null, after lazy expiry. */
    Object get(byte[] key);

    /** The value when it is of {@code type}, null when absent; WRONGTYPE when it is another type. */
    <T extends RedisValue> T get(byte[] key, Class<T> type);

    /** A string value's bytes, null when absent; WRONGTYPE when not a string. */
    byte[] getString(byte[] key);

    /**
     * Redis's {@code lookupKeyRead}: like {@link #get}, but counted as a read (keyspace hit or miss, and the
     * "keymiss" event) even while a write command runs, as SORT ... STORE reads its source and its BY/GET keys.
     */
    default Object getForRead(byte[] key) {
        return get(key);
    }

    /** Like {@link #get} without updating access time (OBJECT, TYPE-like inspection). */
    Object peek(byte[] key);

    boolean exists(byte[] key);

    /** Sets the value and removes any TTL (Redis's {@code setKey}). */
    void set(byte[] key, Object value);

    /** Sets the value, keeping the TTL of an existing key (KEEPTTL, in-place updates). */
    void setKeepTtl(byte[] key, Object value);

    /** Adds a key that does not exist (callers checked); no TTL. */
    void add(byte[] key, Object value);

    /** Removes the key and its TTL; false when absent. */
    boolean delete(byte[] key);

    /** The absolute expiry in unix ms, or -1 when the key has none (the key must exist). */
    long getExpire(byte[] key);

    /** Sets the absolute expiry in unix ms of an existing key. */
    void setExpire(byte[] key, long unixMillis);

    /** Removes the TTL; false when the key had none or is absent. */
    boolean persist(byte[] key);

    /** A random existing key, or null. */
    byte[] randomKey();

    /**
     * One step of SCAN: visits some keys and returns the next cursor (0 when done). Guarantees, as Redis,
     * that a key present for the whole iteration is visited at least once, across resizes.
     */
    long scan(long cursor, Consumer<byte[]> visitor);

    /** Visits every key (KEYS, FLUSH bookkeeping). Expired keys are skipped. */
    void forEachKey(Consumer<byte[]> visitor);

    /** Removes every key. */
    void clear();
}
