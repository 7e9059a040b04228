package io.cinnabar.kernel.storage;

import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.persistence.ValueCodec;

/**
 * Where the values of the keyspace live (config {@code storage-engine}). The kernel's dicts always hold the keys,
 * TTLs and access stamps; an engine may keep a value elsewhere and leave a small handle in the dict, which
 * {@link Database} resolves at its value boundaries through the database's {@link ValueStore}.
 */
public interface StorageEngine {
    /** The config name: {@code heap} or {@code mapped}. */
    String name();

    /** The value store of database {@code db}, or null when its values stay on the heap (no hook cost then). */
    ValueStore valueStore(int db);

    /**
     * Called once the databases exist, before any RDB/AOF load: restores the keyspace the engine kept across the
     * restart. True when it did (a warm restart: the server must not load a snapshot over it).
     */
    boolean restore(Database[] dbs, ValueCodec codec);

    /** A clean shutdown: everything the engine needs for the next warm restart is written and closed. */
    void shutdown(Database[] dbs, ValueCodec codec);

    /** A short description for the startup log and INFO. */
    String describe();
}
