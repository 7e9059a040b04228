package io.cinnabar.pubsub;

import static io.cinnabar.pubsub.PubSubServers.compare;
import static io.cinnabar.pubsub.PubSubServers.expect;
import static io.cinnabar.pubsub.PubSubServers.replies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.CommandInfoConformance;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.Resp;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.ServerPair;
import io.cinnabar.testkit.ServerPairExtension;
import io.cinnabar.testkit.SpecCoverage;
import io.cinnabar.testkit.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client-side caching (CLIENT TRACKING, CACHING, GETREDIR, TRACKINGINFO) against the reference redis-server:
 * the replies and errors, and the invalidation messages a tracking client (or its redirection target) gets,
 * byte for byte. Keys carry the test's name: the tracking table is shared by all databases.
 */
class TrackingTest {
    @RegisterExtension
    static final ServerPairExtension PAIR = new ServerPairExtension(PubSubServers::builder);

    private static ServerPair pair() {
        return PAIR.pair();
    }

    @Test
    void trackingOptionsAndTheirErrors() {
        Differential d = pair().diff();
        d.run("CLIENT GETREDIR", "CLIENT TRACKINGINFO", "CLIENT CACHING yes", "CLIENT TRACKING on PREFIX a",
                "CLIENT TRACKING on OPTIN OPTOUT", "CLIENT TRACKING on BCAST OPTIN", "CLIENT TRACKING on BCAST OPTOUT",
                "CLIENT TRACKING maybe", "CLIENT TRACKING on FOO", "CLIENT TRACKING on REDIRECT", "CLIENT TRACKING",
                "CLIENT TRACKING on REDIRECT 999999", "CLIENT TRACKING on REDIRECT x", "CLIENT TRACKING on PREFIX",
                "CLIENT TRACKING on OPTIN", "CLIENT TRACKINGINFO", "CLIENT GETREDIR", "CLIENT CACHING no",
                "CLIENT CACHING maybe", "CLIENT CACHING yes", "CLIENT TRACKINGINFO", "GET t1:x", "CLIENT TRACKINGINFO",
                "CLIENT TRACKING on OPTOUT", "CLIENT TRACKING on BCAST", "CLIENT TRACKING on NOLOOP OPTIN",
                "CLIENT TRACKINGINFO", "CLIENT TRACKING off", "CLIENT TRACKING off", "CLIENT TRACKINGINFO",
                "CLIENT TRACKING on OPTOUT", "CLIENT CACHING yes", "CLIENT CACHING no", "CLIENT TRACKINGINFO",
                "CLIENT TRACKING off", "CLIENT TRACKING on BCAST PREFIX a PREFIX ab",
                "CLIENT TRACKING on BCAST PREFIX ab PREFIX a", "CLIENT TRACKING on BCAST PREFIX b PREFIX a",
                "CLIENT TRACKINGINFO", "CLIENT TRACKING on BCAST PREFIX abc", "CLIENT TRACKING on BCAST PREFIX c",
                "CLIENT TRACKING on", "CLIENT TRACKINGINFO", "CLIENT CACHING yes", "CLIENT TRACKING off",
                "CLIENT TRACKINGINFO");
        d.resp3("GET", "t1:nokey");
        d.run("CLIENT TRACKINGINFO", "CLIENT TRACKING on BCAST NOLOOP PREFIX x", "CLIENT TRACKINGINFO",
                "CLIENT TRACKING off");
        d.assertSame();
    }

    @Test
    void resp3ClientIsToldOnceWhenAKeyItReadChanges() {
        Differential t = pair().diff();
        Differential w = pair().diff();
        t.resp3("GET", "t2:nokey");
        t.run("CLIENT TRACKING on", "GET t2:a", "MGET t2:b t2:c", "STRLEN t2:d");
        w.run("SET t2:a 1");
        expect(t, "invalidate t2:a", 1);
        w.run("MSET t2:b 1 t2:c 2 t2:d 3");
        expect(t, "invalidate t2:b, t2:c, t2:d", 3);
        w.run("SET t2:a 2", "DEL t2:b");
        // not read again since: nothing more comes; the next reply is PING's
        t.run("PING");
        t.run("GET t2:a");
        // its own write is reported after the reply
        replies(t, 2, "SET", "t2:a", "3");
        t.assertSame();
        w.assertSame();
    }

    @Test
    void noloopSkipsTheClientsOwnChanges() {
        Differential t = pair().diff();
        Differential w = pair().diff();
        t.resp3("GET", "t3:nokey");
        t.run("CLIENT TRACKING on NOLOOP", "GET t3:a", "GET t3:b", "SET t3:a 1", "PING");
        w.run("SET t3:b 1");
        expect(t, "invalidate t3:b", 1);
        t.assertSame();
        w.assertSame();
    }

