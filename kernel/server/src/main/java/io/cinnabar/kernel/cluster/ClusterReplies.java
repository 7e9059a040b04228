package io.cinnabar.kernel.cluster;

import io.cinnabar.api.Reply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CLUSTER INFO, SLOTS, SHARDS and LINKS in Redis 7.2's exact shapes. */
final class ClusterReplies {
    private ClusterReplies() {
    }

    static String info(Cluster cluster) {
        ClusterState s = cluster.state;
        int assigned = 0;
        int pfail = 0;
        int fail = 0;
        for (ClusterNode n : s.slots) {
            if (n != null) {
                assigned++;
                if (n.failed()) {
                    fail++;
                } else if (n.timedOut()) {
                    pfail++;
                }
            }
        }
        ClusterNode me = s.myself;
        long myEpoch = me.isReplica() && me.master != null ? me.master.configEpoch : me.configEpoch;
        StringBuilder sb = new StringBuilder(512);
        line(sb, "cluster_state", s.ok ? "ok" : "fail");
        line(sb, "cluster_slots_assigned", assigned);
        line(sb, "cluster_slots_ok", assigned - fail - pfail);
        line(sb, "cluster_slots_pfail", pfail);
        line(sb, "cluster_slots_fail", fail);
        line(sb, "cluster_known_nodes", s.nodes.size());
        line(sb, "cluster_size", s.size);
        line(sb, "cluster_current_epoch", s.currentEpoch);
        line(sb, "cluster_my_epoch", myEpoch);
        stats(sb, s.sent, "sent");
        stats(sb, s.received, "received");
        line(sb, "total_cluster_links_buffer_limit_exceeded", 0);
        return sb.toString();
    }

    private static void stats(StringBuilder sb, long[] counts, String what) {
        long total = 0;
        for (int t = 0; t < counts.length; t++) {
            if (counts[t] > 0) {
                line(sb, "cluster_stats_messages_" + BusMessage.TYPE_NAMES[t] + "_" + what, counts[t]);
                total += counts[t];
            }
        }
        line(sb, "cluster_stats_messages_" + what, total);
    }

    private static void line(StringBuilder sb, String field, Object value) {
        sb.append(field).append(':').append(value).append("\r\n");
    }

    /** A replica is listed once it has synced something and is not failed (Redis's isReplicaAvailable). */
    private static boolean available(Cluster cluster, ClusterNode r) {
        if (r.failed()) {
            return false;
        }
        long offset = r.isMyself() ? cluster.replicationOffset() : r.replOffset;
        return offset != 0;
    }

    static void slots(Cluster cluster, Reply reply) {
        ClusterState s = cluster.state;
        List<int[]> ranges = new ArrayList<>();
        List<ClusterNode> owners = new ArrayList<>();
        int start = -1;
        ClusterNode cur = null;
        for (int i = 0; i <= ClusterState.SLOTS; i++) {
            ClusterNode n = i < ClusterState.SLOTS ? s.slots[i] : null;
            if (n != cur || i == ClusterState.SLOTS) {
                if (cur != null) {
                    ranges.add(new int[] {start, i - 1});
                    owners.add(cur);
                }
                cur = n;
                start = i;
            }
        }
        reply.array(ranges.size());
        for (int k = 0; k < ranges.size(); k++) {
            ClusterNode master = owners.get(k);
            List<ClusterNode> replicas = new ArrayList<>();
            for (ClusterNode r : master.replicas) {
                if (available(cluster, r)) {
                    replicas.add(r);
                }
            }
            reply.array(3 + replicas.size());
            reply.integer(ranges.get(k)[0]);
            reply.integer(ranges.get(k)[1]);
            slotsNode(cluster, master, reply);
            for (ClusterNode r : replicas) {
                slotsNode(cluster, r, reply);
            }
        }
    }

    private static void slotsNode(Cluster cluster, ClusterNode n, Reply reply) {
        String type = Endpoints.type(cluster);
        reply.array(4);
        switch (type) {
            case "hostname" -> reply.bulk(n.hostname.isEmpty() ? "?" : n.hostname);
            case "unknown-endpoint" -> reply.nullBulk();
            default -> reply.bulk(n.ip);
        }
        reply.integer(n.port);
        reply.bulk(n.name);
        boolean ip = !type.equals("ip");
        boolean host = !type.equals("hostname") && !n.hostname.isEmpty();
        reply.map((ip ? 1 : 0) + (host ? 1 : 0));
        if (ip) {
            reply.bulk("ip");
            reply.bulk(n.ip);
        }
        if (host) {
            reply.bulk("hostname");
            reply.bulk(n.hostname);
        }
    }

    static void shards(Cluster cluster, Reply reply) {
        ClusterState s = cluster.state;
        Map<String, List<ClusterNode>> shards = new LinkedHashMap<>();
        for (ClusterNode n : s.all()) {
            shards.computeIfAbsent(n.shardId, k -> new ArrayList<>()).add(n);
        }
        reply.array(shards.size());
        for (List<ClusterNode> nodes : shards.values()) {
            ClusterNode master = nodes.get(0);
            while (master.master != null) {
                master = master.master;
            }
            reply.map(2);
            reply.bulk("slots");
            int[] r = s.ranges(master);
            reply.array(r.length);
            for (int v : r) {
                reply.integer(v);
            }
            reply.bulk("nodes");
            reply.array(nodes.size());
            for (ClusterNode n : nodes) {
                shardNode(cluster, n, reply);
            }
        }
    }

    private static void shardNode(Cluster cluster, ClusterNode n, Reply reply) {
        boolean host = !n.hostname.isEmpty();
        reply.map(6 + (n.port != 0 ? 1 : 0) + (host ? 1 : 0));
        reply.bulk("id");
        reply.bulk(n.name);
        if (n.port != 0) {
            reply.bulk("port");
            reply.integer(n.port);
        }
        reply.bulk("ip");
        reply.bulk(n.ip);
        reply.bulk("endpoint");
        reply.bulk(Endpoints.preferred(cluster, n));
        if (host) {
            reply.bulk("hostname");
            reply.bulk(n.hostname);
        }
        long offset = n.isMyself() ? cluster.replicationOffset() : n.replOffset;
        reply.bulk("role");
        reply.bulk(n.isReplica() ? "replica" : "master");
        reply.bulk("replication-offset");
        reply.integer(offset);
        reply.bulk("health");
        reply.bulk(n.failed() ? "fail" : n.isReplica() && offset == 0 ? "loading" : "online");
    }

    static void links(Cluster cluster, Reply reply) {
        List<ClusterLink> links = new ArrayList<>();
        for (ClusterNode n : cluster.state.all()) {
            if (n.link != null) {
                links.add(n.link);
            }
            if (n.inboundLink != null) {
                links.add(n.inboundLink);
            }
        }
        reply.array(links.size());
        for (ClusterLink l : links) {
            reply.map(6);
            reply.bulk("direction");
            reply.bulk(l.inbound ? "from" : "to");
            reply.bulk("node");
            reply.bulk(l.node.name);
            reply.bulk("create-time");
            reply.integer(l.ctime);
            reply.bulk("events");
            reply.bulk(l.events());
            reply.bulk("send-buffer-allocated");
            reply.integer(l.pendingBytes);
            reply.bulk("send-buffer-used");
            reply.integer(l.pendingBytes);
        }
    }
}
