package io.cinnabar.api;

import org.pf4j.ExtensionPoint;

/** Start and stop hooks for plugins with background work. */
public interface Lifecycle extends ExtensionPoint {
    void start(ServerContext server);

    default void stop() {
    }
}
