package io.cinnabar.testkit;

import io.cinnabar.api.KeyspaceEventListener;
import io.cinnabar.api.KeyspaceEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every keyspace event Cinnabar emits, as {@code "db event key"}, for comparing with what the reference
 * publishes under {@code notify-keyspace-events KEA}: that setting includes neither 'n' (new key) nor 'm'
 * (key miss), so those two classes are not recorded. Register it with {@link TestServer.Builder#listener}.
 */
public final class KeyspaceEventLog implements KeyspaceEventListener {
    private final Queue<String> events = new ConcurrentLinkedQueue<>();

    @Override
    public void onEvent(int eventClass, String event, byte[] key, int dbIndex) {
        if (eventClass != KeyspaceEvents.NEW && eventClass != KeyspaceEvents.KEY_MISS) {
            events.add(dbIndex + " " + event + " " + new String(key, StandardCharsets.ISO_8859_1));
        }
    }

    public void clear() {
        events.clear();
    }

    public int size() {
        return events.size();
    }

    /** The events recorded so far, in order. */
    public List<String> all() {
        return List.copyOf(events);
    }

    /** The events recorded so far in database {@code db}, in order. */
    public List<String> inDb(int db) {
        String prefix = db + " ";
        return events.stream().filter(e -> e.startsWith(prefix)).toList();
    }
}
