package io.cinnabar.pubsub;

import io.cinnabar.api.InfoSection;
import org.pf4j.Extension;

/** The pub/sub counts of INFO stats (fields the kernel lists in Redis's order, filled in here). */
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
                .field("pubsubshard_channels", pubsub.shardChannelCount());
    }
}
