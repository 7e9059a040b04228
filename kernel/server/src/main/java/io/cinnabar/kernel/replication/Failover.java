package io.cinnabar.kernel.replication;

import io.cinnabar.kernel.server.CinnabarServer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * FAILOVER, Redis 6.2's coordinated failover: the master holds writes, waits until a replica (the target, or
 * the first one) acknowledged its whole stream, then turns itself into a replica of it and asks it with
 * {@code PSYNC <replid> <offset> FAILOVER} to become the master; the replica promotes itself and continues
 * the old master's history, so neither side needs a full resync. A timeout aborts (or, with FORCE, fails over
 * to the target anyway); a refused PSYNC rolls back.
 */
final class Failover {
    enum State {
        NONE("no-failover"), WAITING_FOR_SYNC("waiting-for-sync"), IN_PROGRESS("failover-in-progress");

        final String infoName;

        State(String infoName) {
            this.infoName = infoName;
        }
    }

    private static final long CHECK_MILLIS = 10;

    private final Replication replication;
    private final CinnabarServer server;
    private State state = State.NONE;
    private String host;
    private int port;
    private boolean force;
    private long endMillis;
    private ScheduledFuture<?> checker;

    Failover(Replication replication) {
        this.replication = replication;
        this.server = replication.server();
    }

    State state() {
        return state;
    }

    boolean inProgress() {
        return state == State.IN_PROGRESS;
    }

    /** Starts waiting for a replica to catch up ({@code host} null: any replica; {@code timeoutMillis} 0: none). */
    void start(String host, int port, boolean force, long timeoutMillis) {
        this.host = host;
        this.port = port;
        this.force = force;
        this.endMillis = timeoutMillis > 0 ? server.now() + timeoutMillis : 0;
        state = State.WAITING_FOR_SYNC;
        server.clients().pause().pauseForFailover(true);
        server.log().info("FAILOVER requested to {}.", host == null ? "any replica" : host + ":" + port);
        replication.requestAcksNow();
        checker = server.transport().loop().scheduleAtFixedRate(this::check, CHECK_MILLIS, CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** Redis's updateFailoverStatus: a caught-up replica (or the timeout) moves the failover on. */
    void check() {
        if (state != State.WAITING_FOR_SYNC) {
            return;
        }
        server.refreshClock();
        if (endMillis > 0 && server.now() >= endMillis) {
            if (force && host != null) {
                proceed(host, port);
            } else {
                abort("Replica never caught up before timeout");
            }
            return;
        }
        for (ReplicaLink r : replication.replicas()) {
            boolean wanted = host == null || (r.ip.equals(host) && r.listeningPort == port);
            if (wanted && r.ackOffset == replication.offset()) {
                proceed(r.ip, r.listeningPort);
                return;
            }
        }
    }

    private void proceed(String toHost, int toPort) {
        server.log().info("Failover target {}:{} is synced, failing over.", toHost, toPort);
        state = State.IN_PROGRESS;
        stopChecking();
        replication.followForFailover(toHost, toPort);
    }

    /** The target accepted our PSYNC FAILOVER: we are its replica now, writes resume (and get -READONLY). */
    void succeeded() {
        if (state == State.IN_PROGRESS) {
            server.log().info("Failover target accepted: this server is a replica now.");
            clear();
        }
    }

    /** FAILOVER ABORT, a timeout or a refused PSYNC FAILOVER: back to being the master. */
    void abort(String reason) {
        server.log().warn("FAILOVER aborted: {}", reason);
        boolean wasInProgress = state == State.IN_PROGRESS;
        clear();
        if (wasInProgress) {
            replication.promote();
        }
    }

    private void clear() {
        state = State.NONE;
        host = null;
        stopChecking();
        server.clients().pause().pauseForFailover(false);
    }

    private void stopChecking() {
        if (checker != null) {
            checker.cancel(false);
            checker = null;
        }
    }
}
