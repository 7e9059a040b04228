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

    /**
     * One stage of the memory loads a lookup of the member or field held in {@code b[off, off + len)} would
     * make. The kernel calls it while it looks ahead at pipelined commands (with their third argument), one
     * stage at a time across the members of many commands, so that each stage's cache misses overlap: stage
     * 0 first with {@code prior} 0, then stage 1 with what stage 0 returned, and so on while the result is
     * not 0 (at most 4 stages). Each stage should make one load the next depends on, and return something
     * derived from it (work without loads, such as hashing, is best a stage of its own). It must only read,
     * never change anything. A collection found through a {@link SlotIndex} has its stages in {@link
     * SlotIndex#prefetchEntry}. The default reads nothing.
     */
    default long prefetchMember(byte[] b, int off, int len, int stage, long prior) {
        return 0;
    }
}
