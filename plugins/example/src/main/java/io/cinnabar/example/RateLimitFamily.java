package io.cinnabar.example;

import static io.cinnabar.api.CommandFlag.DENYOOM;
import static io.cinnabar.api.CommandFlag.FAST;
import static io.cinnabar.api.CommandFlag.MODULE;
import static io.cinnabar.api.CommandFlag.READONLY;
import static io.cinnabar.api.CommandFlag.WRITE;

import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.KeySpec;
import java.util.List;
import org.pf4j.Extension;

/**
 * The RATELIMIT.* commands as data (arity, flags, key specs, docs); the handlers are in
 * {@link RateLimitCommands}. Like a Redis module's commands they carry the {@code module} flag and group.
 */
@Extension
public final class RateLimitFamily implements CommandFamily {
    private final RateLimitCommands handlers;

    /** Used by PF4J: counts into the plugin's shared {@link RateLimitStats}. */
    public RateLimitFamily() {
        this(RateLimitStats.shared());
    }

    public RateLimitFamily(RateLimitStats stats) {
        this.handlers = new RateLimitCommands(stats);
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                CommandSpec.command("ratelimit.hit").arity(-4).flags(WRITE, DENYOOM, MODULE, FAST)
                        .key(KeySpec.range(1, 0, 1, "RW", "UPDATE")).group("module").since("0.1.0")
                        .summary("Counts a request of a cost against a sliding-window limit; replies whether it is "
                                + "allowed, the units remaining and the milliseconds until a retry can succeed.")
                        .complexity("O(1) amortized when allowed; O(N) when denied, N being the hits in the window.")
                        .handler(handlers::hit).build(),
                CommandSpec.command("ratelimit.peek").arity(4).flags(READONLY, MODULE)
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).group("module").since("0.1.0")
                        .summary("Tells what RATELIMIT.HIT of cost 1 would reply now, without counting it.")
                        .complexity("O(N) where N is the number of hits in the window.")
                        .handler(handlers::peek).build(),
                CommandSpec.command("ratelimit.reset").arity(2).flags(WRITE, MODULE, FAST)
                        .key(KeySpec.range(1, 0, 1, "RW", "DELETE")).group("module").since("0.1.0")
                        .summary("Forgets every hit of a rate limiter (deletes its key).")
                        .complexity("O(1)")
                        .handler(handlers::reset).build());
    }
}
