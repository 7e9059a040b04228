package io.cinnabar.kernel.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.CommandInfoConformance;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CLUSTER subcommands, ASKING / READONLY / READWRITE and the slot checks on one node, against a real
 * redis-server started with cluster-enabled yes: errors and id-free replies byte for byte, and the
 * id-bearing replies (NODES, SLOTS, SHARDS, MYID) after replacing ids and ports.
 */
class ClusterFamilyTest {
    private ReferenceRedis ref;
    private TestServer ours;
    private Differential d;
    private Path dir;

    static TestServer clusterNode(Path dir, String... extra) {
        return clusterNode(dir, List.of(), extra);
    }

    static TestServer clusterNode(Path dir, List<io.cinnabar.api.CommandFamily> families, String... extra) {
        TestServer.Builder b = TestServer.builder().option("port", Integer.toString(lowPort()))
                .option("cluster-enabled", "yes").option("dir", dir.toString())
                .option("cluster-port", Integer.toString(TestServer.freePort()));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            b.option(extra[i], extra[i + 1]);
        }
        for (io.cinnabar.api.CommandFamily f : families) {
            b.family(f);
        }
        return b.start();
    }

    /** A free port whose bus port (port + 10000) is valid too, as Redis requires of a cluster node. */
    static int lowPort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int p = 20000 + (int) (Math.random() * 30000);
            try (java.net.ServerSocket s = new java.net.ServerSocket(p)) {
                return p;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free port");
    }

    @BeforeEach
    void start() throws IOException {
        dir = Files.createTempDirectory("cluster");
        ref = ReferenceRedis.start("--cluster-enabled", "yes");
        ours = clusterNode(dir);
        d = new Differential(ref.client(), ours.client());
    }

    @AfterEach
    void stop() {
        // the reference may have been refused (older than 7.2): the test is then skipped, nothing started
        if (ours != null) {
            ours.close();
        }
        if (ref != null) {
            ref.close();
        }
    }

    /** Polls until the condition holds, failing after 20 s (the bus converges in well under that). */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }

    private static boolean clusterOk(RespClient c) {
        return c.call("CLUSTER", "INFO").contains("cluster_state:ok");
    }

    @Test
    void slotAssignmentErrorsAndReplies() {
        d.run("CLUSTER ADDSLOTS 0 1 2", "CLUSTER ADDSLOTS 2", "CLUSTER ADDSLOTS 5 5", "CLUSTER ADDSLOTS -1",
                "CLUSTER ADDSLOTS 16384", "CLUSTER ADDSLOTS x", "CLUSTER ADDSLOTS 7 2",
                "CLUSTER ADDSLOTSRANGE 10 20 30", "CLUSTER ADDSLOTSRANGE 20 10", "CLUSTER ADDSLOTSRANGE 10 20 15 25",
                "CLUSTER ADDSLOTSRANGE 10 20 21 30", "CLUSTER DELSLOTS 0 100", "CLUSTER DELSLOTS 0",
                "CLUSTER DELSLOTS 0", "CLUSTER DELSLOTSRANGE 10 12 11 13", "CLUSTER DELSLOTSRANGE 10 12",
                "CLUSTER DELSLOTSRANGE 5 4", "CLUSTER DELSLOTSRANGE 1 2 3", "CLUSTER COUNTKEYSINSLOT 0",
                "CLUSTER COUNTKEYSINSLOT 16384", "CLUSTER COUNTKEYSINSLOT -1", "CLUSTER COUNTKEYSINSLOT a",
                "CLUSTER GETKEYSINSLOT 0 10", "CLUSTER GETKEYSINSLOT 0 -1", "CLUSTER GETKEYSINSLOT 16384 1",
                "CLUSTER GETKEYSINSLOT x 1", "CLUSTER KEYSLOT foo", "CLUSTER KEYSLOT {user1000}.following",
                "CLUSTER KEYSLOT foo{}{bar}", "CLUSTER KEYSLOT foo{{bar}}zap", "CLUSTER KEYSLOT", "CLUSTER FLUSHSLOTS",
                "CLUSTER COUNTKEYSINSLOT 12182");
        d.assertSame();
    }

    @Test
    void epochsAndNodeTableErrors() {
        d.run("CLUSTER SET-CONFIG-EPOCH -1", "CLUSTER SET-CONFIG-EPOCH x", "CLUSTER SET-CONFIG-EPOCH 5",
                "CLUSTER SET-CONFIG-EPOCH 6", "CLUSTER BUMPEPOCH", "CLUSTER BUMPEPOCH",
                "CLUSTER FORGET 0123456789012345678901234567890123456789", "CLUSTER FORGET abc",
                "CLUSTER REPLICATE 0123456789012345678901234567890123456789",
                "CLUSTER REPLICAS 0123456789012345678901234567890123456789",
                "CLUSTER SLAVES 0123456789012345678901234567890123456789",
                "CLUSTER COUNT-FAILURE-REPORTS 0123456789012345678901234567890123456789",
                "CLUSTER MEET 127.0.0.1 x", "CLUSTER MEET 127.0.0.1 1 x", "CLUSTER MEET nohost.example 7000",
                "CLUSTER MEET 127.0.0.1 70000", "CLUSTER MEET 127.0.0.1 7000 17000 1",
                "CLUSTER SETSLOT 1 STABLE", "CLUSTER SETSLOT 1 MIGRATING 0123456789012345678901234567890123456789",
                "CLUSTER SETSLOT 99999 STABLE", "CLUSTER SETSLOT 1 FOO", "CLUSTER SETSLOT 1 STABLE x",
                "CLUSTER SETSLOT 1 IMPORTING 0123456789012345678901234567890123456789",
                "CLUSTER SETSLOT 1 NODE 0123456789012345678901234567890123456789",
                "CLUSTER FAILOVER", "CLUSTER FAILOVER FORCE", "CLUSTER FAILOVER TAKEOVER", "CLUSTER FAILOVER x",
                "CLUSTER FAILOVER FORCE x", "CLUSTER RESET x", "CLUSTER RESET SOFT x", "CLUSTER NOPE", "CLUSTER",
                "CLUSTER INFO x", "CLUSTER SAVECONFIG", "FAILOVER", "FAILOVER ABORT", "FAILOVER TO 127.0.0.1 1",
                "FAILOVER bla", "REPLICAOF 127.0.0.1 1", "REPLICAOF NO ONE", "ASKING", "READONLY",
                "READWRITE", "ASKING x", "SELECT 1", "SELECT 0");
        d.assertSame();
    }

    /** Redis 7.2's help text, plus the entry of the SLOT-STATS we serve, where Valkey 8 puts it (after SLOTS). */
    @Test
    void helpIsRedisTextPlusSlotStats() {
        String slots = "+    start, end, master and replicas IP addresses, ports and ids\r\n";
        String slotStats = "+SLOT-STATS\r\n"
                + "+    Return an array of slot usage statistics for slots assigned to the current node.\r\n";
        String want = ref.client().call("CLUSTER", "HELP");
        int entries = Integer.parseInt(want.substring(1, want.indexOf('\r')));
        assertTrue(want.contains(slots), want);
        want = ("*" + (entries + 2) + want.substring(want.indexOf('\r'))).replace(slots, slots + slotStats);
        assertEquals(want, ours.client().call("CLUSTER", "HELP"));
        assertEquals(want, ours.client().call("cluster", "help"));
    }

    @Test
    void setslotOnOwnSlots() {
        String id = ours.client().call("CLUSTER", "MYID").split("\r\n")[1];
        String refId = ref.client().call("CLUSTER", "MYID").split("\r\n")[1];
        d.run("CLUSTER ADDSLOTS 100");
        assertSame(d, id, refId, "CLUSTER SETSLOT 100 MIGRATING " + refId, "CLUSTER SETSLOT 100 IMPORTING " + refId,
                "CLUSTER SETSLOT 101 MIGRATING " + refId, "CLUSTER SETSLOT 100 NODE " + refId,
                "CLUSTER SETSLOT 100 STABLE", "CLUSTER REPLICATE " + refId, "CLUSTER FORGET " + refId,
                "CLUSTER COUNT-FAILURE-REPORTS " + refId, "CLUSTER REPLICAS " + refId);
    }

    /** Runs the lines on both, the reference with its own id where ours has ours, and compares. */
    private static void assertSame(Differential d, String id, String refId, String... lines) {
        for (String line : lines) {
            String want = d.reference().call(line.split(" "));
            String got = d.candidate().call(line.replace(refId, id).split(" ")).replace(id, refId);
            assertEquals(want, got, line);
        }
    }

    @Test
    void nodesSlotsShardsAndInfoHaveRedisShapes() {
        RespClient r = ref.client();
        RespClient c = ours.client();
        for (RespClient x : List.of(r, c)) {
            x.call("CLUSTER", "SET-CONFIG-EPOCH", "3");
            x.call("CLUSTER", "ADDSLOTSRANGE", "0", "99", "200", "300", "5000", "5000");
            x.call("CLUSTER", "SETSLOT", "7000", "IMPORTING", x.call("CLUSTER", "MYID").split("\r\n")[1]);
        }
        String refId = r.call("CLUSTER", "MYID").split("\r\n")[1];
        String id = c.call("CLUSTER", "MYID").split("\r\n")[1];
        assertNotEquals(refId, id);
        // a master computes its cluster state (and size) only after Redis's writable delay
        await(() -> r.call("CLUSTER", "INFO").contains("cluster_size:1") && c.call("CLUSTER", "INFO")
                .contains("cluster_size:1"), "both to count their shard");
        compareShapes(r, c, refId, id);
        // and in RESP3: verbatim text, maps
        r.call("HELLO", "3");
        c.call("HELLO", "3");
        compareShapes(r, c, refId, id);
    }

    private void compareShapes(RespClient r, RespClient c, String refId, String id) {
        assertEquals(40, id.length());
        for (String sub : List.of("NODES", "SLOTS", "SHARDS", "MYID", "MYSHARDID", "LINKS")) {
            String want = normalize(r.call("CLUSTER", sub), refId, ref.port(), r.call("CLUSTER", "MYSHARDID"));
            String got = normalize(c.call("CLUSTER", sub), id, ours.port(), c.call("CLUSTER", "MYSHARDID"));
            assertEquals(want, got, "CLUSTER " + sub);
        }
        // the state turns ok on its own clock (Redis's writable delay): compare everything else
        String want = r.call("CLUSTER", "INFO").replaceAll("cluster_state:\\w+", "").replaceFirst("^[$=]\\d+", "");
        String got = c.call("CLUSTER", "INFO").replaceAll("cluster_state:\\w+", "").replaceFirst("^[$=]\\d+", "");
        assertEquals(want, got);
    }

    private static String normalize(String reply, String id, int port, String shard) {
        String shardId = shard.split("\r\n")[1];
        return reply.replace(id, "ID").replace(shardId, "SHARD").replace(":" + port + "\r\n", ":PORT\r\n")
                .replace(":" + port + "@" + (port + 10000), ":PORT@BUS").replaceAll(":\\d+@\\d+", ":PORT@BUS");
    }

    @Test
    void announcedAddressAndPreferredEndpoint() throws IOException {
        String[] announce = {"cluster-announce-ip", "10.1.2.3", "cluster-announce-port", "7777",
            "cluster-announce-bus-port", "17777", "cluster-announce-hostname", "host-a",
            "cluster-announce-human-nodename", "alpha"};
        List<String> refArgs = new java.util.ArrayList<>();
        for (String a : announce) {
            refArgs.add(a.startsWith("cluster-") ? "--" + a : a);
        }
        refArgs.addAll(List.of("--cluster-enabled", "yes"));
        try (ReferenceRedis r = ReferenceRedis.start(refArgs.toArray(String[]::new));
             TestServer c = clusterNode(Files.createTempDirectory("cluster"), announce);
             RespClient rc = r.client(); RespClient cc = c.client()) {
            for (RespClient x : List.of(rc, cc)) {
                x.call("CLUSTER", "ADDSLOTSRANGE", "0", "10");
            }
            String refId = rc.call("CLUSTER", "MYID").split("\r\n")[1];
            String id = cc.call("CLUSTER", "MYID").split("\r\n")[1];
            for (String type : List.of("ip", "hostname", "unknown-endpoint")) {
                rc.call("CONFIG", "SET", "cluster-preferred-endpoint-type", type);
                cc.call("CONFIG", "SET", "cluster-preferred-endpoint-type", type);
                for (String sub : List.of("NODES", "SLOTS", "SHARDS")) {
                    String want = rc.call("CLUSTER", sub).replace(refId, "ID")
                            .replace(rc.call("CLUSTER", "MYSHARDID").split("\r\n")[1], "SHARD");
                    String got = cc.call("CLUSTER", sub).replace(id, "ID")
                            .replace(cc.call("CLUSTER", "MYSHARDID").split("\r\n")[1], "SHARD");
                    assertEquals(want, got, type + " CLUSTER " + sub);
                }
            }
        }
    }

    @Test
    void keysMustShareAServedSlot() {
        d.run("EXISTS foo", "DEL a b", "DEL {a}1 {a}2", "TYPE foo", "MULTI", "EXISTS foo", "DEL a b", "EXEC",
                "MULTI", "DEL {a}x", "EXEC");
        RespClient r = ref.client();
        RespClient c = ours.client();
        r.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
        c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
        await(() -> clusterOk(r) && clusterOk(c), "cluster_state:ok");
        d.run("EXISTS foo", "DEL a b", "DEL {a}1 {a}2", "MULTI", "EXISTS foo", "EXISTS bar", "EXEC", "MULTI",
                "EXISTS {x}1", "EXISTS {x}2", "EXEC", "CLUSTER GETKEYSINSLOT 12182 5", "CLUSTER COUNTKEYSINSLOT 12182",
                "CLUSTER DELSLOTS 12182", "EXISTS foo", "TTL foo", "CLUSTER RESET", "CLUSTER NODES x");
        d.assertSame();
    }

    @Test
    void readonlyShowsInClientList() {
        try (RespClient r = ref.client(); RespClient c = ours.client()) {
            for (RespClient x : List.of(r, c)) {
                assertEquals("+OK\r\n", x.call("READONLY"));
            }
            assertTrue(r.call("CLIENT", "INFO").contains(" flags=r "));
            assertTrue(c.call("CLIENT", "INFO").contains(" flags=r "), c.call("CLIENT", "INFO"));
            for (RespClient x : List.of(r, c)) {
                x.call("READWRITE");
                assertTrue(x.call("CLIENT", "INFO").contains(" flags=N "));
                x.call("READONLY");
                x.call("RESET");
                assertTrue(x.call("CLIENT", "INFO").contains(" flags=N "));
            }
        }
    }

    @Test
    void clusterCommandsRefuseWithoutClusterMode() {
        try (ReferenceRedis plain = ReferenceRedis.start(); TestServer standalone = TestServer.start()) {
            Differential p = new Differential(plain.client(), standalone.client());
            p.run("CLUSTER INFO", "CLUSTER NODES", "CLUSTER KEYSLOT foo", "CLUSTER HELP", "CLUSTER FOO", "ASKING",
                    "READONLY", "READWRITE", "INFO cluster");
            p.assertSame();
        }
    }

    @Test
    void nodesConfSurvivesARestart() throws IOException {
        RespClient c = ours.client();
        c.call("CLUSTER", "ADDSLOTSRANGE", "10", "20");
        c.call("CLUSTER", "SET-CONFIG-EPOCH", "7");
        String id = c.call("CLUSTER", "MYID");
        c.call("CLUSTER", "SAVECONFIG");
        String conf = Files.readString(dir.resolve("nodes.conf"));
        assertTrue(conf.matches("(?s)[0-9a-f]{40} :\\d+@\\d+,,tls-port=0,shard-id=[0-9a-f]{40} myself,master - 0 0 7"
                + " connected 10-20\nvars currentEpoch 7 lastVoteEpoch 0\n"), conf);
        ours.close();
        ours = clusterNode(dir);
        RespClient again = ours.client();
        assertEquals(id, again.call("CLUSTER", "MYID"));
        assertTrue(again.call("CLUSTER", "NODES").contains(" myself,master - 0 0 7 connected 10-20\n"));
        assertTrue(again.call("CLUSTER", "RESET", "HARD").startsWith("+OK"));
        assertNotEquals(id, again.call("CLUSTER", "MYID"));
        assertTrue(again.call("CLUSTER", "INFO").contains("cluster_current_epoch:0\r\n"));
    }

    /** Garbage on the bus port (bad signature, short or lying lengths) drops that link and nothing else. */
    @Test
    void malformedBusMessagesOnlyCloseTheirLink() throws IOException {
        int bus = Integer.parseInt(ours.server().config().get("cluster-port"));
        byte[][] junk = {
            "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            {'R', 'C', 'm', 'b', 0, 0, 0, 3},
            {'R', 'C', 'm', 'b', 0, 0, 0, 100, 0, 1, 0, 0, 0, 0, 0, 0},
            {'X', 'X', 'X', 'X', 0, 0, 0, 16, 1, 2, 3, 4, 5, 6, 7, 8},
        };
        for (byte[] bytes : junk) {
            try (java.net.Socket sock = new java.net.Socket("127.0.0.1", bus)) {
                sock.getOutputStream().write(bytes);
                sock.getOutputStream().write(new byte[200]);
                sock.setSoTimeout(5000);
                assertEquals(-1, sock.getInputStream().read(), "the link is closed");
            } catch (java.net.SocketException e) {
                // reset by the node: closed as well
            }
        }
        assertEquals("+PONG\r\n", ours.client().call("PING"));
        assertTrue(ours.client().call("CLUSTER", "INFO").contains("cluster_known_nodes:1\r\n"));
    }

    @Test
    void commandInfoMatchesRedis() {
        CommandInfoConformance.assertConforms(ours, CommandInfoConformance.namesOf(new ClusterFamily(ours.server())));
    }
}
