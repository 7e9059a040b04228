package io.cinnabar.datatypes.strings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.KeyspaceEventLog;
import io.cinnabar.testkit.Loop;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.ServerPair;
import io.cinnabar.testkit.ServerPairExtension;
import io.cinnabar.testkit.StandInValue;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.LCSParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.LCSMatchResult;

/**
 * The string commands against the reference redis-server, byte for byte. Each test works in its own
 * database (SELECT) so tests do not see each other's keys without needing FLUSHDB.
 */
class StringsFamilyTest {
    private RespClient ref;
    private RespClient cand;

    /** Every keyspace event Cinnabar emits, as "db event key". */
    private static final KeyspaceEventLog EVENTS = new KeyspaceEventLog();

    @RegisterExtension
    static final ServerPairExtension PAIR = new ServerPairExtension(
            () -> TestServer.builder().family(new StringsFamily()).listener(EVENTS));

    private static ServerPair pair() {
        return PAIR.pair();
    }

    private static TestServer server() {
        return pair().cinnabar();
    }

    /** A differential session on database {@code db} of both servers. */
    private Differential diff(int db) {
        Differential d = pair().diff(db);
        ref = d.reference();
        cand = d.candidate();
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
        try (RespClient c = server().client()) {
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
        try (RespClient c = server().client()) {
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
        try (Jedis j = new Jedis("127.0.0.1", server().port())) {
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

    @Test
    void getexGetdelGetsetMsetnx() {
        Differential d = diff(9);
        d.run("SET k v", "GETEX k", "GETEX nosuch", "GETEX nosuch EX abc", "GETEX k EX abc", "GETEX k EX 0",
                "GETEX k PX -1", "GETEX k EXAT 0", "GETEX k EX 9223372036854775", "GETEX k PX 9223372036854775807",
                "GETEX k EX 100", "GETEX k PERSIST", "GETEX k PERSIST PERSIST", "GETEX k EX 10 PERSIST",
                "GETEX k PERSIST EX 10", "GETEX k KEEPTTL", "GETEX k NX", "GETEX k GET", "GETEX k EX", "GETEX k foo",
                "GETEX k EX 10 PX 10", "GETEX k EXAT 10 PXAT 10", "GETEX k ex 100 ex 200", "GETEX",
                "GETEX k PXAT 1", "GET k", "SET k v", "GETEX k EXAT 1", "GET k", "SET k v", "GETEX k EXAT 9999999999",
                "GET k", "GETDEL k", "GETDEL k", "GET k", "GETDEL", "GETDEL a b",
                "GETSET g 1", "GETSET g 2", "GET g", "GETSET g", "SET g v EX 100", "GETSET g w", "GET g",
                "MSETNX a 1 b 2", "MSETNX b 3 c 4", "MGET a b c", "MSETNX c 1 c 2", "GET c", "MSETNX x",
                "MSETNX x 1 y", "MSETNX");
        d.assertSame();
    }

    @Test
    void getrangeAndSubstr() {
        Differential d = diff(10);
        d.run("SET s hello", "SET n 12345", "APPEND r hello", "APPEND r world");
        String[][] ranges = {{"0", "-1"}, {"0", "0"}, {"1", "3"}, {"-3", "-1"}, {"-1", "-5"}, {"-10", "-20"},
            {"-20", "-10"}, {"-100", "100"}, {"3", "1"}, {"5", "10"}, {"4", "4"}, {"0", "9223372036854775807"},
            {"9223372036854775807", "9223372036854775807"}, {"-9223372036854775808", "-1"},
            {"0", "-9223372036854775808"}, {"-9223372036854775808", "-9223372036854775808"}, {"-1", "-1"},
            {"-5", "-5"}, {"-6", "0"}};
        for (String key : new String[] {"s", "n", "r", "nosuch"}) {
            for (String[] r : ranges) {
                d.cmd("GETRANGE", key, r[0], r[1]);
                d.cmd("SUBSTR", key, r[0], r[1]);
            }
        }
        d.cmd("SET", "e", "");
        d.run("GETRANGE e 0 -1", "GETRANGE e 0 0", "GETRANGE e -1 0", "GETRANGE s a 1", "GETRANGE s 0 b",
                "GETRANGE nosuch x 0", "GETRANGE s 1.5 2", "GETRANGE s 0", "GETRANGE s 0 1 2", "SUBSTR s 0",
                "GETRANGE s 9223372036854775808 1");
        bytes(d, b("SET"), b("bin"), new byte[] {0, 1, 2, (byte) 0xff, 4});
        bytes(d, b("GETRANGE"), b("bin"), b("1"), b("3"));
        d.assertSame();
    }

    @Test
    void setrangeZeroPadsAndKeepsRawStrings() {
        Differential d = diff(11);
        d.run("SETRANGE k 0 hello", "GET k", "SETRANGE k 6 world", "GET k", "STRLEN k", "SETRANGE k 1 EL", "GET k",
                "SETRANGE new 5 x", "GET new", "SETRANGE n2 0 abc", "GET n2", "SET i 12345", "SETRANGE i 2 x",
                "GET i", "INCR i", "SETRANGE k -1 x", "SETRANGE k abc x", "SETRANGE k 1.5 x", "SETRANGE k",
                "SETRANGE k 1", "SETRANGE k 1 x y", "SETRANGE k 9223372036854775807 x", "SETRANGE k 536870912 x",
                "SETRANGE k 536870911 xy", "SETRANGE nosuch 536870912 x", "SETRANGE k 9223372036854775808 x",
                "APPEND k tail", "GET k");
        d.cmd("SETRANGE", "k", "3", "");
        d.cmd("SETRANGE", "k", "100", "");
        d.cmd("SETRANGE", "empty", "0", "");
        d.cmd("SETRANGE", "empty", "100", "");
        d.cmd("SETRANGE", "empty", "9223372036854775807", "");
        d.cmd("SETRANGE", "k", "-1", "");
        d.cmd("GET", "empty");
        d.cmd("SETRANGE", "k", "536870912", "");
        bytes(d, b("SETRANGE"), b("bin"), b("2"), new byte[] {0, (byte) 0xff});
        bytes(d, b("GET"), b("bin"));
        d.run("SET shared v", "SETRANGE shared 0 X", "GET shared", "SET shared2 abc", "APPEND shared2 d",
                "SETRANGE shared2 0 Z", "GET shared2");
        d.assertSame();
    }

    @Test
    void incrbyfloatMatchesLongDoubleArithmetic() {
        Differential d = diff(12);
        d.run("SET k 10.50", "INCRBYFLOAT k 0.1", "INCRBYFLOAT k -5", "INCRBYFLOAT k 5.0e3", "INCRBYFLOAT k 3.0e3",
                "INCRBYFLOAT k 1e308", "INCRBYFLOAT k 1e308", "GET k", "INCRBYFLOAT k -2e308", "GET k",
                "INCRBYFLOAT z 0", "INCRBYFLOAT z -0", "INCRBYFLOAT z 0.000003814697265625",
                "INCRBYFLOAT z 1e-17", "INCRBYFLOAT z 5e-18", "INCRBYFLOAT t 5e-18", "INCRBYFLOAT t -1e-20",
                "INCRBYFLOAT y 12345678901234567890", "INCRBYFLOAT y 0.1", "INCRBYFLOAT y -12345678901234567890",
                "INCRBYFLOAT y 1.23456789012345678901234567890", "INCRBYFLOAT h 0x1p3", "INCRBYFLOAT h 0x.8",
                "INCRBYFLOAT h 0X1P-2", "INCRBYFLOAT h +1.5", "INCRBYFLOAT h 1.", "INCRBYFLOAT h .5",
                "INCRBYFLOAT h 1e", "INCRBYFLOAT h 1e+", "INCRBYFLOAT h .", "INCRBYFLOAT h -", "INCRBYFLOAT h 0x",
                "INCRBYFLOAT h 0xg", "INCRBYFLOAT h 1x", "INCRBYFLOAT h abc", "INCRBYFLOAT h nan", "INCRBYFLOAT h NaN",
                "INCRBYFLOAT h inf", "INCRBYFLOAT h -inf", "INCRBYFLOAT h Infinity", "INCRBYFLOAT h infin",
                "INCRBYFLOAT h 1e5000", "INCRBYFLOAT h 1e-5000", "INCRBYFLOAT h 0e99999999999", "GET h",
                "INCRBYFLOAT h 1e4932", "INCRBYFLOAT h 1e4933", "INCRBYFLOAT h -1e4932", "INCRBYFLOAT h 1e-4950",
                "INCRBYFLOAT h 1e-4951", "INCRBYFLOAT h 1e-4940", "GET h", "SET inf inf", "INCRBYFLOAT inf 1",
                "SET big 1e4932", "INCRBYFLOAT big 1e4932", "GET big", "SET w abc", "INCRBYFLOAT w 1",
                "SET w 1.5.5", "INCRBYFLOAT w 1", "INCRBYFLOAT w abc", "SET w 3", "INCRBYFLOAT w abc",
                "INCRBYFLOAT", "INCRBYFLOAT w", "INCRBYFLOAT w 1 2", "SET w 0x10", "INCRBYFLOAT w 1",
                "SET w -0.0", "INCRBYFLOAT w 0", "SET w 1e2", "INCRBYFLOAT w 1", "INCR w");
        for (int i = 0; i < 12; i++) {
            d.run("INCRBYFLOAT tenth 0.1", "INCRBYFLOAT third 0.333333333333333333", "INCRBYFLOAT neg -0.7");
        }
        d.cmd("SET", "sp", " 1");
        d.cmd("INCRBYFLOAT", "sp", "1");
        d.cmd("SET", "sp", "1 ");
        d.cmd("INCRBYFLOAT", "sp", "1");
        d.cmd("INCRBYFLOAT", "sp2", " 1");
        d.cmd("INCRBYFLOAT", "sp2", "");
        d.cmd("INCRBYFLOAT", "sp2", "1".repeat(5119));
        d.cmd("INCRBYFLOAT", "sp3", "1".repeat(5120));
        d.cmd("INCRBYFLOAT", "sp4", "0." + "0".repeat(4000) + "1");
        bytes(d, b("INCRBYFLOAT"), b("nul"), new byte[] {'1', 0, 'x'});
        d.assertSame();
    }

    @Test
    void incrbyfloatRandomOperandsMatchReference() {
        Differential d = diff(13);
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 400; i++) {
            d.cmd("INCRBYFLOAT", "r" + (i % 7), randomFloat(rnd));
            if (i % 50 == 0) {
                d.cmd("SET", "r" + (i % 7), randomFloat(rnd));
            }
        }
        d.assertSame();
    }

    private static String randomFloat(java.util.Random rnd) {
        switch (rnd.nextInt(6)) {
            case 0:
                return Double.toString((rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(40) - 20));
            case 1:
                return Long.toString(rnd.nextLong());
            case 2:
                return (rnd.nextBoolean() ? "-" : "") + rnd.nextInt(1000) + "." + Math.abs(rnd.nextLong());
            case 3:
                return (rnd.nextInt(2000) - 1000) + "e" + (rnd.nextInt(40) - 20);
            case 4:
                return "0." + "0".repeat(rnd.nextInt(20)) + Math.abs(rnd.nextInt());
            default:
                return rnd.nextInt(100) + "." + rnd.nextInt(100);
        }
    }

    @Test
    void lcsInResp2() {
        Differential d = diff(14);
        lcsScript(d);
        d.assertSame();
    }

    @Test
    void lcsInResp3() {
        Differential d = diff(14);
        d.resp3("GET", "__resp3_probe__");
        lcsScript(d);
        d.assertSame();
    }

    private void lcsScript(Differential d) {
        d.run("MSET a ohmytext b mynewtext c hello d hallo e abcdefghij f xbcxxfghxj", "LCS a b", "LCS a b LEN",
                "LCS a b IDX", "LCS a b IDX MINMATCHLEN 4", "LCS a b IDX WITHMATCHLEN", "LCS a b IDX MINMATCHLEN 4 WITHMATCHLEN",
                "LCS a b idx minmatchlen -5 withmatchlen", "LCS c d", "LCS c d IDX WITHMATCHLEN", "LCS e f IDX",
                "LCS e f IDX WITHMATCHLEN MINMATCHLEN 2", "LCS f e IDX WITHMATCHLEN", "LCS a nosuch",
                "LCS nosuch a IDX", "LCS nosuch nosuch2 LEN", "LCS a b LEN IDX", "LCS a b IDX LEN", "LCS a b foo",
                "LCS a b MINMATCHLEN", "LCS a b MINMATCHLEN x", "LCS a b LEN MINMATCHLEN 2", "LCS a", "LCS",
                "LCS a a IDX WITHMATCHLEN", "LCS a b WITHMATCHLEN", "SET n 12321", "SET m 2123", "LCS n m IDX",
                "APPEND r hello", "APPEND r world", "LCS r c IDX WITHMATCHLEN");
        d.cmd("SET", "empty", "");
        d.cmd("LCS", "empty", "a", "IDX");
    }

    @Test
    void nullAndEmptyRepliesInResp3() {
        Differential d = diff(15);
        d.resp3("GET", "__resp3_probe__");
        d.run("GET nosuch", "GETEX nosuch", "GETEX nosuch PERSIST", "GETDEL nosuch", "GETSET g v", "MGET g nosuch",
                "SET k v NX", "SET k v NX", "SET k2 v XX", "SET k w NX GET", "SET k3 v XX GET", "GETRANGE nosuch 0 -1",
                "INCRBYFLOAT f 1.5", "INCR i", "SETNX k v", "MSETNX k v", "STRLEN nosuch", "SETRANGE k 1 x");
        d.assertSame();
    }

    @Test
    void keyspaceEventsMatchRedis() {
        Differential d = diff(0);
        try (RespClient sub = pair().redisClient()) {
            ref.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            sub.call("PSUBSCRIBE", "__keyevent@0__:*");
            EVENTS.clear();
            d.run("SET k v", "SET k v EX 100", "SET k v NX", "SET k w XX GET", "SET k x KEEPTTL", "SETNX k v",
                    "SETNX n v", "SETEX k 100 v", "PSETEX k 100000 v", "GETEX k EX 100", "GETEX k PERSIST",
                    "GETEX k PERSIST", "GETEX k", "GETEX k PXAT 1", "GETEX k EX 10", "SET k v", "GETDEL k", "GETDEL k",
                    "GETSET k 1", "MSET a 1 b 2", "MSETNX a 1 c 2", "MSETNX c 1 e 2", "APPEND a x", "APPEND new x",
                    "SETRANGE a 0 y", "SETRANGE a 0", "SETRANGE z 0 q", "INCR k", "DECR k", "INCRBY k 5", "DECRBY k 5",
                    "INCRBYFLOAT k 1.5", "INCR a", "INCRBYFLOAT a 1", "GET k", "MGET k a", "STRLEN k", "GETRANGE k 0 1",
                    "LCS k a", "SET x v PXAT 1", "GET x", "SET y v EX 0", "SETEX y 0 v", "GETEX k EX 0");
            d.cmd("SETRANGE", "k", "0", "");
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
            List<String> got = EVENTS.inDb(0);
            assertTrue(want.size() > 30, "reference events: " + want);
            assertEquals(want, got);
        } finally {
            ref.call("CONFIG", "SET", "notify-keyspace-events", "");
        }
        d.assertSame();
    }

    @Test
    void writesKeepOrClearTheTtlLikeRedis() {
        Differential d = diff(7);
        String[] script = {"SET t v EXAT 4000000000", "SET t w KEEPTTL", "APPEND t x", "SETRANGE t 0 y", "GETEX t",
            "SET t2 5 PXAT 4000000000123", "INCR t2", "DECRBY t2 3", "INCRBYFLOAT t2 1.5", "GETEX t2 PXAT 4100000000000",
            "GETEX t2 EXAT 4200000000", "GETEX t2 PERSIST", "SET t3 v PXAT 4000000000000", "SET t3 v", "GETSET t 1",
            "SET t4 v EXAT 4000000000", "MSET t4 x", "SET t5 v EXAT 4000000000", "SET t5 v NX EX 5", "SET t5 v XX GET",
            "SET t6 v EXAT 4000000000", "SETNX t6 w", "SETEX t6 100 w", "PSETEX t6 100000 w", "SET t6 v PXAT 1",
            "GET t6", "SET t7 v EXAT 4000000000", "SETRANGE t7 0", "APPEND t7", "GETEX t7 NX"};
        for (String line : script) {
            d.run(line);
            String key = line.split(" ")[1];
            String want = ref.call("PEXPIRETIME", key);
            long got = expireOf(7, key);
            if (want.startsWith(":4") || want.equals(":-1\r\n")) {
                assertEquals(want, ":" + got + "\r\n", "expiry of " + key + " after " + line);
            } else if (!want.equals(":-2\r\n")) {
                // relative expiries (EX/PX/SETEX): both in the future
                assertTrue(got > System.currentTimeMillis(), "expiry of " + key + " after " + line + ": " + got);
            }
        }
        d.assertSame();
    }

    /** The absolute expiry Cinnabar holds for a key (read on the server's thread), -1 when none. */
    private static long expireOf(int db, String key) {
        return Loop.call(server(), () -> server().server().db(db).getExpire(b(key)));
    }

    @Test
    void limitsFollowProtoMaxBulkLen() {
        try (ServerPair small = ServerPair.start(TestServer.builder().family(new StringsFamily())
                .option("proto-max-bulk-len", "1mb"), "--proto-max-bulk-len", "1mb")) {
            Differential d = small.diff();
            d.run("SETRANGE k 1048575 x", "STRLEN k", "SETRANGE k 1048576 x", "SETRANGE k 1048575 xy", "APPEND k y",
                    "SETRANGE n 1048576 x", "SETRANGE n 1048575 ab", "APPEND a x", "SETRANGE a 1048575 x", "APPEND a x",
                    "SETRANGE k 0 abc", "GETRANGE k 0 5");
            d.cmd("SET", "l1", "x".repeat(600));
            d.cmd("SET", "l2", "x".repeat(600));
            d.cmd("SET", "l3", "xy".repeat(250));
            d.run("LCS l1 l2", "LCS l1 l2 LEN", "LCS l1 l2 IDX", "LCS l3 l3 LEN", "LCS l1 l3 IDX WITHMATCHLEN MINMATCHLEN 2",
                    "LCS nosuch l1 LEN");
            d.assertSame();
        }
    }

    @Test
    void specsMatchReferenceCommandInfo() {
        try (Jedis j = new Jedis("127.0.0.1", pair().redis().port())) {
            for (io.cinnabar.api.CommandSpec spec : new StringsFamily().commands()) {
                String name = spec.name();
                List<?> info = (List<?>) ((List<?>) j.sendCommand(Protocol.Command.COMMAND,
                        "INFO", name)).get(0);
                assertEquals(spec.arity(), ((Long) info.get(1)).intValue(), name + " arity");
                assertEquals(texts(info.get(2)), spec.flags().stream().map(f -> f.redisName()).sorted().toList(),
                        name + " flags");
                assertEquals(texts(info.get(6)), spec.aclCategories().stream().map(c -> "@" + c.redisName()).sorted()
                        .toList(), name + " acl categories");
                assertEquals(texts(info.get(7)), spec.tips().stream().sorted().toList(), name + " tips");
                List<?> keySpecs = (List<?>) info.get(8);
                assertEquals(keySpecs.size(), spec.keySpecs().size(), name + " key specs");
                for (int k = 0; k < keySpecs.size(); k++) {
                    List<?> ks = (List<?>) keySpecs.get(k);
                    io.cinnabar.api.KeySpec ours = spec.keySpecs().get(k);
                    List<String> flags = texts(field(ks, "flags")).stream().map(f -> f.toUpperCase()).sorted().toList();
                    assertEquals(flags, ours.flags().stream().sorted().toList(), name + " key spec flags");
                    List<?> begin = (List<?>) field((List<?>) field(ks, "begin_search"), "spec");
                    assertEquals(((Long) field(begin, "index")).intValue(), ours.beginIndex(), name + " begin index");
                    List<?> find = (List<?>) field((List<?>) field(ks, "find_keys"), "spec");
                    assertEquals(((Long) field(find, "lastkey")).intValue(), ours.lastKey(), name + " lastkey");
                    assertEquals(((Long) field(find, "keystep")).intValue(), ours.keyStep(), name + " keystep");
                    assertEquals(((Long) field(find, "limit")).intValue(), ours.limit(), name + " limit");
                }
            }
        }
    }

    private static Object field(List<?> flatMap, String name) {
        for (int i = 0; i < flatMap.size(); i += 2) {
            if (new String((byte[]) flatMap.get(i), StandardCharsets.UTF_8).equals(name)) {
                return flatMap.get(i + 1);
            }
        }
        throw new AssertionError("no field " + name);
    }

    private static List<String> texts(Object list) {
        return ((List<?>) list).stream().map(o -> new String((byte[]) o, StandardCharsets.UTF_8)).sorted().toList();
    }

    @Test
    void jedisSecondBatch() {
        try (Jedis j = new Jedis("127.0.0.1", server().port())) {
            j.select(8);
            j.set("g1", "hello world");
            assertEquals("hello world", j.getEx("g1", GetExParams.getExParams().ex(100)));
            assertEquals("world", j.getrange("g1", 6, -1));
            assertEquals(11L, j.setrange("g1", 0, "J"));
            assertEquals("Jello world", j.getDel("g1"));
            assertNull(j.get("g1"));
            assertEquals(10.6, j.incrByFloat("f1", 10.6));
            assertEquals("10.6", j.getSet("f1", "x"));
            j.mset("l1", "ohmytext", "l2", "mynewtext");
            assertEquals("mytext", j.lcs("l1", "l2", LCSParams.LCSParams()).getMatchString());
            LCSMatchResult idx = j.lcs("l1", "l2",
                    LCSParams.LCSParams().idx().withMatchLen());
            assertEquals(6, idx.getLen());
            assertEquals(2, idx.getMatches().size());
            assertEquals(4, idx.getMatches().get(0).getMatchLen());
            assertEquals(1L, j.msetnx("n1", "a", "n2", "b"));
            assertEquals(0L, j.msetnx("n2", "c", "n3", "d"));
        }
    }

    @Test
    void wrongTypeKeysAreRejectedOrSkippedAsRedisDoes() {
        Differential d = diff(6);
        for (String key : new String[] {"l", "l2", "l3", "l4"}) {
            listKey(6, key);
        }
        d.run("TYPE l", "TYPE l4", "SET s abc", "GET l", "SET l v GET", "SET l v NX GET", "SET l v XX", "GETEX l", "GETEX l EX 10",
                "GETEX l PERSIST", "GETEX l EX abc", "GETDEL l", "GETSET l v", "MGET s l nosuch", "APPEND l x",
                "STRLEN l", "GETRANGE l 0 -1", "GETRANGE l x 1", "SETRANGE l 0 x", "SETRANGE l 0", "SETRANGE l -1 x",
                "INCR l", "DECR l", "INCRBY l 2", "DECRBY l 2", "INCRBYFLOAT l 1.5", "INCRBYFLOAT l abc", "LCS l s",
                "LCS s l IDX", "LCS s l foo", "SETNX l v", "MSETNX s2 v l v", "GET s2", "SETEX l 10 v", "GET l",
                "SET l2 v", "GET l2", "MSET l3 v", "GET l3", "PSETEX l4 100000 v", "GET l4");
        d.assertSame();
    }

    /** A list at {@code key} on both servers: RPUSH on Redis, the stand-in list value in Cinnabar. */
    private void listKey(int db, String key) {
        ref.call("RPUSH", key, "x");
        StandInValue.LIST.put(server(), db, key);
    }
}
