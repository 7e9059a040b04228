package io.cinnabar.pubsub;

import org.pf4j.Plugin;

/**
 * The Pub/Sub plugin (Redis's pubsub.c and notify.c). Its {@code @Extension}s share one {@link PubSub} per
 * loaded plugin: {@link PubSubFamily} (the commands), {@link TrackingFamily} (CLIENT TRACKING and friends,
 * joined to the kernel's CLIENT), {@link KeyspaceNotifier} (notify-keyspace-events), {@link PubSubLifecycle}
 * (disconnect and RESET hooks, key signals) and {@link PubSubInfo} / {@link TrackingInfo} (INFO counts).
 */
public final class PubSubPlugin extends Plugin {
}
