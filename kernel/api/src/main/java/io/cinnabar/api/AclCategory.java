package io.cinnabar.api;

/**
 * ACL categories. A spec declares its family categories (string, keyspace, ...); the implicit ones
 * (write, read, fast, slow, admin, dangerous, pubsub, blocking) are derived from its flags the way Redis
 * derives them, so they are never written twice.
 */
public enum AclCategory {
    KEYSPACE, READ, WRITE, SET, SORTEDSET, LIST, HASH, STRING, BITMAP, HYPERLOGLOG, GEO, STREAM,
    PUBSUB, ADMIN, FAST, SLOW, BLOCKING, DANGEROUS, CONNECTION, TRANSACTION, SCRIPTING;

    /** The name as Redis prints it, without the {@code @}. */
    public String redisName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
