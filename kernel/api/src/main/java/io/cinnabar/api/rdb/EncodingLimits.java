package io.cinnabar.api.rdb;

import io.cinnabar.api.ServerConfig;

/**
 * The encoding thresholds a {@code DataType} applies to a value it loads ({@code hash-max-listpack-entries},
 * {@code set-max-intset-entries}...), read from the configuration given to {@code DataType.configure} at the
 * moment of loading, or Redis's default when the type was never configured (a unit test).
 */
public final class EncodingLimits {
    private EncodingLimits() {
    }

    public static long get(ServerConfig config, String name, long redisDefault) {
        return config == null ? redisDefault : config.getLong(name);
    }
}
