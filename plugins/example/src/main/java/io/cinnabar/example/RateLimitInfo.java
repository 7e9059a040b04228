package io.cinnabar.example;

import io.cinnabar.api.InfoSection;
import org.pf4j.Extension;

/** {@code INFO ratelimit}: how many RATELIMIT.HIT calls were allowed and denied since startup. */
@Extension
public final class RateLimitInfo implements InfoSection {
    private final RateLimitStats stats;

    /** Used by PF4J: reads the plugin's shared {@link RateLimitStats}. */
    public RateLimitInfo() {
        this(RateLimitStats.shared());
    }

    public RateLimitInfo(RateLimitStats stats) {
        this.stats = stats;
    }

    @Override
    public String name() {
        return "ratelimit";
    }

    @Override
    public void write(InfoWriter out) {
        out.field("ratelimit_hits_allowed", stats.allowed()).field("ratelimit_hits_denied", stats.denied());
    }
}
