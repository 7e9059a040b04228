package io.cinnabar.distribution;

import static io.cinnabar.distribution.ProcessTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.distribution.ClusterProcesses.Node;
import io.cinnabar.distribution.ClusterWriteLoad.Until;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failovers of a cluster of real processes (three masters with a replica each, {@code redis-cli --cluster create})
 * while two JedisCluster and two Lettuce cluster clients write 10k keys over every slot, each SET followed by
 * {@code WAIT 1} on its connection, and retry what fails.
 * <ul>
 * <li>SIGKILL of a master: its replica is elected within 2 × cluster-node-timeout plus the longest election delay
 * of a first replica (Redis's 500 ms + up to 500 ms random; Redis 7.2's own runs here took 4.6-6.2 s), the
 * clients carry on, every write a replica acknowledged is read back through both clients; the killed master,
 * restarted from its directory (its nodes.conf), rejoins as a replica of the elected one and syncs;
 * {@code --cluster check} passes.
 * <li>CLUSTER FAILOVER on a replica: the roles swap and no write that returned OK is lost, acknowledged or not
 * (the master holds writes until its replica has all of them).
 * </ul>
 * Each scenario also runs against redis-server 7.2 nodes, the yardstick for the figures printed.
 */
class ClusterFailoverProcessIT {
    private static final long NODE_TIMEOUT = 3000;
    /** The longest wait of a replica of rank 0 between seeing its master FAIL and asking for votes (Redis's). */
    private static final long ELECTION_DELAY_MAX = 1000;
    private static final int KEYS = 10_000;
    private static final int WRITERS = 4;
    private static Path home;
    private static Path work;

    @BeforeAll
    static void unpack() throws Exception {
        home = ProcessTesting.unpack("-cluster");
        work = home.getParent();
    }

    @Test
    void sigkillOfAMasterUnderClusterClientsLosesNoWriteAcknowledgedByWait() throws Exception {
        try (ClusterProcesses cluster = ClusterProcesses.cinnabar(home, run(), NODE_TIMEOUT)) {
            withLogs(cluster, () -> sigkillUnderLoad(cluster, "Cinnabar"));
        }
    }

    @Test
    void sigkillOfAMasterUnderClusterClientsLosesNoWriteAcknowledgedByWaitOnRedis() throws Exception {
        try (ClusterProcesses cluster = ClusterProcesses.redis(run(), NODE_TIMEOUT)) {
            withLogs(cluster, () -> sigkillUnderLoad(cluster, "Redis"));
        }
    }

    @Test
    void manualFailoverUnderClusterClientsLosesNoWrite() throws Exception {
        try (ClusterProcesses cluster = ClusterProcesses.cinnabar(home, run(), NODE_TIMEOUT)) {
            withLogs(cluster, () -> manualFailoverUnderLoad(cluster, "Cinnabar"));
        }
    }

    @Test
    void manualFailoverUnderClusterClientsLosesNoWriteOnRedis() throws Exception {
        try (ClusterProcesses cluster = ClusterProcesses.redis(run(), NODE_TIMEOUT)) {
            withLogs(cluster, () -> manualFailoverUnderLoad(cluster, "Redis"));
        }
    }

    /** A scenario of the test; on a failure the nodes' last log lines go with it. */
    private interface Scenario {
        void run() throws Exception;
    }

    private static void withLogs(ClusterProcesses cluster, Scenario scenario) throws Exception {
        try {
            scenario.run();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nthe nodes' last log lines:\n" + cluster.logTails(40), e);
        }
    }

    private static Path run() throws IOException {
        return Files.createTempDirectory(work, "failover");
    }

