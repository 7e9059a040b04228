package io.cinnabar.pubsub;

import io.cinnabar.api.ClientHandle;
import java.util.LinkedHashSet;
import java.util.Set;

/** One client's subscriptions (Redis's c->pubsub_channels, c->pubsub_patterns, c->pubsubshard_channels). */
final class Subscriber {
    final ClientHandle client;
    final Set<Channel> channels = new LinkedHashSet<>();
    final Set<Channel> patterns = new LinkedHashSet<>();
    final Set<Channel> shardChannels = new LinkedHashSet<>();

    Subscriber(ClientHandle client) {
        this.client = client;
    }

    /** The count SUBSCRIBE/PSUBSCRIBE and their UNSUBSCRIBEs reply with (channels and patterns, not shard). */
    int subscriptions() {
        return channels.size() + patterns.size();
    }

    boolean isEmpty() {
        return channels.isEmpty() && patterns.isEmpty() && shardChannels.isEmpty();
    }

    /** Tells the kernel the counts (subscribed state, CLIENT LIST sub/psub/ssub). */
    void publishCounts() {
        client.setSubscriptions(channels.size(), patterns.size(), shardChannels.size());
    }
}
