package io.cinnabar.kernel.cluster;

import static io.cinnabar.kernel.cluster.ClusterNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.datatypes.lists.ListsFamily;
import io.cinnabar.datatypes.strings.StringsFamily;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLUSTER SLOT-STATS (Valkey 8) over a socket, on a node serving slots 0-9999: the slots of this node only, in
 * Valkey's reply shape (RESP2 flat pairs, RESP3 map); ORDERBY with Valkey's tie rule; Valkey's errors; and
 * counters that are the real bytes and time of the commands sent, kept only while cluster-slot-stats-enabled.
 */
class ClusterSlotStatsTest {
    @TempDir
    Path dir;
    private TestServer node;
    private RespClient c;

    @BeforeEach
    void start() throws Exception {
        node = TestServer.builder().family(new StringsFamily()).family(new ListsFamily())
                .option("port", Integer.toString(TestServer.clusterPortPair())).option("cluster-enabled", "yes")
                .option("cluster-require-full-coverage", "no")
                .option("dir", Files.createDirectory(dir.resolve("master")).toString()).start();
        c = node.client();
        assertEquals("+OK\r\n", c.call("CLUSTER", "ADDSLOTSRANGE", "0", "9999"));
        await(() -> c.call("CLUSTER", "INFO").contains("cluster_state:ok"), "the node to serve its slots");
    }

    @AfterEach
    void stop() {
        c.close();
        node.close();
    }

    /** A key that hashes to the slot (found by trying k0, k1, ...). */
    private static String keyIn(int slot, int nth) {
        int found = 0;
        for (int i = 0; ; i++) {
            String k = "k" + i;
            if (KeySlot.slot(k.getBytes(StandardCharsets.UTF_8)) == slot && found++ == nth) {
                return k;
            }
        }
    }

    private static int resp(String... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return RespClient.encode(b).length;
    }

