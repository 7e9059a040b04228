package io.cinnabar.api;

import org.pf4j.ExtensionPoint;

/**
 * Receives every keyspace event (before notify-keyspace-events filtering, which the listener applies to
 * what it publishes). Runs on the execution thread; must not block.
 */
public interface KeyspaceEventListener extends ExtensionPoint {
    void onEvent(int eventClass, String event, byte[] key, int dbIndex);
}
