package io.cinnabar.datatypes.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.CommandInfoConformance;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.KeyspaceEventLog;
import io.cinnabar.testkit.Resp;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.ServerPair;
import io.cinnabar.testkit.ServerPairExtension;
import io.cinnabar.testkit.SpecCoverage;
import io.cinnabar.testkit.StandInValue;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * The set commands against the reference redis-server, byte for byte where Redis's order is defined (intsets
 * ascending, listpacks in insertion order) and as sets where it is not (hashtables). Each test works in its
 * own database.
 */
class SetsFamilyTest {
    private RespClient ref;
    private RespClient cand;

    /** Every keyspace event Cinnabar emits, as "db event key". */
    private static final KeyspaceEventLog EVENTS = new KeyspaceEventLog();

    @RegisterExtension
    static final ServerPairExtension PAIR = new ServerPairExtension(
            () -> TestServer.builder().family(new SetsFamily()).listener(EVENTS));

    private static ServerPair pair() {
        return PAIR.pair();
    }

    private Differential diff(int db) {
        Differential d = pair().diff(db);
        ref = d.reference();
        cand = d.candidate();
        return d;
    }

    /** Runs a line on both and compares the replies as unordered collections (hashtable order is Redis's own). */
    private void unordered(Differential d, String line) {
        String want = ref.call(line.split(" "));
        String got = cand.call(line.split(" "));
        if (!normalize(want).equals(normalize(got))) {
            d.mismatches().add(line + " (unordered)\n    redis:    " + want + "\n    cinnabar: " + got);
        }
    }

    private static String normalize(String raw) {
        String header = raw.substring(0, raw.indexOf("\r\n"));
        Object v = Resp.parse(raw);
        if (v instanceof List<?> l) {
            TreeSet<String> sorted = new TreeSet<>();
            for (Object o : l) {
                sorted.add(String.valueOf(o instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : o));
            }
            return header + " " + sorted + " " + l.size();
        }
        return raw;
    }

    /** Switches both connections to RESP{@code protocol} (not compared: HELLO's reply carries the client id). */
    private void hello(int protocol) {
        ref.call("HELLO", String.valueOf(protocol));
        cand.call("HELLO", String.valueOf(protocol));
    }

    /** A list at {@code key} of database {@code db} on both servers (RPUSH on Redis, a stand-in here). */
    private void listKey(int db, String key) {
        ref.call("RPUSH", key, "x");
        StandInValue.LIST.put(pair().cinnabar(), db, key);
    }

    private void setConfig(String name, String value) {
        ref.call("CONFIG", "SET", name, value);
        cand.call("CONFIG", "SET", name, value);
    }

    private void resetConfigs() {
        setConfig("set-max-intset-entries", "512");
        setConfig("set-max-listpack-entries", "128");
        setConfig("set-max-listpack-value", "64");
    }

    @Test
    void saddSremScardAndMembership() {
        Differential d = diff(1);
        d.run("SADD s 3 1 2", "SADD s 2 5", "SCARD s", "SISMEMBER s 1", "SISMEMBER s 4", "SISMEMBER s 01",
                "SMISMEMBER s 1 4 5 x", "SMISMEMBER nokey a b", "SCARD nokey", "SISMEMBER nokey a", "SMEMBERS s",
                "SREM s 1 9 3", "SMEMBERS s", "SREM nokey a", "SREM s 2 5 7", "EXISTS s", "SMEMBERS s",
                "SADD l b a c a", "SMEMBERS l", "SREM l a", "SMEMBERS l", "SADD l a", "SMEMBERS l",
                "SADD", "SADD k", "SREM k", "SCARD", "SCARD a b", "SISMEMBER k", "SMISMEMBER k", "SMEMBERS",
                "SADD m -0 01 1 -1 +1 9223372036854775807 -9223372036854775808 9223372036854775808", "SMEMBERS m",
                "SISMEMBER m -0", "SISMEMBER m 1", "SREM m 01 1", "SMEMBERS m", "OBJECT ENCODING m");
        d.cmd("SADD", "e", "");
        d.cmd("SISMEMBER", "e", "");
        d.cmd("SMEMBERS", "e");
        hello(3);
        d.run("SMEMBERS s", "SMEMBERS l", "SMEMBERS nokey", "SMISMEMBER l a z");
        hello(2);
        d.assertSame();
    }

