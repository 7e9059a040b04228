package io.cinnabar.pubsub;

import org.pf4j.Plugin;

/**
 * The Pub/Sub plugin (Redis's pubsub.c and notify.c). Its {@code @Extension}s share one {@link PubSub} per
 * loaded plugin: {@link PubSubFamily} (the commands), {@link KeyspaceNotifier} (notify-keyspace-events),
 * {@link PubSubLifecycle} (disconnect and RESET hooks) and {@link PubSubInfo} (INFO stats counts).
 */
public final class PubSubPlugin extends Plugin {
}
