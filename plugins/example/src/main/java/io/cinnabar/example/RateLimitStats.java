package io.cinnabar.example;

/**
 * Counters behind the {@code ratelimit} INFO section. Updated and read only on the execution thread, so
 * plain fields suffice. PF4J creates each extension with its no-argument constructor, so the extensions
 * of one loaded plugin share {@link #shared()} (one instance per plugin class loader); tests pass their own.
 */
public final class RateLimitStats {
    private static final RateLimitStats SHARED = new RateLimitStats();

    long allowed;
    long denied;

    public static RateLimitStats shared() {
        return SHARED;
    }

    public long allowed() {
        return allowed;
    }

    public long denied() {
        return denied;
    }
}
