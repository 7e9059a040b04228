package io.cinnabar.kernel.cluster;

import static io.cinnabar.kernel.cluster.ClusterNodes.await;
import static io.cinnabar.kernel.cluster.ClusterNodes.cli;
import static io.cinnabar.kernel.cluster.ClusterNodes.cliQuiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.datatypes.strings.StringsFamily;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * The Redis quick start against Cinnabar nodes: unmodified {@code redis-cli --cluster create} with one replica
 * per master, {@code --cluster check}, {@code redis-cli -c}, JedisCluster and Lettuce over every slot, and a master that
 * goes away being flagged FAIL and replaced by its replica in the cluster view.
 */
class ClusterCliTest {
    private final List<TestServer> nodes = new ArrayList<>();

    private final List<java.nio.file.Path> dirs = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (TestServer s : nodes) {
            s.close();
        }
        for (java.nio.file.Path d : dirs) {
            try (java.util.stream.Stream<java.nio.file.Path> files = Files.walk(d)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private String tempDir() throws IOException {
        java.nio.file.Path d = Files.createTempDirectory("cluster");
        dirs.add(d);
        return d.toString();
    }

    private TestServer node() throws IOException {
        TestServer s = TestServer.builder().family(new StringsFamily())
                .option("port", Integer.toString(TestServer.clusterPortPair())).option("cluster-enabled", "yes")
                .option("cluster-node-timeout", "1500")
                .option("dir", tempDir()).start();
        nodes.add(s);
        return s;
    }

    private static String call(TestServer s, String... args) {
        try (RespClient c = s.client()) {
            return c.call(args);
        }
    }

    @Test
    void redisCliCreatesChecksAndRoutesASixNodeCluster() throws Exception {
        List<String> addrs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            addrs.add("127.0.0.1:" + node().port());
        }
        List<String> create = new ArrayList<>(List.of("--cluster", "create"));
        create.addAll(addrs);
        create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        String out = cli(create.toArray(String[]::new));
        assertTrue(out.contains("[OK] All 16384 slots covered."), out);

        String check = cli("--cluster", "check", addrs.get(0));
        assertTrue(check.contains("[OK] All nodes agree about slots configuration."), check);
        assertTrue(check.contains("[OK] All 16384 slots covered."), check);
        assertTrue(check.contains("(5461 slots) master\n   1 additional replica(s)"), check);

        // as in Redis, a master turns writable a moment after it stops being in a minority
        await(() -> nodes.stream().allMatch(s -> call(s, "CLUSTER", "INFO").contains("cluster_state:ok")),
                "cluster_state:ok everywhere");
        int port = nodes.get(0).port();
        assertEquals("OK\n", cli("-c", "-p", Integer.toString(port), "SET", "foo", "bar"));
        assertEquals("bar\n", cli("-c", "-p", Integer.toString(port), "GET", "foo"));
        assertEquals("OK\n", cli("-c", "-p", Integer.toString(port), "SET", "hello", "world"));
        assertEquals("world\n", cli("-c", "-p", Integer.toString(nodes.get(2).port()), "GET", "hello"));

        Set<HostAndPort> seeds = new HashSet<>();
        seeds.add(new HostAndPort("127.0.0.1", port));
        try (JedisCluster jc = new JedisCluster(seeds)) {
            for (int i = 0; i < 1000; i++) {
                jc.set("key:" + i, "value:" + i);
            }
            for (int i = 0; i < 1000; i++) {
                assertEquals("value:" + i, jc.get("key:" + i));
            }
        }
        RedisClusterClient lettuce = RedisClusterClient.create(RedisURI.create("127.0.0.1", nodes.get(1).port()));
        try (StatefulRedisClusterConnection<String, String> conn = lettuce.connect()) {
            RedisAdvancedClusterCommands<String, String> sync = conn.sync();
            for (int i = 0; i < 1000; i++) {
                assertEquals("value:" + i, sync.get("key:" + i));
            }
            assertEquals("OK", sync.set("lettuce", "yes"));
            assertEquals("yes", sync.get("lettuce"));
        } finally {
            lettuce.shutdown();
        }
        long total = 0;
        for (TestServer s : nodes) {
            String nodesLine = call(s, "CLUSTER", "NODES");
            if (nodesLine.contains("myself,master")) {
                total += Long.parseLong(call(s, "DBSIZE").trim().substring(1));
            }
        }
        assertEquals(1003, total);
        // --cluster info: each master's keys, slots and replicas, then the totals (from DBSIZE and CLUSTER NODES)
        String info = cli("--cluster", "info", addrs.get(0)).replaceAll("\u001B\\[[0-9;]*m", ""); // no colours
        assertTrue(info.contains("[OK] 1003 keys in 3 masters.\n0.06 keys per slot on average."), info);
        String masterLine = "127\\.0\\.0\\.1:\\d+ \\([0-9a-f]{8}\\.\\.\\.\\) -> \\d+ keys "
                + "\\| 546[12] slots \\| 1 slaves\\.";
        assertEquals(3, info.lines().filter(l -> l.matches(masterLine)).count(), info);

        // a master goes away: the survivors flag it FAIL and its replica is elected in its place
        TestServer victim = nodes.stream().filter(s -> call(s, "CLUSTER", "NODES").contains("myself,master"))
                .findFirst().orElseThrow();
        String victimId = call(victim, "CLUSTER", "MYID").split("\r\n")[1];
        assertEquals(":1\r\n", call(victim, "WAIT", "1", "5000")); // its replica holds every key it has
        victim.close();
        nodes.remove(victim);
        await(() -> nodes.stream().allMatch(s -> call(s, "CLUSTER", "NODES").lines()
                .anyMatch(l -> l.startsWith(victimId + " ") && l.contains("master,fail "))), "every node to flag FAIL");
        await(() -> nodes.stream().filter(s -> call(s, "CLUSTER", "NODES").contains("myself,master")).count() == 3
                && nodes.stream().allMatch(s -> call(s, "CLUSTER", "INFO").contains("cluster_state:ok")),
                "the replica to take over and the cluster to be ok again");
        // the promoted replica serves the keys its master had: replication copied them
        Set<HostAndPort> survivors = new HashSet<>();
        survivors.add(new HostAndPort("127.0.0.1", nodes.get(0).port()));
        try (JedisCluster jc = new JedisCluster(survivors)) {
            for (int i = 0; i < 1000; i++) {
                assertEquals("value:" + i, jc.get("key:" + i));
            }
        }
    }

    /** add-node, reshard and rebalance (of slots without keys: MIGRATE arrives with persistence), del-node. */
    @Test
    void redisCliAddsReshardsRebalancesAndDeletesNodes() throws Exception {
        List<String> addrs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            addrs.add("127.0.0.1:" + node().port());
        }
        List<String> create = new ArrayList<>(List.of("--cluster", "create"));
        create.addAll(addrs);
        create.add("--cluster-yes");
        assertTrue(cli(create.toArray(String[]::new)).contains("[OK] All 16384 slots covered."));
        TestServer added = node();
        String newcomer = "127.0.0.1:" + added.port();
        String add = cli("--cluster", "add-node", newcomer, addrs.get(0));
        assertTrue(add.contains("[OK] New node added correctly."), add);
        String newId = call(added, "CLUSTER", "MYID").split("\r\n")[1];
        await(() -> nodes.stream().allMatch(s -> call(s, "CLUSTER", "INFO").contains("cluster_known_nodes:4\r\n"))
                && cliQuiet("--cluster", "check", addrs.get(0)).contains("[OK] All nodes agree"),
                "the new node to be known everywhere");
        // keys in every slot range: reshard and rebalance move them with MIGRATE
        await(() -> nodes.stream().allMatch(n -> call(n, "CLUSTER", "INFO").contains("cluster_state:ok")),
                "the cluster to serve");
        Set<HostAndPort> seeds = new HashSet<>();
        seeds.add(new HostAndPort("127.0.0.1", nodes.get(0).port()));
        try (JedisCluster jc = new JedisCluster(seeds)) {
            for (int i = 0; i < 2000; i++) {
                jc.set("moving:" + i, "v" + i);
            }
        }
        String reshard = cli("--cluster", "reshard", addrs.get(0), "--cluster-from", "all", "--cluster-to", newId,
                "--cluster-slots", "300", "--cluster-yes");
        assertTrue(reshard.contains("Moving slot"), reshard);
        await(() -> cliQuiet("--cluster", "check", addrs.get(0)).contains("[OK] All nodes agree about slots configuration."),
                "every node to agree after the reshard");
        assertTrue(call(added, "CLUSTER", "NODES").lines().anyMatch(l -> l.contains("myself") && l.contains("-")));
        assertTrue(Long.parseLong(call(added, "DBSIZE").trim().substring(1)) > 0, "keys moved to the newcomer");
        try (JedisCluster jc = new JedisCluster(seeds)) {
            for (int i = 0; i < 2000; i++) {
                assertEquals("v" + i, jc.get("moving:" + i));
            }
        }
        // a weight of 0 makes rebalance empty the newcomer again
        String rebalance = cli("--cluster", "rebalance", addrs.get(0), "--cluster-weight", newId + "=0");
        assertTrue(rebalance.contains("Moving 100 slots from " + newcomer), rebalance);
        await(() -> !call(nodes.get(0), "CLUSTER", "NODES").lines()
                .anyMatch(l -> l.startsWith(newId + " ") && l.split(" ").length > 8), "the newcomer to hold no slot");
        await(() -> {
            String check = cliQuiet("--cluster", "check", addrs.get(0));
            return check.contains("[OK] All 16384 slots covered.") && check.contains("agree about slots");
        }, "a consistent cluster after the rebalance");
        // as Redis 7, a master emptied of its slots becomes a replica of the node that took its last one
        await(() -> call(added, "CLUSTER", "NODES").lines().anyMatch(l -> l.contains("myself,slave")),
                "the emptied newcomer to become a replica");
        try (JedisCluster jc = new JedisCluster(seeds)) {
            for (int i = 0; i < 2000; i++) {
                assertEquals("v" + i, jc.get("moving:" + i));
            }
        }
        String del = cli("--cluster", "del-node", addrs.get(0), newId);
        assertTrue(del.contains("Sending CLUSTER RESET SOFT to the deleted node."), del);
        assertTrue(call(added, "CLUSTER", "INFO").contains("cluster_known_nodes:1\r\n"));
        for (TestServer s : nodes.subList(0, 3)) {
            assertTrue(!call(s, "CLUSTER", "NODES").contains(newId));
        }
    }
}