    @Test
    void encodingsFollowRedisThresholds() {
        Differential d = diff(2);
        d.run("SADD i 5 3 1", "OBJECT ENCODING i", "SMEMBERS i", "SADD i a", "OBJECT ENCODING i", "SMEMBERS i",
                "SADD i 0", "SMEMBERS i", "SREM i a", "OBJECT ENCODING i", "SMEMBERS i",
                "SADD x a", "OBJECT ENCODING x");
        d.cmd("SADD", "long", "x".repeat(65));
        d.run("OBJECT ENCODING long");
        d.run("SADD i2 1 2", "OBJECT ENCODING i2");
        d.cmd("SADD", "i2", "y".repeat(65));
        d.run("OBJECT ENCODING i2", "SADD i3 12345678901234567890", "OBJECT ENCODING i3");
        d.cmd(sadd("big", 513, i -> String.valueOf(i)));
        d.run("OBJECT ENCODING big", "SCARD big");
        d.cmd(sadd("dup", 129, i -> "a"));
        d.run("OBJECT ENCODING dup", "SCARD dup");
        d.cmd(sadd("lp", 128, i -> "m" + i));
        d.run("OBJECT ENCODING lp", "SMEMBERS lp", "SADD lp m200", "OBJECT ENCODING lp", "SCARD lp");
        unordered(d, "SMEMBERS lp");
        d.run("SREM lp m200 m1 m2", "OBJECT ENCODING lp");
        d.cmd(sadd("ints", 512, i -> String.valueOf(i * 3)));
        d.run("OBJECT ENCODING ints", "SMEMBERS ints", "SADD ints 2000", "OBJECT ENCODING ints");
        unordered(d, "SMEMBERS ints");
        setConfig("set-max-intset-entries", "2");
        setConfig("set-max-listpack-entries", "3");
        setConfig("set-max-listpack-value", "4");
        d.run("SADD c1 1 2", "OBJECT ENCODING c1", "SADD c1 3", "OBJECT ENCODING c1", "SADD c2 1 2 3",
                "OBJECT ENCODING c2", "SADD c3 1", "SADD c3 abcd", "OBJECT ENCODING c3", "SMEMBERS c3",
                "SADD c4 12345 1", "SADD c4 a", "OBJECT ENCODING c4", "SADD c5 1 2", "SADD c5 a", "SMEMBERS c5",
                "OBJECT ENCODING c5", "SADD c5 b", "OBJECT ENCODING c5", "SADD c6 abcde", "OBJECT ENCODING c6",
                "SADD c7 -1000 1", "SADD c7 a", "OBJECT ENCODING c7");
        setConfig("set-max-intset-entries", "0");
        setConfig("set-max-listpack-entries", "0");
        d.run("SADD z0 1", "OBJECT ENCODING z0", "SADD z1 a", "OBJECT ENCODING z1");
        resetConfigs();
        d.assertSame();
    }

    @Test
    void wrongTypeKeysAreRejected() {
        Differential d = diff(3);
        listKey(3, "lst");
        listKey(3, "str");
        d.run("SADD s a", "SADD str a", "SREM str a", "SCARD str", "SISMEMBER str a",
                "SMISMEMBER str a", "SMEMBERS str", "SMOVE str s a", "SMOVE s str a", "SMOVE nokey str a",
                "SINTER s str", "SINTER nokey str", "SINTERCARD 2 s str", "SINTERSTORE d s str", "SUNION s str",
                "SUNIONSTORE d s str", "SDIFF s str", "SDIFF nokey str", "SDIFFSTORE d s str", "SRANDMEMBER str",
                "SRANDMEMBER str 2", "SPOP str", "SPOP str 2", "SSCAN str 0", "SADD lst a", "SMEMBERS lst",
                "SMOVE s lst a", "SINTERSTORE lst s", "TYPE lst",
                "EXISTS d", "SMEMBERS s");
        d.assertSame();
    }

