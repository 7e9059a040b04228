package io.cinnabar.kernel.server;

import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.net.ClientConnection.WatchedKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Which clients WATCH which keys; a touched key marks its watchers' transactions dirty. */
public final class WatchRegistry {
    private final Map<WatchedKey, List<ClientConnection>> watchers = new HashMap<>();

    public void watch(ClientConnection c, int db, byte[] key) {
        WatchedKey wk = new WatchedKey(db, new ByteKey(key));
        if (c.watched().add(wk)) {
            watchers.computeIfAbsent(wk, k -> new ArrayList<>()).add(c);
        }
    }

    public void unwatchAll(ClientConnection c) {
        for (WatchedKey wk : c.watched()) {
            List<ClientConnection> l = watchers.get(wk);
            if (l != null) {
                l.remove(c);
                if (l.isEmpty()) {
                    watchers.remove(wk);
                }
            }
        }
        c.watched().clear();
        c.setWatchDirty(false);
    }

    /** Redis's touchWatchedKey. Cheap when nobody watches anything. */
    public void touch(int db, byte[] key) {
        if (watchers.isEmpty()) {
            return;
        }
        List<ClientConnection> l = watchers.get(new WatchedKey(db, new ByteKey(key)));
        if (l != null) {
            for (ClientConnection c : l) {
                c.setWatchDirty(true);
            }
        }
    }

    /** Every watcher of any key in {@code db} (FLUSHDB, SWAPDB, FLUSHALL touch them all). */
    public void touchDb(int db, java.util.function.Predicate<byte[]> keyMatters) {
        if (watchers.isEmpty()) {
            return;
        }
        for (Map.Entry<WatchedKey, List<ClientConnection>> e : watchers.entrySet()) {
            if ((db < 0 || e.getKey().db() == db) && keyMatters.test(e.getKey().key().bytes())) {
                for (ClientConnection c : e.getValue()) {
                    c.setWatchDirty(true);
                }
            }
        }
    }

    public boolean isEmpty() {
        return watchers.isEmpty();
    }

    public int watchedKeyCount() {
        return watchers.size();
    }
}
