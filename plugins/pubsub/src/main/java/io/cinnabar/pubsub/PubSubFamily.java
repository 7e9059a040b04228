package io.cinnabar.pubsub;

import static io.cinnabar.api.CommandFlag.FAST;
import static io.cinnabar.api.CommandFlag.LOADING;
import static io.cinnabar.api.CommandFlag.NOSCRIPT;
import static io.cinnabar.api.CommandFlag.PUBSUB;
import static io.cinnabar.api.CommandFlag.STALE;

import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.Handler;
import io.cinnabar.api.KeySpec;
import java.util.List;
import org.pf4j.Extension;

/**
 * The pub/sub commands as data (Redis's commands/*.json of the pubsub group); handlers in
 * {@link PubSubCommands}. The sharded commands name their channels in a {@code not_key} key spec, so the
 * cluster slot check routes them like keys.
 */
@Extension
public final class PubSubFamily implements CommandFamily {
    private final PubSubCommands handlers;

    /** Used by PF4J: the plugin's shared registry. */
    public PubSubFamily() {
        this(PubSub.shared());
    }

    public PubSubFamily(PubSub pubsub) {
        this.handlers = new PubSubCommands(pubsub);
    }

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                subscriber("subscribe", -2, "2.0.0", "Listens for messages published to channels.",
                        "O(N) where N is the number of channels to subscribe to.", handlers::subscribe).build(),
                subscriber("unsubscribe", -1, "2.0.0", "Stops listening to messages posted to channels.",
                        "O(N) where N is the number of channels to unsubscribe.", handlers::unsubscribe).build(),
                subscriber("psubscribe", -2, "2.0.0", "Listens for messages published to channels that match one "
                        + "or more patterns.", "O(N) where N is the number of patterns to subscribe to.",
                        handlers::psubscribe).build(),
                subscriber("punsubscribe", -1, "2.0.0", "Stops listening to messages published to channels that "
                        + "match one or more patterns.", "O(N) where N is the number of patterns to unsubscribe.",
                        handlers::punsubscribe).build(),
                subscriber("ssubscribe", -2, "7.0.0", "Listens for messages published to shard channels.",
                        "O(N) where N is the number of shard channels to subscribe to.", handlers::ssubscribe)
                        .key(KeySpec.range(1, -1, 1, "not_key")).build(),
                subscriber("sunsubscribe", -1, "7.0.0", "Stops listening to messages posted to shard channels.",
                        "O(N) where N is the number of shard channels to unsubscribe.", handlers::sunsubscribe)
                        .key(KeySpec.range(1, -1, 1, "not_key")).build(),
                CommandSpec.command("publish").arity(3).flags(PUBSUB, LOADING, STALE, FAST).group("pubsub")
                        .since("2.0.0").summary("Posts a message to a channel.")
                        .complexity("O(N+M) where N is the number of clients subscribed to the receiving channel "
                                + "and M is the total number of subscribed patterns (by any client).")
                        .handler(handlers::publish).build(),
                CommandSpec.command("spublish").arity(3).flags(PUBSUB, LOADING, STALE, FAST).group("pubsub")
                        .since("7.0.0").summary("Post a message to a shard channel")
                        .complexity("O(N) where N is the number of clients subscribed to the receiving shard "
                                + "channel.")
                        .key(KeySpec.range(1, 0, 1, "not_key")).handler(handlers::spublish).build(),
                CommandSpec.command("pubsub").arity(-2).group("pubsub").since("2.8.0")
                        .summary("A container for Pub/Sub commands.").complexity("Depends on subcommand.")
                        .subcommand(introspection("channels", -2, "Returns the active channels.",
                                "O(N) where N is the number of active channels, and assuming constant time pattern "
                                        + "matching (relatively short channels and patterns)", handlers::channels))
                        .subcommand(introspection("numsub", -2, "Returns a count of subscribers to channels.",
                                "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
                                handlers::numsub))
                        .subcommand(introspection("numpat", 2, "Returns a count of unique pattern subscriptions.",
                                "O(1)", handlers::numpat))
                        .subcommand(introspectionBuilder("shardchannels", -2, "Returns the active shard channels.",
                                "O(N) where N is the number of active shard channels, and assuming constant time "
                                        + "pattern matching (relatively short shard channels).",
                                handlers::shardchannels).since("7.0.0").build())
                        .subcommand(introspectionBuilder("shardnumsub", -2, "Returns the count of subscribers of shard "
                                + "channels.", "O(N) for the SHARDNUMSUB subcommand, where N is the number of "
                                + "requested shard channels", handlers::shardnumsub).since("7.0.0").build())
                        .subcommand(CommandSpec.command("help").arity(2).flags(LOADING, STALE).group("pubsub")
                                .since("6.2.0").summary("Returns helpful text about the different subcommands.")
                                .complexity("O(1)").handler(handlers::help).build())
                        .build());
    }

    /** (UN)SUBSCRIBE and its pattern and shard forms: pubsub, noscript, loading, stale. */
    private static CommandSpec.Builder subscriber(String name, int arity, String since, String summary,
                                                  String complexity, Handler handler) {
        return CommandSpec.command(name).arity(arity).flags(PUBSUB, NOSCRIPT, LOADING, STALE).group("pubsub")
                .since(since).summary(summary).complexity(complexity).handler(handler);
    }

    private static CommandSpec.Builder introspectionBuilder(String name, int arity, String summary,
                                                           String complexity, Handler handler) {
        return CommandSpec.command(name).arity(arity).flags(PUBSUB, LOADING, STALE).group("pubsub")
                .since("2.8.0").summary(summary).complexity(complexity).handler(handler);
    }

    private static CommandSpec introspection(String name, int arity, String summary, String complexity,
                                             Handler handler) {
        return introspectionBuilder(name, arity, summary, complexity, handler).build();
    }
}
