package io.cinnabar.api;

import java.util.List;

/**
 * Finds a command's keys from its arguments where {@link KeySpec}s cannot say it (Redis's {@code getkeys_proc}):
 * keys whose position depends on options (SORT ... STORE), or key flags that depend on them (SET ... GET).
 */
@FunctionalInterface
public interface KeyFinder {
    /**
     * Reports each key of {@code args} (argument 0 is the command name) to {@code out}; reports nothing when the
     * arguments are invalid (the command itself will reply with the error).
     */
    void find(Args args, Sink out);

    /** Receives one key: its argument index and its key-spec flags (e.g. {@code RW}, {@code access}). */
    interface Sink {
        void key(int index, List<String> flags);
    }
}
