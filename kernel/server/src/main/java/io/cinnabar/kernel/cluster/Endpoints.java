package io.cinnabar.kernel.cluster;

/** Which name of a node clients are told to connect to (cluster-preferred-endpoint-type). */
final class Endpoints {
    private Endpoints() {
    }

    static String type(Cluster cluster) {
        return cluster.server.config().get("cluster-preferred-endpoint-type");
    }

    /** Redis's clusterNodePreferredEndpoint. */
    static String preferred(Cluster cluster, ClusterNode n) {
        return switch (type(cluster)) {
            case "hostname" -> n.hostname.isEmpty() ? "?" : n.hostname;
            case "unknown-endpoint" -> "";
            default -> n.ip;
        };
    }
}
