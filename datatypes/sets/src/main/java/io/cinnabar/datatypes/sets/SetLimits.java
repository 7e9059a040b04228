package io.cinnabar.datatypes.sets;

import io.cinnabar.api.CommandContext;

/**
 * The encoding thresholds of sets as configured now: {@code set-max-intset-entries} (capped at 2^30 as
 * Redis's {@code intsetMaxEntries}), {@code set-max-listpack-entries} and {@code set-max-listpack-value}.
 */
record SetLimits(long intsetEntries, long listpackEntries, long listpackValue) {
    static SetLimits of(CommandContext ctx) {
        return new SetLimits(Math.min(ctx.config().getLong("set-max-intset-entries"), 1L << 30),
                ctx.config().getLong("set-max-listpack-entries"), ctx.config().getLong("set-max-listpack-value"));
    }
}
