package io.cinnabar.datatypes.strings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * The string commands against the reference redis-server, byte for byte. Each test works in its own
 * database (SELECT) so tests do not see each other's keys without needing FLUSHDB.
 */
class StringsFamilyTest {
    private static TestServer server;
    private static ReferenceRedis redis;
    private final List<AutoCloseable> open = new ArrayList<>();
    private RespClient ref;
    private RespClient cand;

    @BeforeAll
    static void start() {
        redis = ReferenceRedis.start();
        server = TestServer.start(new StringsFamily());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** A differential session on database {@code db} of both servers. */
    private Differential diff(int db) {
        ref = redis.client();
        cand = server.client();
        open.add(ref);
        open.add(cand);
        Differential d = new Differential(ref, cand);
        d.run("SELECT " + db);
        return d;
    }

    /** Runs a command with raw byte arguments on both servers and compares the replies. */
    private void bytes(Differential d, byte[]... args) {
        String want = ref.callBytes(args);
        String got = cand.callBytes(args);
        if (!want.equals(got)) {
            d.mismatches().add("binary command\n    redis:    " + want + "\n    cinnabar: " + got);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void getAndSetBasics() {
        Differential d = diff(1);
        d.run("GET nosuch", "SET k v", "GET k", "SET k 12345", "GET k", "SET k -0", "GET k",
                "SET e \"\"", "GET e", "STRLEN k", "STRLEN nosuch", "STRLEN e");
        d.cmd("SET", "empty", "");
        d.cmd("GET", "empty");
        d.cmd("STRLEN", "empty");
        d.cmd("SET", "sp", "a b\r\nc");
        d.cmd("GET", "sp");
        d.run("GET", "GET a b", "SET k", "STRLEN", "STRLEN a b");
        bytes(d, b("SET"), b("bin"), new byte[] {0, 1, (byte) 0xff, '\r', '\n', 0});
        bytes(d, b("GET"), b("bin"));
        bytes(d, b("STRLEN"), b("bin"));
        d.assertSame();
    }

    @Test
    void setOptionsAndConflicts() {
        Differential d = diff(2);
        d.run("SET k v NX", "SET k w NX", "GET k", "SET k w XX", "GET k", "SET nx1 v XX", "GET nx1",
                "SET k a GET", "SET k b NX GET", "GET k", "SET newk c XX GET", "GET newk", "SET newk2 c NX GET",
                "SET k v nx xx", "SET k v xx nx", "SET k v EX 10 PX 100", "SET k v PX 10 EX 100",
                "SET k v EX 10 KEEPTTL", "SET k v KEEPTTL EX 10", "SET k v EXAT 10 PXAT 100", "SET k v PERSIST",
                "SET k v EX", "SET k v PX", "SET k v foo", "SET k v GET GET NX NX", "SET k v KEEPTTL KEEPTTL",
                "SET k v EX 10 EX 20", "SET k v ex 10 get", "SET k v Ex 10 pX 5",
                "SET k v EX 0", "SET k v EX -1", "SET k v PX 0", "SET k v EXAT 0", "SET k v PXAT -5",
                "SET k v EX abc", "SET k v EX 1.5", "SET k v EX 9223372036854775",
                "SET k v EX 9223372036854776", "SET k v PX 9223372036854775807",
                "SET k v EXAT 9223372036854775", "GET k", "SET k v PXAT 9223372036854775807", "GET k",
                "SET k v EXAT 9223372036854776", "SET nokey v NX EX abc", "GET nokey", "SET nokey v XX EX 0",
                "SET k v EX 100", "GET k", "SET k w KEEPTTL", "GET k", "SET k x KEEPTTL XX GET", "GET k");
        d.assertSame();
    }

    @Test
    void setnxSetexPsetex() {
        Differential d = diff(3);
        d.run("SETNX k v", "SETNX k w", "GET k", "SETNX k", "SETNX k v x",
                "SETEX k 100 v2", "GET k", "SETEX k 0 v", "SETEX k -1 v", "SETEX k abc v", "SETEX k 9223372036854776 v",
                "SETEX k 100", "PSETEX k 100000 v3", "GET k", "PSETEX k 0 v", "PSETEX k -5 v", "PSETEX k x v",
                "PSETEX k 9223372036854775807 v", "SETEX s 10 12", "GET s");
        d.assertSame();
    }

    @Test
    void mgetAndMset() {
        Differential d = diff(4);
        d.run("MSET a 1 b 2 c 3", "MGET a b c nosuch", "MGET nosuch", "MSET a", "MSET a 1 b", "MSET",
                "MGET", "MSET a x a y", "GET a", "MGET a a a");
        d.assertSame();
    }

    @Test
    void incrDecrFamily() {
        Differential d = diff(5);
        d.run("INCR n", "INCR n", "DECR n", "DECR m", "INCRBY n 100", "INCRBY n -300", "DECRBY n 5", "DECRBY n -5",
                "GET n", "SET big 9223372036854775806", "INCR big", "INCR big", "GET big",
                "SET small -9223372036854775807", "DECR small", "DECR small", "INCRBY small -1",
                "INCRBY x 9223372036854775807", "INCRBY x 1", "DECRBY y -9223372036854775808",
                "DECRBY y 9223372036854775808", "DECRBY z -9223372036854775807", "GET z",
                "INCRBY z abc", "INCRBY z 1.5", "SET s abc", "INCR s",
                "SET s +1", "INCR s", "SET s 01", "INCR s", "SET s 1.0", "INCR s", "SET s -0", "INCR s",
                "SET s 99999999999999999999", "INCR s", "SET s 12", "INCR s", "INCR", "INCR a b", "INCRBY a",
                "DECRBY a", "DECR");
        d.cmd("SET", "e", "");
        d.cmd("INCR", "e");
        d.cmd("INCRBY", "e", "");
        d.cmd("SET", "s", " 1");
        d.cmd("INCR", "s");
        d.cmd("SET", "s", "1 ");
        d.cmd("INCR", "s");
        d.assertSame();
    }

    @Test
    void appendAndStrlen() {
        Differential d = diff(6);
        d.run("APPEND k hello", "APPEND k world", "GET k", "STRLEN k", "APPEND n 12", "APPEND n 34", "GET n",
                "INCR n", "APPEND n x", "GET n", "APPEND", "APPEND k");
        d.cmd("APPEND", "k", "");
        d.cmd("APPEND", "empty", "");
        d.cmd("GET", "empty");
        d.cmd("STRLEN", "empty");
        bytes(d, b("APPEND"), b("bin"), new byte[] {0, (byte) 0x80});
        bytes(d, b("APPEND"), b("bin"), new byte[] {(byte) 0xfe, 0});
        bytes(d, b("GET"), b("bin"));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            d.cmd("APPEND", "grow", "chunk" + i);
            sb.append("chunk").append(i);
        }
        d.run("STRLEN grow");
        assertEquals("$" + sb.length() + "\r\n" + sb + "\r\n", d.cmd("GET", "grow"));
        d.assertSame();
    }

    @Test
    void setWithPxExpiresTheKey() {
        try (RespClient c = server.client()) {
            c.call("SELECT", "7");
            assertEquals("+OK\r\n", c.call("SET", "short", "v", "PX", "1"));
            assertEquals("+OK\r\n", c.call("PSETEX", "short2", "1", "v"));
            assertEquals("+OK\r\n", c.call("SET", "long", "v", "EX", "1000"));
            long deadline = System.currentTimeMillis() + 5000;
            while (!c.call("GET", "short").equals("$-1\r\n") || !c.call("GET", "short2").equals("$-1\r\n")) {
                assertTrue(System.currentTimeMillis() < deadline, "PX 1 key did not expire");
                Thread.onSpinWait();
            }
            assertEquals("$1\r\nv\r\n", c.call("GET", "long"));
            assertEquals("$1\r\nv\r\n", c.call("SET", "long", "w", "KEEPTTL", "GET"));
        }
    }

    @Test
    void keepttlKeepsAnExpiryThatSetClears() {
        try (RespClient c = server.client()) {
            c.call("SELECT", "7");
            c.call("SET", "kt", "v", "PX", "1");
            c.call("SET", "kt2", "v", "PX", "1");
            // KEEPTTL on an about-to-expire key keeps the deadline; a plain SET removes it
            c.call("SET", "kt2", "w");
            long deadline = System.currentTimeMillis() + 5000;
            while (!c.call("GET", "kt").equals("$-1\r\n")) {
                assertTrue(System.currentTimeMillis() < deadline, "key did not expire");
                Thread.onSpinWait();
            }
            assertEquals("$1\r\nw\r\n", c.call("GET", "kt2"));
        }
    }

    @Test
    void jedisClientSeesRedisSemantics() {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.select(8);
            assertEquals("OK", j.set("jk", "v1"));
            assertEquals("v1", j.get("jk"));
            assertNull(j.set("jk", "v2", SetParams.setParams().nx()));
            assertEquals("v1", j.setGet("jk", "v3"));
            assertEquals(3L, j.incrBy("jn", 3));
            assertEquals(1L, j.decrBy("jn", 2));
            assertEquals(1L, j.setnx("jx", "1"));
            assertEquals(List.of("v3", "1"), j.mget("jk", "jx"));
            assertEquals(4L, j.append("jx", "abc"));
            assertEquals(4L, j.strlen("jx"));
            assertEquals("OK", j.setex("je", 100, "x"));
            assertEquals("OK", j.mset("m1", "a", "m2", "b"));
            assertEquals("b", j.get("m2"));
        }
    }
}
