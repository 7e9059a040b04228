package io.cinnabar.pubsub;

import io.cinnabar.api.KeyspaceEventListener;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.ServerContext;
import java.nio.charset.StandardCharsets;
import org.pf4j.Extension;

/**
 * Redis's notifyKeyspaceEvent (notify.c): an event of a class enabled by {@code notify-keyspace-events} is
 * published, on this node only, as the event name on {@code __keyspace@<db>__:<key>} (flag K) and as the key
 * on {@code __keyevent@<db>__:<event>} (flag E).
 */
@Extension
public final class KeyspaceNotifier implements KeyspaceEventListener {
    private final PubSub pubsub;

    /** Used by PF4J: the plugin's shared registry. */
    public KeyspaceNotifier() {
        this(PubSub.shared());
    }

    public KeyspaceNotifier(PubSub pubsub) {
        this.pubsub = pubsub;
    }

    @Override
    public void onEvent(int eventClass, String event, byte[] key, int dbIndex) {
        ServerContext server = pubsub.server();
        // nobody to tell: skip even reading the configuration (this runs for every write)
        if (server == null || !pubsub.hasSubscribers()) {
            return;
        }
        int flags = (int) server.config().getLong("notify-keyspace-events");
        if ((flags & eventClass) == 0) {
            return;
        }
        byte[] eventName = event.getBytes(StandardCharsets.US_ASCII);
        if ((flags & KeyspaceEvents.KEYSPACE) != 0) {
            pubsub.deliver(concat("__keyspace@" + dbIndex + "__:", key), eventName);
        }
        if ((flags & KeyspaceEvents.KEYEVENT) != 0) {
            pubsub.deliver(("__keyevent@" + dbIndex + "__:" + event).getBytes(StandardCharsets.US_ASCII), key);
        }
    }

    private static byte[] concat(String prefix, byte[] key) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[p.length + key.length];
        System.arraycopy(p, 0, out, 0, p.length);
        System.arraycopy(key, 0, out, p.length, key.length);
        return out;
    }
}
