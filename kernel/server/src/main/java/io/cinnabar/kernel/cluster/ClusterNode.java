package io.cinnabar.kernel.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of the cluster as this node sees it (Redis's clusterNode): name, address, flags, role, epochs,
 * liveness timestamps, failure reports and the links to it. Owned by the execution thread.
 */
public final class ClusterNode {
    // flag bits, as on the bus (cluster.h CLUSTER_NODE_*)
    public static final int MASTER = 1;
    public static final int SLAVE = 2;
    public static final int PFAIL = 4;
    public static final int FAIL = 8;
    public static final int MYSELF = 16;
    public static final int HANDSHAKE = 32;
    public static final int NOADDR = 64;
    public static final int MEET = 128;
    public static final int MIGRATE_TO = 256;
    public static final int NOFAILOVER = 512;

    String name;
    String shardId;
    String ip = "";
    int port;
    int cport;
    int pport;
    String hostname = "";
    String humanNodename = "";
    /**
     * The node's pings carry no shard id extension: a Redis 7.0 node, which knows only the hostname extension
     * and logs a warning for every other one it receives. Learnt from its pings; unknown nodes get all of them.
     */
    boolean hostnameExtensionOnly;
    int flags;
    ClusterNode master;
    final List<ClusterNode> replicas = new ArrayList<>();
    long configEpoch;
    long ctime;
    long pingSent;
    long pongReceived;
    long dataReceived;
    long failTime;
    long votedTime;
    long replOffset;
    long orphanedTime;
    int numSlots;
    ClusterLink link;
    ClusterLink inboundLink;
    /** Failure reports: reporting master -> time of its last report. */
    final Map<ClusterNode, Long> failReports = new LinkedHashMap<>();

    ClusterNode(String name, int flags, long now) {
        this.name = name;
        this.flags = flags;
        this.ctime = now;
        this.shardId = NodeIds.random();
    }

    public String name() {
        return name;
    }

    public String ip() {
        return ip;
    }

    public int port() {
        return port;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    boolean isMaster() {
        return has(MASTER);
    }

    boolean isReplica() {
        return has(SLAVE);
    }

    boolean isMyself() {
        return has(MYSELF);
    }

    boolean inHandshake() {
        return has(HANDSHAKE);
    }

    boolean failed() {
        return has(FAIL);
    }

    boolean timedOut() {
        return has(PFAIL);
    }

    /** The epoch CLUSTER NODES and the bus header show: a replica shows its master's. */
    long shownEpoch() {
        return isReplica() && master != null ? master.configEpoch : configEpoch;
    }

    /** Redis's representClusterNodeFlags: the known flags in a fixed order, or "noflags". */
    String flagsText() {
        StringBuilder sb = new StringBuilder();
        append(sb, MYSELF, "myself");
        append(sb, MASTER, "master");
        append(sb, SLAVE, "slave");
        append(sb, PFAIL, "fail?");
        append(sb, FAIL, "fail");
        append(sb, HANDSHAKE, "handshake");
        append(sb, NOADDR, "noaddr");
        append(sb, NOFAILOVER, "nofailover");
        return sb.length() == 0 ? "noflags" : sb.toString();
    }

    private void append(StringBuilder sb, int flag, String text) {
        if (has(flag)) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(text);
        }
    }

    /** Parses one flag word of nodes.conf; -1 when unknown. */
    static int flagOf(String word) {
        return switch (word) {
            case "myself" -> MYSELF;
            case "master" -> MASTER;
            case "slave" -> SLAVE;
            case "fail?" -> PFAIL;
            case "fail" -> FAIL;
            case "handshake" -> HANDSHAKE;
            case "noaddr" -> NOADDR;
            case "nofailover" -> NOFAILOVER;
            case "noflags" -> 0;
            default -> -1;
        };
    }

    void addReplica(ClusterNode r) {
        if (!replicas.contains(r)) {
            replicas.add(r);
            flags |= MIGRATE_TO; // a master that had replicas may receive migrating ones later
        }
    }

    void removeReplica(ClusterNode r) {
        replicas.remove(r);
        if (replicas.isEmpty()) {
            flags &= ~MIGRATE_TO;
        }
    }

    /** Redis's clusterNodeAddFailureReport: adds or refreshes the report of {@code sender}. */
    boolean addFailureReport(ClusterNode sender, long now) {
        return failReports.put(sender, now) == null;
    }

    /** Drops reports older than {@code maxAge} ms (Redis's clusterNodeCleanupFailureReports). */
    void cleanupFailureReports(long now, long maxAge) {
        failReports.values().removeIf(t -> now - t > maxAge);
    }

    boolean removeFailureReport(ClusterNode sender) {
        return failReports.remove(sender) != null;
    }

    int failureReportCount(long now, long maxAge) {
        cleanupFailureReports(now, maxAge);
        return failReports.size();
    }
}
