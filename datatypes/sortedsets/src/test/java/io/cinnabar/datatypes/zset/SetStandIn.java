package io.cinnabar.datatypes.zset;

import io.cinnabar.api.MemberSet;
import io.cinnabar.api.RedisValue;
import io.cinnabar.testkit.Loop;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** A plain set value (the sets plugin is not part of this module), for sets given to ZUNION/ZINTER/ZDIFF. */
final class SetStandIn implements RedisValue, MemberSet {
    private final List<byte[]> members = new ArrayList<>();

    /** Stores a set of {@code members} at {@code key} of database {@code db}, on the server's execution thread. */
    static void put(TestServer server, int db, String key, String... members) {
        SetStandIn s = new SetStandIn();
        for (String m : members) {
            s.members.add(m.getBytes(StandardCharsets.ISO_8859_1));
        }
        Loop.run(server, () -> server.server().db(db).set(key.getBytes(StandardCharsets.ISO_8859_1), s));
    }

    @Override
    public long memberCount() {
        return members.size();
    }

    @Override
    public boolean containsMember(byte[] member) {
        return members.stream().anyMatch(m -> Arrays.equals(m, member));
    }

    @Override
    public void forEachMember(Consumer<byte[]> visitor) {
        members.forEach(visitor);
    }

    @Override
    public String typeName() {
        return "set";
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
