package io.cinnabar.kernel.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandFlag;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.KeySpec;
import io.cinnabar.api.Reply;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several in-process nodes talking over the cluster bus: the handshake, gossip until every node knows every
 * other, slot ownership, redirections across nodes, slot migration with ASK, failure detection, epochs and
 * replica promotion.
 */
class ClusterBusTest {
    private final List<TestServer> nodes = new ArrayList<>();

    /** A blocking command on one key (as BLPOP waits), for the redirection of blocked clients. */
    private static final CommandFamily BLOCKING = () -> List.of(CommandSpec.command("waitkey").arity(2)
            .flags(CommandFlag.WRITE, CommandFlag.BLOCKING).key(KeySpec.range(1, 0, 1, "RW", "ACCESS"))
            .handler((ctx, args, reply) -> ctx.block(new byte[][] {args.get(1)}, 0, null, Reply::nullArray))
            .build());

    @AfterEach
    void stop() {
        for (TestServer s : nodes) {
            s.close();
        }
    }

    private TestServer node() throws IOException {
        return node(Files.createTempDirectory("cluster"), ClusterFamilyTest.lowPort(), TestServer.freePort());
    }

    private TestServer node(Path dir, int port, int busPort) {
        TestServer s = ClusterFamilyTest.clusterNode(dir, List.of(BLOCKING), "cluster-node-timeout", "1000",
                "enable-debug-command", "yes", "port", Integer.toString(port), "cluster-port", Integer.toString(busPort));
        nodes.add(s);
        return s;
    }

    private static String call(TestServer s, String... args) {
        try (RespClient c = s.client()) {
            return c.call(args);
        }
    }

    private static String id(TestServer s) {
        return call(s, "CLUSTER", "MYID").split("\r\n")[1];
    }

    private static int busPort(TestServer s) {
        String myself = call(s, "CLUSTER", "NODES").lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
        String addr = myself.split(" ")[1];
        return Integer.parseInt(addr.substring(addr.indexOf('@') + 1).split(",")[0]);
    }

    private static void meet(TestServer s, TestServer other) {
        assertEquals("+OK\r\n", call(s, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(other.port()),
                Integer.toString(busPort(other))));
    }

    private static void await(BooleanSupplier condition, String what) {
        ClusterFamilyTest.await(condition, what);
    }

    private static boolean ok(TestServer s) {
        return call(s, "CLUSTER", "INFO").contains("cluster_state:ok");
    }