    @Test
    void slotsRangeListsOnlyThisNodesSlotsWithTheirKeyCount() {
        assertEquals("+OK\r\n", c.call("SET", keyIn(9998, 0), "v"));
        assertEquals("+OK\r\n", c.call("SET", keyIn(9998, 1), "v"));
        String want2 = "*2\r\n*2\r\n:9998\r\n*2\r\n$9\r\nkey-count\r\n:2\r\n*2\r\n:9999\r\n*2\r\n$9\r\nkey-count\r\n:0\r\n";
        assertEquals(want2, c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "9998", "10001"));
        assertEquals("*0\r\n", c.call("cluster", "slot-stats", "slotsrange", "10000", "16383"));
        c.call("HELLO", "3");
        assertEquals(want2.replace("*2\r\n$9", "%1\r\n$9"), c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "9998", "10001"));
    }

    @Test
    void orderByKeyCountBreaksTiesByAscendingSlot() {
        for (int i = 0; i < 3; i++) {
            c.call("SET", keyIn(5, i), "v");
            c.call("SET", keyIn(100, i), "v");
        }
        c.call("SET", keyIn(7, 0), "v");
        String entry = "*2\r\n:%d\r\n*2\r\n$9\r\nkey-count\r\n:%d\r\n";
        assertEquals("*3\r\n" + String.format(entry, 5, 3) + String.format(entry, 100, 3) + String.format(entry, 7, 1),
                c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count", "LIMIT", "3"));
        assertEquals("*2\r\n" + String.format(entry, 0, 0) + String.format(entry, 1, 0),
                c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "KEY-COUNT", "ASC", "LIMIT", "2"));
        assertEquals("*1\r\n" + String.format(entry, 5, 3),
                c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count", "desc", "limit", "1"));
        // no LIMIT: every slot this node serves
        assertTrue(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count").startsWith("*10000\r\n*2\r\n:5\r\n"));
    }

    @Test
    void badArgumentsGetValkeysErrors() {
        assertEquals("-ERR wrong number of arguments for 'cluster|slot-stats' command\r\n",
                c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE"));
        assertEquals("-ERR unknown subcommand or wrong number of arguments for 'slot-stats'. Try CLUSTER HELP.\r\n",
                c.call("CLUSTER", "slot-stats", "SLOTSRANGE", "1"));
        assertEquals("-ERR unknown subcommand or wrong number of arguments for 'SLOT-STATS'. Try CLUSTER HELP.\r\n",
                c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "1", "2", "3"));
        assertEquals("-ERR unknown subcommand or wrong number of arguments for 'SLOT-STATS'. Try CLUSTER HELP.\r\n",
                c.call("CLUSTER", "SLOT-STATS", "NOSUCH", "1", "2"));
        assertEquals("-ERR Invalid or out of range slot\r\n", c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "-1", "5"));
        assertEquals("-ERR Invalid or out of range slot\r\n",
                c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "0", "16384"));
        assertEquals("-ERR Invalid or out of range slot\r\n", c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "a", "5"));
        assertEquals("-ERR Start slot number 5 is greater than end slot number 1\r\n",
                c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "5", "1"));
        assertEquals("-ERR Unrecognized sort metric for ORDERBY.\r\n",
                c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "memory"));
        // the other metrics exist only while they are collected
        assertEquals("-ERR Unrecognized sort metric for ORDERBY.\r\n",
                c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "cpu-usec"));
        for (String limit : new String[] {"0", "16385", "-1", "x"}) {
            assertEquals("-ERR Limit has to lie in between 1 and 16384 (maximum number of slots).\r\n",
                    c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count", "LIMIT", limit));
        }
        assertEquals("-ERR syntax error\r\n", c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count", "LIMIT"));
        assertEquals("-ERR syntax error\r\n", c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count", "UP"));
        assertEquals("-ERR Multiple filters of the same type are disallowed.\r\n",
                c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count", "ASC", "DESC"));
        assertEquals("-ERR Multiple filters of the same type are disallowed.\r\n",
                c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "key-count", "LIMIT", "1", "LIMIT", "2"));
    }

    @Test
    void withoutClusterModeTheCommandIsRefused() {
        try (TestServer plain = TestServer.start(new StringsFamily()); RespClient p = plain.client()) {
            assertEquals("-ERR This instance has cluster support disabled\r\n",
                    p.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "0", "1"));
        }
    }

    private String stats(int slot) {
        return c.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", Integer.toString(slot), Integer.toString(slot));
    }

    private static String entry(int slot, long keys, String cpu, long in, long out) {
        return "*1\r\n*2\r\n:" + slot + "\r\n*8\r\n$9\r\nkey-count\r\n:" + keys + "\r\n$8\r\ncpu-usec\r\n:" + cpu
                + "\r\n$16\r\nnetwork-bytes-in\r\n:" + in + "\r\n$17\r\nnetwork-bytes-out\r\n:" + out + "\r\n";
    }

    private static java.util.List<Integer> slotsOf(String reply) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\*2\r\n:(\\d+)\r\n").matcher(reply);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    private static long cpu(String reply) {
        String after = reply.substring(reply.indexOf("cpu-usec\r\n:") + "cpu-usec\r\n:".length());
        return Long.parseLong(after.substring(0, after.indexOf('\r')));
    }

    @Test
    void enabledStatisticsCountTheBytesOfEachCommandAndItsReply() {
        assertEquals("+OK\r\n", c.call("CONFIG", "SET", "cluster-slot-stats-enabled", "yes"));
        String k = keyIn(42, 0);
        assertEquals("+OK\r\n", c.call("SET", k, "hello"));
        assertEquals("$5\r\nhello\r\n", c.call("GET", k));
        assertEquals("+PONG\r\n", c.call("PING")); // no key: no slot
        long in = resp("SET", k, "hello") + resp("GET", k);
        long out = "+OK\r\n".length() + "$5\r\nhello\r\n".length();
        String s = stats(42);
        assertEquals(entry(42, 1, Long.toString(cpu(s)), in, out), s);

        // a transaction: the queued commands' bytes, EXEC's and its MULTI's 15, and EXEC's reply
        String t = keyIn(43, 0);
        assertEquals("+OK\r\n", c.call("MULTI"));
        assertEquals("+QUEUED\r\n", c.call("SET", t, "a"));
        assertEquals("+QUEUED\r\n", c.call("INCR", keyIn(43, 1)));
        assertEquals("*2\r\n+OK\r\n:1\r\n", c.call("EXEC"));
        String m = stats(43);
        assertEquals(entry(43, 2, Long.toString(cpu(m)), resp("SET", t, "a") + resp("INCR", keyIn(43, 1))
                + resp("EXEC") + 15, "*2\r\n+OK\r\n:1\r\n".length()), m);

        // time: a few large values take measurable CPU
        String big = "x".repeat(4 << 20);
        String b = keyIn(44, 0);
        for (int i = 0; i < 4; i++) {
            c.call("SET", b, big);
        }
        assertTrue(cpu(stats(44)) > 0, stats(44));
        assertTrue(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "network-bytes-in", "LIMIT", "1").startsWith(
                "*1\r\n*2\r\n:44\r\n"));
        // out: 4 x +OK (20 bytes) in 44, then 42's 16, then 43's 13
        assertEquals(java.util.List.of(44, 42, 43),
                slotsOf(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "network-bytes-out", "LIMIT", "3")));
        // which slot took the most time depends on the machine's load: check the order against each slot's figure
        java.util.List<Integer> byCpu = slotsOf(c.call("CLUSTER", "SLOT-STATS", "ORDERBY", "cpu-usec", "LIMIT", "3"));
        assertEquals(java.util.Set.of(42, 43, 44), java.util.Set.copyOf(byCpu));
        for (int i = 1; i < byCpu.size(); i++) {
            assertTrue(cpu(stats(byCpu.get(i - 1))) >= cpu(stats(byCpu.get(i))), byCpu.toString());
        }

        // switched off: only key-count is shown, and nothing more is counted
        assertEquals("+OK\r\n", c.call("CONFIG", "SET", "cluster-slot-stats-enabled", "no"));
        assertEquals("*1\r\n*2\r\n:42\r\n*2\r\n$9\r\nkey-count\r\n:1\r\n\r\n".replace("\r\n\r\n", "\r\n"), stats(42));
        c.call("GET", k);
        assertEquals("+OK\r\n", c.call("CONFIG", "SET", "cluster-slot-stats-enabled", "yes"));
        assertEquals(entry(42, 1, Long.toString(cpu(s)), in, out), stats(42));
    }

    @Test
    void aBlockedCommandCountsTheReplyItGetsWhenServed() {
        assertEquals("+OK\r\n", c.call("CONFIG", "SET", "cluster-slot-stats-enabled", "yes"));
        String k = keyIn(50, 0);
        try (RespClient waiter = node.client()) {
            waiter.send("BLPOP", k, "0");
            await(() -> c.call("INFO", "clients").contains("blocked_clients:1\r\n"), "BLPOP to block");
            assertEquals(":1\r\n", c.call("RPUSH", k, "v"));
            String served = "*2\r\n$" + k.length() + "\r\n" + k + "\r\n$1\r\nv\r\n";
            assertEquals(served, waiter.readReply());
            String s = stats(50);
            assertEquals(entry(50, 0, Long.toString(cpu(s)), resp("BLPOP", k, "0") + resp("RPUSH", k, "v"),
                    ":1\r\n".length() + served.length()), s);
        }
    }

    @Test
    void aMasterCountsTheReplicationStreamOfEachSlotAndItsReplicaListsTheMastersSlots() throws Exception {
        try (TestServer replica = TestServer.builder().family(new StringsFamily())
                .option("port", Integer.toString(TestServer.clusterPortPair())).option("cluster-enabled", "yes")
                .option("cluster-require-full-coverage", "no")
                .option("dir", Files.createDirectory(dir.resolve("replica")).toString()).start();
             RespClient r = replica.client()) {
            String masterId = c.call("CLUSTER", "MYID").split("\r\n")[1];
            assertEquals("+OK\r\n", r.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(node.port())));
            await(() -> r.call("CLUSTER", "NODES").contains(masterId + " ")
                    && c.call("CLUSTER", "INFO").contains("cluster_known_nodes:2\r\n"), "the nodes to meet");
            await(() -> r.call("CLUSTER", "REPLICATE", masterId).equals("+OK\r\n"), "the replica to accept its master");
            await(() -> c.call("INFO", "replication").contains("connected_slaves:1\r\n")
                    && r.call("INFO", "replication").contains("master_link_status:up"), "the replica to sync");
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "cluster-slot-stats-enabled", "yes"));
            String k = keyIn(42, 0);
            assertEquals("+OK\r\n", c.call("SET", k, "hello"));
            String s = stats(42);
            // the reply (+OK) and the SET sent to the one replica
            assertEquals(entry(42, 1, Long.toString(cpu(s)), resp("SET", k, "hello"), 5 + resp("SET", k, "hello")), s);
            // a replica serves its master's slots: it lists them (and holds the key once replicated)
            await(() -> r.call("CLUSTER", "COUNTKEYSINSLOT", "42").equals(":1\r\n")
                    && r.call("CLUSTER", "NODES").contains(" connected 0-9999\n"), "the key and the slots on the replica");
            assertEquals("*1\r\n*2\r\n:9999\r\n*2\r\n$9\r\nkey-count\r\n:0\r\n",
                    r.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "9999", "10000"));
            assertEquals("*1\r\n*2\r\n:42\r\n*2\r\n$9\r\nkey-count\r\n:1\r\n",
                    r.call("CLUSTER", "SLOT-STATS", "SLOTSRANGE", "42", "42"));
        }
    }

    @Test
    void aSlotThatChangesOwnerOrConfigResetstatStartsFromZero() {
        assertEquals("+OK\r\n", c.call("CONFIG", "SET", "cluster-slot-stats-enabled", "yes"));
        String k = keyIn(42, 0);
        c.call("SET", k, "v");
        assertTrue(!stats(42).contains("network-bytes-in\r\n:0\r\n"), stats(42));
        assertEquals("+OK\r\n", c.call("CLUSTER", "DELSLOTS", "42"));
        assertEquals("+OK\r\n", c.call("CLUSTER", "ADDSLOTS", "42"));
        assertEquals(entry(42, 1, "0", 0, 0), stats(42));
        c.call("GET", k);
        assertTrue(!stats(42).contains("network-bytes-in\r\n:0\r\n"), stats(42));
        assertEquals("+OK\r\n", c.call("CONFIG", "RESETSTAT"));
        assertEquals(entry(42, 1, "0", 0, 0), stats(42));
    }
}
