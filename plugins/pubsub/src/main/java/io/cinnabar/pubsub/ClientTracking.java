package io.cinnabar.pubsub;

import io.cinnabar.api.ClientHandle;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceSignals;
import io.cinnabar.api.Reply;
import io.cinnabar.api.ServerContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Server-assisted client-side caching (Redis's tracking.c). In the default mode the keys a tracking client
 * reads are remembered (one table for all databases, key to client ids) and a change of one sends each of
 * those clients an invalidation once; in BCAST mode every change of a key under a client's prefixes is
 * collected and sent to it in one message per prefix at the end of the event-loop turn. Messages are RESP3
 * pushes ({@code invalidate}), or, for a RESP2 client redirecting to a subscribed connection, messages on
 * {@code __redis__:invalidate}.
 */
final class ClientTracking implements KeyspaceSignals {
    private static final byte[] INVALIDATE = "invalidate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REDIR_BROKEN = "tracking-redir-broken".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INVALIDATE_CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);

    private final PubSub pubsub;
    private final Map<ClientHandle, TrackingClient> clients = new IdentityHashMap<>();
    /** Key to the ids of the clients that may cache it (Redis's TrackingTable). */
    private final Map<Channel, Set<Long>> table = new HashMap<>();
    private long items;
    /** Prefix to its broadcast state, in byte order as Redis's PrefixTable rax is walked. */
    private final TreeMap<byte[], Broadcast> prefixes = new TreeMap<>(Arrays::compareUnsigned);
    private boolean broadcastScheduled;
    private int limitRounds;
    private ServerContext server;

    /** The clients of one BCAST prefix and the keys changed under it since the last broadcast. */
    private static final class Broadcast {
        final Set<TrackingClient> clients = new LinkedHashSet<>();
        /** Changed key (in byte order, as Redis's rax) to the client whose command changed it last. */
        final TreeMap<byte[], ClientHandle> keys = new TreeMap<>(Arrays::compareUnsigned);
    }

    ClientTracking(PubSub pubsub) {
        this.pubsub = pubsub;
    }

    void attach(ServerContext server) {
        this.server = server;
        server.addKeyspaceSignals(this);
        server.onClientClosed(this::disable);
        server.onClientReset(this::disable);
        // Redis's trackingLimitUsedSlots runs from serverCron (10 times a second by default)
        server.scheduleAtFixedRate(this::limitUsedSlots, 100);
    }

    TrackingClient state(ClientHandle c) {
        return clients.get(c);
    }

    // ---- enabling (CLIENT TRACKING) ----

    /** Redis's enableTracking: the flags are replaced, BCAST prefixes are added to those already there. */
    void enable(ClientHandle c, long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop,
                List<byte[]> newPrefixes) {
        TrackingClient t = clients.computeIfAbsent(c, TrackingClient::new);
        t.brokenRedirect = false;
        t.redirect = redirect;
        t.bcast = bcast;
        t.optin = optin;
        t.optout = optout;
        t.noloop = noloop;
        if (bcast) {
            if (newPrefixes.isEmpty()) {
                addPrefix(t, new byte[0]);
            }
            for (byte[] p : newPrefixes) {
                addPrefix(t, p);
            }
        }
        t.publishState();
    }

    private void addPrefix(TrackingClient t, byte[] prefix) {
        if (t.prefixes.add(prefix)) {
            prefixes.computeIfAbsent(prefix, k -> new Broadcast()).clients.add(t);
        }
    }

    /** Redis's disableTracking (CLIENT TRACKING OFF, RESET, disconnect). */
    void disable(ClientHandle c) {
        TrackingClient t = clients.remove(c);
        if (t == null) {
            return;
        }
        for (byte[] p : t.prefixes) {
            Broadcast b = prefixes.get(p);
            if (b != null) {
                b.clients.remove(t);
                if (b.clients.isEmpty()) {
                    prefixes.remove(p);
                }
            }
        }
        c.setTrackingState(false, false, false, -1);
    }

    /** Redis's checkPrefixCollisionsOrReply: the first overlap as an error, or null. */
    String prefixCollision(ClientHandle c, List<byte[]> given) {
        TrackingClient t = clients.get(c);
        for (int i = 0; i < given.size(); i++) {
            byte[] p = given.get(i);
            if (t != null) {
                for (byte[] existing : t.prefixes) {
                    if (overlap(existing, p)) {
                        return Errors.trackingPrefixOverlapsExisting(text(p), text(existing));
                    }
                }
            }
            for (int j = i + 1; j < given.size(); j++) {
                if (overlap(p, given.get(j))) {
                    return Errors.trackingPrefixOverlapsGiven(text(p), text(given.get(j)));
                }
            }
        }
        return null;
    }

    /** Redis's stringCheckPrefix: one is a prefix of the other. */
    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---- KeyspaceSignals ----

    @Override
    public boolean wantsReads(ClientHandle client) {
        TrackingClient t = clients.isEmpty() ? null : clients.get(client);
        return t != null && !t.bcast;
    }

    /** Redis's trackingRememberKeys, with the OPTIN/OPTOUT rules for CLIENT CACHING. */
    @Override
    public void keysRead(ClientHandle client, List<byte[]> keys) {
        TrackingClient t = clients.get(client);
        if (t == null || t.bcast || (t.optin && !t.caching) || (t.optout && t.caching)) {
            return;
        }
        Long id = client.id();
        for (byte[] k : keys) {
            if (table.computeIfAbsent(new Channel(k), x -> new LinkedHashSet<>()).add(id)) {
                items++;
            }
        }
    }

    /** CLIENT CACHING lasts for one command (kept across CLIENT commands and while queueing a MULTI). */
    @Override
    public void commandDone(ClientHandle client, String command) {
        TrackingClient t = clients.isEmpty() ? null : clients.get(client);
        if (t != null && t.caching && !command.equals("client")) {
            t.caching = false;
        }
    }

    @Override
    public void keyModified(int dbIndex, byte[] key, ClientHandle by) {
        invalidate(key, by, true);
    }

    /** Redis's trackingInvalidateKeysOnFlush: every tracking client gets a null invalidation; the table empties. */
    @Override
    public void flushed(int dbIndex) {
        for (TrackingClient t : new ArrayList<>(clients.values())) {
            send(t, null);
        }
        table.clear();
        items = 0;
    }

    /** Redis's trackingInvalidateKey. */
    private void invalidate(byte[] key, ClientHandle by, boolean bcast) {
        if (bcast && !prefixes.isEmpty()) {
            rememberForBroadcast(key, by);
        }
        if (table.isEmpty()) {
            return;
        }
        Set<Long> ids = table.remove(new Channel(key));
        if (ids == null) {
            return;
        }
        items -= ids.size();
        for (Long id : ids) {
            ClientHandle target = server.client(id);
            TrackingClient t = target == null ? null : clients.get(target);
            if (t == null || t.bcast || (t.noloop && target == by)) {
                continue;
            }
            send(t, List.of(key));
        }
    }

    private void rememberForBroadcast(byte[] key, ClientHandle by) {
        boolean any = false;
        for (Map.Entry<byte[], Broadcast> e : prefixes.entrySet()) {
            byte[] p = e.getKey();
            if (p.length <= key.length && Arrays.equals(p, 0, p.length, key, 0, p.length)) {
                e.getValue().keys.put(key, by);
                any = true;
            }
        }
        if (any && !broadcastScheduled) {
            broadcastScheduled = true;
            server.execute(this::broadcast);
        }
    }

    /** Redis's trackingBroadcastInvalidationMessages (from beforeSleep): one message per prefix and client. */
    private void broadcast() {
        broadcastScheduled = false;
        for (Broadcast b : new ArrayList<>(prefixes.values())) {
            if (b.keys.isEmpty()) {
                continue;
            }
            for (TrackingClient t : new ArrayList<>(b.clients)) {
                List<byte[]> keys = new ArrayList<>(b.keys.size());
                for (Map.Entry<byte[], ClientHandle> e : b.keys.entrySet()) {
                    if (!(t.noloop && e.getValue() == t.client)) {
                        keys.add(e.getKey());
                    }
                }
                if (!keys.isEmpty()) {
                    send(t, keys);
                }
            }
            b.keys.clear();
        }
    }

    /**
     * Redis's sendTrackingMessage: {@code keys} as an array, or null for a flush; to the redirection target if
     * there is one (its loss is reported to a RESP3 client once as tracking-redir-broken).
     */
    private void send(TrackingClient t, List<byte[]> keys) {
        ClientHandle target = t.client;
        boolean redirected = false;
        if (t.redirect != 0) {
            target = server.client(t.redirect);
            redirected = true;
            if (target == null || target.isClosed()) {
                if (!t.brokenRedirect) {
                    t.brokenRedirect = true;
                    t.publishState();
                }
                if (t.client.protocol() > 2 && !t.client.isClosed()) {
                    Reply r = t.client.beginPush();
                    r.push(2);
                    r.bulk(REDIR_BROKEN);
                    r.integer(t.redirect);
                    t.client.endPush();
                }
                return;
            }
        }
        if (target.isClosed()) {
            return;
        }
        boolean resp3 = target.protocol() > 2;
        if (!resp3 && !(redirected && pubsub.isSubscriber(target))) {
            return; // RESP2 has no way to push into a connection that is not subscribed
        }
        Reply r = target.beginPush();
        if (resp3) {
            r.push(2);
            r.bulk(INVALIDATE);
        } else {
            r.push(3);
            r.bulk(PubSub.MESSAGE);
            r.bulk(INVALIDATE_CHANNEL);
        }
        if (keys == null) {
            r.nullBulk();
        } else {
            r.array(keys.size());
            for (byte[] k : keys) {
                r.bulk(k);
            }
        }
        target.endPush();
    }

    /**
     * Redis's trackingLimitUsedSlots: over {@code tracking-table-max-keys}, keys are invalidated (as if
     * changed) until the table fits, with an effort that grows while it stays over the limit.
     */
    private void limitUsedSlots() {
        if (table.isEmpty()) {
            limitRounds = 0;
            return;
        }
        long max = server.config().getLong("tracking-table-max-keys");
        if (max == 0 || table.size() <= max) {
            limitRounds = 0;
            return;
        }
        int effort = 100 * (limitRounds + 1);
        Iterator<Channel> it = new ArrayList<>(table.keySet()).iterator();
        while (effort-- > 0 && it.hasNext()) {
            invalidate(it.next().name, null, false);
            if (table.size() <= max) {
                limitRounds = 0;
                return;
            }
        }
        limitRounds++;
    }

    // ---- INFO ----

    int trackingClients() {
        return clients.size();
    }

    int totalKeys() {
        return table.size();
    }

    long totalItems() {
        return items;
    }

    int totalPrefixes() {
        return prefixes.size();
    }
}
