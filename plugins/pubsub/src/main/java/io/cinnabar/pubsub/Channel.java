package io.cinnabar.pubsub;

import java.util.Arrays;

/** A channel name or pattern as a hash key (the bytes are never modified once wrapped). */
final class Channel {
    final byte[] name;
    private final int hash;

    Channel(byte[] name) {
        this.name = name;
        this.hash = Arrays.hashCode(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Channel c && c.hash == hash && Arrays.equals(c.name, name);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
