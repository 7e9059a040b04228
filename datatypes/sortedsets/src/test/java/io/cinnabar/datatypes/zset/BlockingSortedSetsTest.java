package io.cinnabar.datatypes.zset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.ServerPair;
import io.cinnabar.testkit.StandInValue;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BZPOPMIN, BZPOPMAX and BZMPOP against the reference redis-server: the same clients block on both servers,
 * the same writes wake them, and the blocked clients' replies are compared byte for byte. Each test works in
 * its own database; blocked clients are counted through INFO clients, never waited for by sleeping.
 */
class BlockingSortedSetsTest {
    private static ServerPair pair;
    private RespClient ref;
    private RespClient cand;

    /** Every zset/generic keyspace event Cinnabar emits, as "db event key". */
    private static final Queue<String> EVENTS = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() {
        pair = ServerPair.start(TestServer.builder().family(new SortedSetFamily())
                .listener((cls, event, key, db) -> {
                    if (cls != KeyspaceEvents.NEW && cls != KeyspaceEvents.KEY_MISS) {
                        EVENTS.add(db + " " + event + " " + new String(key, StandardCharsets.ISO_8859_1));
                    }
                }));
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    /** Closes every client and waits until neither server counts a blocked client any more. */
    @AfterEach
    void closeClients() {
        pair.closeClients();
        awaitBlocked(0);
    }

    private Differential diff(int db) {
        ref = pair.redisClient();
        cand = pair.cinnabarClient();
        Differential d = new Differential(ref, cand);
        d.run("SELECT " + db, "FLUSHDB");
        return d;
    }

    /** One connection to each server, in database {@code db} and protocol {@code resp}, sending the same commands. */
    private static final class Twin {
        final RespClient ref;
        final RespClient cand;

        Twin(int db, int resp) {
            ref = pair.redisClient();
            cand = pair.cinnabarClient();
            for (RespClient c : List.of(ref, cand)) {
                c.call("SELECT", Integer.toString(db));
                if (resp == 3) {
                    c.call("HELLO", "3");
                }
            }
        }

        void send(String... args) {
            ref.send(args);
            cand.send(args);
        }

        /** Reads the next reply on both, asserts they are the same bytes, returns it. */
        String reply(String what) {
            String want = ref.readReply();
            String got = cand.readReply();
            assertEquals(want.replace("\r\n", "\\r\\n"), got.replace("\r\n", "\\r\\n"), what);
            return got;
        }
    }

    /** Sends a blocking command on both servers and waits until each counts {@code blocked} blocked clients. */
    private static Twin block(Twin t, int blocked, String... cmd) {
        t.send(cmd);
        awaitBlocked(blocked);
        return t;
    }

    private static void awaitBlocked(int n) {
        try (RespClient r = pair.redis().client(); RespClient c = pair.cinnabar().client()) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (blockedClients(r) != n || blockedClients(c) != n) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("blocked_clients never became " + n + ": redis "
                            + blockedClients(r) + ", cinnabar " + blockedClients(c));
                }
                Thread.onSpinWait();
            }
        }
    }

    private static int blockedClients(RespClient admin) {
        String info = admin.call("INFO", "clients");
        int i = info.indexOf("blocked_clients:");
        return Integer.parseInt(info.substring(i + 16, info.indexOf('\r', i)));
    }

    /** A list at {@code key} of database {@code db} on both servers (a stand-in on Cinnabar). */
    private void listKey(int db, String key) {
        ref.call("RPUSH", key, "v");
        StandInValue.LIST.put(pair.cinnabar(), db, key);
    }

    /** ZADD of n members m0..m(n-1) with scores i (big enough to be a skiplist). */
    private static String[] bigZadd(String key, int n) {
        List<String> a = new ArrayList<>(List.of("ZADD", key));
        for (int i = 0; i < n; i++) {
            a.add(Integer.toString(i));
            a.add("m" + i);
        }
        return a.toArray(new String[0]);
    }

    @Test
    void aNonEmptySortedSetIsServedAtOnceLikeZpop() {
        Differential d = diff(1);
        d.run("ZADD z 1 a 2 b 3 c 4 d 5 e 6 f 7 g", "BZPOPMIN z 0", "BZPOPMAX z 0", "BZPOPMIN nokey z 0",
                "BZPOPMAX nokey1 nokey2 z 1", "BZMPOP 0 1 z MIN", "BZMPOP 0 2 nokey z MAX COUNT 10", "EXISTS z",
                "ZADD z 1.5 a 2 b", "ZADD y -inf x", "BZPOPMIN y z 0", "BZPOPMAX y z 0.5", "BZMPOP 0 2 y z MIN COUNT 1",
                "BZMPOP 0.01 2 z y max count 3");
        d.cmd(bigZadd("big", 200));
        d.run("OBJECT ENCODING big", "BZPOPMIN big 0", "BZPOPMAX big 0", "BZMPOP 0 1 big MIN COUNT 3",
                "BZMPOP 0 1 big MAX COUNT 2", "ZCARD big");
        listKey(1, "lst");
        d.run("BZPOPMIN lst 0", "BZPOPMAX nokey lst 0", "BZPOPMIN lst z 0", "BZMPOP 0 2 nokey lst MIN",
                "BZPOPMIN big lst 0", "BZMPOP 0 2 big lst MAX");
        ref.call("HELLO", "3");
        cand.call("HELLO", "3");
        d.run("ZADD r 1 a 2.5 b 3 c 4 d", "BZPOPMIN r 0", "BZPOPMAX nokey r 0", "BZMPOP 0 1 r MIN",
                "BZMPOP 0 1 r MAX COUNT 5", "EXISTS r", "BZPOPMIN lst 0");
        d.assertSame();
    }

    @Test
    void errorsMatchRedis() {
        Differential d = diff(2);
        d.run("BZPOPMIN k -1", "BZPOPMAX k -0.5", "BZPOPMIN k abc", "BZPOPMIN k 1e300", "BZPOPMIN k inf",
                "BZPOPMIN k nan", "BZPOPMIN k", "BZPOPMAX k", "BZPOPMIN", "BZMPOP 0 1 k", "BZMPOP 0 1", "BZMPOP",
                "BZMPOP -1 1 k MIN", "BZMPOP x 1 k MIN", "BZMPOP x 0 k MIN", "BZMPOP 0 0 k MIN", "BZMPOP 0 -1 k MIN",
                "BZMPOP 0 x k MIN", "BZMPOP 0 2 k MIN", "BZMPOP 0 9223372036854775807 k MIN", "BZMPOP 0 1 k foo",
                "BZMPOP 0 1 k MIN COUNT 0", "BZMPOP 0 1 k MIN COUNT -1", "BZMPOP 0 1 k MIN COUNT x",
                "BZMPOP x 1 k MIN COUNT 0", "BZMPOP 0 1 k MIN COUNT 1 COUNT 1", "BZMPOP 0 1 k MIN COUNT",
                "BZMPOP 0 1 k MIN extra", "BZMPOP -1 1 k foo");
        // timeouts Redis reads as numbers (serving at once, as z has members) or refuses
        d.cmd(bigZadd("z", 200));
        for (String t : List.of("9223372036854775", "9223372036854774", "9223372036854776", "9223372036854", " 1",
                "1 ", "0x10", "1e-9", "-0", "+0", "", ".5", "-1e-9", "-inf", "1e", "0.0", "1.7976931348623157e308",
                "-nan", "-0.0001", "-0.001", "-0.0011", "-1e-3", "-.001", "-0.0010000000000000000000000001",
                "-0.00099999999999999999999", "-0.003", "-0.0019", "-0.002", "1e400", "-1e400", "1e-400", "-1e-400",
                "1e5000", "-1e5000", "0x7FFFFFFFFFFFFF", "-0x1p-10", "-0x10")) {
            d.cmd("BZPOPMIN", "z", t);
            d.cmd("BZMPOP", t, "1", "z", "MAX");
        }
        listKey(2, "lst");
        // the timeout is read before the key types
        d.run("BZPOPMIN lst -1", "BZMPOP x 1 lst MIN", "BZMPOP 0 1 lst MIN COUNT 0");
        d.assertSame();
    }

    @Test
    void commandGetkeysFindsTheKeysAsRedisDoes() {
        Differential d = diff(15);
        d.run("COMMAND GETKEYS BZPOPMIN a b 0", "COMMAND GETKEYS BZPOPMAX a 0", "COMMAND GETKEYS BZMPOP 0 2 a b MIN",
                "COMMAND GETKEYS BZMPOP 0 1 a MAX COUNT 2", "COMMAND GETKEYS BZMPOP 0 0 a MIN",
                "COMMAND GETKEYS BZMPOP 0 5 a MIN", "COMMAND GETKEYS BZPOPMIN a");
        d.assertSame();
    }

    @Test
    void aZaddWakesTheBlockedClient() {
        Differential d = diff(3);
        Twin min = block(new Twin(3, 2), 1, "BZPOPMIN", "k1", "k2", "0");
        d.run("ZADD k2 3 c 1 a 2 b");
        min.reply("BZPOPMIN woken");
        Twin max = block(new Twin(3, 2), 1, "BZPOPMAX", "k3", "10");
        d.run("ZADD k3 1 a 7 z");
        max.reply("BZPOPMAX woken");
        Twin mpop = block(new Twin(3, 2), 1, "BZMPOP", "0", "2", "k4", "k5", "MAX", "COUNT", "2");
        d.run("ZADD k5 1 a 2 b 3 c");
        mpop.reply("BZMPOP woken");
        Twin one = block(new Twin(3, 2), 1, "BZMPOP", "0", "1", "k6", "MIN");
        d.run("ZADD k6 1 a");
        one.reply("BZMPOP without COUNT woken");
        d.run("ZRANGE k2 0 -1 WITHSCORES", "ZRANGE k3 0 -1 WITHSCORES", "ZRANGE k5 0 -1", "EXISTS k6");
        d.assertSame();
    }

    @Test
    void resp3RepliesCarryDoubles() {
        Differential d = diff(4);
        Twin min = block(new Twin(4, 3), 1, "BZPOPMIN", "k", "0");
        d.run("ZADD k 1.5 a 2 b");
        min.reply("BZPOPMIN in RESP3");
        Twin mpop = block(new Twin(4, 3), 1, "BZMPOP", "0", "1", "m", "MIN", "COUNT", "5");
        d.run("ZADD m 1 a 2.25 b");
        mpop.reply("BZMPOP in RESP3");
        Twin timeout = new Twin(4, 3);
        timeout.send("BZPOPMAX", "none", "0.01");
        timeout.reply("BZPOPMAX timeout in RESP3");
        timeout.send("BZMPOP", "0.01", "1", "none", "MAX");
        assertEquals("_\r\n", timeout.reply("BZMPOP timeout in RESP3"));
        d.assertSame();
    }

    @Test
    void aTimeoutAnswersTheNullArray() {
        diff(5);
        Twin t = new Twin(5, 2);
        for (String[] cmd : List.of(new String[] {"BZPOPMIN", "none", "0.05"},
                new String[] {"BZPOPMAX", "none", "other", "0.01"},
                new String[] {"BZMPOP", "0.02", "2", "none", "other", "MIN", "COUNT", "3"})) {
            t.send(cmd);
            assertEquals("*-1\r\n", t.reply(String.join(" ", cmd)));
        }
    }

    @Test
    void blockedClientsAreServedInArrivalOrder() {
        Differential d = diff(6);
        Twin first = block(new Twin(6, 2), 1, "BZPOPMIN", "q", "0");
        Twin second = block(new Twin(6, 2), 2, "BZPOPMAX", "other", "q", "0");
        d.run("ZADD q 1 a");
        assertTrue(first.reply("first blocked client").contains("a"));
        awaitBlocked(1);
        d.run("ZADD q 2 b 3 c");
        second.reply("second blocked client");
        awaitBlocked(0);
        // one ZADD of two members serves both waiting clients, in arrival order
        first = block(first, 1, "BZMPOP", "0", "1", "q2", "MIN");
        second = block(second, 2, "BZMPOP", "0", "1", "q2", "MIN");
        d.run("ZADD q2 1 x 2 y");
        first.reply("first BZMPOP");
        second.reply("second BZMPOP");
        d.run("EXISTS q q2", "ZRANGE q 0 -1");
        d.assertSame();
    }

    @Test
    void theFirstNonEmptyKeyInArgumentOrderIsServed() {
        Differential d = diff(7);
        Twin t = block(new Twin(7, 2), 1, "BZPOPMIN", "k1", "k2", "k3", "0");
        d.run("MULTI", "ZADD k3 3 c", "ZADD k2 2 b", "EXEC");
        t.reply("woken by a transaction writing k3 then k2");
        Twin m = block(new Twin(7, 2), 1, "BZMPOP", "0", "3", "k4", "k5", "k6", "MAX", "COUNT", "9");
        d.run("MULTI", "ZADD k6 1 x", "ZADD k5 1 y 2 z", "EXEC");
        m.reply("BZMPOP woken by a transaction");
        d.run("ZRANGE k2 0 -1", "ZRANGE k3 0 -1", "ZRANGE k5 0 -1", "ZRANGE k6 0 -1");
        d.assertSame();
    }

    @Test
    void aWriteThatLeavesNoSortedSetKeepsTheClientBlocked() {
        Differential d = diff(8);
        Twin t = block(new Twin(8, 2), 1, "BZPOPMIN", "k", "0");
        d.run("MULTI", "ZADD k 1 a", "ZREM k a", "EXEC", "ZADD k XX 1 a", "ZPOPMIN k");
        awaitBlocked(1);
        d.run("ZADD src 5 s", "ZUNIONSTORE k 1 src");
        t.reply("woken by ZUNIONSTORE");
        Twin u = block(new Twin(8, 2), 1, "BZPOPMAX", "dst", "0");
        d.run("ZRANGESTORE dst src 0 -1");
        u.reply("woken by ZRANGESTORE");
        d.run("EXISTS k dst src");
        d.assertSame();
    }

    @Test
    void onlyAWriteToTheSameKeyOfTheSameDatabaseWakes() {
        Differential d = diff(12);
        Twin t = block(new Twin(12, 2), 1, "BZPOPMIN", "k", "k", "0");
        d.run("SELECT 13", "FLUSHDB", "ZADD k 1 other-db", "ZADD k2 1 other-key", "SELECT 12", "ZADD k2 1 a");
        awaitBlocked(1);
        d.run("ZADD k 1 a 2 b");
        t.reply("key named twice, served once");
        awaitBlocked(0);
        d.run("ZRANGE k 0 -1", "SELECT 13", "ZRANGE k 0 -1", "FLUSHDB");
        d.assertSame();
    }

    @Test
    void aKeyOfAnotherTypeMetWhenRunAgainIsWrongType() {
        Differential d = diff(14);
        Twin t = block(new Twin(14, 2), 1, "BZPOPMIN", "k1", "k2", "0");
        listKey(14, "k1");
        awaitBlocked(1);
        d.run("ZADD k2 1 a");
        assertTrue(t.reply("woken by k2, k1 is a list by then").startsWith("-WRONGTYPE"));
        d.run("ZCARD k2");
        d.assertSame();
    }

    @Test
    void insideMultiTheNullArrayComesAtOnce() {
        Differential d = diff(9);
        d.run("MULTI", "BZPOPMIN none 0", "BZPOPMAX none 0", "BZMPOP 0 1 none MIN", "ZADD k 1 a 2 b",
                "BZPOPMAX k 0", "BZMPOP 0 1 k MIN COUNT 4", "EXEC");
        d.run("MULTI", "BZPOPMIN none -1", "EXEC");
        ref.call("HELLO", "3");
        cand.call("HELLO", "3");
        d.run("MULTI", "BZPOPMIN none 0", "BZMPOP 0 1 none MAX", "EXEC");
        d.assertSame();
    }

    @Test
    void clientUnblockEndsTheWaitAsTimeoutOrError() {
        diff(10);
        Twin t = new Twin(10, 2);
        String refId = t.ref.call("CLIENT", "ID").substring(1).trim();
        String candId = t.cand.call("CLIENT", "ID").substring(1).trim();
        for (String[] cmd : List.of(new String[] {"BZPOPMIN", "k", "0"},
                new String[] {"BZMPOP", "0", "1", "k", "MAX", "COUNT", "2"})) {
            block(t, 1, cmd);
            assertEquals(ref.call("CLIENT", "UNBLOCK", refId), cand.call("CLIENT", "UNBLOCK", candId));
            assertEquals("*-1\r\n", t.reply("unblocked " + cmd[0]));
            block(t, 1, cmd);
            assertEquals(":1\r\n", ref.call("CLIENT", "UNBLOCK", refId, "ERROR"));
            assertEquals(":1\r\n", cand.call("CLIENT", "UNBLOCK", candId, "ERROR"));
            t.reply("unblocked " + cmd[0] + " with an error");
        }
        assertEquals(ref.call("CLIENT", "UNBLOCK", refId), cand.call("CLIENT", "UNBLOCK", candId));
    }

    @Test
    void aServedWaitEmitsTheZpopEvents() {
        Differential d = diff(11);
        Twin t = block(new Twin(11, 2), 1, "BZPOPMIN", "ev", "0");
        EVENTS.clear();
        d.run("ZADD ev 1 a");
        t.reply("BZPOPMIN woken");
        t = block(t, 1, "BZMPOP", "0", "1", "ev", "MAX", "COUNT", "5");
        d.run("ZADD ev 1 a 2 b 3 c");
        t.reply("BZMPOP woken");
        d.run("ZADD ev2 1 a 2 b");
        t.send("BZPOPMAX", "ev2", "ev", "0");
        t.reply("BZPOPMAX served at once");
        assertEquals(List.of("11 zadd ev", "11 zpopmin ev", "11 del ev", "11 zadd ev", "11 zpopmax ev", "11 del ev",
                "11 zadd ev2", "11 zpopmax ev2"), new ArrayList<>(EVENTS));
        d.assertSame();
    }
}
