package io.cinnabar.kernel.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/** PING, ECHO, QUIT, RESET, SELECT, HELLO and AUTH, compared byte for byte with redis-server. */
class ConnectionFamilyTest {
    private static TestServer server;
    private static ReferenceRedis redis;
    private static TestServer securedServer;
    private static ReferenceRedis securedRedis;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        redis = ReferenceRedis.start();
        securedServer = TestServer.builder().option("requirepass", "pw").start();
        securedRedis = ReferenceRedis.start("--requirepass", "pw");
    }

    @AfterAll
    static void stop() {
        server.close();
        if (redis != null) {
            redis.close();
        }
        securedServer.close();
        securedRedis.close();
    }

    private static Differential diff() {
        return new Differential(redis.client(), server.client());
    }

    private static Differential securedDiff() {
        return new Differential(securedRedis.client(), securedServer.client());
    }

    /** HELLO's reply with the connection id (which differs between servers) masked. */
    private static String maskId(String hello) {
        return hello.replaceAll("\\$2\r\nid\r\n:\\d+\r\n", "\\$2\r\nid\r\n:ID\r\n");
    }

    /** Sends the same HELLO to both and compares the replies apart from the id. */
    private static void assertSameHello(RespClient want, RespClient got, String... hello) {
        assertEquals(maskId(want.call(hello)), maskId(got.call(hello)), String.join(" ", hello));
    }

    @Test
    void pingEchoAndSelectReplyLikeRedis() {
        Differential d = diff();
        d.run("PING", "ping hello", "PING a b", "ECHO x", "ECHO", "ECHO a b");
        d.cmd("ECHO", "");
        d.run("SELECT 1", "SELECT 15", "SELECT 16", "SELECT -1", "SELECT abc", "SELECT 4294967296", "SELECT 0",
                "select 01");
        d.assertSame();
    }

    @Test
    void quitRepliesOkAndClosesEvenInsideMulti() {
        try (RespClient c = server.client()) {
            assertEquals("+OK\r\n", c.call("QUIT"));
            assertTrue(c.isClosedByServer());
        }
        try (RespClient c = server.client()) {
            assertEquals("+OK\r\n", c.call("MULTI"));
            assertEquals("+OK\r\n", c.call("QUIT"));
            assertTrue(c.isClosedByServer());
        }
    }

    @Test
    void helloRepliesLikeRedisApartFromTheId() {
        try (RespClient want = redis.client(); RespClient got = server.client()) {
            for (String[] cmd : List.of(new String[] {"HELLO"}, new String[] {"HELLO", "2"},
                    new String[] {"HELLO", "3"}, new String[] {"HELLO"}, new String[] {"HELLO", "2", "SETNAME", "n1"},
                    new String[] {"HELLO", "3", "AUTH", "default", "anything"})) {
                assertSameHello(want, got, cmd);
            }
        }
    }

    @Test
    void helloErrorsMatchRedis() {
        Differential d = diff();
        d.run("HELLO 4", "HELLO 1", "HELLO x", "HELLO 3 foo", "HELLO 3 AUTH a", "HELLO 3 SETNAME",
                "HELLO 2 AUTH nouser pass", "HELLO 4 foo", "HELLO -1", "HELLO 99999999999999999999");
        d.cmd("HELLO", "3", "SETNAME", "a b");
        d.cmd("HELLO", "3", "SETNAME", "ok", "SETNAME", "bad\n");
        d.assertSame();
    }

    @Test
    void helloSetsProtocolAndNameForLaterReplies() {
        try (RespClient want = redis.client(); RespClient got = server.client()) {
            Differential d = new Differential(want, got);
            assertSameHello(want, got, "HELLO", "3", "SETNAME", "conn1");
            d.run("CLIENT GETNAME", "CLIENT SETNAME", "PING", "ECHO x");
            d.cmd("CLIENT", "SETNAME", "");
            d.run("CLIENT GETNAME");
            assertSameHello(want, got, "HELLO", "2");
            d.run("CLIENT GETNAME");
            d.assertSame();
        }
    }

    @Test
    void authWithoutRequirepassMatchesRedis() {
        Differential d = diff();
        d.run("AUTH x", "AUTH default x", "AUTH foo x", "AUTH a b c", "AUTH", "PING");
        d.assertSame();
    }

    @Test
    void authFlowsWithRequirepassMatchRedis() {
        Differential d = securedDiff();
        d.run("PING", "CLIENT ID", "SELECT 0", "AUTH x", "AUTH default x", "AUTH foo x", "AUTH a b c", "ECHO hi",
                "MULTI", "EXEC");
        d.run("AUTH pw", "PING", "AUTH bad", "PING", "AUTH default pw", "ECHO still");
        d.run("RESET", "PING", "AUTH default pw", "PING");
        d.assertSame();
    }

    @Test
    void helloAuthenticatesOrRefusesWithRequirepass() {
        Differential d = securedDiff();
        d.run("HELLO", "HELLO 3", "HELLO 3 SETNAME a", "HELLO 3 AUTH default bad", "PING");
        d.assertSame();
        try (RespClient want = securedRedis.client(); RespClient got = securedServer.client()) {
            assertSameHello(want, got, "HELLO", "3", "AUTH", "default", "pw", "SETNAME", "named");
            assertEquals(want.call("CLIENT", "GETNAME"), got.call("CLIENT", "GETNAME"));
            assertEquals(want.call("PING"), got.call("PING"));
        }
    }

    @Test
    void unauthenticatedClientsGetTheStricterProtocolLimits() {
        String[] many = new String[12];
        java.util.Arrays.fill(many, "x");
        many[0] = "ECHO";
        try (RespClient want = securedRedis.client(); RespClient got = securedServer.client()) {
            want.send(many);
            got.send(many);
            assertEquals(want.readReply(), got.readReply());
            assertTrue(got.isClosedByServer());
        }
    }

    @Test
    void resetRestoresTheInitialConnectionState() {
        try (RespClient want = redis.client(); RespClient got = server.client()) {
            Differential d = new Differential(want, got);
            assertSameHello(want, got, "HELLO", "3", "SETNAME", "before");
            d.run("SELECT 5", "CLIENT NO-EVICT on", "CLIENT NO-TOUCH on", "MULTI", "PING", "RESET");
            d.run("EXEC", "CLIENT GETNAME", "PING", "DISCARD", "SELECT 1", "RESET");
            d.assertSame();
        }
        try (RespClient c = server.client()) {
            c.call("SELECT", "5");
            c.call("CLIENT", "SETNAME", "n");
            c.call("CLIENT", "SETINFO", "LIB-NAME", "mylib");
            c.call("CLIENT", "NO-TOUCH", "on");
            c.call("CLIENT", "NO-EVICT", "on");
            assertEquals("+RESET\r\n", c.call("RESET"));
            String info = c.call("CLIENT", "INFO");
            assertTrue(info.contains(" name= "), info);
            assertTrue(info.contains(" db=0 "), info);
            assertTrue(info.contains(" flags=N "), info);
            assertTrue(info.contains(" lib-name=mylib "), info); // the library stays, as in Redis
        }
    }

    @Test
    void resetTurnsRepliesBackOnAndForgetsWatches() {
        try (RespClient c = server.client(); RespClient other = server.client()) {
            c.send("CLIENT", "REPLY", "OFF");
            c.send("PING");
            assertEquals("+RESET\r\n", c.call("RESET"));
            assertEquals("+PONG\r\n", c.call("PING"));
            c.call("WATCH", "k");
            c.call("RESET");
            assertEquals("+OK\r\n", c.call("MULTI"));
            assertEquals("*0\r\n", c.call("EXEC"));
            assertEquals("+PONG\r\n", other.call("PING"));
        }
    }

    @Test
    void jedisConnectsWithPasswordAndClientName() {
        for (RedisProtocol protocol : new RedisProtocol[] {RedisProtocol.RESP2, RedisProtocol.RESP3}) {
            DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().password("pw").clientName("jedis-app")
                    .protocol(protocol).build();
            try (Jedis j = new Jedis(new HostAndPort("127.0.0.1", securedServer.port()), config)) {
                assertEquals("PONG", j.ping());
                assertEquals("jedis-app", j.clientGetname());
                assertEquals("hi", j.echo("hi"));
                String info = j.clientInfo();
                assertTrue(info.contains("lib-name=jedis"), info);
                assertTrue(info.contains(" resp=" + (protocol == RedisProtocol.RESP3 ? 3 : 2)), info);
            }
        }
    }

    @Test
    void lettuceNegotiatesResp3WithHelloAuthAndName() {
        RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(securedServer.port())
                .withAuthentication("default", "pw".toCharArray()).withClientName("lettuce-app").build();
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> sync = conn.sync();
            assertEquals("PONG", sync.ping());
            assertEquals("lettuce-app", sync.clientGetname());
            String info = sync.clientInfo();
            assertTrue(info.contains(" resp=3 "), info);
            assertTrue(info.contains(" user=default "), info);
        } finally {
            client.shutdown();
        }
    }
}
