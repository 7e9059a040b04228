package io.cinnabar.example;

import org.pf4j.Plugin;

/**
 * The example plugin: a sliding-window rate limiter built the way a third party builds a Cinnabar plugin,
 * against {@code cinnabar-api} alone (provided scope). Everything it adds is an {@code @Extension}:
 * <ul>
 *   <li>{@link RateLimitFamily}: {@code RATELIMIT.HIT}, {@code RATELIMIT.PEEK}, {@code RATELIMIT.RESET};</li>
 *   <li>{@link RateLimitDataType}: the {@code ratelimit} value type's RDB form (module type id 7);</li>
 *   <li>{@link RateLimitInfo}: the {@code ratelimit} INFO section;</li>
 *   <li>{@link RateLimitConfigs}: the {@code ratelimit-max-cost} parameter.</li>
 * </ul>
 * The jar's manifest (see the module's pom) names this class, the plugin id {@code example} and the API
 * version it needs.
 */
public final class ExamplePlugin extends Plugin {
}
