package io.cinnabar.datatypes.hashes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.CommandInfoConformance;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.KeyspaceEventLog;
import io.cinnabar.testkit.Loop;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.ServerPair;
import io.cinnabar.testkit.ServerPairExtension;
import io.cinnabar.testkit.SpecCoverage;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hash commands against the reference redis-server, byte for byte. Each test works in its own
 * database (SELECT) so tests do not see each other's keys. Listpack hashes keep insertion order on both
 * servers, so their replies compare directly; hashtable replies compare as sets.
 */
class HashesFamilyTest {
    private RespClient ref;
    private RespClient cand;

    /** Every keyspace event Cinnabar emits, as "db event key". */
    private static final KeyspaceEventLog EVENTS = new KeyspaceEventLog();

    @RegisterExtension
    static final ServerPairExtension PAIR = new ServerPairExtension(
            () -> TestServer.builder().family(new HashesFamily()).dataType(new HashDataType()).listener(EVENTS));

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

    /** A string at {@code key} on both servers (the strings plugin is not part of this module). */
    private void stringKey(int db, String key) {
        ref.call("SET", key, "v");
        Loop.run(server(), () -> server().server().db(db).set(b(key), b("v")));
    }

    /** Both servers' config. */
    private void config(String name, String value) {
        assertEquals("+OK\r\n", ref.call("CONFIG", "SET", name, value));
        assertEquals("+OK\r\n", cand.call("CONFIG", "SET", name, value));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The elements of a flat array reply, sorted (hashtable order is unspecified). */
    private static List<String> sortedElements(String reply) {
        List<String> out = new ArrayList<>(Arrays.asList(reply.split("\r\n")));
        String header = out.remove(0);
        List<String> sorted = new ArrayList<>(out);
        sorted.sort(null);
        sorted.add(0, header);
        return sorted;
    }

    /** Compares a reply whose element order is unspecified. */
    private void sameAsSet(String... args) {
        assertEquals(sortedElements(ref.call(args)), sortedElements(cand.call(args)), String.join(" ", args));
    }

    /** HGETALL of a hashtable: field/value pairs in any order. */
    private void sameHgetallAsSet(String key) {
        assertEquals(pairs(ref.call("HGETALL", key)), pairs(cand.call("HGETALL", key)), "HGETALL " + key);
    }

    private static List<String> pairs(String reply) {
        String[] lines = reply.split("\r\n");
        List<String> out = new ArrayList<>();
        out.add(lines[0]);
        List<String> p = new ArrayList<>();
        for (int i = 1; i + 3 < lines.length + 1; i += 4) {
            p.add(lines[i] + lines[i + 1] + "=" + lines[i + 2] + lines[i + 3]);
        }
        p.sort(null);
        out.addAll(p);
        return out;
    }

    @Test
    void hsetAndHgetBasics() {
        Differential d = diff(1);
        d.run("HGET h f", "HSET h f v", "HGET h f", "HSET h f w g x", "HGET h f", "HGET h g", "HGET h nosuch",
                "HSET h f", "HSET h f v g", "HSET h", "HGET h", "HGET h a b", "HLEN h", "HLEN nosuch", "HLEN",
                "HEXISTS h f", "HEXISTS h nosuch", "HEXISTS nosuch f", "HEXISTS h", "TYPE h", "OBJECT ENCODING h",
                "HSET h2 a 1 a 2 a 3", "HGETALL h2", "HLEN h2", "HSET h3 x 1 y 2 z 3 x 4", "HGETALL h3",
                "hset h3 Y 9", "HKEYS h3", "HVALS h3");
        d.cmd("HSET", "e", "", "");
        d.cmd("HGET", "e", "");
        d.cmd("HSET", "sp", "a b", "c\r\nd");
        d.cmd("HGET", "sp", "a b");
        d.cmd("HGETALL", "sp");
        d.assertSame();
    }

    @Test
    void hmsetHsetnxHstrlenAndHmget() {
        Differential d = diff(2);
        d.run("HMSET h a 1 b 2", "HMSET h a", "HMSET h a 1 b", "HMSET h", "HGETALL h", "HSETNX h a 9", "HSETNX h c 3",
                "HSETNX h c", "HSETNX n f v", "HGETALL h", "HGETALL n", "HSTRLEN h a", "HSTRLEN h nosuch",
                "HSTRLEN nosuch a", "HSET h big 12345678901234567890 neg -42", "HSTRLEN h big", "HSTRLEN h neg",
                "HSTRLEN h", "HMGET h a b nosuch c", "HMGET nosuch a b", "HMGET h", "HMGET h a");
        d.assertSame();
    }

    @Test
    void hdelRemovesFieldsAndTheEmptyKey() {
        Differential d = diff(3);
        d.run("HDEL nosuch a", "HSET h a 1 b 2 c 3", "HDEL h nosuch", "HDEL h a a", "HGETALL h", "HDEL h b c d",
                "EXISTS h", "HGETALL h", "HSET h a 1 b 2", "HDEL h a b a", "EXISTS h", "HDEL h", "HDEL",
                "HSET h x 1 y 2 z 3", "HDEL h y", "HKEYS h", "HVALS h", "HSET h y 5", "HGETALL h");
        d.assertSame();
    }

    @Test
    void emptyAndMissingReplies() {
        Differential d = diff(4);
        d.run("HGETALL nosuch", "HKEYS nosuch", "HVALS nosuch", "HMGET nosuch a", "HGET nosuch a",
                "HKEYS", "HVALS a b", "HGETALL a b");
        d.resp3("HGET", "__resp3_probe__", "f");
        d.run("HGETALL nosuch", "HKEYS nosuch", "HVALS nosuch", "HMGET nosuch a", "HGET nosuch a",
                "HSET h a 1 b 2", "HGETALL h", "HKEYS h", "HVALS h", "HMGET h a x", "HGET h x", "HLEN h",
                "HEXISTS h a", "HSTRLEN h a");
        d.assertSame();
    }

    @Test
    void wrongTypeForEveryCommand() {
        Differential d = diff(5);
        stringKey(5, "s");
        d.run("HSET s a 1", "HSET s a", "HMSET s a 1", "HSETNX s a 1", "HGET s a", "HMGET s a", "HDEL s a", "HLEN s",
                "HSTRLEN s a", "HEXISTS s a", "HKEYS s", "HVALS s", "HGETALL s", "HINCRBY s a 1", "HINCRBY s a x",
                "HINCRBYFLOAT s a 1", "HINCRBYFLOAT s a x", "HINCRBYFLOAT s a inf", "HRANDFIELD s", "HRANDFIELD s 1",
                "HRANDFIELD s x", "HRANDFIELD s 1 WITHVALUES", "HRANDFIELD s 1 foo", "HSCAN s 0", "HSCAN s x",
                "HSCAN s 0 COUNT 0", "TYPE s");
        d.assertSame();
    }

    @Test
    void listpackConvertsToHashtableByEntriesAndNeverBack() {
        Differential d = diff(6);
        config("hash-max-listpack-entries", "3");
        try {
            d.run("HSET h a 1 b 2 c 3", "OBJECT ENCODING h", "HGETALL h", "HSET h d 4", "OBJECT ENCODING h",
                    "HDEL h a b c", "OBJECT ENCODING h", "HGETALL h",
                    "HSET dup a 1 a 2 a 3 a 4", "OBJECT ENCODING dup", "HLEN dup",
                    "HSET three a 1 b 2 c 3", "HSETNX three d 4", "OBJECT ENCODING three",
                    "HMSET four a 1 b 2 c 3 d 4", "OBJECT ENCODING four", "HLEN four");
            config("hash-max-listpack-entries", "0");
            d.run("HSET z0 a 1", "OBJECT ENCODING z0", "HSETNX z1 a 1", "OBJECT ENCODING z1", "HINCRBY z2 a 1",
                    "OBJECT ENCODING z2", "HINCRBYFLOAT z3 a 1", "OBJECT ENCODING z3", "HGET z3 a");
            d.assertSame();
            sameAsSet("HKEYS", "four");
            sameAsSet("HVALS", "four");
            sameHgetallAsSet("four");
            assertEquals(ref.call("HMGET", "four", "a", "b", "c", "d", "e"),
                    cand.call("HMGET", "four", "a", "b", "c", "d", "e"));
        } finally {
            config("hash-max-listpack-entries", "512");
        }
    }

    @Test
    void listpackConvertsToHashtableByLength() {
        Differential d = diff(7);
        config("hash-max-listpack-value", "4");
        try {
            d.run("HSET a f 1234", "OBJECT ENCODING a", "HSET a g 12345", "OBJECT ENCODING a",
                    "HSET b fffff 1", "OBJECT ENCODING b", "HSET c f 1", "HSETNX c f 123456", "OBJECT ENCODING c",
                    "HSETNX c g 123456", "OBJECT ENCODING c", "HSET d f 1 g 2", "HSET d f 1 g 23456",
                    "OBJECT ENCODING d", "HDEL d g", "OBJECT ENCODING d", "HGETALL d");
            config("hash-max-listpack-value", "0");
            d.run("HSET z \"\" \"\"", "OBJECT ENCODING z", "HSET z a \"\"", "OBJECT ENCODING z");
            d.assertSame();
        } finally {
            config("hash-max-listpack-value", "64");
        }
    }

    @Test
    void largeHashtableKeepsEveryField() {
        Differential d = diff(8);
        List<String> cmd = new ArrayList<>(List.of("HSET", "big"));
        for (int i = 0; i < 1000; i++) {
            cmd.add("f" + i);
            cmd.add("v" + i);
        }
        d.cmd(cmd.toArray(new String[0]));
        d.run("OBJECT ENCODING big", "HLEN big", "HGET big f999", "HGET big f1000", "HEXISTS big f500",
                "HSTRLEN big f10");
        for (int i = 0; i < 1000; i += 2) {
            d.cmd("HDEL", "big", "f" + i);
        }
        d.run("HLEN big", "HGET big f0", "HGET big f1", "OBJECT ENCODING big");
        d.assertSame();
        sameAsSet("HKEYS", "big");
        sameAsSet("HVALS", "big");
        sameHgetallAsSet("big");
    }

    @Test
    void keyspaceEventsMatchRedis() {
        Differential d = diff(0);
        try (RespClient sub = pair().redisClient()) {
            ref.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            sub.call("PSUBSCRIBE", "__keyevent@0__:*");
            EVENTS.clear();
            d.run(eventScript());
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
            assertTrue(want.size() > 5, "reference events: " + want);
            assertEquals(want, got);
        } finally {
            ref.call("CONFIG", "SET", "notify-keyspace-events", "");
        }
        d.assertSame();
    }

    /** The writes whose keyspace events are compared (overridden lines are added as commands arrive). */
    private static String[] eventScript() {
        return new String[] {"HSET h a 1", "HSET h a 2 b 3", "HMSET h c 4", "HSETNX h a 1", "HSETNX h d 5",
            "HDEL h nosuch", "HDEL h a", "HDEL h b c d", "HDEL h a", "HGET h a", "HGETALL h", "HINCRBY h a 5",
            "HINCRBY h a x", "HSET h s str", "HINCRBY h s 1", "HINCRBYFLOAT h a 1.5", "HINCRBYFLOAT h s 1",
            "HINCRBYFLOAT n f inf", "HINCRBY n f 1", "HDEL n f", "HRANDFIELD nosuch", "HSCAN h 0"};
    }

    @Test
    void hincrbyCountsAndRefusesNonIntegers() {
        Differential d = diff(9);
        d.run("HINCRBY h f 5", "HINCRBY h f -7", "HGET h f", "HINCRBY h f x", "HINCRBY h f 1.5", "HINCRBY h f",
                "HINCRBY h g 9223372036854775807", "HINCRBY h g 1", "HINCRBY h g 0", "HGET h g",
                "HINCRBY h m -9223372036854775808", "HINCRBY h m -1", "HINCRBY h m 9223372036854775807",
                "HINCRBY h m 9223372036854775808", "HSET h s abc sp \" 1\" plus +1 z 007 e \"\"",
                "HINCRBY h s 1", "HINCRBY h sp 1", "HINCRBY h plus 1", "HINCRBY h z 1", "HINCRBY h e 1", "HGETALL h",
                "HINCRBY n f x", "EXISTS n", "HSET big f 1", "OBJECT ENCODING big");
        d.resp3("HGET", "__resp3_probe__", "f");
        d.run("HINCRBY h f 1", "HINCRBY h s 1");
        d.assertSame();
    }

    @Test
    void hincrbyfloatUsesLongDoubleArithmetic() {
        Differential d = diff(10);
        d.run("HINCRBYFLOAT h f 10.5", "HINCRBYFLOAT h f 0.1", "HINCRBYFLOAT h f -5", "HINCRBYFLOAT h f 3.0e3",
                "HGET h f", "HINCRBYFLOAT h i 1", "HSET h n 5", "HINCRBYFLOAT h n 0.25", "HINCRBYFLOAT h g 0x10",
                "HINCRBYFLOAT h g 1e-20", "HINCRBYFLOAT h g -1e-20", "HINCRBYFLOAT h x abc", "HINCRBYFLOAT h x inf",
                "HINCRBYFLOAT h x -inf", "HINCRBYFLOAT h x nan", "HINCRBYFLOAT h x \"\"", "HINCRBYFLOAT h x \" 1\"",
                "HSET h s abc inf inf e \"\"", "HINCRBYFLOAT h s 1", "HINCRBYFLOAT h inf 1", "HINCRBYFLOAT h e 1",
                "HINCRBYFLOAT h big 1e4000", "HINCRBYFLOAT h big 1e4000", "HINCRBYFLOAT h big 1e900",
                "HINCRBYFLOAT h huge 1.18e4932", "HINCRBYFLOAT h huge 1.18e4932", "HGET h huge",
                "HINCRBYFLOAT h tiny 1.5e-4950", "HINCRBYFLOAT h p 3.14159265358979323846", "HINCRBYFLOAT h",
                "HLEN h", "HINCRBYFLOAT n f x", "EXISTS n", "HINCRBYFLOAT n f inf", "EXISTS n");
        sameHgetallAsSet("h");
        d.resp3("HGET", "__resp3_probe__", "f");
        d.run("HINCRBYFLOAT h f 1.5", "HINCRBYFLOAT h s 1");
        d.assertSame();
    }

    @Test
    void hincrbyConvertsLongResults() {
        Differential d = diff(11);
        config("hash-max-listpack-value", "3");
        try {
            d.run("HSET h f 99", "HINCRBY h f 1", "OBJECT ENCODING h", "HSET g f 1", "HINCRBYFLOAT g f 0.5",
                    "OBJECT ENCODING g", "HINCRBYFLOAT g f 0.25", "OBJECT ENCODING g", "HINCRBY k long 1",
                    "OBJECT ENCODING k");
            d.assertSame();
        } finally {
            config("hash-max-listpack-value", "64");
        }
    }

    @Test
    void hrandfieldErrorsAndEmptyReplies() {
        Differential d = diff(12);
        d.run("HRANDFIELD nosuch", "HRANDFIELD nosuch 5", "HRANDFIELD nosuch -5 WITHVALUES", "HRANDFIELD nosuch 0",
                "HSET h a 1", "HRANDFIELD h", "HRANDFIELD h 0", "HRANDFIELD h 0 WITHVALUES", "HRANDFIELD h 1",
                "HRANDFIELD h 1 WITHVALUES", "HRANDFIELD h -1 WITHVALUES", "HRANDFIELD h -3", "HRANDFIELD h 5 withvalues",
                "HRANDFIELD h x", "HRANDFIELD h 1.5", "HRANDFIELD h 1 foo", "HRANDFIELD h 1 WITHVALUES x",
                "HRANDFIELD h -9223372036854775808", "HRANDFIELD h -9223372036854775808 WITHVALUES",
                "HRANDFIELD h 4611686018427387904 WITHVALUES", "HRANDFIELD h -4611686018427387904 WITHVALUES",
                "HRANDFIELD h x foo", "HRANDFIELD nosuch 1 foo");
        d.resp3("HGET", "__resp3_probe__", "f");
        d.run("HRANDFIELD nosuch", "HRANDFIELD nosuch 5", "HRANDFIELD h", "HRANDFIELD h 1", "HRANDFIELD h 1 WITHVALUES",
                "HRANDFIELD h -2 WITHVALUES", "HRANDFIELD h 3 WITHVALUES", "HRANDFIELD h 0 WITHVALUES");
        d.assertSame();
    }

    @Test
    void hrandfieldCountsByProperty() {
        Differential d = diff(13);
        d.cmd(fields("small", 20));
        d.cmd(fields("large", 600));
        d.run("OBJECT ENCODING small", "OBJECT ENCODING large");
        d.assertSame();
        for (String key : new String[] {"small", "large"}) {
            int size = key.equals("small") ? 20 : 600;
            for (int count : new int[] {1, 5, 19, 100, 150, 199, 201, 599, 600, 1000}) {
                List<String> got = bulks(cand.call("HRANDFIELD", key, String.valueOf(count)));
                assertEquals(Math.min(count, size), got.size(), key + " " + count);
                assertEquals(got.size(), new java.util.HashSet<>(got).size(), "distinct " + key + " " + count);
                got.forEach(f -> assertTrue(f.matches("f\\d+") && Integer.parseInt(f.substring(1)) < size, f));
                List<String> pairs = bulks(cand.call("HRANDFIELD", key, String.valueOf(count), "WITHVALUES"));
                assertEquals(2 * Math.min(count, size), pairs.size());
                for (int i = 0; i < pairs.size(); i += 2) {
                    assertEquals("v" + pairs.get(i).substring(1), pairs.get(i + 1));
                }
            }
            List<String> repeated = bulks(cand.call("HRANDFIELD", key, "-500"));
            assertEquals(500, repeated.size());
            assertTrue(new java.util.HashSet<>(repeated).size() <= size);
            String one = bulks(cand.call("HRANDFIELD", key)).get(0);
            assertTrue(one.matches("f\\d+"), one);
            Loop.useResp3(server());
        }
        cand.call("HELLO", "3");
        String nested = cand.call("HRANDFIELD", "small", "-3", "WITHVALUES");
        assertTrue(nested.startsWith("*3\r\n*2\r\n$"), nested);
        String distinct = cand.call("HRANDFIELD", "large", "2", "WITHVALUES");
        assertTrue(distinct.startsWith("*2\r\n*2\r\n$"), distinct);
    }

    /** HSET key f0 v0 ... f(n-1) v(n-1). */
    private static String[] fields(String key, int n) {
        List<String> cmd = new ArrayList<>(List.of("HSET", key));
        for (int i = 0; i < n; i++) {
            cmd.add("f" + i);
            cmd.add("v" + i);
        }
        return cmd.toArray(new String[0]);
    }

    /** The bulk strings of a flat array reply. */
    private static List<String> bulks(String reply) {
        List<String> out = new ArrayList<>();
        String[] lines = reply.split("\r\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("$")) {
                out.add(lines[++i]);
            }
        }
        return out;
    }

