package io.cinnabar.pubsub;

import io.cinnabar.api.InfoSection;
import org.pf4j.Extension;

/** INFO clients' tracking_clients (the tracking table's counts are in INFO stats, see {@link PubSubInfo}). */
@Extension
public final class TrackingInfo implements InfoSection {
    private final PubSub pubsub;

    /** Used by PF4J: the plugin's shared registry. */
    public TrackingInfo() {
        this(PubSub.shared());
    }

    public TrackingInfo(PubSub pubsub) {
        this.pubsub = pubsub;
    }

    @Override
    public String name() {
        return "clients";
    }

    @Override
    public void write(InfoWriter out) {
        out.field("tracking_clients", pubsub.tracking().trackingClients());
    }
}
