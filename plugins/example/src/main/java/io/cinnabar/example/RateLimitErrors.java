package io.cinnabar.example;

/**
 * The plugin's own error replies, worded in Redis's style (without the leading '-'). A third-party plugin
 * cannot add to the kernel's catalogue, so it keeps its own, in one place.
 */
final class RateLimitErrors {
    private RateLimitErrors() {
    }

    static final String LIMIT_RANGE = "ERR limit is out of range, must be positive";
    static final String WINDOW_RANGE = "ERR window-ms is out of range, must be between 1 and "
            + RateLimiter.MAX_WINDOW_MS;
    static final String COST_RANGE = "ERR COST is out of range, must be positive";

    /** COST above {@code ratelimit-max-cost}. */
    static String costAboveMax(long max) {
        return "ERR COST exceeds ratelimit-max-cost (" + max + ")";
    }
}
