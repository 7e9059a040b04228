package io.cinnabar.kernel.server;

import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.net.ClientConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which clients WATCH which keys (Redis's multi.c watch bookkeeping). A change to a watched key marks its
 * watchers' transactions dirty (CAS failure: EXEC replies nil). Only used on the execution thread.
 */
public final class WatchRegistry {
    /** A watched key: database index and key bytes. */
    public record WatchedKey(int db, ByteKey key) {
    }

    /**
     * One client's watch of one key. {@code expired} remembers that the key was already logically expired
     * when WATCH ran: its deletion by expiry is then not a change (Redis 7's watchedKey.expired).
     */
    public static final class Watch {
        final ClientConnection client;
        final WatchedKey key;
        boolean expired;

        Watch(ClientConnection client, WatchedKey key, boolean expired) {
            this.client = client;
            this.key = key;
            this.expired = expired;
        }
    }

    private final Map<WatchedKey, List<Watch>> watchers = new HashMap<>();

    /** WATCH of one key by {@code c} in {@code db} (a key already watched by the client is ignored). */
    public void watch(ClientConnection c, Database db, byte[] key, long nowMillis) {
        WatchedKey wk = new WatchedKey(db.id(), new ByteKey(key));
        if (c.watched().containsKey(wk)) {
            return;
        }
        Watch w = new Watch(c, wk, isExpired(db, key, nowMillis));
        c.watched().put(wk, w);
        watchers.computeIfAbsent(wk, k -> new ArrayList<>(2)).add(w);
    }

    /** Forgets every key {@code c} watches; its dirty flag is left as is (EXEC still fails after a touch). */
    public void unwatchKeys(ClientConnection c) {
        if (c.watched().isEmpty()) {
            return;
        }
        for (Watch w : c.watched().values()) {
            List<Watch> l = watchers.get(w.key);
            if (l != null) {
                l.remove(w);
                if (l.isEmpty()) {
                    watchers.remove(w.key);
                }
            }
        }
        c.watched().clear();
    }

    /** UNWATCH, DISCARD, EXEC, RESET and disconnection: forgets the keys and clears the dirty flag. */
    public void unwatchAll(ClientConnection c) {
        unwatchKeys(c);
        c.setWatchDirty(false);
    }

    /**
     * Redis's isWatchedKeyExpired, checked by EXEC: a key that was live at WATCH time and is logically
     * expired now counts as modified even though nothing deleted it yet.
     */
    public boolean anyWatchedKeyExpired(ClientConnection c, CinnabarServer server) {
        for (Watch w : c.watched().values()) {
            if (!w.expired && w.key.db() < server.databaseCount()
                    && isExpired(server.db(w.key.db()), w.key.key().bytes(), server.now())) {
                return true;
            }
        }
        return false;
    }

    /** Redis's touchWatchedKey: {@code key} of database {@code db} changed (signalModifiedKey, expiry). */
    public void touch(int db, byte[] key) {
        if (watchers.isEmpty()) {
            return;
        }
        List<Watch> l = watchers.get(new WatchedKey(db, new ByteKey(key)));
        if (l == null) {
            return;
        }
        for (Watch w : new ArrayList<>(l)) {
            if (w.expired && !w.client.server().db(db).containsIncludingExpired(key)) {
                // the key that was already expired at WATCH time is now deleted: logically no change
                w.expired = false;
                continue;
            }
            dirty(w.client);
        }
    }

    /**
     * Every watcher of a key that exists in {@code db} (FLUSHDB, FLUSHALL, SWAPDB), {@code db} &lt; 0 meaning
     * all databases. Call before the database is emptied.
     */
    public void touchDb(int db, Predicate<byte[]> keyMatters) {
        if (watchers.isEmpty()) {
            return;
        }
        List<ClientConnection> hit = new ArrayList<>();
        for (Map.Entry<WatchedKey, List<Watch>> e : watchers.entrySet()) {
            if ((db < 0 || e.getKey().db() == db) && keyMatters.test(e.getKey().key().bytes())) {
                for (Watch w : e.getValue()) {
                    hit.add(w.client);
                }
            }
        }
        for (ClientConnection c : hit) {
            c.setWatchDirty(true);
        }
    }

    /**
     * Redis's touchAllWatchedKeysInDb, exact about keys that were already expired at WATCH time: call before
     * {@code emptied} is flushed (FLUSHDB/FLUSHALL: {@code replacedWith} null) or before two databases are
     * swapped (SWAPDB: called once for each side, with the other as {@code replacedWith}).
     */
    public void touchDb(Database emptied, Database replacedWith, long nowMillis) {
        if (watchers.isEmpty()) {
            return;
        }
        List<ClientConnection> hit = new ArrayList<>();
        for (Map.Entry<WatchedKey, List<Watch>> e : watchers.entrySet()) {
            if (e.getKey().db() != emptied.id()) {
                continue;
            }
            byte[] key = e.getKey().key().bytes();
            boolean inEmptied = emptied.containsIncludingExpired(key);
            boolean inReplacement = replacedWith != null && replacedWith.containsIncludingExpired(key);
            if (!inEmptied && !inReplacement) {
                continue;
            }
            for (Watch w : e.getValue()) {
                if (w.expired) {
                    if (!inReplacement) {
                        w.expired = false; // expired key now deleted: no logical change
                        continue;
                    } else if (isExpired(replacedWith, key, nowMillis)) {
                        continue; // expired key stays expired
                    }
                } else if (!inEmptied && isExpired(replacedWith, key, nowMillis)) {
                    w.expired = true; // a missing key replaced by an expired one: still logically missing
                    continue;
                }
                hit.add(w.client);
            }
        }
        for (ClientConnection c : hit) {
            c.setWatchDirty(true);
        }
    }

    /**
     * Marks the client's transaction dirty and drops its watches: nothing can make it clean again before
     * EXEC/DISCARD/UNWATCH, so there is no point in being told again.
     */
    private void dirty(ClientConnection c) {
        c.setWatchDirty(true);
        unwatchKeys(c);
    }

    /** Same rule as the keyspace's lazy expiry, without deleting anything. */
    private static boolean isExpired(Database db, byte[] key, long nowMillis) {
        if (!db.containsIncludingExpired(key)) {
            return false;
        }
        long when = db.getExpire(key);
        return when >= 0 && when < nowMillis; // Redis: expired only when now > when
    }

    public boolean isEmpty() {
        return watchers.isEmpty();
    }

    /** Number of distinct watched keys (INFO clients watching_clients / total_watched_keys). */
    public int watchedKeyCount() {
        return watchers.size();
    }

    /** Number of clients watching at least one key. */
    public int watchingClientCount(Iterable<ClientConnection> clients) {
        int n = 0;
        for (Iterator<ClientConnection> it = clients.iterator(); it.hasNext(); ) {
            if (!it.next().watched().isEmpty()) {
                n++;
            }
        }
        return n;
    }
}
