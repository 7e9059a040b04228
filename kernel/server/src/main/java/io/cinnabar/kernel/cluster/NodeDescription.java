package io.cinnabar.kernel.cluster;

/**
 * One CLUSTER NODES line (Redis's clusterGenNodeDescription); nodes.conf uses the same line with the aux
 * fields (hostname, tls-port, nodename, shard-id) appended to the address.
 */
final class NodeDescription {
    private NodeDescription() {
    }

    static String of(ClusterState state, ClusterNode n, boolean forFile) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(n.name).append(' ').append(n.ip).append(':').append(n.port).append('@').append(n.cport);
        if (!n.hostname.isEmpty()) {
            sb.append(',').append(n.hostname);
        }
        if (forFile) {
            if (n.hostname.isEmpty()) {
                sb.append(',');
            }
            // aux fields in Redis's order (its table walked backwards): tls-port, nodename, shard-id
            sb.append(",tls-port=0");
            if (!n.humanNodename.isEmpty()) {
                sb.append(",nodename=").append(n.humanNodename);
            }
            sb.append(",shard-id=").append(n.shardId);
        }
        sb.append(' ').append(n.flagsText());
        sb.append(' ').append(n.master != null ? n.master.name : "-");
        sb.append(' ').append(n.pingSent).append(' ').append(n.pongReceived).append(' ').append(n.shownEpoch());
        sb.append(' ').append(n.link != null || n.isMyself() ? "connected" : "disconnected");
        int[] r = state.ranges(n);
        for (int i = 0; i < r.length; i += 2) {
            sb.append(' ').append(r[i]);
            if (r[i + 1] != r[i]) {
                sb.append('-').append(r[i + 1]);
            }
        }
        if (n.isMyself()) {
            for (int j = 0; j < ClusterState.SLOTS; j++) {
                if (state.migratingTo[j] != null) {
                    sb.append(" [").append(j).append("->-").append(state.migratingTo[j].name).append(']');
                } else if (state.importingFrom[j] != null) {
                    sb.append(" [").append(j).append("-<-").append(state.importingFrom[j].name).append(']');
                }
            }
        }
        return sb.toString();
    }

    /** CLUSTER NODES: every node, handshake ones included, each line ended by a bare newline. */
    static String all(ClusterState state) {
        StringBuilder sb = new StringBuilder();
        for (ClusterNode n : state.all()) {
            sb.append(of(state, n, false)).append('\n');
        }
        return sb.toString();
    }
}
