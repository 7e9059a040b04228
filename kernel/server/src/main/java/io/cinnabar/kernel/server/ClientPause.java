package io.cinnabar.kernel.server;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandFlag;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.kernel.command.Command;
import io.cinnabar.kernel.command.Dispatcher;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.net.RespWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * CLIENT PAUSE (Redis's pauseActions for PAUSE_BY_CLIENT_COMMAND): while paused, the dispatcher gate holds
 * the commands that must wait (every command in ALL mode; in WRITE mode the write and may-replicate ones,
 * including an EXEC that queued such a command) by suspending their clients, and expiry and eviction stop.
 * Replicas are never held. The pause ends at its deadline (a loop timer) or on CLIENT UNPAUSE, and held
 * clients resume in the order they were held. Nothing here blocks the event loop.
 */
public final class ClientPause implements Dispatcher.Gate {
    private final CinnabarServer server;
    private boolean all;
    private boolean writes;
    private long endMillis;
    private ScheduledFuture<?> timer;
    private final ArrayDeque<ClientConnection> held = new ArrayDeque<>();
    private boolean installed;
    /**
     * A failover holds writes too (Redis's PAUSE_DURING_FAILOVER purpose), independently of CLIENT PAUSE: FAILOVER,
     * or a cluster master handing over to its replica in a manual failover.
     */
    private boolean failover;

    ClientPause(CinnabarServer server) {
        this.server = server;
    }

    /** Adds the gate to the dispatcher once. */
    public void install() {
        if (!installed) {
            installed = true;
            server.dispatcher().addGate(this);
        }
    }

    /**
     * Pauses until {@code endMillis} (unix ms). A pause never becomes shorter or less strict while it lasts:
     * the later deadline and the stricter mode win, as in Redis.
     */
    public void pause(long endMillis, boolean allCommands) {
        expireIfDue(server.now());
        all = allCommands || all;
        writes = true;
        this.endMillis = Math.max(this.endMillis, endMillis);
        if (this.endMillis <= server.now()) {
            unpause();
            return;
        }
        server.setWritesPaused(true);
        schedule();
    }

    /** A failover starts or ends holding writes; CLIENT UNPAUSE does not end it. */
    public void pauseForFailover(boolean on) {
        install();
        failover = on;
        if (on) {
            server.setWritesPaused(true);
        } else if (!writes && !all) {
            resumeHeld();
        }
    }

    /** Ends the pause and resumes the held clients in order (a FAILOVER's hold stays). */
    public void unpause() {
        all = false;
        writes = false;
        endMillis = 0;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (!failover) {
            resumeHeld();
        }
    }

    private void resumeHeld() {
        server.setWritesPaused(false);
        server.replication().writesResumed();
        List<ClientConnection> resume = new ArrayList<>(held);
        held.clear();
        for (ClientConnection c : resume) {
            c.resume();
        }
    }

    public boolean isPaused() {
        return writes || all || failover;
    }

    /** Whether a failover holds writes (FAILOVER, or a manual failover of the cluster). */
    public boolean holdsForFailover() {
        return failover;
    }

    public boolean pausesAll() {
        return all;
    }

    /** Number of clients waiting for the pause to end. */
    public int heldCount() {
        return held.size();
    }

    @Override
    public boolean reject(ClientConnection client, Command command, Args args, RespWriter reply) {
        if (!writes && !all && !failover) {
            return false;
        }
        if ((expireIfDue(server.now()) && !failover) || client.isReplica() || client.isMaster()) {
            return false;
        }
        if (!all && !mayReplicate(client, command.spec())) {
            return false;
        }
        client.suspend();
        held.add(client);
        return true;
    }

    /** Write and may-replicate commands, and an EXEC whose queue holds one (Redis's is_may_replicate_command). */
    private static boolean mayReplicate(ClientConnection client, CommandSpec spec) {
        if (spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.MAY_REPLICATE)) {
            return true;
        }
        Transaction tx = client.transaction();
        return tx != null && spec.parentName() == null && spec.name().equals("exec")
                && (tx.anyHas(CommandFlag.WRITE) || tx.anyHas(CommandFlag.MAY_REPLICATE));
    }

    /** Ends a pause whose deadline passed; true when it did. */
    private boolean expireIfDue(long now) {
        if ((writes || all) && endMillis <= now) {
            unpause();
            return true;
        }
        return false;
    }

    private void schedule() {
        if (timer != null) {
            timer.cancel(false);
        }
        long delay = Math.max(0, endMillis - System.currentTimeMillis());
        timer = server.transport().loop().schedule(this::onTimer, delay, TimeUnit.MILLISECONDS);
    }

    private void onTimer() {
        timer = null;
        if (!writes && !all) {
            return;
        }
        if (endMillis <= System.currentTimeMillis()) {
            unpause();
        } else {
            schedule();
        }
    }
}
