package io.cinnabar.kernel.replication;

import io.cinnabar.api.InfoSection.InfoWriter;
import io.cinnabar.kernel.server.CinnabarServer;
import java.util.List;

/** INFO replication. */
public final class ReplicationInfo {
    private ReplicationInfo() {
    }

    /** INFO replication, field for field as Redis 7.2 writes it. */
    public static void write(CinnabarServer server, InfoWriter w) {
        Replication r = server.replication();
        MasterLink link = r.masterLink();
        if (link == null) {
            w.field("role", "master");
        } else {
            w.field("role", "slave")
                    .field("master_host", link.host)
                    .field("master_port", link.port)
                    .field("master_link_status", link.up() ? "up" : "down")
                    .field("master_last_io_seconds_ago", link.lastIoSecondsAgo())
                    .field("master_sync_in_progress", link.syncInProgress() ? 1 : 0);
            if (link.syncInProgress()) {
                long size = link.transferSize();
                long read = link.transferRead();
                // as Redis computes it, a negative percentage included while the length is unknown
                double perc = size != 0 ? (double) read / size * 100 : 0;
                w.field("master_sync_total_bytes", size)
                        .field("master_sync_read_bytes", read)
                        .field("master_sync_left_bytes", size - read)
                        .field("master_sync_perc", String.format("%.2f", perc))
                        .field("master_sync_last_io_seconds_ago", link.transferLastIoSecondsAgo());
            }
            w.field("slave_read_repl_offset", r.offset())
                    .field("slave_repl_offset", r.offset());
            if (!link.up()) {
                w.field("master_link_down_since_seconds", link.downSinceSeconds());
            }
            w.field("slave_priority", server.config().getLong("replica-priority"))
                    .field("slave_read_only", server.config().getBoolean("replica-read-only") ? 1 : 0)
                    .field("replica_announced", server.config().getBoolean("replica-announced") ? 1 : 0);
        }
        List<ReplicaLink> replicas = r.replicas();
        w.field("connected_slaves", replicas.size());
        if (link == null && server.config().getLong("min-replicas-to-write") > 0
                && server.config().getLong("min-replicas-max-lag") > 0) {
            w.field("min_slaves_good_slaves", r.goodReplicas());
        }
        for (int i = 0; i < replicas.size(); i++) {
            ReplicaLink s = replicas.get(i);
            w.field("slave" + i, "ip=" + s.ip + ",port=" + s.listeningPort + ",state=" + s.state.infoName + ",offset="
                    + Math.max(0, s.ackOffset) + ",lag=" + (server.now() - s.ackMillis) / 1000);
        }
        ReplicationBacklog backlog = r.backlog();
        w.field("master_failover_state", r.failoverState())
                .field("master_replid", r.replId())
                .field("master_replid2", r.replId2())
                .field("master_repl_offset", r.offset())
                .field("second_repl_offset", r.secondReplOffset())
                .field("repl_backlog_active", backlog != null ? 1 : 0)
                .field("repl_backlog_size", server.config().getLong("repl-backlog-size"))
                .field("repl_backlog_first_byte_offset", backlog != null ? backlog.firstByteOffset() : 0)
                .field("repl_backlog_histlen", backlog != null ? backlog.histlen() : 0);
    }
}
