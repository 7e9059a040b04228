package io.cinnabar.kernel.cluster;

import static io.cinnabar.kernel.cluster.ClusterNodes.await;
import static io.cinnabar.kernel.cluster.ClusterNodes.cli;
import static io.cinnabar.kernel.cluster.ClusterNodes.cliAnswering;
import static io.cinnabar.kernel.cluster.ClusterNodes.cliQuiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.kernel.cluster.ClusterNodes.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * Unmodified {@code redis-cli --cluster fix} repairing what an interrupted reshard or a lost slot leaves
 * behind, with keys in the broken slots: afterwards {@code --cluster check} passes and every key is served.
 * Each scenario also runs against real Redis 7.2 nodes.
 */
class ClusterFixTest {
    private static final String TAG = "{fix}";
    private static final int KEYS = 20;

    @Test
    void fixFinishesAnOpenSlotWithKeysOnBothSidesOnRedis() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.redis()) {
            openSlot(cluster);
        }
    }

    @Test
    void fixFinishesAnOpenSlotWithKeysOnBothSides() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.cinnabar()) {
            openSlot(cluster);
        }
    }

    @Test
    void fixCoversAnUnassignedSlotHoldingKeysOnRedis() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.redis()) {
            uncoveredSlot(cluster);
        }
    }

    @Test
    void fixCoversAnUnassignedSlotHoldingKeys() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.cinnabar()) {
            uncoveredSlot(cluster);
        }
    }

    @Test
    void fixGathersTheKeysOfAnUnassignedSlotHeldByTwoNodesOnRedis() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.redis()) {
            uncoveredSlotOnTwoNodes(cluster);
        }
    }

    @Test
    void fixGathersTheKeysOfAnUnassignedSlotHeldByTwoNodes() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.cinnabar()) {
            uncoveredSlotOnTwoNodes(cluster);
        }
    }

    private static String key(int i) {
        return TAG + "k" + i;
    }

    /** The master that redis-cli create gave the slot to (3 masters, in the order given). */
    private static Node owner(List<Node> masters, int slot) {
        return masters.get(slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2);
    }

    private static int slot(Node n) {
        return Integer.parseInt(n.call("CLUSTER", "KEYSLOT", TAG).trim().substring(1));
    }

    /** An interrupted move: MIGRATING on the owner, IMPORTING on the target, half the keys already moved. */
    private static void openSlot(ClusterNodes cluster) throws Exception {
        List<Node> masters = cluster.createMasters(3);
        int slot = slot(masters.get(0));
        Node source = owner(masters, slot);
        Node target = masters.get((masters.indexOf(source) + 1) % 3);
        for (int i = 0; i < KEYS; i++) {
            assertEquals("+OK\r\n", source.call("SET", key(i), "v" + i));
        }
        String s = Integer.toString(slot);
        assertEquals("+OK\r\n", target.call("CLUSTER", "SETSLOT", s, "IMPORTING", source.id()));
        assertEquals("+OK\r\n", source.call("CLUSTER", "SETSLOT", s, "MIGRATING", target.id()));
        List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "",
                "0", "5000", "KEYS"));
        for (int i = 0; i < KEYS / 2; i++) {
            migrate.add(key(i));
        }
        assertEquals("+OK\r\n", source.call(migrate.toArray(String[]::new)));
        assertEquals(":" + KEYS / 2 + "\r\n", source.call("CLUSTER", "COUNTKEYSINSLOT", s));
        assertEquals(":" + KEYS / 2 + "\r\n", target.call("CLUSTER", "COUNTKEYSINSLOT", s));
        String before = cli("--cluster", "check", masters.get(0).addr());
        assertTrue(before.contains("[WARNING] Node " + source.addr() + " has slots in migrating state " + s), before);
        assertTrue(before.contains("[WARNING] Node " + target.addr() + " has slots in importing state " + s), before);

        String fix = cli("--cluster", "fix", masters.get(0).addr(), "--cluster-yes");
        assertTrue(fix.contains(">>> Fixing open slot " + s), fix);
        assertTrue(fix.contains("[OK] All 16384 slots covered."), fix);
        assertTrue(fix.contains("Moving slot " + s + " from "), fix);
        assertAllKeysServed(cluster, masters);
        // every key ends up with the one node that owns the slot (redis-cli picks it by key count)
        Node newOwner = source.call("CLUSTER", "COUNTKEYSINSLOT", s).equals(":0\r\n") ? target : source;
        assertEquals(":" + KEYS + "\r\n", newOwner.call("CLUSTER", "COUNTKEYSINSLOT", s), fix);
    }

    /** A slot nobody claims any more while its owner still holds its keys. */
    private static void uncoveredSlot(ClusterNodes cluster) throws Exception {
        List<Node> masters = cluster.createMasters(3);
        int slot = slot(masters.get(0));
        Node holder = owner(masters, slot);
        for (int i = 0; i < KEYS; i++) {
            assertEquals("+OK\r\n", holder.call("SET", key(i), "v" + i));
        }
        String s = Integer.toString(slot);
        for (Node n : masters) {
            assertEquals("+OK\r\n", n.call("CLUSTER", "DELSLOTS", s));
        }
        String before = cli("--cluster", "check", masters.get(0).addr());
        assertTrue(before.contains("[ERR] Not all 16384 slots are covered by nodes."), before);

        // this question is asked even with --cluster-yes
        String fix = cliAnswering("yes\n", "--cluster", "fix", masters.get(0).addr(), "--cluster-yes");
        assertTrue(fix.contains("The following uncovered slots have keys in just one node:\n[" + s + "]\n"), fix);
        assertTrue(fix.contains(">>> Covering slot " + s + " with " + holder.addr()), fix);
        assertAllKeysServed(cluster, masters);
        assertEquals(":" + KEYS + "\r\n", holder.call("CLUSTER", "COUNTKEYSINSLOT", s));
    }

    /**
     * A slot nobody claims whose keys sit on two nodes, half of them on both (copied by MIGRATE COPY): fix gives
     * the slot to the node with most keys and moves the others' keys there, comparing the duplicates with
     * DEBUG DIGEST-VALUE before it replaces them.
     */
    private static void uncoveredSlotOnTwoNodes(ClusterNodes cluster) throws Exception {
        List<Node> masters = cluster.createMasters(3);
        int slot = slot(masters.get(0));
        Node holder = owner(masters, slot);
        Node other = masters.get((masters.indexOf(holder) + 1) % 3);
        String s = Integer.toString(slot);
        for (int i = 0; i < KEYS; i++) {
            assertEquals("+OK\r\n", holder.call("SET", key(i), "v" + i));
        }
        assertEquals("+OK\r\n", other.call("CLUSTER", "SETSLOT", s, "IMPORTING", holder.id()));
        List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", Integer.toString(other.port()), "",
                "0", "5000", "COPY", "KEYS"));
        for (int i = 0; i < KEYS / 2; i++) {
            migrate.add(key(i));
        }
        assertEquals("+OK\r\n", holder.call(migrate.toArray(String[]::new)));
        assertEquals("+OK\r\n", other.call("CLUSTER", "SETSLOT", s, "STABLE"));
        for (Node n : masters) {
            assertEquals("+OK\r\n", n.call("CLUSTER", "DELSLOTS", s));
        }
        assertEquals(":" + KEYS / 2 + "\r\n", other.call("CLUSTER", "COUNTKEYSINSLOT", s));

        String fix = cliAnswering("yes\nyes\n", "--cluster", "fix", masters.get(0).addr(), "--cluster-yes");
        assertTrue(fix.contains("The following uncovered slots have keys in multiple nodes:\n[" + s + "]\n"), fix);
        assertTrue(fix.contains(">>> Covering slot " + s + " moving keys to " + holder.addr()), fix);
        assertTrue(fix.contains("*** Replacing target keys..."), fix);
        assertAllKeysServed(cluster, masters);
        assertEquals(":" + KEYS + "\r\n", holder.call("CLUSTER", "COUNTKEYSINSLOT", s));
        assertEquals(":0\r\n", other.call("CLUSTER", "COUNTKEYSINSLOT", s));
    }

    private static void assertAllKeysServed(ClusterNodes cluster, List<Node> masters) {
        String[] last = {""};
        try {
            await(() -> {
                last[0] = cliQuiet("--cluster", "check", masters.get(0).addr());
                return last[0].contains("[OK] All nodes agree about slots configuration.")
                        && last[0].contains("[OK] All 16384 slots covered.") && !last[0].contains("[WARNING]");
            }, "a cluster that checks out");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + last[0], e);
        }
        await(() -> masters.stream().allMatch(n -> n.call("CLUSTER", "INFO").contains("cluster_state:ok")),
                "cluster_state:ok everywhere");
        try (JedisCluster jc = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", masters.get(0).port())))) {
            for (int i = 0; i < KEYS; i++) {
                assertEquals("v" + i, jc.get(key(i)), key(i));
            }
        }
        long total = 0;
        for (Node n : masters) {
            total += Long.parseLong(n.call("DBSIZE").trim().substring(1));
        }
        assertEquals(KEYS, total, "keys across the masters");
    }
}
