package io.cinnabar.kernel.storage;

import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.persistence.ValueCodec;

/** Values are Java objects in the dicts themselves: no value store, nothing kept across restarts. */
public final class HeapEngine implements StorageEngine {
    @Override
    public String name() {
        return "heap";
    }

    @Override
    public ValueStore valueStore(int db) {
        return null;
    }

    @Override
    public boolean restore(Database[] dbs, ValueCodec codec) {
        return false;
    }

    @Override
    public void shutdown(Database[] dbs, ValueCodec codec) {
    }

    @Override
    public String describe() {
        return "heap";
    }
}
