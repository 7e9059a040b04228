package io.cinnabar.kernel.keyspace;

import io.cinnabar.api.RedisValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A collection that records the member lookups {@link Database#prefetch} asks it to start, as
 * "member@stage/prior"; stages 0 and 1 return {@code stage + 10}, stage 2 ends the lookup (unless
 * {@link #endless}: then every stage returns {@code stage + 10}).
 */
public final class RecordingValue implements RedisValue {
    public final List<String> calls = new ArrayList<>();
    public boolean endless;

    @Override
    public long prefetchMember(byte[] b, int off, int len, int stage, long prior) {
        calls.add(new String(b, off, len, StandardCharsets.US_ASCII) + "@" + stage + "/" + prior);
        return stage < 2 || endless ? stage + 10 : 0;
    }

    @Override
    public String typeName() {
        return "set";
    }

    @Override
    public String encoding() {
        return "hashtable";
    }

    @Override
    public long memoryUsage() {
        return 0;
    }

    @Override
    public RedisValue copy() {
        return this;
    }
}
