package io.cinnabar.kernel.replication;

import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.server.CinnabarServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Clients blocked in WAIT (Redis's blockForReplication): each waits until enough replicas acknowledged the
 * replication offset of its last write, or its timeout passes; either way it gets the number that did.
 */
public final class WaitRegistry {
    private final CinnabarServer server;
    private final Replication replication;
    private final List<Waiter> waiters = new ArrayList<>();
    private boolean ackRequested;

    private static final class Waiter {
        final ClientConnection client;
        final long offset;
        final long replicas;
        ScheduledFuture<?> timer;

        Waiter(ClientConnection client, long offset, long replicas) {
            this.client = client;
            this.offset = offset;
            this.replicas = replicas;
        }
    }

    WaitRegistry(CinnabarServer server, Replication replication) {
        this.server = server;
        this.replication = replication;
    }

    /** Blocks {@code client} until {@code replicas} replicas reached {@code offset} ({@code timeoutMillis} 0: forever). */
    void block(ClientConnection client, long offset, long replicas, long timeoutMillis) {
        Waiter w = new Waiter(client, offset, replicas);
        waiters.add(w);
        if (timeoutMillis > 0) {
            w.timer = server.transport().loop().schedule(() -> finish(w), timeoutMillis, TimeUnit.MILLISECONDS);
        }
        client.suspend();
        if (!ackRequested) {
            // one GETACK for everything that blocked in this loop iteration, as Redis's beforeSleep sends it
            ackRequested = true;
            server.execute(() -> {
                ackRequested = false;
                replication.requestAcks();
            });
        }
    }

    public int blockedClients() {
        return waiters.size();
    }

    /** A replica acknowledged an offset: clients whose wait is now satisfied get their reply. */
    void acknowledged() {
        for (Waiter w : new ArrayList<>(waiters)) {
            if (replication.replicasAcknowledging(w.offset) >= w.replicas) {
                finish(w);
            }
        }
    }

    private void finish(Waiter w) {
        if (!waiters.remove(w)) {
            return;
        }
        if (w.timer != null) {
            w.timer.cancel(false);
        }
        w.client.reply().integer(replication.replicasAcknowledging(w.offset));
        w.client.flush();
        w.client.resume();
    }

    void forget(ClientConnection c) {
        waiters.removeIf(w -> {
            if (w.client == c && w.timer != null) {
                w.timer.cancel(false);
            }
            return w.client == c;
        });
    }
}
