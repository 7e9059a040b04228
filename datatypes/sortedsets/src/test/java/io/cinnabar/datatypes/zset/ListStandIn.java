package io.cinnabar.datatypes.zset;

import io.cinnabar.api.RedisValue;
import io.cinnabar.testkit.Loop;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;

/**
 * A value of type list, for WRONGTYPE checks: all the sorted set commands need to see of a list
 * (the lists plugin is not part of this module). Stateless, so one instance serves every key.
 */
final class ListStandIn implements RedisValue {
    private static final ListStandIn INSTANCE = new ListStandIn();

    private ListStandIn() {
    }

    /** Stores a stand-in list at {@code key} of database {@code db}, on the server's execution thread. */
    static void put(TestServer server, int db, String key) {
        Loop.run(server, () -> server.server().db(db).set(key.getBytes(StandardCharsets.ISO_8859_1), INSTANCE));
    }

    @Override
    public String typeName() {
        return "list";
    }

    @Override
    public String encoding() {
        return "listpack";
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
