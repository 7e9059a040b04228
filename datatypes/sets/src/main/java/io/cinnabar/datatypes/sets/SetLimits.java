package io.cinnabar.datatypes.sets;

import io.cinnabar.api.CommandContext;
import io.cinnabar.api.ServerConfig;

/**
 * The encoding thresholds of sets as configured now: {@code set-max-intset-entries} (capped at 2^30 as
 * Redis's {@code intsetMaxEntries}), {@code set-max-listpack-entries} and {@code set-max-listpack-value}.
 * Read from the configuration on first use only, so writes to a hashtable never pay for the lookups.
 */
final class SetLimits {
    private final ServerConfig config;
    private boolean loaded;
    private long intsetEntries;
    private long listpackEntries;
    private long listpackValue;

    private SetLimits(ServerConfig config) {
        this.config = config;
    }

    static SetLimits of(CommandContext ctx) {
        return new SetLimits(ctx.config());
    }

    /** Fixed thresholds (loading a value, where Redis skips some of the checks SADD makes). */
    static SetLimits of(long intsetEntries, long listpackEntries, long listpackValue) {
        SetLimits l = new SetLimits(null);
        l.intsetEntries = Math.min(intsetEntries, 1L << 30);
        l.listpackEntries = listpackEntries;
        l.listpackValue = listpackValue;
        l.loaded = true;
        return l;
    }

    long intsetEntries() {
        load();
        return intsetEntries;
    }

    long listpackEntries() {
        load();
        return listpackEntries;
    }

    long listpackValue() {
        load();
        return listpackValue;
    }

    private void load() {
        if (!loaded) {
            intsetEntries = Math.min(config.getLong("set-max-intset-entries"), 1L << 30);
            listpackEntries = config.getLong("set-max-listpack-entries");
            listpackValue = config.getLong("set-max-listpack-value");
            loaded = true;
        }
    }
}
