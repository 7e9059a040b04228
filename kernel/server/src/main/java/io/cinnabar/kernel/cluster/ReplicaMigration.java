package io.cinnabar.kernel.cluster;

/**
 * Replica migration (Redis's orphaned-master check in clusterCron and clusterHandleSlaveMigration): a master
 * serving slots whose replicas all failed is "orphaned"; a replica of the master with the most working
 * replicas, above {@code cluster-migration-barrier}, and with the smallest id among those, moves to it once
 * it has been orphaned for a few seconds.
 */
final class ReplicaMigration {
    static final long DELAY = 5000;
    private final Cluster cluster;

    ReplicaMigration(Cluster cluster) {
        this.cluster = cluster;
    }

    static int workingReplicas(ClusterNode master) {
        int ok = 0;
        for (ClusterNode r : master.replicas) {
            if (!r.failed()) {
                ok++;
            }
        }
        return ok;
    }

    /** From the cron, on a replica. */
    void cron(long now) {
        ClusterState state = cluster.state;
        ClusterNode me = state.myself;
        if (!me.isReplica() || !cluster.server.config().getBoolean("cluster-allow-replica-migration")) {
            return;
        }
        int orphaned = 0;
        int maxReplicas = 0;
        int mine = 0;
        for (ClusterNode n : state.all()) {
            if (n.isMyself() || n.has(ClusterNode.NOADDR | ClusterNode.HANDSHAKE) || !n.isMaster() || n.failed()) {
                continue;
            }
            int ok = workingReplicas(n);
            if (ok == 0 && n.numSlots > 0 && n.has(ClusterNode.MIGRATE_TO)) {
                orphaned++;
            }
            maxReplicas = Math.max(maxReplicas, ok);
            if (me.master == n) {
                mine = ok;
            }
        }
        if (orphaned > 0 && maxReplicas >= 2 && mine == maxReplicas) {
            migrate(maxReplicas, now);
        }
    }

    private void migrate(int maxReplicas, long now) {
        ClusterState state = cluster.state;
        ClusterNode me = state.myself;
        ClusterNode myMaster = me.master;
        if (!state.ok || myMaster == null) {
            return;
        }
        int ok = 0;
        for (ClusterNode r : myMaster.replicas) {
            if (!r.failed() && !r.timedOut()) {
                ok++;
            }
        }
        if (ok <= cluster.server.config().getInt("cluster-migration-barrier")) {
            return;
        }
        ClusterNode target = null;
        ClusterNode candidate = me;
        for (ClusterNode n : state.all()) {
            int working = n.isMaster() ? workingReplicas(n) : 0;
            boolean isOrphaned = !n.isReplica() && !n.failed() && n.has(ClusterNode.MIGRATE_TO) && working == 0;
            if (isOrphaned) {
                if (target == null && n.numSlots > 0) {
                    target = n;
                }
                if (n.orphanedTime == 0) {
                    n.orphanedTime = now;
                }
            } else {
                n.orphanedTime = 0;
            }
            if (working == maxReplicas) {
                for (ClusterNode r : n.replicas) {
                    if (r.name.compareTo(candidate.name) < 0) {
                        candidate = r;
                    }
                }
            }
        }
        if (target != null && candidate == me && now - target.orphanedTime > DELAY) {
            cluster.server.log().info("Migrating to orphaned master {}", target.name);
            cluster.setMyMaster(target);
            cluster.saveLater(true);
        }
    }
}
