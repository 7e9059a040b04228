package io.cinnabar.api;

/**
 * A value in the keyspace other than a plain string. Plain strings are stored as {@code byte[]}
 * (the most compact form); every other value implements this interface. {@link Values} answers
 * type questions about either form.
 */
public interface RedisValue {
    /** The TYPE reply: string, list, set, zset, hash, stream, or a plugin's own type name. */
    String typeName();

    /** The OBJECT ENCODING reply, e.g. listpack, hashtable, raw. */
    String encoding();

    /** Estimated bytes used, for MEMORY USAGE and maxmemory. */
    long memoryUsage();

    /** A deep copy for COPY (the copy must not share mutable state). */
    RedisValue copy();
}
