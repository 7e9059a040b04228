package io.cinnabar.testkit;

import io.cinnabar.api.RedisValue;
import java.nio.charset.StandardCharsets;

/**
 * A value of another type for WRONGTYPE checks, when the plugin of that type is not part of the module under
 * test: all a command needs to see of it is its type name (and OBJECT ENCODING its encoding). Immutable, so
 * one instance serves every key and is its own copy.
 */
public record StandInValue(String typeName, String encoding) implements RedisValue {
    /** A list, as the lists plugin would report a small one. */
    public static final StandInValue LIST = new StandInValue("list", "listpack");

    /** Stores this value at {@code key} of database {@code db}, on the server's execution thread. */
    public void put(TestServer server, int db, String key) {
        Loop.run(server, () -> server.server().db(db).set(key.getBytes(StandardCharsets.ISO_8859_1), this));
    }

    @Override
    public long memoryUsage() {
        return 16;
    }

    @Override
    public RedisValue copy() {
        return this;
    }
}