    /** The slot-owning lines of CLUSTER NODES as id:ranges, sorted (redis-cli's consistency signature). */
    private static String signature(TestServer s) {
        List<String> out = new ArrayList<>();
        for (String line : call(s, "CLUSTER", "NODES").split("\r\n")[1].split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 8) {
                StringBuilder sb = new StringBuilder(f[0]).append(':');
                for (int i = 8; i < f.length; i++) {
                    if (!f[i].startsWith("[")) {
                        sb.append(f[i]).append(',');
                    }
                }
                out.add(sb.toString());
            }
        }
        out.sort(null);
        return String.join("|", out);
    }

    /** Three masters with slots 0-5460, 5461-10922, 10923-16383 and epochs 1, 2, 3, joined and ok. */
    private List<TestServer> threeMasters() throws IOException {
        List<TestServer> m = List.of(node(), node(), node());
        String[][] ranges = {{"0", "5460"}, {"5461", "10922"}, {"10923", "16383"}};
        for (int i = 0; i < 3; i++) {
            call(m.get(i), "CLUSTER", "ADDSLOTSRANGE", ranges[i][0], ranges[i][1]);
            call(m.get(i), "CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
        }
        meet(m.get(1), m.get(0));
        meet(m.get(2), m.get(0));
        await(() -> m.stream().allMatch(s -> ok(s) && call(s, "CLUSTER", "INFO").contains("cluster_known_nodes:3\r\n")
                && signature(s).equals(signature(m.get(0)))), "three masters to agree");
        return m;
    }

    @Test
    void mastersJoinThroughGossipAndRedirectWithMoved() throws IOException {
        List<TestServer> m = threeMasters();
        // node 2 never met node 3 directly: it learned about it from node 1's gossip
        String nodes2 = call(m.get(1), "CLUSTER", "NODES");
        assertTrue(nodes2.contains(id(m.get(2)) + " 127.0.0.1:" + m.get(2).port() + "@"), nodes2);
        assertEquals("-MOVED 12182 127.0.0.1:" + m.get(2).port() + "\r\n", call(m.get(0), "EXISTS", "foo"));
        assertEquals(":0\r\n", call(m.get(2), "EXISTS", "foo"));
        assertEquals("-MOVED 5061 127.0.0.1:" + m.get(0).port() + "\r\n", call(m.get(2), "TTL", "bar"));
        String slots = call(m.get(1), "CLUSTER", "SLOTS");
        assertTrue(slots.startsWith("*3\r\n*3\r\n:0\r\n:5460\r\n*4\r\n$9\r\n127.0.0.1\r\n:" + m.get(0).port() + "\r\n"),
                slots);
        // two links per peer once both sides have connected: ours to it and its to us
        await(() -> call(m.get(0), "CLUSTER", "LINKS").startsWith("*4\r\n"), "two links per peer");
        String links = call(m.get(0), "CLUSTER", "LINKS");
        assertTrue(links.contains("$9\r\ndirection\r\n$2\r\nto\r\n$4\r\nnode\r\n$40\r\n" + id(m.get(1)))
                || links.contains("$9\r\ndirection\r\n$2\r\nto\r\n$4\r\nnode\r\n$40\r\n" + id(m.get(2))), links);
        String shards = call(m.get(1), "CLUSTER", "SHARDS");
        assertTrue(shards.startsWith("*3\r\n*4\r\n$5\r\nslots\r\n*2\r\n"), shards);
        assertTrue(shards.contains("*2\r\n:5461\r\n:10922\r\n$5\r\nnodes\r\n*1\r\n*14\r\n$2\r\nid\r\n$40\r\n"
                + id(m.get(1)) + "\r\n$4\r\nport\r\n:" + m.get(1).port() + "\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n"
                + "$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
                + "$18\r\nreplication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\nonline\r\n"), shards);
        Set<String> epochs = new HashSet<>();
        for (TestServer s : m) {
            epochs.add(call(s, "CLUSTER", "INFO").replaceAll("(?s).*cluster_my_epoch:(\\d+).*", "$1"));
        }
        assertEquals(Set.of("1", "2", "3"), epochs);
    }

    @Test
    void migratingSlotAsksAndImportingSlotNeedsAsking() throws IOException {
        List<TestServer> m = threeMasters();
        TestServer from = m.get(2);
        TestServer to = m.get(0);
        assertEquals("+OK\r\n", call(to, "CLUSTER", "SETSLOT", "12182", "IMPORTING", id(from)));
        assertEquals("+OK\r\n", call(from, "CLUSTER", "SETSLOT", "12182", "MIGRATING", id(to)));
        assertTrue(call(from, "CLUSTER", "NODES").contains("[12182->-" + id(to) + "]"));
        assertTrue(call(to, "CLUSTER", "NODES").contains("[12182-<-" + id(from) + "]"));
        assertEquals("-ASK 12182 127.0.0.1:" + to.port() + "\r\n", call(from, "EXISTS", "foo"));
        assertEquals("-MOVED 12182 127.0.0.1:" + from.port() + "\r\n", call(to, "EXISTS", "foo"));
        try (RespClient c = to.client()) {
            assertEquals("+OK\r\n", c.call("ASKING"));
            assertEquals(":0\r\n", c.call("EXISTS", "foo"));
            // ASKING lasts for one command only
            assertTrue(c.call("EXISTS", "foo").startsWith("-MOVED"));
            assertEquals("+OK\r\n", c.call("ASKING"));
            assertEquals("+OK\r\n", c.call("MULTI"));
            assertEquals("+QUEUED\r\n", c.call("EXISTS", "foo"));
            assertEquals("*1\r\n:0\r\n", c.call("EXEC"));
        }
        // the slot holds a key on the source: a multi-key request with one key missing must wait
        assertEquals("+OK\r\n", call(from, "DEBUG", "POPULATE", "1", "{foo}"));
        assertEquals(":1\r\n", call(from, "EXISTS", "{foo}:0"));
        assertEquals("-TRYAGAIN Multiple keys request during rehashing of slot\r\n",
                call(from, "EXISTS", "{foo}:0", "{foo}:1"));
        assertTrue(call(from, "CLUSTER", "SETSLOT", "12182", "NODE", id(to)).startsWith("-ERR Can't assign hashslot"));
        assertEquals(":1\r\n", call(from, "DEL", "{foo}:0"));
        assertEquals("+OK\r\n", call(to, "CLUSTER", "SETSLOT", "12182", "NODE", id(to)));
        assertEquals("+OK\r\n", call(from, "CLUSTER", "SETSLOT", "12182", "NODE", id(to)));
        // closing the import bumped the new owner's epoch, so every node accepts its claim
        await(() -> m.stream().allMatch(s -> call(s, "CLUSTER", "NODES").contains(" 12182\n")
                || call(s, "CLUSTER", "NODES").contains(" 12182 ")), "the moved slot to propagate");
        assertEquals("-MOVED 12182 127.0.0.1:" + to.port() + "\r\n", call(m.get(1), "EXISTS", "foo"));
        assertTrue(call(to, "CLUSTER", "INFO").contains("cluster_my_epoch:4\r\n"));
    }

    @Test
    void blockedClientsFollowTheirSlot() throws IOException {
        List<TestServer> m = threeMasters();
        TestServer owner = m.get(2);
        try (RespClient blocked = owner.client(); RespClient other = owner.client()) {
            blocked.send("WAITKEY", "foo");
            await(() -> other.call("INFO", "clients").contains("blocked_clients:1"), "the client to block");
            assertEquals("+OK\r\n", call(m.get(0), "CLUSTER", "SETSLOT", "12182", "NODE", id(m.get(0))));
            assertEquals("+OK\r\n", call(owner, "CLUSTER", "SETSLOT", "12182", "NODE", id(m.get(0))));
            assertEquals("-MOVED 12182 127.0.0.1:" + m.get(0).port() + "\r\n", blocked.readReply());
            blocked.send("WAITKEY", "bar{foo}");
            assertEquals("-MOVED 12182 127.0.0.1:" + m.get(0).port() + "\r\n", blocked.readReply());
        }
    }

    @Test
    void unreachableMasterIsMarkedFailByTheMajority() throws IOException {
        List<TestServer> m = threeMasters();
        String gone = id(m.get(2));
        m.get(2).close();
        nodes.remove(m.get(2));
        await(() -> nodeLine(m.get(0), gone).contains("master,fail ")
                && nodeLine(m.get(1), gone).contains("master,fail "), "both survivors to flag the master as failed");
        await(() -> !ok(m.get(0)), "the cluster to go down without full coverage");
        assertEquals("-CLUSTERDOWN The cluster is down\r\n", call(m.get(0), "EXISTS", "bar"));
        assertEquals("+OK\r\n", call(m.get(0), "CONFIG", "SET", "cluster-allow-reads-when-down", "yes"));
        assertEquals(":0\r\n", call(m.get(0), "EXISTS", "bar"));
        assertEquals("-CLUSTERDOWN The cluster is down and only accepts read commands\r\n",
                call(m.get(0), "DEL", "bar"));
        assertTrue(call(m.get(0), "CLUSTER", "INFO").contains("cluster_slots_fail:5461\r\n"));
    }

    private static String nodeLine(TestServer s, String id) {
        return call(s, "CLUSTER", "NODES").lines().filter(l -> l.startsWith(id + " ")).findFirst().orElse("");
    }

    /** A new node that met the cluster, learned the master's slots and replicates it, as the master sees. */
    private TestServer replicaOf(List<TestServer> m, TestServer master, String slots) throws IOException {
        TestServer replica = node();
        meet(replica, m.get(0));
        String masterId = id(master);
        await(() -> nodeLine(replica, masterId).endsWith(" " + slots), "the replica to learn the slots");
        assertEquals("+OK\r\n", call(replica, "CLUSTER", "REPLICATE", masterId));
        await(() -> nodeLine(master, id(replica)).contains("slave " + masterId)
                && call(master, "CLUSTER", "REPLICAS", masterId).contains(id(replica)) && ok(replica),
                "the master to know its replica, and the replica to see the whole cluster");
        return replica;
    }

    @Test
    void replicaOfAFailedMasterIsElected() throws IOException {
        List<TestServer> m = threeMasters();
        TestServer replica = replicaOf(m, m.get(2), "10923-16383");
        try (RespClient c = replica.client()) {
            assertEquals("-MOVED 12182 127.0.0.1:" + m.get(2).port() + "\r\n", c.call("EXISTS", "foo"));
            assertEquals("+OK\r\n", c.call("READONLY"));
            assertEquals(":0\r\n", c.call("EXISTS", "foo"));
            assertEquals("-MOVED 12182 127.0.0.1:" + m.get(2).port() + "\r\n", c.call("DEL", "foo"));
            assertEquals("-MOVED 5061 127.0.0.1:" + m.get(0).port() + "\r\n", c.call("EXISTS", "bar"));
            assertEquals("+OK\r\n", c.call("READWRITE"));
            assertEquals("-MOVED 12182 127.0.0.1:" + m.get(2).port() + "\r\n", c.call("EXISTS", "foo"));
        }
        m.get(2).close();
        nodes.remove(m.get(2));
        await(() -> call(replica, "CLUSTER", "NODES").contains("myself,master") && ok(replica)
                && nodeLine(m.get(0), id(replica)).contains("master - ")
                && nodeLine(m.get(0), id(replica)).endsWith(" 10923-16383"), "the replica to take over");
        assertEquals(":0\r\n", call(replica, "EXISTS", "foo"));
    }

    @Test
    void aReplicaMigratesToAnOrphanedMaster() throws IOException {
        List<TestServer> m = threeMasters();
        TestServer r1 = replicaOf(m, m.get(0), "0-5460");
        TestServer r2 = replicaOf(m, m.get(0), "0-5460");
        TestServer r3 = replicaOf(m, m.get(1), "5461-10922");
        String lost = id(r3);
        await(() -> List.of(r1, r2).stream().allMatch(r -> nodeLine(r, lost).contains("slave " + id(m.get(1)))),
                "the replicas to know the whole layout");
        r3.close();
        nodes.remove(r3);
        // the smaller id of m0's two replicas moves to m1 once m1 has been orphaned for a while
        TestServer mover = id(r1).compareTo(id(r2)) < 0 ? r1 : r2;
        TestServer stays = mover == r1 ? r2 : r1;
        await(() -> nodeLine(mover, id(mover)).contains("myself,slave " + id(m.get(1)))
                && nodeLine(m.get(2), id(mover)).contains("slave " + id(m.get(1))), "the replica migration");
        assertTrue(nodeLine(stays, id(stays)).contains("myself,slave " + id(m.get(0))));
    }

    @Test
    void takeoverAndForgetAndReset() throws IOException {
        List<TestServer> m = threeMasters();
        TestServer replica = replicaOf(m, m.get(1), "5461-10922");
        assertEquals("-ERR Please use SETSLOT only with masters.\r\n", call(replica, "CLUSTER", "SETSLOT", "1", "STABLE"));
        assertEquals("-ERR Can't forget my master!\r\n", call(replica, "CLUSTER", "FORGET", id(m.get(1))));
        assertEquals("+OK\r\n", call(replica, "CLUSTER", "FAILOVER", "TAKEOVER"));
        await(() -> m.stream().allMatch(s -> nodeLine(s, id(replica)).endsWith(" 5461-10922")
                && nodeLine(s, id(m.get(1))).contains("slave " + id(replica))), "the takeover to propagate");
        assertEquals("+OK\r\n", call(m.get(0), "CLUSTER", "FORGET", id(m.get(2))));
        assertEquals("", nodeLine(m.get(0), id(m.get(2))));
        assertEquals("+OK\r\n", call(m.get(1), "CLUSTER", "RESET"));
        assertTrue(call(m.get(1), "CLUSTER", "INFO").contains("cluster_known_nodes:1\r\n"));
    }

    @Test
    void manualFailoverSwapsMasterAndReplica() throws IOException {
        List<TestServer> m = threeMasters();
        assertEquals("-ERR You should send CLUSTER FAILOVER to a replica\r\n", call(m.get(0), "CLUSTER", "FAILOVER"));
        TestServer replica = replicaOf(m, m.get(0), "0-5460");
        String masterId = id(m.get(0));
        assertEquals("+OK\r\n", call(replica, "CLUSTER", "FAILOVER"));
        // the replica is elected with the masters' votes (the old master agreed), and the old master follows it
        await(() -> m.stream().allMatch(s -> nodeLine(s, id(replica)).endsWith(" 0-5460"))
                && nodeLine(m.get(0), masterId).contains("myself,slave " + id(replica)), "the manual failover");
        await(() -> ok(replica), "the new master to serve");
        assertEquals(":0\r\n", call(replica, "EXISTS", "bar"));
        assertEquals("-MOVED 5061 127.0.0.1:" + replica.port() + "\r\n", call(m.get(0), "EXISTS", "bar"));
        // and back, without waiting for the old master's consent
        assertEquals("+OK\r\n", call(m.get(0), "CLUSTER", "FAILOVER", "FORCE"));
        await(() -> nodeLine(m.get(1), masterId).endsWith(" 0-5460"), "the forced failover");
    }

    @Test
    void aRestartedMasterRejoinsFromItsNodesConf() throws IOException {
        List<TestServer> m = threeMasters();
        TestServer gone = m.get(2);
        String goneId = id(gone);
        int port = gone.port();
        int bus = busPort(gone);
        Path dir = Path.of(gone.server().config().get("dir"));
        gone.close();
        nodes.remove(gone);
        await(() -> nodeLine(m.get(0), goneId).contains("master,fail "), "the master to be failed");
        // the closed server releases its ports asynchronously
        TestServer[] restarted = new TestServer[1];
        await(() -> {
            try {
                restarted[0] = node(dir, port, bus);
                return true;
            } catch (IllegalStateException e) {
                return false;
            }
        }, "the ports to be free again");
        TestServer back = restarted[0];
        assertEquals(goneId, id(back));
        await(() -> List.of(m.get(0), m.get(1), back).stream().allMatch(s -> ok(s)
                && nodeLine(s, goneId).endsWith(" 10923-16383") && !nodeLine(s, goneId).contains("fail")),
                "the master to be back and the cluster ok");
    }

    /** The bus is Redis 7.2's: a Cinnabar node and two redis-server nodes form one cluster. */
    @Test
    void joinsAClusterOfRealRedisNodes() throws IOException {
        int bus1 = TestServer.freePort();
        int bus2 = TestServer.freePort();
        try (ReferenceRedis r1 = ReferenceRedis.start("--cluster-enabled", "yes", "--cluster-node-timeout", "1000",
                "--cluster-port", Integer.toString(bus1));
             ReferenceRedis r2 = ReferenceRedis.start("--cluster-enabled", "yes", "--cluster-node-timeout", "1000",
                     "--cluster-port", Integer.toString(bus2));
             RespClient c1 = r1.client(); RespClient c2 = r2.client()) {
            TestServer ours = node();
            c1.call("CLUSTER", "ADDSLOTSRANGE", "0", "5460");
            c1.call("CLUSTER", "SET-CONFIG-EPOCH", "1");
            c2.call("CLUSTER", "ADDSLOTSRANGE", "5461", "10922");
            c2.call("CLUSTER", "SET-CONFIG-EPOCH", "2");
            call(ours, "CLUSTER", "ADDSLOTSRANGE", "10923", "16383");
            call(ours, "CLUSTER", "SET-CONFIG-EPOCH", "3");
            assertEquals("+OK\r\n", call(ours, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(r1.port()),
                    Integer.toString(bus1)));
            assertEquals("+OK\r\n", c2.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(ours.port()),
                    Integer.toString(busPort(ours))));
            await(() -> c1.call("CLUSTER", "INFO").contains("cluster_state:ok") && c2.call("CLUSTER", "INFO")
                    .contains("cluster_state:ok") && ok(ours) && c1.call("CLUSTER", "INFO").contains("cluster_known_nodes:3")
                    && c2.call("CLUSTER", "INFO").contains("cluster_known_nodes:3"), "a mixed cluster to be ok");
            assertEquals("-MOVED 12182 127.0.0.1:" + ours.port() + "\r\n", c1.call("EXISTS", "foo"));
            assertEquals("-MOVED 5061 127.0.0.1:" + r1.port() + "\r\n", call(ours, "EXISTS", "bar"));
            assertEquals(":0\r\n", call(ours, "EXISTS", "foo"));
            String oursId = id(ours);
            assertTrue(c2.call("CLUSTER", "NODES").contains(oursId + " 127.0.0.1:" + ours.port() + "@" + busPort(ours)
                    + " master - "));
            // a replica in our view follows a Redis master, and Redis sees it so
            TestServer replica = node();
            meet(replica, ours);
            String redisMaster = c1.call("CLUSTER", "MYID").split("\r\n")[1];
            await(() -> nodeLine(replica, redisMaster).endsWith(" 0-5460"), "the replica to learn the slots");
            assertEquals("+OK\r\n", call(replica, "CLUSTER", "REPLICATE", redisMaster));
            await(() -> c2.call("CLUSTER", "NODES").contains(id(replica) + " 127.0.0.1:" + replica.port() + "@"
                    + busPort(replica) + " slave " + redisMaster), "redis to see the replica");
        }
    }

    @Test
    void equalConfigEpochsAreResolved() throws IOException {
        List<TestServer> m = List.of(node(), node(), node());
        meet(m.get(1), m.get(0));
        meet(m.get(2), m.get(0));
        await(() -> {
            Set<String> epochs = new HashSet<>();
            for (TestServer s : m) {
                epochs.add(call(s, "CLUSTER", "INFO").replaceAll("(?s).*cluster_my_epoch:(\\d+).*", "$1"));
            }
            return epochs.size() == 3;
        }, "every master to get a distinct config epoch");
    }
}
