package io.cinnabar.kernel.replication;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandFlag;
import io.cinnabar.api.Errors;
import io.cinnabar.kernel.command.Command;
import io.cinnabar.kernel.command.Dispatcher;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.net.RespWriter;
import io.cinnabar.kernel.server.CinnabarServer;

/**
 * The dispatcher checks replication adds, in processCommand's order: a replica with a down link and
 * {@code replica-serve-stale-data no} serves only commands flagged stale (MASTERDOWN); a master short of
 * {@code min-replicas-to-write} good replicas refuses writes (NOREPLICAS); a read-only replica refuses
 * writes from anyone but its master (READONLY). A write queued in MULTI is refused at queueing time.
 */
public final class ReplicationGate implements Dispatcher.Gate {
    private final CinnabarServer server;
    /** min-replicas-to-write, or 0 when it or min-replicas-max-lag is off (read per write, so cached). */
    private long minReplicas;

    public ReplicationGate(CinnabarServer server) {
        this.server = server;
        refresh();
        server.config().onChange((name, value) -> {
            if (name.startsWith("min-replicas-")) {
                refresh();
            }
        });
    }

    private void refresh() {
        long lag = server.config().getLong("min-replicas-max-lag");
        minReplicas = lag > 0 ? server.config().getLong("min-replicas-to-write") : 0;
    }

    @Override
    public boolean reject(ClientConnection client, Command command, Args args, RespWriter reply) {
        Replication r = server.replication();
        MasterLink link = r.masterLink();
        if (link == null && minReplicas == 0) {
            return false; // a master without min-replicas-to-write: nothing to check (the common case)
        }
        if (client.isMaster()) {
            return false;
        }
        boolean write = command.spec().has(CommandFlag.WRITE) || isExecOfWrites(client, command);
        if (link != null && !link.up() && !server.config().getBoolean("replica-serve-stale-data")
                && !command.spec().has(CommandFlag.STALE)) {
            reply.error(Errors.MASTERDOWN);
            return true;
        }
        if (!write) {
            return false;
        }
        if (link == null) {
            if (r.goodReplicas() < minReplicas) {
                reply.error(Errors.NOREPLICAS);
                return true;
            }
            return false;
        }
        if (server.config().getBoolean("replica-read-only")) {
            reply.error(Errors.READONLY_REPLICA);
            return true;
        }
        return false;
    }

    private static boolean isExecOfWrites(ClientConnection client, Command command) {
        return client.transaction() != null && command.spec().parentName() == null
                && command.spec().name().equals("exec") && client.transaction().anyHas(CommandFlag.WRITE);
    }
}
