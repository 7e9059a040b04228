package io.cinnabar.datatypes.hashes;

import io.cinnabar.api.Db;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.Lifecycle;
import io.cinnabar.api.ServerContext;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * Active expiry of hash fields (Redis 7.4's hashTypeDbActiveExpire): every {@link #PERIOD_MILLIS} on the
 * execution thread, walks a bounded number of keys of each database with the SCAN cursor and deletes the
 * expired fields of the hashes it meets. Walking the keyspace (rather than a registry of keys) keeps the
 * sweep right across RENAME, COPY, MOVE and SWAPDB without hooks in the kernel; it starts only once a
 * field TTL was ever set. Lazy expiry ({@link HashCommands#lookup}) makes expired fields invisible meanwhile.
 */
@Extension
public final class HashFieldExpiryCycle implements Lifecycle {
    static final long PERIOD_MILLIS = 100;
    /** Keys looked at per database and period. */
    private static final int KEYS_PER_STEP = 1000;

    private ServerContext server;
    private long[] cursors = new long[0];

    public HashFieldExpiryCycle() {
    }

    /** How a field expiry is reported: in a command (its context) or from the sweep (the server). */
    interface Events {
        void notify(int eventClass, String event, byte[] key);

        void modified(byte[] key);
    }

    /**
     * Deletes the expired fields of hash {@code h} at {@code key}: one "hexpired" event, then the key's
     * deletion and "del" when no field remains, as Redis 7.4. True when the key was deleted.
     */
    static boolean expireDue(Db db, byte[] key, HashValue h, long now, Events events) {
        if (h.deleteDue(now) == 0) {
            return false;
        }
        events.modified(key);
        events.notify(KeyspaceEvents.HASH, "hexpired", key);
        if (h.size() == 0) {
            db.delete(key);
            events.notify(KeyspaceEvents.GENERIC, "del", key);
            return true;
        }
        return false;
    }

    @Override
    public void start(ServerContext context) {
        this.server = context;
        int databases = (int) context.config().getLong("databases");
        cursors = new long[databases];
        context.scheduleAtFixedRate(this::sweep, PERIOD_MILLIS);
    }

    private void sweep() {
        if (!FieldExpiries.anySet) {
            return;
        }
        long now = System.currentTimeMillis();
        for (int i = 0; i < cursors.length; i++) {
            Db db = server.db(i);
            if (db.size() > 0) {
                sweep(db, i, now);
            }
        }
    }

    private void sweep(Db db, int index, long now) {
        List<byte[]> keys = new ArrayList<>();
        long cursor = cursors[index];
        do {
            cursor = db.scan(cursor, keys::add);
        } while (cursor != 0 && keys.size() < KEYS_PER_STEP);
        cursors[index] = cursor;
        Events events = new Events() {
            @Override
            public void notify(int eventClass, String event, byte[] key) {
                server.notifyKeyspaceEvent(eventClass, event, key, index);
            }

            @Override
            public void modified(byte[] key) {
                server.signalModifiedKey(index, key);
            }
        };
        // keys are collected first: deleting a key while the scan visits its bucket would skip entries
        for (byte[] key : keys) {
            if (db.peek(key) instanceof HashValue h && h.anyDue(now)) {
                expireDue(db, key, h, now, events);
            }
        }
    }
}