    @Test
    void smoveBetweenSets() {
        Differential d = diff(4);
        d.run("SADD a 1 2 x", "SADD b 3", "SMOVE a b 1", "SMEMBERS a", "SMEMBERS b", "SMOVE a b nosuch",
                "SMOVE a a 2", "SMOVE a a nosuch", "SMOVE nokey b 1", "SMOVE a c x", "SMEMBERS c",
                "OBJECT ENCODING c", "SMOVE a c 2", "EXISTS a", "SMEMBERS c", "OBJECT ENCODING c",
                "SMOVE c b 3", "SMEMBERS b", "SMOVE", "SMOVE a b", "SMOVE a b c d", "SADD n 7", "SMOVE n m 7",
                "OBJECT ENCODING m");
        d.assertSame();
    }

    @Test
    void intersectionUnionAndDifference() {
        Differential d = diff(5);
        d.run("SADD i1 1 2 3 4 5", "SADD i2 5 4 3 9", "SADD i3 3 4", "SADD l1 a b c 3 4", "SADD l2 c b x",
                "SINTER i1 i2", "SINTER i2 i1 i3", "SINTER i1 l1", "SINTER l1 l2", "SINTER l2 l1", "SINTER i1",
                "SINTER l1 l1", "SINTER i1 nokey", "SINTER nokey i1", "SINTERCARD 2 i1 i2", "SINTERCARD 1 l1",
                "SINTERCARD 2 i1 i2 LIMIT 1", "SINTERCARD 2 i1 i2 LIMIT 0", "SINTERCARD 2 i1 nokey",
                "SINTERCARD 2 i1 i2 limit 5", "SINTERCARD 0 i1", "SINTERCARD -1 i1", "SINTERCARD x i1",
                "SINTERCARD 3 i1 i2", "SINTERCARD 1 i1 LIMIT -1", "SINTERCARD 1 i1 LIMIT x", "SINTERCARD 1 i1 LIMIT",
                "SINTERCARD 1 i1 i2", "SINTERCARD 1 i1 FOO 2", "SINTERCARD 1 i1 LIMIT 1 LIMIT 2",
                "SINTERCARD 9223372036854775808 i1",
                "SINTERSTORE d i1 i2", "SMEMBERS d", "OBJECT ENCODING d", "SINTERSTORE d l1 i1", "SMEMBERS d",
                "OBJECT ENCODING d", "SINTERSTORE d l1 l2", "SMEMBERS d", "OBJECT ENCODING d",
                "SINTERSTORE d i1 nokey", "EXISTS d", "SINTERSTORE d i3 l2", "EXISTS d",
                "EXPIRE d 100", "SINTERSTORE d i1 i1", "TTL d", "SINTERSTORE str i1", "TYPE str",
                "SUNION i1 i2", "SUNION i1 nokey i3", "SUNION nokey", "SDIFF i1 i2", "SDIFF i1 i3 i2",
                "SDIFF i1 nokey", "SDIFF nokey i1", "SDIFF i1 i1", "SDIFF i1 i2 i1", "SDIFF i1",
                "SUNIONSTORE u i1 l1", "SMEMBERS u", "OBJECT ENCODING u", "SUNIONSTORE u i1 i2", "SMEMBERS u",
                "OBJECT ENCODING u", "SUNIONSTORE u l2 l1", "SMEMBERS u", "OBJECT ENCODING u",
                "SUNIONSTORE u nokey", "EXISTS u", "SDIFFSTORE df l1 l2", "SMEMBERS df", "OBJECT ENCODING df",
                "SDIFFSTORE df i1 i2", "SMEMBERS df", "OBJECT ENCODING df", "SDIFFSTORE df i1 i1", "EXISTS df",
                "SDIFFSTORE df i3 i1", "EXISTS df", "SDIFFSTORE df l1 l2 l1 i3", "SMEMBERS df", "SDIFFSTORE i1 i1 i3",
                "SMEMBERS i1", "SINTER", "SINTERSTORE d", "SUNION", "SUNIONSTORE d", "SDIFF", "SDIFFSTORE d",
                "SINTERCARD", "SINTERCARD 1");
        hello(3);
        d.run("SINTER i2 i3", "SINTER nokey i1", "SUNION i2 i3",
                "SUNION nokey", "SDIFF i2 i3", "SINTERCARD 1 i2");
        hello(2);
        unordered(d, "SUNION i1 l1");
        unordered(d, "SUNION l1 l2 i3");
        unordered(d, "SDIFF l1 l2");
        unordered(d, "SDIFF l1 i3 nokey");
        d.assertSame();
    }

