package io.cinnabar.datatypes.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.datatypes.hashes.HashesFamily;
import io.cinnabar.datatypes.hyperloglog.HyperLogLogFamily;
import io.cinnabar.datatypes.sets.SetsFamily;
import io.cinnabar.datatypes.strings.StringsFamily;
import io.cinnabar.datatypes.zset.SortedSetFamily;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.ServerPair;
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
 * The keyspace events of every write command of the collection plugins (lists, sets, hashes, sorted sets, geo,
 * HyperLogLog, SORT), name and order, including "new" and the "del" of a key left empty, against what
 * redis-server publishes under {@code notify-keyspace-events KEAn} for the same script.
 */
class CollectionEventsTest {
    private static final Queue<String> EVENTS = new ConcurrentLinkedQueue<>();
    private static ServerPair pair;

    @BeforeAll
    static void start() {
        pair = ServerPair.start(TestServer.builder().family(new ListsFamily()).family(new SortFamily())
                .family(new StringsFamily()).family(new SetsFamily()).family(new SortedSetFamily())
                .family(new HashesFamily()).family(new HyperLogLogFamily())
                .listener((cls, event, key, db) -> {
                    if (cls != KeyspaceEvents.KEY_MISS) {
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

    @AfterEach
    void closeClients() {
        pair.closeClients();
    }

    /**
     * Runs the script on both servers and compares the replies and the events of database 0, in order; a line
     * starting with {@code ~} has a random reply, which is not compared.
     */
    private static void assertSameEvents(String... script) {
        Differential d = pair.diff(0);
        RespClient ref = d.reference();
        d.run("FLUSHALL");
        try (RespClient sub = pair.redisClient()) {
            ref.call("CONFIG", "SET", "notify-keyspace-events", "KEAn");
            sub.call("PSUBSCRIBE", "__keyevent@0__:*");
            EVENTS.clear();
            for (String line : script) {
                if (line.startsWith("~")) {
                    // a random reply: run on both, not compared
                    ref.call(line.substring(1).split(" "));
                    d.candidate().call(line.substring(1).split(" "));
                } else {
                    d.run(line);
                }
            }
            ref.call("SET", "__end__", "x");
            List<String> want = new ArrayList<>();
            while (true) {
                String[] lines = sub.readReply().split("\r\n");
                String key = lines[8];
                if (key.equals("__end__")) {
                    break;
                }
                want.add("0 " + lines[6].substring("__keyevent@0__:".length()) + " " + key);
            }
            List<String> got = EVENTS.stream().filter(e -> e.startsWith("0 ")).toList();
            assertTrue(want.size() > 5, "reference events: " + want);
            assertEquals(String.join("\n", want), String.join("\n", got));
        } finally {
            ref.call("CONFIG", "SET", "notify-keyspace-events", "");
        }
        d.assertSame();
    }

    @Test
    void setCommands() {
        assertSameEvents("SADD s a b c", "SADD s a", "SREM s x", "SREM s a", "SREM s b c", "SADD p 1 2 3 4 5",
                "~SPOP p", "~SPOP p 2", "SPOP p 0", "~SPOP p 10", "SADD s a", "SPOP s", "SADD s a b", "~SPOP s 2",
                "SADD s a b", "SMOVE s t a", "SMOVE s t zz", "SMOVE s t b", "SMOVE t t a", "SADD u a x",
                "SINTERSTORE d t u", "SUNIONSTORE d t u", "SDIFFSTORE d t u", "SDIFFSTORE d t t", "SDIFFSTORE d t t",
                "SINTERSTORE d nope t", "SUNIONSTORE d nope", "SADD d x", "SUNIONSTORE d nope", "~SRANDMEMBER u",
                "SADD big 1 2 3", "SPOP big 3", "SADD m1 a", "SMOVE m1 m2 a", "SMOVE m2 m2 a");
    }

    @Test
    void hashCommands() {
        assertSameEvents("HSET h a 1 b 2", "HSET h a 1", "HSETNX h a 2", "HSETNX h c 3", "HMSET h d 4",
                "HDEL h x", "HDEL h a", "HDEL h b c d", "HINCRBY h n 5", "HINCRBY h n -5", "HINCRBYFLOAT h f 1.5",
                "HINCRBYFLOAT h f -1.5", "HINCRBY h s x", "HSET h s x", "HINCRBY h s 1", "HDEL h n f s",
                "HSETNX g a 1", "HRANDFIELD g", "HGETALL g");
    }

    @Test
    void sortedSetCommands() {
        assertSameEvents("ZADD z 1 a 2 b 3 c", "ZADD z 1 a", "ZADD z XX 5 nope", "ZADD z NX 1 a", "ZADD z CH 9 a",
                "ZADD z INCR 1 a", "ZINCRBY z 2 b", "ZADD z GT 0 b", "ZREM z x", "ZREM z a", "ZADD z 4 d 5 e",
                "ZREMRANGEBYRANK z 0 0", "ZREMRANGEBYRANK z 10 20", "ZREMRANGEBYSCORE z 4 4",
                "ZREMRANGEBYSCORE z 100 200", "ZADD l 0 a 0 b 0 c", "ZREMRANGEBYLEX l [a [a", "ZREMRANGEBYLEX l - +",
                "ZPOPMIN z", "ZPOPMAX z", "ZPOPMIN z", "ZPOPMIN z", "ZADD z 1 a 2 b 3 c", "ZPOPMAX z 5",
                "ZADD z 1 a 2 b", "ZMPOP 1 z MIN", "ZMPOP 2 nope z MAX COUNT 3", "ZADD z 1 a 2 b",
                "BZPOPMIN z 0", "BZPOPMAX z 0", "BZMPOP 0.01 1 nope2 MIN", "ZADD src 1 a 2 b 3 c",
                "ZRANGESTORE dst src 0 1", "ZRANGESTORE dst src 5 6", "ZRANGESTORE dst src 5 6",
                "ZUNIONSTORE u 2 src nope", "ZINTERSTORE u 2 src nope", "ZINTERSTORE u 2 src nope",
                "ZDIFFSTORE u 1 src", "ZDIFFSTORE u 2 src src", "ZDIFFSTORE u 2 src src", "ZADD z 1 a",
                "ZREM z a", "ZADD z 1 a", "ZREMRANGEBYSCORE z -inf +inf", "ZADD z 1 a", "ZINCRBY z 1 b",
                "ZADD z INCR XX 1 nope", "ZUNIONSTORE src 1 src", "ZINTERCARD 1 src");
    }

    @Test
    void listCommandsIncludingBlockedClientsServedByPushes() {
        RespClient blocked = pair.redisClient();
        RespClient blockedHere = pair.cinnabarClient();
        blocked.send("BLPOP", "q", "0");
        blockedHere.send("BLPOP", "q", "0");
        RespClient blocked2 = pair.redisClient();
        RespClient blocked2Here = pair.cinnabarClient();
        blocked2.send("BLMOVE", "q2", "dst", "LEFT", "RIGHT", "0");
        blocked2Here.send("BLMOVE", "q2", "dst", "LEFT", "RIGHT", "0");
        RespClient blocked3 = pair.redisClient();
        RespClient blocked3Here = pair.cinnabarClient();
        blocked3.send("BZPOPMIN", "zq", "0");
        blocked3Here.send("BZPOPMIN", "zq", "0");
        awaitBlocked(3);
        assertSameEvents("RPUSH q a b", "RPUSH q2 x", "ZADD zq 1 m", "LPUSH l 1 2 3", "LPUSHX l 0", "RPUSHX nope 1",
                "LSET l 0 z", "LINSERT l AFTER z y", "LREM l 1 y", "LTRIM l 0 1", "LTRIM l 5 6", "LPUSH l a",
                "RPOP l", "LPOP l 5", "RPUSH l a b", "LMOVE l l LEFT RIGHT", "RPOPLPUSH l m", "RPOPLPUSH l m",
                "LMPOP 2 nope m RIGHT COUNT 9", "RPUSH s 3 1 2", "SORT s STORE sorted", "SORT s LIMIT 9 9 STORE sorted",
                "BLPOP s 0", "BRPOP s 0", "BLMOVE s t RIGHT LEFT 0", "BLMPOP 0 1 t LEFT", "BRPOPLPUSH nope x 0.01");
        blocked.readReply();
        blockedHere.readReply();
        blocked2.readReply();
        blocked2Here.readReply();
        blocked3.readReply();
        blocked3Here.readReply();
    }

    /** Polls both servers until {@code n} clients are blocked on each. */
    private static void awaitBlocked(int n) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        try (RespClient r = pair.redisClient(); RespClient c = pair.cinnabarClient()) {
            while (System.nanoTime() < deadline) {
                if (r.call("INFO", "clients").contains("blocked_clients:" + n + "\r\n")
                        && c.call("INFO", "clients").contains("blocked_clients:" + n + "\r\n")) {
                    return;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
            }
        }
        throw new AssertionError("clients did not block");
    }

    @Test
    void geoCommands() {
        assertSameEvents("GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
                "GEOADD g XX 13.361389 38.115556 Palermo", "GEOADD g NX 13.361389 38.115556 Palermo",
                "GEOADD g CH 13.4 38.1 Palermo", "GEOSEARCHSTORE dst g FROMLONLAT 15 37 BYRADIUS 200 km ASC",
                "GEOSEARCHSTORE dst g FROMLONLAT 15 37 BYRADIUS 200 km ASC STOREDIST",
                "GEOSEARCHSTORE dst g FROMLONLAT 0 0 BYRADIUS 1 km", "GEOSEARCHSTORE dst g FROMLONLAT 0 0 BYRADIUS 1 km",
                "GEORADIUS g 15 37 200 km STORE r1", "GEORADIUS g 15 37 200 km STOREDIST r2",
                "GEORADIUSBYMEMBER g Palermo 500 km STORE r3", "GEORADIUS g 0 0 1 km STORE r1",
                "ZREM g Palermo Catania");
    }

    /** The kernel's generic commands on collection values: the events do not depend on the type. */
    @Test
    void genericCommandsOnCollections() {
        assertSameEvents("RPUSH l a", "RENAME l l2", "COPY l2 l3", "MOVE l3 1", "EXPIRE l2 100", "PERSIST l2",
                "SADD s a", "RENAMENX s l2", "RENAMENX s s2", "HSET h f v", "COPY h s2 REPLACE", "ZADD z 1 a",
                "UNLINK z", "DEL l2 s2", "PFADD p a", "RENAME p p2", "SELECT 1", "RPUSH l3 b", "SELECT 0");
    }

    @Test
    void blockingMultiKeyPopsServedByWrites() {
        RespClient lists = pair.redisClient();
        RespClient listsHere = pair.cinnabarClient();
        lists.send("BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "2");
        listsHere.send("BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "2");
        RespClient zsets = pair.redisClient();
        RespClient zsetsHere = pair.cinnabarClient();
        zsets.send("BZMPOP", "0", "2", "za", "zb", "MAX", "COUNT", "5");
        zsetsHere.send("BZMPOP", "0", "2", "za", "zb", "MAX", "COUNT", "5");
        awaitBlocked(2);
        assertSameEvents("RPUSH b 1 2 3", "ZADD zb 1 x 2 y", "RPUSH a 1", "LPOP a");
        lists.readReply();
        listsHere.readReply();
        zsets.readReply();
        zsetsHere.readReply();
    }

    @Test
    void hyperLogLogCommands() {
        assertSameEvents("PFADD h a b c", "PFADD h a", "PFADD h", "PFADD h2", "PFADD h2", "PFMERGE m h h2",
                "PFMERGE m", "PFMERGE n", "PFCOUNT h", "PFCOUNT h h2", "SET s x", "PFADD h d", "PFMERGE h h2");
    }
}
