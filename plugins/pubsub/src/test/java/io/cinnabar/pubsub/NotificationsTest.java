package io.cinnabar.pubsub;

import static io.cinnabar.pubsub.PubSubServers.replies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.ServerPair;
import io.cinnabar.testkit.ServerPairExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keyspace notifications against redis-server's own feed: a PSUBSCRIBE on {@code __key*@<db>__:*} on each
 * server records what a command script publishes, and the two feeds must be equal, message by message.
 * Each test works in its own database.
 */
class NotificationsTest {
    @RegisterExtension
    static final ServerPairExtension PAIR = new ServerPairExtension(
            () -> PubSubServers.builder().option("notify-keyspace-events", "KEA"),
            "--notify-keyspace-events", "KEA");

    private static ServerPair pair() {
        return PAIR.pair();
    }

    /** A feed subscribed to every keyspace and keyevent channel of {@code db}, on each server. */
    private static Differential feed(int db) {
        Differential f = pair().diff();
        replies(f, 1, "PSUBSCRIBE", "__key*@" + db + "__:*");
        return f;
    }

    /**
     * Everything the feed got up to a marker published after the script: the keyspace events of the script
     * arrive before it, since each is published while its command runs.
     */
    private static int assertSameFeed(Differential feed, Differential cmds, int db) {
        String marker = "__keyspace@" + db + "__:end-of-script";
        cmds.reference().call("PUBLISH", marker, "end");
        cmds.candidate().call("PUBLISH", marker, "end");
        List<String> want = drain(feed.reference(), marker);
        List<String> got = drain(feed.candidate(), marker);
        assertEquals(String.join("\n", want), String.join("\n", got), "keyspace notifications differ from redis-server");
        cmds.assertSame();
        return want.size();
    }

    private static List<String> drain(RespClient c, String marker) {
        List<String> out = new ArrayList<>();
        while (true) {
            String m = c.readReply();
            if (m.contains(marker)) {
                return out;
            }
            out.add(m.replace("\r\n", " "));
        }
    }

    /** Runs the script in database {@code db} of both servers; the feeds must be equal and not empty. */
    private static void assertSameEvents(int db, String... script) {
        Differential f = feed(db);
        Differential d = pair().diff(db);
        d.run(script);
        assertTrue(assertSameFeed(f, d, db) > 0, "no events at all");
    }

    @Test
    void stringCommandsEmitTheirEvents() {
        assertSameEvents(1, "SET k v", "SET k v EX 100", "SET k v KEEPTTL", "SETNX k v", "SETNX n v", "SETEX e 100 v",
                "PSETEX p 100000 v", "GETSET k w", "APPEND k x", "APPEND a x", "SETRANGE k 1 zz", "SETRANGE r 0 \"\"",
                "INCR i", "INCRBY i 5", "DECR i", "DECRBY i 2", "INCRBYFLOAT f 1.5", "MSET m1 a m2 b",
                "MSETNX m3 a m4 b", "GETDEL m1", "GETEX m2 EX 100", "GETEX m2 PERSIST", "GETEX m2", "GET missing");
    }

    @Test
    void genericCommandsEmitTheirEvents() {
        assertSameEvents(2, "SET a 1", "SET b 2", "SET c 3", "DEL a", "DEL nothing", "UNLINK b", "EXPIRE c 100",
                "PEXPIRE c 100000", "EXPIREAT c 99999999999", "PERSIST c", "RENAME c d", "SET e 1", "RENAMENX d e",
                "RENAMENX d f", "COPY f g", "MOVE g 3", "EXPIRE f 0", "SET h 1", "PEXPIREAT h 1", "SET i 1", "SET i 2 PX 1");
    }

    @Test
    void listCommandsEmitTheirEvents() {
        assertSameEvents(7, "RPUSH l a b c d", "LPUSH l z", "RPUSHX l e", "LPUSHX nol x", "LPOP l", "RPOP l 2",
                "LSET l 0 q", "LINSERT l BEFORE q p", "LREM l 1 p", "LTRIM l 0 0", "RPUSH m 1 2",
                "LMOVE m l LEFT RIGHT", "RPOPLPUSH m l", "LMPOP 1 l LEFT COUNT 5", "BLPOP nol2 0.01", "RPUSH n 1", "BRPOP n 1");
    }

    @Test
    void hashSetAndSortedSetCommandsEmitTheirEvents() {
        assertSameEvents(8, "HSET h a 1 b 2", "HSETNX h a 3", "HSETNX h c 3", "HINCRBY h a 5", "HINCRBYFLOAT h a 1.5",
                "HDEL h a", "HDEL h b c", "SADD s a b c", "SREM s a", "SMOVE s t b", "SPOP s", "SINTERSTORE u t nokey",
                "SADD v 1", "SUNIONSTORE w v", "SDIFFSTORE w v", "ZADD z 1 a 2 b 3 c", "ZINCRBY z 5 a", "ZREM z b",
                "ZREMRANGEBYSCORE z 0 3", "ZADD y 1 a", "ZUNIONSTORE x 2 y z", "ZPOPMIN x", "ZPOPMAX z",
                "ZADD r 1 a 2 b", "ZRANGESTORE q r 0 -1", "ZMPOP 1 q MIN");
    }

    @Test
    void hyperLogLogAndBitmapCommandsEmitTheirEvents() {
        assertSameEvents(9, "PFADD p a b", "PFADD p a", "PFMERGE q p", "PFCOUNT p", "SETBIT b 7 1", "BITOP OR c b b",
                "BITFIELD d SET u8 0 255", "BITFIELD d GET u8 0");
    }

    @Test
    void expiredKeysEmitExpired() throws Exception {
        Differential f = feed(4);
        Differential d = pair().diff(4);
        d.run("SET x 1", "PEXPIRE x 1");
        long deadline = System.currentTimeMillis() + 5000;
        for (RespClient c : new RespClient[] {d.reference(), d.candidate()}) {
            while (!c.call("EXISTS", "x").equals(":0\r\n")) {
                assertTrue(System.currentTimeMillis() < deadline, "key did not expire");
                Thread.sleep(5);
            }
        }
        assertTrue(assertSameFeed(f, d, 4) > 0, "no events at all");
    }

    @Test
    void eventClassesAndKindsFollowTheConfiguredFlags() {
        Differential admin = pair().diff();
        try {
            for (String flags : new String[] {"K$", "E$", "Eg", "Kgx", "KA", "E", "A", "KEn", "Em", "KEA"}) {
                admin.run("CONFIG SET notify-keyspace-events " + flags, "CONFIG GET notify-keyspace-events");
                Differential f = feed(5);
                Differential d = pair().diff(5);
                d.run("SET k v", "INCR n", "GET missing", "DEL k", "EXPIRE n 100", "PERSIST n", "DEL n");
                assertSameFeed(f, d, 5);
            }
        } finally {
            admin.run("CONFIG SET notify-keyspace-events KEA");
        }
        admin.assertSame();
    }

    @Test
    void resp3SubscriberGetsItsOwnWritesEventsAfterTheReply() {
        Differential d = pair().diff(6);
        d.resp3("GET", "nokey");
        replies(d, 1, "SUBSCRIBE", "__keyevent@6__:set");
        replies(d, 2, "SET", "k", "v");
        d.run("MULTI", "SET k w", "SET k x");
        replies(d, 3, "EXEC");
        d.assertSame();
    }
}
