package io.cinnabar.kernel.cluster;

import static io.cinnabar.kernel.cluster.ClusterNodes.await;
import static io.cinnabar.kernel.cluster.ClusterNodes.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.kernel.cluster.ClusterNodes.Node;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * Mixed clusters: Cinnabar nodes (in this JVM) and real redis-server processes joined by CLUSTER MEET over the
 * binary bus, slots spread over both kinds, replicas of the other kind. Every node sees every other one connected,
 * clients are redirected across kinds, {@code redis-cli --cluster check} passes, and a killed master is replaced
 * by its replica of the other kind. Redis 7.0 speaks the same bus, but cannot load Redis 7.2's RDB version 11: it
 * replicates a Cinnabar master only once that master writes version 10 ({@code rdb-version 10}).
 */
class ClusterMixedTest {
    private static final int KEYS = 300;

    /** Masters r1 (Redis), r2 (Redis), c1 (Cinnabar); c2 (Cinnabar) replicates r1, r3 (Redis) replicates c1. */
    @Test
    void cinnabarAndRedis72ServeOneCluster() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.redis()) {
            Node r1 = cluster.start(true);
            Node r2 = cluster.start(true);
            Node c1 = cluster.start(false);
            Node c2 = cluster.start(false);
            Node r3 = cluster.start(true);
            join(cluster.nodes(), r1, r2, c1);
            c2.call("CLUSTER", "REPLICATE", r1.id());
            r3.call("CLUSTER", "REPLICATE", c1.id());
            writeAndRedirect(r1, c1);
            awaitInSync(c2, r1);
            awaitInSync(r3, c1);
            checkPasses(r1, c1);

            r1.kill(); // a Redis master dies: its Cinnabar replica is elected by Redis's and Cinnabar's votes
            awaitTakeover(c2, List.of(r2, c1, r3), "0-5460");
            allKeysReadable(c2);
            c1.kill(); // a Cinnabar master goes: its Redis replica is elected
            awaitTakeover(r3, List.of(r2, c2), "10923-16383");
            allKeysReadable(r3);
            checkPasses(r2, c2);
        }
    }

    /**
     * Masters r1, r2 (Redis 7.0) and c1 (Cinnabar); c2 (Cinnabar) replicates r1. The 7.0 nodes get only the ping
     * extension they read, once their pings showed what they are; r3 (7.0) replicates c1 once c1 writes RDB 10.
     */
    @Test
    void cinnabarAndRedis70ServeOneCluster() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.cinnabar()) {
            Node r1 = cluster.startRedis70();
            Node r2 = cluster.startRedis70();
            Node c1 = cluster.start(false);
            Node c2 = cluster.start(false);
            Node r3 = cluster.startRedis70();
            join(cluster.nodes(), r1, r2, c1);
            c2.call("CLUSTER", "REPLICATE", r1.id());
            r3.call("CLUSTER", "REPLICATE", c1.id());
            writeAndRedirect(r1, c1);
            awaitInSync(c2, r1);
            checkPasses(r1, c1);
            int[] early = {warnings(r2), warnings(r3)};
            await(() -> r3.log().contains("Can't handle RDB format version 11"), "7.0 replica refusing RDB 11");
            assertTrue(r3.call("INFO", "replication").contains("master_link_status:down"));
            assertEquals("+OK\r\n", c1.call("CONFIG", "SET", "rdb-version", "10")); // what 7.0 reads
            awaitInSync(r3, c1);

            r1.kill();
            awaitTakeover(c2, List.of(r2, c1, r3), "0-5460");
            allKeysReadable(c2);
            c1.kill();
            awaitTakeover(r3, List.of(r2, c2), "10923-16383");
            allKeysReadable(r3);
            // until a 7.0 node's first ping is read, a Cinnabar node sends it what it sends Redis 7.2 (a few warnings
            // while joining); after that none, where sending the shard id every time logged several a second
            assertEquals(early[0], warnings(r2), r2.log());
            assertEquals(early[1], warnings(r3), r3.log());
        }
    }

    private static int warnings(Node redis) {
        return redis.log().split("Received unknown extension type", -1).length - 1;
    }

    /** Slots to the three masters, every other node meets the first; waits until all see all, connected, ok. */
    private static void join(List<Node> all, Node m1, Node m2, Node m3) {
        assertEquals("+OK\r\n", m1.call("CLUSTER", "ADDSLOTSRANGE", "0", "5460"));
        assertEquals("+OK\r\n", m2.call("CLUSTER", "ADDSLOTSRANGE", "5461", "10922"));
        assertEquals("+OK\r\n", m3.call("CLUSTER", "ADDSLOTSRANGE", "10923", "16383"));
        for (Node n : all) {
            if (n != m1) {
                assertEquals("+OK\r\n", n.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(m1.port()),
                        Integer.toString(m1.busPort())));
            }
        }
        await(() -> all.stream().allMatch(n -> seesAllConnected(n, all.size())), "every node sees every node");
    }

    private static boolean seesAllConnected(Node n, int count) {
        String info = n.call("CLUSTER", "INFO");
        if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + count + "\r\n")) {
            return false;
        }
        String[] lines = n.call("CLUSTER", "NODES").split("\r\n")[1].split("\n");
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length < 8 || !f[7].equals("connected") || f[2].matches(".*(handshake|fail|noaddr).*")) {
                return false;
            }
        }
        return lines.length == count;
    }

    /** Keys written through one kind, read through the other; plain clients get MOVED to the other kind. */
    private static void writeAndRedirect(Node redis, Node cinnabar) {
        try (JedisCluster jc = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", cinnabar.port())))) {
            for (int i = 0; i < KEYS; i++) {
                jc.set("key:" + i, "v" + i);
            }
        }
        allKeysReadable(redis);
        // foo hashes to 12182 (Cinnabar's), bar to 5061 (Redis's)
        assertEquals("-MOVED 12182 127.0.0.1:" + cinnabar.port() + "\r\n", redis.call("GET", "foo"));
        assertEquals("-MOVED 5061 127.0.0.1:" + redis.port() + "\r\n", cinnabar.call("GET", "bar"));
    }

    private static void allKeysReadable(Node seed) {
        try (JedisCluster jc = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", seed.port())))) {
            for (int i = 0; i < KEYS; i++) {
                assertEquals("v" + i, jc.get("key:" + i), "key:" + i);
            }
        }
    }

    private static void awaitInSync(Node replica, Node master) {
        await(() -> replica.call("INFO", "replication").contains("master_link_status:up")
                && replica.call("DBSIZE").equals(master.call("DBSIZE")), replica.port() + " in sync with "
                + master.port());
    }

    /** {@code redis-cli --cluster check} from each node: it agrees, covers every slot, finds every key. */
    private static void checkPasses(Node... from) {
        for (Node n : from) {
            await(() -> {
                String out = ClusterNodes.cliQuiet("--cluster", "check", n.addr());
                return out.contains("[OK] All nodes agree about slots configuration.")
                        && out.contains("[OK] All 16384 slots covered.") && !out.contains("[ERR]");
            }, "redis-cli --cluster check from " + n.port());
        }
        try {
            assertTrue(cli("--cluster", "check", from[0].addr()).contains("[OK] " + KEYS + " keys in 3 masters."));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The replica became a master owning its old master's slots, and every survivor says so, with state ok. */
    private static void awaitTakeover(Node replica, List<Node> others, String slots) {
        String id = replica.id();
        await(() -> replica.call("INFO", "replication").contains("role:master"), replica.port() + " elected");
        await(() -> others.stream().allMatch(n -> n.call("CLUSTER", "INFO").contains("cluster_state:ok")
                && n.call("CLUSTER", "NODES").contains(" " + slots + "\n")
                && ownerLine(n, slots).startsWith(id)), "every survivor sees " + replica.port() + " own " + slots);
    }

    private static String ownerLine(Node n, String slots) {
        for (String line : n.call("CLUSTER", "NODES").split("\n")) {
            if (line.endsWith(" " + slots)) {
                return line;
            }
        }
        return "";
    }
}
