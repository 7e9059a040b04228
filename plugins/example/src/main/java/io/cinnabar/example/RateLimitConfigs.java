package io.cinnabar.example;

import io.cinnabar.api.ConfigParameter;
import io.cinnabar.api.ConfigProvider;
import io.cinnabar.api.ServerConfig;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code ratelimit-max-cost}: the largest COST one RATELIMIT.HIT may ask for (default 1000), so one client
 * cannot drain a shared limiter in a single call by mistake. Settable in cinnabar.conf, on the command line
 * and with CONFIG SET.
 */
@Extension
public final class RateLimitConfigs implements ConfigProvider {
    public static final String MAX_COST = "ratelimit-max-cost";
    static final long DEFAULT_MAX_COST = 1000;

    @Override
    public List<ConfigParameter> configs() {
        return List.of(ConfigParameter.integer(MAX_COST, DEFAULT_MAX_COST, 1, Long.MAX_VALUE));
    }

    /** The configured maximum, or the default when the parameter is not registered (commands used alone). */
    static long maxCost(ServerConfig config) {
        String v = config.get(MAX_COST);
        return v == null ? DEFAULT_MAX_COST : Long.parseLong(v);
    }
}
