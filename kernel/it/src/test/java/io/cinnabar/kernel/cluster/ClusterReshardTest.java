package io.cinnabar.kernel.cluster;

import static io.cinnabar.kernel.cluster.ClusterNodes.await;
import static io.cinnabar.kernel.cluster.ClusterNodes.cli;
import static io.cinnabar.kernel.cluster.ClusterNodes.cliQuiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.kernel.cluster.ClusterNodes.Node;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * Unmodified {@code redis-cli --cluster reshard} moving 1000 slots and their keys between masters (each with a
 * replica) while three JedisCluster clients and a Lettuce one keep writing and reading every key: the clients
 * follow MOVED/ASK without an error, every acknowledged write is what a read returns, the cluster checks out
 * afterwards and every replica holds what its master holds. The same run against real Redis 7.2 nodes shows
 * what a correct run looks like.
 */
class ClusterReshardTest {
    private static final int KEYS = 10_000;
    private static final int WRITERS = 4;

    @Test
    void reshardUnderWriteLoadLosesNoWriteOnRedis() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.redis()) {
            reshardUnderLoad(cluster);
        }
    }

    @Test
    void reshardUnderWriteLoadLosesNoWrite() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.cinnabar()) {
            reshardUnderLoad(cluster);
        }
    }

    private static String key(int i) {
        return "key:" + i;
    }

    private static void reshardUnderLoad(ClusterNodes cluster) throws Exception {
        List<Node> masters = cluster.create(3, 1);
        Set<HostAndPort> seeds = Set.of(new HostAndPort("127.0.0.1", masters.get(0).port()));
        // the last value each key was acknowledged with (each key has one writer: reads must see exactly it)
        long[] acked = new long[KEYS];
        try (JedisCluster jc = new JedisCluster(seeds)) {
            for (int i = 0; i < KEYS; i++) {
                jc.set(key(i), "0");
            }
        }
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong operations = new AtomicLong();
        Thread[] writers = new Thread[WRITERS];
        for (int w = 0; w < WRITERS; w++) {
            int mine = w;
            writers[w] = new Thread(() -> {
                try (Client jc = mine == 0 ? new LettuceClient(masters.get(0).port()) : new JedisClient(seeds)) {
                    long round = 0;
                    while (!stop.get() && failures.isEmpty()) {
                        round++;
                        for (int i = mine; i < KEYS && !stop.get(); i += WRITERS) {
                            jc.set(key(i), Long.toString(round));
                            acked[i] = round;
                            int r = mine + WRITERS * ThreadLocalRandom.current().nextInt(KEYS / WRITERS);
                            String seen = jc.get(key(r));
                            if (!Long.toString(acked[r]).equals(seen)) {
                                failures.add(key(r) + " read " + seen + " after " + acked[r] + " was acknowledged");
                            }
                            operations.addAndGet(2);
                        }
                    }
                } catch (RuntimeException e) {
                    failures.add(e.toString());
                }
            }, "writer-" + w);
            writers[w].start();
        }
        try {
            long before = operations.get();
            await(() -> operations.get() > before + 2000 || !failures.isEmpty(), "the load to run");
            String from = masters.get(0).id();
            String to = masters.get(1).id();
            String reshard = cli("--cluster", "reshard", masters.get(2).addr(), "--cluster-from", from,
                    "--cluster-to", to, "--cluster-slots", "1000", "--cluster-yes");
            assertTrue(reshard.contains("Moving slot 999 from"), reshard);
            assertFalse(reshard.contains("[ERR]"), reshard);
            long after = operations.get();
            assertTrue(after - before > 2000, "the clients worked while slots moved: " + (after - before));
            await(() -> operations.get() > after + 2000 || !failures.isEmpty(), "the load to go on after the reshard");
        } finally {
            stop.set(true);
            for (Thread t : writers) {
                t.join(30_000);
            }
        }
        assertEquals(List.of(), List.copyOf(failures));
        await(() -> cliQuiet("--cluster", "check", masters.get(0).addr())
                .contains("[OK] All nodes agree about slots configuration."), "every node to agree after the reshard");
        String check = cli("--cluster", "check", masters.get(0).addr());
        assertTrue(check.contains("[OK] All 16384 slots covered."), check);
        assertTrue(check.contains("(4461 slots) master") || check.contains("(4462 slots) master"), check);
        long total = 0;
        for (Node n : masters) {
            total += Long.parseLong(n.call("DBSIZE").trim().substring(1));
        }
        assertEquals(KEYS, total, "keys across the masters");
        try (JedisCluster jc = new JedisCluster(seeds)) {
            for (int i = 0; i < KEYS; i++) {
                assertEquals(Long.toString(acked[i]), jc.get(key(i)), key(i));
            }
        }
        // the replicas followed: MIGRATE's deletes and RESTORE-ASKING reached them through replication
        java.util.Map<Node, Node> replicas = cluster.replicaToMaster();
        assertEquals(3, replicas.size());
        replicas.forEach((replica, master) -> await(() ->
                replica.call("DEBUG", "DIGEST").equals(master.call("DEBUG", "DIGEST")),
                "replica " + replica.addr() + " to hold what its master " + master.addr() + " holds"));
    }

    /** What a writer needs of a cluster client: writer 0 uses Lettuce, the others JedisCluster. */
    private interface Client extends AutoCloseable {
        void set(String key, String value);

        String get(String key);

        @Override
        void close();
    }

    private static final class JedisClient implements Client {
        private final JedisCluster jc;

        JedisClient(Set<HostAndPort> seeds) {
            jc = new JedisCluster(seeds);
        }

        @Override
        public void set(String key, String value) {
            jc.set(key, value);
        }

        @Override
        public String get(String key) {
            return jc.get(key);
        }

        @Override
        public void close() {
            jc.close();
        }
    }

    /** Lettuce follows MOVED and ASK itself (up to 5 redirections a command). */
    private static final class LettuceClient implements Client {
        private final io.lettuce.core.cluster.RedisClusterClient client;
        private final io.lettuce.core.cluster.api.StatefulRedisClusterConnection<String, String> conn;

        LettuceClient(int port) {
            client = io.lettuce.core.cluster.RedisClusterClient.create(
                    io.lettuce.core.RedisURI.create("127.0.0.1", port));
            conn = client.connect();
        }

        @Override
        public void set(String key, String value) {
            conn.sync().set(key, value);
        }

        @Override
        public String get(String key) {
            return conn.sync().get(key);
        }

        @Override
        public void close() {
            conn.close();
            client.shutdown();
        }
    }
}