    @Test
    void optinTracksOnlyAfterCachingYesAndOptoutSkipsAfterCachingNo() {
        Differential t = pair().diff();
        Differential w = pair().diff();
        t.resp3("GET", "t4:nokey");
        t.run("CLIENT TRACKING on OPTIN", "GET t4:a", "CLIENT CACHING yes", "GET t4:b", "GET t4:c");
        w.run("SET t4:a 1", "SET t4:c 1", "SET t4:b 1");
        expect(t, "only t4:b was tracked", 1);
        t.run("CLIENT TRACKING off", "CLIENT TRACKING on OPTOUT", "GET t4:d", "CLIENT CACHING no", "GET t4:e");
        w.run("SET t4:e 1", "SET t4:d 1");
        expect(t, "only t4:d was tracked", 1);
        // CLIENT CACHING covers the next command, even one refused or unknown; MULTI carries it to EXEC
        t.run("CLIENT TRACKING off", "CLIENT TRACKING on OPTIN", "CLIENT CACHING yes", "GET", "GET t4:f",
                "CLIENT CACHING yes", "NOSUCHCOMMAND", "GET t4:g", "CLIENT CACHING yes", "MULTI", "GET t4:h", "EXEC",
                "GET t4:i");
        w.run("SET t4:f 1", "SET t4:g 1", "SET t4:i 1", "SET t4:h 1");
        expect(t, "only t4:h was tracked", 1);
        t.run("PING");
        t.assertSame();
        w.assertSame();
    }

    @Test
    void readsInsideATransactionAreTrackedAndInvalidationsFollowExec() {
        Differential t = pair().diff();
        t.resp3("GET", "t5:nokey");
        t.run("CLIENT TRACKING on", "MULTI", "GET t5:a", "SET t5:a 1");
        replies(t, 2, "EXEC");
        t.run("PING");
        t.assertSame();
    }

    @Test
    void resp2RedirectionSendsInvalidationsToTheSubscribedConnection() {
        RespClient[] targets = {pair().redisClient(), pair().cinnabarClient()};
        RespClient[] trackers = {pair().redisClient(), pair().cinnabarClient()};
        Differential w = pair().diff();
        for (int i = 0; i < 2; i++) {
            String id = targets[i].call("CLIENT", "ID").substring(1).trim();
            targets[i].send("SUBSCRIBE", "__redis__:invalidate");
            targets[i].readReply();
            assertEquals("+OK\r\n", trackers[i].call("CLIENT", "TRACKING", "on", "REDIRECT", id));
            assertEquals(":" + id + "\r\n", trackers[i].call("CLIENT", "GETREDIR"));
            trackers[i].call("GET", "t6:a");
        }
        Differential target = new Differential(targets[0], targets[1]);
        w.run("SET t6:a 1");
        compare(target, "invalidate via __redis__:invalidate", targets[0], targets[1]);
        w.run("FLUSHALL");
        compare(target, "flush invalidation (null)", targets[0], targets[1]);
        target.assertSame();
        w.assertSame();
    }

    @Test
    void flushSendsANullInvalidationToEveryTrackingClient() {
        Differential t = pair().diff();
        Differential b = pair().diff();
        Differential w = pair().diff();
        t.resp3("GET", "t7:nokey");
        b.resp3("GET", "t7:nokey");
        t.run("CLIENT TRACKING on", "GET t7:a");
        b.run("CLIENT TRACKING on BCAST PREFIX t7:");
        w.run("FLUSHDB");
        expect(t, "null invalidation", 1);
        expect(b, "null invalidation (bcast)", 1);
        w.run("SET t7:a 1");
        t.run("PING");
        expect(b, "bcast t7:a", 1);
        t.assertSame();
        b.assertSame();
        w.assertSame();
    }

    @Test
    void broadcastSendsOneMessagePerPrefixWithTheChangedKeys() {
        Differential b = pair().diff();
        Differential w = pair().diff();
        b.resp3("GET", "t8:nokey");
        b.run("CLIENT TRACKING on BCAST PREFIX t8:user: PREFIX t8:obj:");
        w.run("MSET t8:user:1 a t8:obj:2 b t8:other c t8:user:0 d");
        expect(b, "one message per prefix, keys in byte order", 2);
        w.run("SET t8:obj:9 x");
        expect(b, "t8:obj:9", 1);
        b.run("SET t8:user:5 x");
        expect(b, "its own change too (no NOLOOP)", 1);
        b.run("CLIENT TRACKING off", "CLIENT TRACKING on BCAST NOLOOP PREFIX t8:");
        b.run("SET t8:mine 1");
        w.run("SET t8:theirs 1");
        expect(b, "only the other client's change", 1);
        b.assertSame();
        w.assertSame();
    }

