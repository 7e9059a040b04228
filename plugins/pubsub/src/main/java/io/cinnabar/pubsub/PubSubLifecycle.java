package io.cinnabar.pubsub;

import io.cinnabar.api.Lifecycle;
import io.cinnabar.api.ServerContext;
import org.pf4j.Extension;

/** Connects the registry to the server: a disconnected or RESET client loses its subscriptions. */
@Extension
public final class PubSubLifecycle implements Lifecycle {
    private final PubSub pubsub;

    /** Used by PF4J: the plugin's shared registry. */
    public PubSubLifecycle() {
        this(PubSub.shared());
    }

    public PubSubLifecycle(PubSub pubsub) {
        this.pubsub = pubsub;
    }

    @Override
    public void start(ServerContext server) {
        pubsub.attach(server);
    }
}