    /** Half JedisCluster, half Lettuce; each write waits for a replica, so more writers write more. */
    private static List<Supplier<AcknowledgingClient>> writers(Node seed) {
        List<Supplier<AcknowledgingClient>> writers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            writers.add(i % 2 == 0 ? () -> AcknowledgingClient.jedis(seed.port())
                    : () -> AcknowledgingClient.lettuce(seed.port(), true));
        }
        return writers;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static void sigkillUnderLoad(ClusterProcesses cluster, String kind) throws Exception {
        cluster.createWithReplicas(3);
        Node victim = cluster.ownerOf(0);
        Node heir = cluster.replicaOf(victim);
        Node seed = cluster.ownerOf(16383);
        BitSet victimSlots = victim.slots();
        long killed;
        long promotedMillis;
        long rejoinedMillis;
        int ackedOnVictimBeforeKill;
        int ackedWhileDown;
        ClusterWriteLoad load = new ClusterWriteLoad(KEYS, Until.ACKNOWLEDGED, writers(seed));
        try {
            await("a third of the keys to be acknowledged", Duration.ofSeconds(60),
                    () -> load.finished() >= KEYS / 3 || !load.errors().isEmpty());
            killed = System.nanoTime();
            victim.kill();
            load.watch(victimSlots);
            await("the replica of the killed master to be elected", heir::isMaster);
            promotedMillis = millisSince(killed);
            ackedOnVictimBeforeKill = load.doneBetween(Long.MIN_VALUE, killed, victimSlots);
            ackedWhileDown = load.doneBetween(killed, System.nanoTime(), null);
            victim.restart();
            await("the killed master to rejoin as a replica of the elected one and sync", () ->
                    victim.replicates(heir)
                            && heir.viewOf(victim).map(f -> f[2].equals("slave") && f[3].equals(heir.id()))
                                    .orElse(false)
                            && victim.call("INFO", "replication").contains("master_link_status:up"));
            rejoinedMillis = millisSince(killed);
            await("every key to be acknowledged", Duration.ofSeconds(60),
                    () -> load.finished() == KEYS || !load.errors().isEmpty());
        } finally {
            load.close();
        }
        assertEquals(List.of(), load.errors());
        System.out.printf("%s SIGKILL failover (cluster-node-timeout %d ms): replica elected after %d ms, first"
                + " SET OK on its slots after %d ms, old master rejoined and in sync after %d ms; %d keys"
                + " acknowledged (%d on the killed master before the kill, %d elsewhere while it was down) in %d"
                + " attempts, %d failed%n", kind, NODE_TIMEOUT, promotedMillis, load.firstWrittenOnWatchedMillis(),
                rejoinedMillis, load.finished(), ackedOnVictimBeforeKill, ackedWhileDown, load.attempts(),
                load.failedAttempts());
        assertTrue(promotedMillis <= 2 * NODE_TIMEOUT + ELECTION_DELAY_MAX,
                "elected " + promotedMillis + " ms after the kill");
        assertTrue(ackedOnVictimBeforeKill >= 500, "writes to check: " + ackedOnVictimBeforeKill);
        assertTrue(ackedWhileDown > 0, "the clients wrote to the other masters while one was down");
        readBackThroughBothClients(load, seed);
        await("the rejoined node to hold what its master holds",
                () -> victim.call("DEBUG", "DIGEST").equals(heir.call("DEBUG", "DIGEST")));
        assertTrue(Long.parseLong(victim.call("DBSIZE").trim().substring(1)) > KEYS / 4,
                () -> "the rejoined node's keys: " + victim.call("DBSIZE"));
        checkAllSlotsCovered(cluster, seed);
    }

    private static void manualFailoverUnderLoad(ClusterProcesses cluster, String kind) throws Exception {
        cluster.createWithReplicas(3);
        Node master = cluster.ownerOf(0);
        Node replica = cluster.replicaOf(master);
        Node seed = cluster.ownerOf(16383);
        long swappedMillis;
        int doneDuring;
        ClusterWriteLoad load = new ClusterWriteLoad(KEYS, Until.WRITTEN, writers(seed));
        try {
            await("a third of the keys to be written", Duration.ofSeconds(60),
                    () -> load.finished() >= KEYS / 3 || !load.errors().isEmpty());
            long asked = System.nanoTime();
            assertEquals("+OK\r\n", replica.call("CLUSTER", "FAILOVER"));
            await("the replica and its master to swap roles", () -> replica.isMaster() && master.replicates(replica));
            swappedMillis = millisSince(asked);
            doneDuring = load.doneBetween(asked, System.nanoTime(), null);
            await("every key to be written", Duration.ofSeconds(60),
                    () -> load.finished() == KEYS || !load.errors().isEmpty());
        } finally {
            load.close();
        }
        assertEquals(List.of(), load.errors());
        System.out.printf("%s manual failover: roles swapped after %d ms; %d keys written (%d while it ran), %d of"
                + " them acknowledged, in %d attempts, %d failed%n", kind, swappedMillis, load.finished(), doneDuring,
                load.acknowledged(), load.attempts(), load.failedAttempts());
        readBackThroughBothClients(load, seed);
        await("the old master to hold what the new one holds", () ->
                master.call("INFO", "replication").contains("master_link_status:up")
                        && master.call("DEBUG", "DIGEST").equals(replica.call("DEBUG", "DIGEST")));
        checkAllSlotsCovered(cluster, seed);
    }

    /** Every key done is read back with the value of its finishing attempt, through fresh clients of both kinds. */
    private static void readBackThroughBothClients(ClusterWriteLoad load, Node seed) {
        try (AcknowledgingClient jedis = AcknowledgingClient.jedis(seed.port());
                AcknowledgingClient lettuce = AcknowledgingClient.lettuce(seed.port(), false)) {
            List<String> wrong = load.wrongReads(jedis);
            assertEquals(List.of(), first(wrong), wrong.size() + " keys read wrong through JedisCluster");
            wrong = load.wrongReads(lettuce);
            assertEquals(List.of(), first(wrong), wrong.size() + " keys read wrong through Lettuce");
        }
    }

    private static List<String> first(List<String> wrong) {
        return wrong.size() <= 20 ? wrong : wrong.subList(0, 20);
    }

    private static void checkAllSlotsCovered(ClusterProcesses cluster, Node seed) throws Exception {
        await("every node to agree about the slots", () -> {
            try {
                return cluster.cli("--cluster", "check", seed.addr())
                        .contains("[OK] All nodes agree about slots configuration.");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        String check = cluster.cli("--cluster", "check", seed.addr());
        assertTrue(check.contains("[OK] All 16384 slots covered."), check);
    }
}