    @Test
    void storeEncodingsAtTheThresholds() {
        Differential d = diff(6);
        d.cmd(sadd("ha", 201, i -> i == 200 ? "s" : String.valueOf(i)));
        d.cmd(sadd("hb", 201, i -> i == 200 ? "t" : String.valueOf(i * 2)));
        d.run("OBJECT ENCODING ha", "SINTERSTORE d ha hb", "OBJECT ENCODING d", "SMEMBERS d", "SADD hc 4 6 zz",
                "SINTERSTORE d ha hc", "OBJECT ENCODING d", "SMEMBERS d", "SADD hd 4 zz 6", "SINTERSTORE d hd ha",
                "OBJECT ENCODING d", "SMEMBERS d", "SDIFFSTORE d2 ha hb", "OBJECT ENCODING d2", "SCARD d2",
                "SUNIONSTORE d3 hc hd", "OBJECT ENCODING d3", "SMEMBERS d3", "SINTERCARD 2 ha hb",
                "SINTERCARD 2 ha hb LIMIT 7");
        unordered(d, "SINTER ha hb");
        unordered(d, "SDIFF ha hb");
        unordered(d, "SUNION ha hb");
        setConfig("set-max-listpack-entries", "2");
        d.run("SADD p1 a b 1 2 3", "SADD p2 1 2 3 c", "SINTERSTORE d4 p1 p2", "OBJECT ENCODING d4", "SMEMBERS d4",
                "SADD q1 x y", "SADD q2 x y", "SINTERSTORE d5 q1 q2", "OBJECT ENCODING d5", "SMEMBERS d5",
                "SUNIONSTORE d6 q1 q2", "OBJECT ENCODING d6", "SADD q3 1 2", "SUNIONSTORE d7 q3 q1",
                "OBJECT ENCODING d7");
        setConfig("set-max-listpack-entries", "128");
        setConfig("set-max-intset-entries", "2");
        d.run("SADD r1 a 1 2 3", "SADD r2 3 2 1 b", "SINTERSTORE d8 r1 r2", "OBJECT ENCODING d8", "SMEMBERS d8",
                "SINTERSTORE d9 r2 r1", "SMEMBERS d9", "SUNIONSTORE d10 d8", "OBJECT ENCODING d10",
                "SADD r3 2 1", "SINTERSTORE d11 r3 r1", "OBJECT ENCODING d11", "SMEMBERS d11", "SMOVE r1 r3 3",
                "OBJECT ENCODING r3");
        unordered(d, "SMEMBERS d10"); // hashtables: Redis's order depends on its random hash seed
        unordered(d, "SMEMBERS r3");
        resetConfigs();
        d.assertSame();
    }

    @Test
    void srandmemberByProperties() {
        Differential d = diff(7);
        d.run("SADD i 1 2 3 4 5", "SADD l c a b", "SRANDMEMBER nokey", "SRANDMEMBER nokey 5", "SRANDMEMBER nokey -5",
                "SRANDMEMBER i 0", "SRANDMEMBER i 5", "SRANDMEMBER i 100", "SRANDMEMBER l 3", "SRANDMEMBER l 10",
                "SRANDMEMBER i x", "SRANDMEMBER i -9223372036854775808", "SRANDMEMBER i 1 2",
                "SRANDMEMBER nokey x", "SRANDMEMBER");
        hello(3);
        d.run("SRANDMEMBER i 5", "SRANDMEMBER nokey",
                "SRANDMEMBER nokey 2");
        hello(2);
        d.assertSame();
        Set<String> members = Set.of("1", "2", "3", "4", "5");
        for (int round = 0; round < 20; round++) {
            List<String> three = strings(cand.call("SRANDMEMBER", "i", "3"));
            assertEquals(3, three.size());
            assertEquals(3, new HashSet<>(three).size(), "distinct members");
            assertTrue(members.containsAll(three));
            List<String> many = strings(cand.call("SRANDMEMBER", "i", "-12"));
            assertEquals(12, many.size());
            assertTrue(members.containsAll(many));
            assertTrue(members.contains(strings("*1\r\n" + cand.call("SRANDMEMBER", "i")).get(0)));
        }
        cand.call(sadd("h", 300, i -> "m" + i));
        for (int count : new int[] {1, 5, 150, 299}) {
            List<String> got = strings(cand.call("SRANDMEMBER", "h", String.valueOf(count)));
            assertEquals(count, got.size());
            assertEquals(count, new HashSet<>(got).size());
        }
        assertEquals(300, new HashSet<>(strings(cand.call("SRANDMEMBER", "h", "300"))).size());
    }

