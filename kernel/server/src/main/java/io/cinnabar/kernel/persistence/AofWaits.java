package io.cinnabar.kernel.persistence;

import io.cinnabar.api.CommandException;
import io.cinnabar.api.Errors;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.net.RespWriter;
import io.cinnabar.kernel.server.CinnabarServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Clients blocked in WAITAOF (Redis 7.2's blockForAofFsync): each waits until the local AOF fsynced the
 * replication offset of its last write (numlocal) and enough replicas reported theirs with
 * {@code REPLCONF ACK <offset> FACK <aofoffset>} (numreplicas), or its timeout passes; either way it gets
 * {@code [local, replicas]}. Runs on the execution thread.
 */
final class AofWaits {
    private final CinnabarServer server;
    private final AppendOnlyFile aof;
    private final List<Waiter> waiters = new ArrayList<>();

    private static final class Waiter {
        final ClientConnection client;
        final long offset;
        final long numLocal;
        final long numReplicas;
        ScheduledFuture<?> timer;

        Waiter(ClientConnection client, long offset, long numLocal, long numReplicas) {
            this.client = client;
            this.offset = offset;
            this.numLocal = numLocal;
            this.numReplicas = numReplicas;
        }
    }

    AofWaits(CinnabarServer server, AppendOnlyFile aof) {
        this.server = server;
        this.aof = aof;
    }

    boolean any() {
        return !waiters.isEmpty();
    }

    /** waitaofCommand after its argument checks: replies now, or blocks the client (timeout 0: forever). */
    void waitaof(ClientConnection c, long numLocal, long numReplicas, long timeoutMillis, boolean mayBlock) {
        if (numLocal > 0 && !server.config().getBoolean("appendonly")) {
            throw new CommandException(Errors.WAITAOF_APPENDONLY_OFF);
        }
        aof.catchUpFsyncedOffset();
        long offset = c.writeOffset();
        long local = local(offset);
        long replicas = server.replication().replicasAofAcknowledging(offset);
        if ((replicas >= numReplicas && local >= numLocal) || !mayBlock) {
            c.reply().array(2);
            c.reply().integer(local);
            c.reply().integer(replicas);
            return;
        }
        Waiter w = new Waiter(c, offset, numLocal, numReplicas);
        waiters.add(w);
        if (timeoutMillis > 0) {
            w.timer = server.transport().loop().schedule(() -> finish(w), timeoutMillis, TimeUnit.MILLISECONDS);
        }
        c.suspend();
        server.replication().requestAcksFromReplicas();
    }

    private long local(long offset) {
        return aof.fsyncedReplOffset() >= offset ? 1 : 0;
    }

    /** An fsync or a replica's FACK moved an offset: waits now satisfied end. */
    void check() {
        if (waiters.isEmpty()) {
            return;
        }
        for (Waiter w : new ArrayList<>(waiters)) {
            if (local(w.offset) >= w.numLocal
                    && server.replication().replicasAofAcknowledging(w.offset) >= w.numReplicas) {
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
        RespWriter r = w.client.reply();
        r.array(2);
        r.integer(local(w.offset));
        r.integer(server.replication().replicasAofAcknowledging(w.offset));
        w.client.flush();
        w.client.resume();
    }

    /** A blocked client disconnected. */
    void forget(ClientConnection c) {
        waiters.removeIf(w -> {
            if (w.client == c && w.timer != null) {
                w.timer.cancel(false);
            }
            return w.client == c;
        });
    }
}
