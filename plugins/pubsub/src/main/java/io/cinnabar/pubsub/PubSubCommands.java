package io.cinnabar.pubsub;

import io.cinnabar.api.Args;
import io.cinnabar.api.ClientHandle;
import io.cinnabar.api.CommandContext;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import io.cinnabar.api.Reply;
import io.cinnabar.pubsub.PubSub.Kind;
import java.util.List;

/** The handlers of {@link PubSubFamily} (Redis's pubsub.c commands). */
final class PubSubCommands {
    private static final String[] HELP = {
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        "HELP",
        "    Print this help.",
    };

    private final PubSub pubsub;

    PubSubCommands(PubSub pubsub) {
        this.pubsub = pubsub;
    }

    void subscribe(CommandContext ctx, Args args, Reply reply) {
        subscribeAll(ctx, args, reply, Kind.CHANNEL);
    }

    void psubscribe(CommandContext ctx, Args args, Reply reply) {
        subscribeAll(ctx, args, reply, Kind.PATTERN);
    }

    void ssubscribe(CommandContext ctx, Args args, Reply reply) {
        // Redis allows (P)SUBSCRIBE inside MULTI for backward compatibility, but not SSUBSCRIBE
        if (ctx.client().inTransaction()) {
            throw new CommandException(Errors.denyBlockingSubscribe("SSUBSCRIBE"));
        }
        subscribeAll(ctx, args, reply, Kind.SHARD);
    }

    private void subscribeAll(CommandContext ctx, Args args, Reply reply, Kind kind) {
        ClientHandle client = ctx.clientHandle();
        for (int i = 1; i < args.size(); i++) {
            pubsub.subscribe(client, kind, args.get(i), reply);
        }
    }

    void unsubscribe(CommandContext ctx, Args args, Reply reply) {
        unsubscribeAll(ctx, args, reply, Kind.CHANNEL);
    }

    void punsubscribe(CommandContext ctx, Args args, Reply reply) {
        unsubscribeAll(ctx, args, reply, Kind.PATTERN);
    }

    void sunsubscribe(CommandContext ctx, Args args, Reply reply) {
        unsubscribeAll(ctx, args, reply, Kind.SHARD);
    }

    private void unsubscribeAll(CommandContext ctx, Args args, Reply reply, Kind kind) {
        ClientHandle client = ctx.clientHandle();
        if (args.size() == 1) {
            pubsub.unsubscribeAll(client, kind, reply);
            return;
        }
        for (int i = 1; i < args.size(); i++) {
            pubsub.unsubscribe(client, kind, args.get(i), reply);
        }
    }

    void publish(CommandContext ctx, Args args, Reply reply) {
        reply.integer(pubsub.publish(args.get(1), args.get(2)));
    }

    void spublish(CommandContext ctx, Args args, Reply reply) {
        reply.integer(pubsub.publishShard(args.get(1), args.get(2)));
    }

    void channels(CommandContext ctx, Args args, Reply reply) {
        activeChannels(args, reply, false);
    }

    void shardchannels(CommandContext ctx, Args args, Reply reply) {
        activeChannels(args, reply, true);
    }

    private void activeChannels(Args args, Reply reply, boolean shard) {
        if (args.size() > 3) {
            throw new CommandException(Errors.subcommandSyntax(args.string(1), "pubsub"));
        }
        List<byte[]> names = pubsub.activeChannels(shard, args.size() == 3 ? args.get(2) : null);
        reply.array(names.size());
        for (byte[] n : names) {
            reply.bulk(n);
        }
    }

    void numsub(CommandContext ctx, Args args, Reply reply) {
        subscriberCounts(args, reply, false);
    }

    void shardnumsub(CommandContext ctx, Args args, Reply reply) {
        subscriberCounts(args, reply, true);
    }

    private void subscriberCounts(Args args, Reply reply, boolean shard) {
        reply.array((args.size() - 2) * 2);
        for (int i = 2; i < args.size(); i++) {
            reply.bulk(args.get(i));
            reply.integer(pubsub.subscriberCount(shard, args.get(i)));
        }
    }

    void numpat(CommandContext ctx, Args args, Reply reply) {
        reply.integer(pubsub.patternCount());
    }

    void help(CommandContext ctx, Args args, Reply reply) {
        reply.array(HELP.length);
        for (String line : HELP) {
            reply.simple(line);
        }
    }
}