    @Test
    void spopByProperties() {
        Differential d = diff(8);
        d.run("SADD i 1 2 3", "SPOP nokey", "SPOP nokey 3", "SPOP i 0", "SPOP i -1", "SPOP i x", "SPOP nokey -1",
                "SPOP i 1 2", "SPOP", "SPOP i 3", "EXISTS i", "SADD i 1 2 3", "SPOP i 10", "EXISTS i");
        hello(3);
        d.run("SPOP nokey 2", "SPOP nokey", "SADD i 1 2", "SPOP i 2");
        hello(2);
        listKey(8, "str");
        d.run("SPOP str 0", "SPOP str x", "SRANDMEMBER str 0", "SRANDMEMBER str x", "SSCAN str x",
                "SADD one x", "SPOP one", "EXISTS one");
        d.assertSame();
        cand.call("SELECT", "9");
        cand.call(sadd("h", 300, i -> "m" + i));
        cand.call(sadd("n", 300, String::valueOf));
        Set<String> popped = new HashSet<>(strings(cand.call("SPOP", "h", "10")));
        assertEquals(10, popped.size());
        assertEquals(":290\r\n", cand.call("SCARD", "h"));
        for (String m : popped) {
            assertEquals(":0\r\n", cand.call("SISMEMBER", "h", m));
        }
        // popping most of a hashtable keeps the survivors in a new listpack, as Redis 7.2
        List<String> most = strings(cand.call("SPOP", "h", "280"));
        assertEquals(280, new HashSet<>(most).size());
        assertEquals(":10\r\n", cand.call("SCARD", "h"));
        assertEquals("$8\r\nlistpack\r\n", cand.call("OBJECT", "ENCODING", "h"));
        strings(cand.call("SPOP", "n", "295"));
        assertEquals("$6\r\nintset\r\n", cand.call("OBJECT", "ENCODING", "n"));
        assertEquals(":5\r\n", cand.call("SCARD", "n"));
        String one = strings("*1\r\n" + cand.call("SPOP", "n")).get(0);
        assertEquals(":0\r\n", cand.call("SISMEMBER", "n", one));
        assertEquals(":4\r\n", cand.call("SCARD", "n"));
    }

    @Test
    void popEncodingsMatchRedis() {
        Differential d = diff(10);
        d.cmd(sadd("h", 600, i -> String.valueOf(i)));
        d.run("OBJECT ENCODING h");
        ref.call("SPOP", "h", "590");
        cand.call("SPOP", "h", "590");
        d.run("OBJECT ENCODING h", "SCARD h");
        d.assertSame();
    }

    @Test
    void sscanSmallEncodingsWhole() {
        Differential d = diff(11);
        d.run("SADD i 3 1 2 10", "SADD l b a c ab", "SSCAN i 0", "SSCAN l 0", "SSCAN l 0 MATCH a*",
                "SSCAN i 0 MATCH 1*", "SSCAN l 0 COUNT 1", "SSCAN l 123 COUNT 1", "SSCAN nokey 0", "SSCAN nokey x",
                "SSCAN nokey 0 COUNT 0", "SSCAN l x", "SSCAN l -1", "SSCAN l 0 COUNT 0", "SSCAN l 0 COUNT x",
                "SSCAN l 0 MATCH", "SSCAN l 0 TYPE set", "SSCAN l 0 FOO bar", "SSCAN l 0 match * count 5",
                "SSCAN l 18446744073709551616", "SSCAN", "SSCAN l");
        hello(3);
        d.run("SSCAN l 0", "SSCAN nokey 0");
        hello(2);
        d.assertSame();
    }