    @Test
    void brokenRedirectionIsReportedAndShownInTrackingInfo() {
        try (TestServer server = PubSubServers.builder().start();
             RespClient t = server.client();
             RespClient w = server.client()) {
            long id;
            try (RespClient target = server.client()) {
                id = Long.parseLong(target.call("CLIENT", "ID").substring(1).trim());
                t.call("HELLO", "3");
                assertEquals("+OK\r\n", t.call("CLIENT", "TRACKING", "on", "REDIRECT", Long.toString(id)));
                t.call("GET", "k");
            }
            long deadline = System.currentTimeMillis() + 5000;
            while (w.call("CLIENT", "LIST").contains("id=" + id + " ")) {
                assertTrue(System.currentTimeMillis() < deadline, "redirection target did not leave");
                Thread.onSpinWait();
            }
            w.call("SET", "k", "v");
            assertEquals(">2\r\n$21\r\ntracking-redir-broken\r\n:" + id + "\r\n", t.readReply());
            String info = t.call("CLIENT", "TRACKINGINFO");
            assertTrue(info.contains("broken_redirect"), info);
            String list = w.call("CLIENT", "LIST");
            assertTrue(list.contains(" flags=tR ") && list.contains(" redir=" + id + " "), list);
        }
    }

    @Test
    void infoAndClientListShowTrackingState() {
        try (TestServer server = PubSubServers.builder().start();
             RespClient t = server.client();
             RespClient b = server.client();
             RespClient admin = server.client()) {
            t.call("CLIENT", "TRACKING", "on");
            t.call("MGET", "a", "b", "c");
            b.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "p", "PREFIX", "q");
            String clients = admin.call("INFO", "clients");
            assertTrue(clients.contains("tracking_clients:2\r\n"), clients);
            String stats = admin.call("INFO", "stats");
            assertTrue(stats.contains("tracking_total_keys:3\r\n") && stats.contains("tracking_total_items:3\r\n")
                    && stats.contains("tracking_total_prefixes:2\r\n"), stats);
            String list = admin.call("CLIENT", "LIST");
            assertTrue(list.contains(" flags=t ") && list.contains(" flags=tB "), list);
            b.call("RESET");
            t.call("CLIENT", "TRACKING", "off");
            assertTrue(admin.call("INFO", "clients").contains("tracking_clients:0\r\n"));
            assertTrue(admin.call("INFO", "stats").contains("tracking_total_prefixes:0\r\n"));
        }
    }

    @Test
    void trackingTableIsKeptUnderItsMaximumByInvalidatingKeys() {
        try (TestServer server = PubSubServers.builder().option("tracking-table-max-keys", "2").start();
             RespClient t = server.client();
             RespClient admin = server.client()) {
            t.call("HELLO", "3");
            t.call("CLIENT", "TRACKING", "on");
            t.call("MGET", "k1", "k2", "k3", "k4", "k5");
            for (int i = 0; i < 3; i++) {
                assertTrue(t.readReply().startsWith(">2\r\n$10\r\ninvalidate\r\n*1\r\n"));
            }
            assertTrue(admin.call("INFO", "stats").contains("tracking_total_keys:2\r\n"));
        }
    }

    @Test
    void commandInfoMatchesRedis() {
        CommandInfoConformance.assertConforms(pair().cinnabar(),
                CommandInfoConformance.namesOf(new TrackingFamily(new PubSub())));
    }

    @Test
    void commandDocsMatchRedisWithoutArguments() {
        RespClient r = pair().redisClient();
        RespClient c = pair().cinnabarClient();
        for (String name : new String[] {"client|tracking", "client|caching", "client|getredir", "client|trackinginfo"}) {
            assertEquals(CommandInfoConformance.docsWithoutArguments(Resp.parse(r.call("COMMAND", "DOCS", name))).toString(),
                    CommandInfoConformance.docsWithoutArguments(Resp.parse(c.call("COMMAND", "DOCS", name))).toString(),
                    name);
        }
    }

    @Test
    void everyCommandIsExercised() {
        SpecCoverage.assertCovered(SpecCoverage.commandWords(new TrackingFamily(new PubSub())).stream()
                .filter(w -> !w.equals("client")).toList(), Path.of("src/test/java"));
    }
}
