package io.cinnabar.pubsub;

import io.cinnabar.api.InfoSection;
import org.pf4j.Extension;

/** The pub/sub and client-side caching counts of INFO stats (the kernel lists the fields in Redis's order). */
@Extension
public final class PubSubInfo implements InfoSection {
    private final PubSub pubsub;

    /** Used by PF4J: the plugin's shared registry. */
    public PubSubInfo() {
        this(PubSub.shared());
    }

    public PubSubInfo(PubSub pubsub) {
        this.pubsub = pubsub;
    }

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public void write(InfoWriter out) {
        out.field("pubsub_channels", pubsub.channelCount())
                .field("pubsub_patterns", pubsub.patternCount())
                .field("pubsubshard_channels", pubsub.shardChannelCount())
                .field("tracking_total_keys", pubsub.tracking().totalKeys())
                .field("tracking_total_items", pubsub.tracking().totalItems())
                .field("tracking_total_prefixes", pubsub.tracking().totalPrefixes());
    }
}