    @Test
    void sscanHashtableVisitsEveryMember() {
        cand = pair().cinnabarClient();
        cand.call("SELECT", "12");
        cand.call(sadd("h", 1000, i -> "member:" + i));
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<?> r = (List<?>) Resp.parse(cand.call("SSCAN", "h", cursor, "COUNT", "20"));
            cursor = String.valueOf(r.get(0));
            for (Object o : (List<?>) r.get(1)) {
                seen.add(String.valueOf(o));
            }
            if (calls == 5) {
                cand.call("SREM", "h", "member:1", "member:2"); // shrinking or not, the rest is still visited
            }
            calls++;
        } while (!cursor.equals("0") && calls < 10_000);
        assertEquals("0", cursor);
        for (int i = 3; i < 1000; i++) {
            assertTrue(seen.contains("member:" + i), "member:" + i);
        }
        assertTrue(calls > 1, "a hashtable is scanned in steps");
        List<?> matched = (List<?>) ((List<?>) Resp.parse(cand.call("SSCAN", "h", "0", "MATCH", "nothing*",
                "COUNT", "1000"))).get(1);
        assertEquals(0, matched.size());
    }

    @Test
    void sscanHashtableReturnsTheSameMembersAsRedis() {
        Differential d = diff(12);
        d.cmd(sadd("hs", 300, i -> i % 3 == 0 ? String.valueOf(i) : "k" + i));
        d.run("OBJECT ENCODING hs", "SSCAN hs 0 COUNT 0", "SSCAN hs 0 COUNT x", "SSCAN hs 0 FOO");
        d.assertSame();
        assertEquals(fullScan(ref, "hs", "MATCH", "k1*", "COUNT", "7"),
                fullScan(cand, "hs", "MATCH", "k1*", "COUNT", "7"));
        assertEquals(fullScan(ref, "hs"), fullScan(cand, "hs"));
        assertEquals(300, fullScan(cand, "hs").size());
    }

    /** A hashtable past several pages of entries and buckets, shrunk by SREM and SPOP, then grown again. */
    @Test
    void largeHashtableGrowsAndShrinksAcrossPages() {
        Differential d = diff(9);
        for (int from = 0; from < 20_000; from += 1000) {
            int f = from;
            d.cmd(sadd("big", 1000, i -> "member:" + (f + i)));
        }
        d.run("SCARD big", "OBJECT ENCODING big", "SISMEMBER big member:0", "SISMEMBER big member:19999",
                "SISMEMBER big member:20000", "SADD big member:4096 member:8191 member:new");
        long grown = memoryUsage("big");
        assertTrue(grown > 20_001 * 32L && grown < 20_001 * 64L, "MEMORY USAGE " + grown);
        for (int from = 0; from < 19_000; from += 1000) {
            int f = from;
            String[] srem = sadd("big", 1000, i -> "member:" + (f + i));
            srem[0] = "SREM";
            d.cmd(srem);
        }
        d.run("SCARD big", "SMISMEMBER big member:18999 member:19000 member:19999 member:new", "SREM big member:new");
        assertEquals(fullScan(ref, "big"), fullScan(cand, "big"));
        assertEquals(1000, fullScan(cand, "big").size());
        long shrunk = memoryUsage("big");
        assertTrue(shrunk > 1000 * 32L && shrunk < 1000 * 80L, "MEMORY USAGE " + shrunk);
        Set<String> all = fullScan(cand, "big");
        for (int count : new int[] {2, 3, 50, 333, 334, 999}) {
            List<String> picked = strings(cand.call("SRANDMEMBER", "big", String.valueOf(count)));
            assertEquals(count, new HashSet<>(picked).size(), "distinct members");
            assertTrue(all.containsAll(picked));
        }
        Set<String> popped = new TreeSet<>();
        popped.addAll(strings(cand.call("SPOP", "big", "300")));
        popped.addAll(strings(cand.call("SRANDMEMBER", "big", "700")));
        assertEquals(all, popped, "300 popped and the 700 left are the whole set");
        for (int n = 0; n < 100; n++) {
            popped.add(strings("*1\r\n" + cand.call("SPOP", "big")).get(0));
        }
        List<String> rest = strings(cand.call("SPOP", "big", "599"));
        assertEquals(599, rest.size());
        popped.addAll(rest);
        popped.add(strings("*1\r\n" + cand.call("SPOP", "big")).get(0));
        assertEquals(all, popped);
        assertEquals(":0\r\n", cand.call("EXISTS", "big"));
        ref.call("DEL", "big");
        d.cmd(sadd("big", 9000, i -> "again:" + i));
        d.run("SCARD big", "SISMEMBER big again:8999", "SISMEMBER big member:20", "COPY big bigc",
                "SREM big again:1", "SCARD bigc", "SISMEMBER bigc again:1", "SCARD big");
        assertEquals(fullScan(ref, "big"), fullScan(cand, "big"));
        assertEquals(fullScan(ref, "bigc"), fullScan(cand, "bigc"));
        d.assertSame();
    }

    /** Cinnabar's MEMORY USAGE of a key. */
    private long memoryUsage(String key) {
        return Long.parseLong(cand.call("MEMORY", "USAGE", key).trim().substring(1));
    }

    /** Every member an SSCAN iteration from cursor 0 to cursor 0 returns. */
    private static Set<String> fullScan(RespClient c, String key, String... options) {
        Set<String> seen = new TreeSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<String> cmd = new ArrayList<>(List.of("SSCAN", key, cursor));
            cmd.addAll(List.of(options));
            List<?> r = (List<?>) Resp.parse(c.call(cmd.toArray(String[]::new)));
            cursor = String.valueOf(r.get(0));
            for (Object o : (List<?>) r.get(1)) {
                seen.add(String.valueOf(o));
            }
        } while (!cursor.equals("0") && ++calls < 100_000);
        return seen;
    }

    @Test
    void orderTiesBinaryMembersAndCopies() {
        Differential d = diff(16);
        d.run("SADD a x y z", "SADD b z y x", "SINTER a b", "SINTER b a", "SINTERSTORE d b a", "SMEMBERS d",
                "SADD c z x w y", "SINTER c a b", "SINTER a c", "SDIFF c a", "SDIFF c nokey a", "SUNIONSTORE u a c",
                "SMEMBERS u", "SDIFFSTORE v c a", "SMEMBERS v", "COPY a acopy", "SADD acopy extra", "SMEMBERS a",
                "SMEMBERS acopy", "OBJECT ENCODING acopy", "SADD n 5 1", "COPY n ncopy", "SREM n 1", "SMEMBERS ncopy",
                "SMISMEMBER n 5 x 05", "SISMEMBER n x", "SRANDMEMBER c 4", "SRANDMEMBER c 9", "SRANDMEMBER n 1",
                "TYPE a", "SPOP n 1", "EXISTS n");
        byte[][] bin = {b("SADD"), b("bin"), new byte[] {0, 1, (byte) 0xff}, b("a\r\nb"), new byte[0]};
        bytes(d, bin);
        bytes(d, b("SMEMBERS"), b("bin"));
        bytes(d, b("SISMEMBER"), b("bin"), new byte[] {0, 1, (byte) 0xff});
        bytes(d, b("SREM"), b("bin"), new byte[0]);
        bytes(d, b("SMEMBERS"), b("bin"));
        bytes(d, b("SSCAN"), b("bin"), b("0"));
        d.assertSame();
    }

    @Test
    void popsKeepRedisEncodings() {
        Differential d = diff(17);
        d.cmd(sadd("lp", 100, i -> "m" + i));
        d.cmd(sadd("is", 100, String::valueOf));
        for (String count : new String[] {"3", "90"}) {
            ref.call("SPOP", "lp", count);
            cand.call("SPOP", "lp", count);
            ref.call("SPOP", "is", count);
            cand.call("SPOP", "is", count);
            d.run("OBJECT ENCODING lp", "SCARD lp", "OBJECT ENCODING is", "SCARD is");
        }
        ref.call("SPOP", "is", "7"); // the survivors are random: only what is left is compared
        cand.call("SPOP", "is", "7");
        d.run("EXISTS is");
        d.assertSame();
    }

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
    void keyspaceEventsAsRedis() {
        String[][] script = {
            {"SADD", "s", "a", "b"}, {"SADD", "s", "a"}, {"SREM", "s", "zz"}, {"SREM", "s", "a"},
            {"SMOVE", "s", "t", "b"}, {"SADD", "u", "1", "2"}, {"SADD", "t", "1"}, {"SMOVE", "t", "u", "1"},
            {"SMOVE", "u", "u", "1"}, {"SINTERSTORE", "d", "u", "t"}, {"SINTERSTORE", "d", "u", "u"},
            {"SUNIONSTORE", "d", "nokey"}, {"SINTERSTORE", "d", "nokey", "u"}, {"SDIFFSTORE", "e", "u", "t"},
            {"SUNIONSTORE", "e", "u", "t"}, {"SDIFFSTORE", "e", "u", "u"}, {"SPOP", "t"}, {"SPOP", "u", "0"},
            {"SPOP", "u", "1"}, {"SPOP", "u", "5"}, {"SREM", "e", "b", "1", "2"},
            {"SADD", "end", "x"}}; // the last event on both: Redis sending more or others cannot go unseen
        // Redis publishes the events on __keyevent@13__:<event>; Cinnabar's listener records the same
        RespClient sub = pair().redisClient();
        ref = pair().redisClient();
        ref.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
        sub.call("PSUBSCRIBE", "__keyevent@13__:*");
        ref.call("SELECT", "13");
        cand = pair().cinnabarClient();
        cand.call("SELECT", "13");
        EVENTS.clear();
        for (String[] c : script) {
            String want = ref.call(c);
            String got = cand.call(c);
            if (!c[0].equals("SPOP")) { // which member SPOP takes is random
                assertEquals(want, got, String.join(" ", c));
            }
        }
        List<String> want = new ArrayList<>();
        sub.setTimeoutMillis(10_000);
        while (want.size() < EVENTS.size()) {
            List<?> m = (List<?>) Resp.parse(sub.readReply());
            String channel = String.valueOf(m.get(2));
            want.add("13 " + channel.substring(channel.indexOf(':') + 1) + " " + m.get(3));
        }
        ref.call("CONFIG", "SET", "notify-keyspace-events", "");
        assertEquals(want, EVENTS.all());
        assertTrue(want.contains("13 sdiffstore e") && want.contains("13 spop u"), want.toString());
    }

    @Test
    void jedisClient() {
        try (Jedis j = new Jedis("127.0.0.1", pair().cinnabar().port())) {
            j.select(14);
            assertEquals(3L, j.sadd("k", "a", "b", "c"));
            assertEquals(Set.of("a", "b", "c"), j.smembers("k"));
            assertTrue(j.sismember("k", "a"));
            assertEquals(List.of(true, false), j.smismember("k", "b", "z"));
            assertEquals(1L, j.smove("k", "k2", "a"));
            assertEquals(Set.of("b", "c"), j.sunion("k", "nokey"));
            assertEquals(2L, j.sintercard("k", "k"));
        }
    }

    @Test
    void specsMatchRedisCommandInfo() {
        CommandInfoConformance.assertConforms(pair().cinnabar(), CommandInfoConformance.namesOf(new SetsFamily()));
        Differential d = diff(15);
        for (String name : CommandInfoConformance.namesOf(new SetsFamily())) {
            String want = ref.call("COMMAND", "DOCS", name);
            String got = cand.call("COMMAND", "DOCS", name);
            assertEquals(CommandInfoConformance.docsWithoutArguments(Resp.parse(want)),
                    CommandInfoConformance.docsWithoutArguments(Resp.parse(got)), name);
        }
        d.assertSame();
    }

    @Test
    void keyPositionsAndTransactions() {
        Differential d = diff(18);
        d.run("COMMAND GETKEYS SINTERCARD 2 a b LIMIT 1", "COMMAND GETKEYS SINTERCARD 1 a",
                "COMMAND GETKEYS SINTERCARD 3 a",
                "COMMAND GETKEYS SINTERSTORE d a b", "COMMAND GETKEYS SMOVE a b m", "COMMAND GETKEYS SUNION a b c",
                "COMMAND GETKEYS SSCAN a 0", "MULTI", "SADD t 1 2", "SMEMBERS t", "SPOP t 5", "EXEC", "EXISTS t",
                "MULTI", "SINTERCARD 0 t", "EXEC", "MULTI", "SADD t", "EXEC");
        d.assertSame();
    }

    @Test
    void everyCommandIsExercised() {
        SpecCoverage.assertCovered(SpecCoverage.commandWords(new SetsFamily()), Path.of("src/test"));
    }

    /** SADD key with {@code n} members, member {@code i} given by {@code member}. */
    private static String[] sadd(String key, int n, IntFunction<String> member) {
        String[] args = new String[n + 2];
        args[0] = "SADD";
        args[1] = key;
        for (int i = 0; i < n; i++) {
            args[i + 2] = member.apply(i);
        }
        return args;
    }

    /** The bulk strings of an array reply. */
    private static List<String> strings(String raw) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) Resp.parse(raw)) {
            out.add(String.valueOf(o));
        }
        return out;
    }
}