    @Test
    void hscanListpackReturnsEverythingAtOnce() {
        Differential d = diff(14);
        d.run("HSCAN nosuch 0", "HSCAN nosuch 0 foo", "HSCAN nosuch x", "HSET h a 1 b 2 ab 3 c 4", "HSCAN h 0",
                "HSCAN h 123", "HSCAN h 0 MATCH a*", "HSCAN h 0 match *b COUNT 1", "HSCAN h 0 COUNT 100 MATCH *",
                "HSCAN h 0 COUNT 0", "HSCAN h 0 COUNT -1", "HSCAN h 0 COUNT x", "HSCAN h 0 NOVALUES",
                "HSCAN h 0 TYPE string", "HSCAN h 0 MATCH", "HSCAN h 0 COUNT", "HSCAN h -1", "HSCAN h 18446744073709551615",
                "HSCAN h 18446744073709551616", "HSCAN h \" 1\"", "HSCAN h 1x", "HSCAN h", "HSCAN h 0 MATCH x*");
        d.resp3("HGET", "__resp3_probe__", "f");
        d.run("HSCAN nosuch 0", "HSCAN h 0", "HSCAN h 0 MATCH a*");
        d.assertSame();
    }

    @Test
    void hscanHashtableVisitsEveryFieldAcrossResizes() {
        Differential d = diff(15);
        d.cmd(fields("h", 700));
        d.run("OBJECT ENCODING h");
        d.assertSame();
        java.util.Set<String> seen = new java.util.HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            String[] lines = cand.call("HSCAN", "h", cursor, "COUNT", "20").split("\r\n");
            cursor = lines[2];
            List<String> items = bulks(String.join("\r\n", java.util.Arrays.copyOfRange(lines, 3, lines.length)));
            assertEquals(0, items.size() % 2);
            for (int i = 0; i < items.size(); i += 2) {
                assertEquals("v" + items.get(i).substring(1), items.get(i + 1));
                seen.add(items.get(i));
            }
            if (calls == 3) {
                cand.call(fields("h", 2000)); // grows the table mid-scan
            }
            if (calls == 10) {
                for (int i = 1000; i < 2000; i++) {
                    cand.call("HDEL", "h", "f" + i); // and shrinks it
                }
            }
            calls++;
        } while (!cursor.equals("0") && calls < 10_000);
        assertTrue(calls > 5, "a hashtable scan takes several calls: " + calls);
        for (int i = 0; i < 700; i++) {
            assertTrue(seen.contains("f" + i), "f" + i + " never returned");
        }
        List<String> matched = scanItems(cand.call("HSCAN", "h", "0", "MATCH", "f1*", "COUNT", "100000"));
        assertTrue(matched.size() > 2);
        for (int i = 0; i < matched.size(); i += 2) {
            assertTrue(matched.get(i).startsWith("f1"), matched.get(i));
        }
        assertEquals(2 * 1000, scanItems(cand.call("HSCAN", "h", "0", "COUNT", "100000")).size());
    }

    /** The fields and values of an HSCAN reply (without its cursor). */
    private static List<String> scanItems(String reply) {
        List<String> all = bulks(reply);
        return all.subList(1, all.size());
    }

    @Test
    void writesKeepTheTtlAndCopiesAreIndependent() {
        Differential d = diff(16);
        d.run("HSET h a 1 b 2", "EXPIRE h 1000", "HSET h c 3", "HINCRBY h a 1", "HINCRBYFLOAT h b 1.5", "HSETNX h d 4",
                "HDEL h d", "TTL h", "COPY h c", "HSET h a 9", "HGETALL c", "HGETALL h", "TTL c", "HDEL h a b c",
                "EXISTS h", "TTL h", "HSET h x 1", "TTL h", "RENAME c r", "HGETALL r", "OBJECT ENCODING r");
        d.cmd(fields("big", 600));
        d.run("COPY big big2", "HDEL big f1", "HLEN big", "HLEN big2", "OBJECT ENCODING big2", "HGET big2 f1",
                "HGET big f1");
        d.assertSame();
    }

    @Test
    void listpackOverwritesAndDeletesKeepRedisOrderAndDump() {
        Differential d = diff(12);
        d.run("HSET lp a 1 bb 22 ccc 333 dddd 4444", "HSET lp bb 2", "HGETALL lp", "HSET lp bb 2222222", "HGETALL lp",
                "HSET lp a xyz dddd \"\"", "HGETALL lp", "DUMP lp", "HDEL lp ccc", "HGETALL lp", "HDEL lp a", "HGETALL lp",
                "HDEL lp dddd nosuch", "HGETALL lp", "HSTRLEN lp bb", "HSET lp a 1 a 22 e 5 a 333", "HGETALL lp",
                "HMGET lp a bb e zz", "HLEN lp", "DUMP lp", "HDEL lp a bb e", "EXISTS lp");
        d.assertSame();
    }

    @Test
    void listpackHoldsFieldsAndValuesOfAnyLength() {
        Differential d = diff(12);
        config("hash-max-listpack-value", "100000");
        try {
            String l127 = "x".repeat(127);
            String l128 = "y".repeat(128);
            String l300 = "z".repeat(300);
            d.cmd("HSET", "long", l128, "short", "s", l300, l127, l128, "k", "w".repeat(70_000));
            d.run("OBJECT ENCODING long", "HGETALL long", "HSTRLEN long k", "DUMP long");
            d.cmd("HGET", "long", l128);
            d.cmd("HSET", "long", l128, l300);
            d.cmd("HSET", "long", "s", "1");
            d.cmd("HSET", "long", "k", l127);
            d.run("HGETALL long", "DUMP long");
            d.cmd("HDEL", "long", l127);
            d.cmd("HEXISTS", "long", l127);
            d.cmd("HSTRLEN", "long", l128);
            d.run("HGETALL long", "HLEN long", "OBJECT ENCODING long", "DUMP long");
            d.assertSame();
        } finally {
            config("hash-max-listpack-value", "64");
        }
    }

    @Test
    void hashtableEntriesWithLongFieldsAndOverwrites() {
        Differential d = diff(12);
        d.cmd(fields("ht", 600));
        String longField = "f".repeat(200);
        d.cmd("HSET", "ht", longField, "v");
        d.cmd("HGET", "ht", longField);
        d.run("HSET ht f1 v1", "HSET ht f2 a-much-longer-value", "HSET ht f3 \"\"", "HGET ht f1", "HGET ht f2",
                "HGET ht f3", "HSTRLEN ht f2", "HMGET ht f1 f2 f3 nosuch", "OBJECT ENCODING ht");
        d.cmd("HSET", "ht", longField, "x".repeat(300));
        d.cmd("HSTRLEN", "ht", longField);
        d.cmd("HDEL", "ht", longField, "f0", "f599");
        d.cmd("HEXISTS", "ht", longField);
        d.run("HLEN ht", "HGET ht f598", "HGET ht f1");
        d.assertSame();
        sameHgetallAsSet("ht");
    }

    /** Past one page of the table's arrays (16384 entries): growth, lookups, scans and shrinking across pages. */
    @Test
    void hashtableOfManyPagesGrowsScansAndShrinks() {
        Differential d = diff(12);
        for (int start = 0; start < 40_000; start += 1000) {
            List<String> cmd = new ArrayList<>(List.of("HSET", "pages"));
            for (int i = start; i < start + 1000; i++) {
                cmd.add("field:" + i);
                cmd.add("v" + i);
            }
            d.cmd(cmd.toArray(new String[0]));
        }
        d.run("HLEN pages", "HGET pages field:0", "HGET pages field:16383", "HGET pages field:16384",
                "HGET pages field:39999", "HGET pages field:40000", "HSTRLEN pages field:32768", "COPY pages copied");
        assertEquals(80_000, scanItems(cand.call("HSCAN", "pages", "0", "COUNT", "1000000")).size());
        for (int start = 0; start < 39_000; start += 1000) {
            List<String> cmd = new ArrayList<>(List.of("HDEL", "pages"));
            for (int i = start; i < start + 1000; i++) {
                cmd.add("field:" + (i * 7 % 40_000));
            }
            d.cmd(cmd.toArray(new String[0]));
        }
        d.run("HLEN pages", "HGET pages field:1", "HGET pages field:39998", "HEXISTS pages field:7", "HLEN copied",
                "HGET copied field:7", "HSET copied field:7 changed", "HGET copied field:7", "HEXISTS pages field:7");
        d.assertSame();
        sameHgetallAsSet("pages");
    }

    /** A hashtable's RDB form restored where it fits a listpack loads packed, in the payload's order. */
    @Test
    void hashtablePayloadRestoresAsListpackInItsOrder() {
        Differential d = diff(12);
        d.cmd(fields("tbl", 600));
        String dump = ref.call("DUMP", "tbl");
        byte[] payload = dump.substring(dump.indexOf("\r\n") + 2, dump.length() - 2).getBytes(StandardCharsets.ISO_8859_1);
        config("hash-max-listpack-entries", "1000");
        try {
            for (RespClient c : List.of(ref, cand)) {
                assertEquals("+OK\r\n", c.callBytes(b("RESTORE"), b("packed"), b("0"), payload));
            }
            d.run("OBJECT ENCODING packed", "HLEN packed", "HGETALL packed", "HGET packed f599", "DUMP packed",
                    "HSET packed f0 changed extra 1", "HDEL packed f1", "HGETALL packed", "DUMP packed");
            d.assertSame();
        } finally {
            config("hash-max-listpack-entries", "512");
        }
    }

    /** Random writes over both encodings: each reply compared, then the whole content. */
    @Test
    void randomWritesAndDeletesMatchRedis() {
        Differential d = diff(12);
        d.cmd(fields("rnd-big", 600));
        java.util.Random rnd = new java.util.Random(20261125);
        for (int i = 0; i < 4000; i++) {
            String key = i % 2 == 0 ? "rnd-small" : "rnd-big";
            int pool = key.equals("rnd-small") ? 40 : 700;
            String field = "f" + rnd.nextInt(pool);
            switch (rnd.nextInt(6)) {
                case 0, 1 -> d.cmd("HSET", key, field, "v".repeat(rnd.nextInt(20)), "f" + rnd.nextInt(pool), "w" + i);
                case 2 -> d.cmd("HDEL", key, field, "f" + rnd.nextInt(pool));
                case 3 -> d.cmd("HGET", key, field);
                case 4 -> d.cmd("HSTRLEN", key, field);
                default -> d.cmd("HINCRBY", key, "n" + rnd.nextInt(5), "3");
            }
            if (i % 500 == 0) {
                d.run("HLEN rnd-small", "HLEN rnd-big", "HGETALL rnd-small", "OBJECT ENCODING rnd-small", "OBJECT ENCODING rnd-big");
            }
        }
        d.run("HLEN rnd-small", "HLEN rnd-big", "HGETALL rnd-small", "DUMP rnd-small");
        d.assertSame();
        sameHgetallAsSet("rnd-big");
    }

    @Test
    void commandInfoMatchesRedis() {
        CommandInfoConformance.assertConforms(server(), CommandInfoConformance.namesOf(new HashesFamily()));
    }

    @Test
    void everyCommandIsExercised() {
        SpecCoverage.assertCovered(SpecCoverage.commandWords(new HashesFamily()), Path.of("src/test"));
    }
}
