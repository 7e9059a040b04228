package io.cinnabar.datatypes.hashes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.KeyspaceEventLog;
import io.cinnabar.testkit.Loop;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis 7.4's hash field expiry (HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT, HTTL, HPTTL, HEXPIRETIME,
 * HPEXPIRETIME, HPERSIST). The reference Redis 7.2 lacks these commands, so replies are asserted exactly as
 * Redis 7.4 documents and answers them. The shared server has no active sweep (lazy expiry alone); the sweep
 * is tested on a server of its own. Expiry is awaited by polling with a deadline.
 */
class HashFieldExpiryTest {
    private static final KeyspaceEventLog EVENTS = new KeyspaceEventLog();
    private static TestServer server;
    private RespClient c;

    @BeforeAll
    static void startServer() {
        server = TestServer.builder().family(new HashesFamily()).dataType(new HashDataType()).listener(EVENTS).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void connect() {
        c = server.client();
        assertEquals("+OK\r\n", c.call("FLUSHALL"));
        EVENTS.clear();
    }

    @AfterEach
    void disconnect() {
        c.close();
    }

    private static String ints(long... values) {
        StringBuilder sb = new StringBuilder("*").append(values.length).append("\r\n");
        for (long v : values) {
            sb.append(':').append(v).append("\r\n");
        }
        return sb.toString();
    }

    private static String err(String text) {
        return "-" + text + "\r\n";
    }

    /** Waits (bounded) until {@code condition} holds. */
    private static void await(Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.get()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached in time");
            Thread.onSpinWait();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void hexpireRepliesPerField() {
        c.call("HSET", "h", "f1", "v1", "f2", "v2");
        assertEquals(ints(1, -2), c.call("HEXPIRE", "h", "100", "FIELDS", "2", "f1", "nope"));
        assertEquals(ints(100, -1, -2), c.call("HTTL", "h", "FIELDS", "3", "f1", "f2", "nope"));
        String pttl = c.call("HPTTL", "h", "FIELDS", "1", "f1");
        long ms = Long.parseLong(pttl.substring(pttl.indexOf(':') + 1, pttl.indexOf("\r\n", 5)));
        assertTrue(ms > 99_000 && ms <= 100_000, pttl);
        assertEquals(ints(-2, -2), c.call("HEXPIRE", "missing", "100", "FIELDS", "2", "a", "b"));
        assertEquals(ints(-2), c.call("HTTL", "missing", "FIELDS", "1", "a"));
        assertEquals(ints(-2), c.call("HPERSIST", "missing", "FIELDS", "1", "a"));
    }

    @Test
    void hpexpireAndAbsoluteVariantsSetTheSameDeadline() {
        c.call("HSET", "h", "a", "1", "b", "2", "c", "3");
        assertEquals(ints(1), c.call("HPEXPIREAT", "h", "4000000000123", "FIELDS", "1", "a"));
        assertEquals(ints(4000000000123L), c.call("HPEXPIRETIME", "h", "FIELDS", "1", "a"));
        assertEquals(ints(4000000001L), c.call("HEXPIRETIME", "h", "FIELDS", "1", "a"));
        assertEquals(ints(1), c.call("HEXPIREAT", "h", "4000000000", "FIELDS", "1", "b"));
        assertEquals(ints(4000000000000L, -1), c.call("HPEXPIRETIME", "h", "FIELDS", "2", "b", "c"));
        assertEquals(ints(1), c.call("HPEXPIRE", "h", "50000", "FIELDS", "1", "c"));
        assertEquals(ints(50), c.call("HTTL", "h", "FIELDS", "1", "c"));
    }

    @Test
    void conditionsNxXxGtLt() {
        c.call("HSET", "h", "t", "1", "p", "2");
        c.call("HEXPIRE", "h", "100", "FIELDS", "1", "t");
        assertEquals(ints(0, 1), c.call("HEXPIRE", "h", "200", "NX", "FIELDS", "2", "t", "p"));
        c.call("HPERSIST", "h", "FIELDS", "1", "p");
        assertEquals(ints(1, 0), c.call("HEXPIRE", "h", "300", "xx", "FIELDS", "2", "t", "p"));
        assertEquals(ints(0, 0), c.call("HEXPIRE", "h", "200", "GT", "FIELDS", "2", "t", "p"));
        assertEquals(ints(1), c.call("HEXPIRE", "h", "400", "GT", "FIELDS", "1", "t"));
        assertEquals(ints(0), c.call("HEXPIRE", "h", "500", "LT", "FIELDS", "1", "t"));
        assertEquals(ints(1, 1), c.call("HEXPIRE", "h", "150", "LT", "FIELDS", "2", "t", "p"));
        assertEquals(ints(150, 150), c.call("HTTL", "h", "FIELDS", "2", "t", "p"));
    }

    @Test
    void pastOrZeroTimeDeletesTheFieldAndTheEmptiedHash() {
        c.call("HSET", "h", "a", "1", "b", "2");
        assertEquals(ints(2, -2), c.call("HEXPIRE", "h", "0", "FIELDS", "2", "a", "zz"));
        assertEquals("*2\r\n$1\r\nb\r\n$1\r\n2\r\n", c.call("HGETALL", "h"));
        assertEquals(ints(2), c.call("HPEXPIREAT", "h", "1", "FIELDS", "1", "b"));
        assertEquals(":0\r\n", c.call("EXISTS", "h"));
        assertEquals(List.of("0 hset h", "0 hdel h", "0 hdel h", "0 del h"), EVENTS.all());
    }

    @Test
    void hpersistRemovesTheTtl() {
        c.call("HSET", "h", "a", "1", "b", "2");
        c.call("HEXPIRE", "h", "100", "FIELDS", "1", "a");
        EVENTS.clear();
        assertEquals(ints(1, -1, -2), c.call("HPERSIST", "h", "FIELDS", "3", "a", "b", "c"));
        assertEquals(ints(-1, -1), c.call("HTTL", "h", "FIELDS", "2", "a", "b"));
        assertEquals(ints(-1), c.call("HPERSIST", "h", "FIELDS", "1", "a"));
        assertEquals(List.of("0 hpersist h"), EVENTS.all());
    }

    @Test
    void hexpireEmitsHexpireEvent() {
        c.call("HSET", "h", "a", "1");
        EVENTS.clear();
        c.call("HEXPIRE", "h", "100", "FIELDS", "1", "a");
        c.call("HEXPIRE", "h", "100", "NX", "FIELDS", "1", "a");
        assertEquals(List.of("0 hexpire h"), EVENTS.all());
    }

    @Test
    void argumentErrors() {
        c.call("HSET", "h", "a", "1");
        assertEquals(err("ERR Parameter `numFields` should be greater than 0"),
                c.call("HEXPIRE", "h", "10", "FIELDS", "0", "a"));
        assertEquals(err("ERR Parameter `numFields` should be greater than 0"),
                c.call("HEXPIRE", "h", "10", "FIELDS", "x", "a"));
        assertEquals(err("ERR The `numfields` parameter must match the number of arguments"),
                c.call("HEXPIRE", "h", "10", "FIELDS", "2", "a"));
        assertEquals(err("ERR The `numfields` parameter must match the number of arguments"),
                c.call("HTTL", "h", "FIELDS", "1", "a", "b"));
        assertEquals(err("ERR Mandatory argument FIELDS is missing or not at the right position"),
                c.call("HEXPIRE", "h", "10", "XY", "1", "a"));
        assertEquals(err("ERR Mandatory argument FIELDS is missing or not at the right position"),
                c.call("HPERSIST", "h", "FIELD", "1", "a"));
        assertEquals(err("ERR value is not an integer or out of range"),
                c.call("HEXPIRE", "h", "ten", "FIELDS", "1", "a"));
        assertEquals(err("ERR invalid expire time, must be >= 0"),
                c.call("HPEXPIRE", "h", "-1", "FIELDS", "1", "a"));
        assertEquals(err("ERR invalid expire time in 'hexpire' command"),
                c.call("HEXPIRE", "h", "70368744178", "FIELDS", "1", "a"));
        assertEquals(err("ERR invalid expire time in 'hpexpireat' command"),
                c.call("HPEXPIREAT", "h", "70368744177664", "FIELDS", "1", "a"));
        assertEquals(ints(1), c.call("HPEXPIREAT", "h", "70368744177663", "FIELDS", "1", "a"));
        assertEquals(err("ERR wrong number of arguments for 'hexpire' command"),
                c.call("HEXPIRE", "h", "10", "FIELDS", "1"));
        assertEquals(err("ERR wrong number of arguments for 'httl' command"), c.call("HTTL", "h", "FIELDS", "1"));
        c.call("HSET", "h2", "a", "1");
        EVENTS.clear();
        c.call("HEXPIRETIME", "h2", "FIELDS", "1", "a");
        assertEquals(List.of(), EVENTS.all());
    }

    @Test
    void wrongTypeComesFirst() {
        Loop.run(server, () -> server.server().db(0).set(b("s"), b("v")));
        String wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
        assertEquals(wrongType, c.call("HEXPIRE", "s", "x", "FIELDS", "1", "a"));
        assertEquals(wrongType, c.call("HPTTL", "s", "FIELDS", "1", "a"));
        assertEquals(wrongType, c.call("HPERSIST", "s", "FIELDS", "1", "a"));
    }

    @Test
    void expiredFieldsAreInvisibleToEveryHashCommand() {
        c.call("HSET", "h", "gone", "1", "kept", "2");
        assertEquals(ints(1), c.call("HPEXPIRE", "h", "20", "FIELDS", "1", "gone"));
        await(() -> c.call("HGET", "h", "gone").equals("$-1\r\n"));
        assertEquals(":1\r\n", c.call("HLEN", "h"));
        assertEquals(":0\r\n", c.call("HEXISTS", "h", "gone"));
        assertEquals("*2\r\n$4\r\nkept\r\n$1\r\n2\r\n", c.call("HGETALL", "h"));
        assertEquals("*1\r\n$4\r\nkept\r\n", c.call("HKEYS", "h"));
        assertEquals(ints(-2, -1), c.call("HTTL", "h", "FIELDS", "2", "gone", "kept"));
        assertEquals("*2\r\n$1\r\n0\r\n*2\r\n$4\r\nkept\r\n$1\r\n2\r\n", c.call("HSCAN", "h", "0"));
        assertEquals(List.of("0 hset h", "0 hexpire h", "0 hexpired h"), EVENTS.all());
    }

    @Test
    void lastFieldExpiringDeletesTheHash() {
        c.call("HSET", "h", "a", "1");
        c.call("HPEXPIRE", "h", "20", "FIELDS", "1", "a");
        await(() -> c.call("HLEN", "h").equals(":0\r\n"));
        assertEquals(":0\r\n", c.call("EXISTS", "h"));
        assertEquals(List.of("0 hset h", "0 hexpire h", "0 hexpired h", "0 del h"), EVENTS.all());
    }

    @Test
    void hsetClearsTheTtlAndHincrbyKeepsIt() {
        c.call("HSET", "h", "a", "1", "b", "2");
        c.call("HEXPIRE", "h", "100", "FIELDS", "2", "a", "b");
        assertEquals(":0\r\n", c.call("HSET", "h", "a", "9"));
        assertEquals(":3\r\n", c.call("HINCRBY", "h", "b", "1"));
        assertEquals(ints(-1, 100), c.call("HTTL", "h", "FIELDS", "2", "a", "b"));
        assertEquals(":1\r\n", c.call("HDEL", "h", "b"));
        assertEquals(":1\r\n", c.call("HSET", "h", "b", "new"));
        assertEquals(ints(-1), c.call("HTTL", "h", "FIELDS", "1", "b"));
    }

    @Test
    void expiredFieldIsWrittenAsANewField() {
        c.call("HSET", "h", "n", "5", "s", "x", "keep", "1");
        c.call("HPEXPIRE", "h", "20", "FIELDS", "2", "n", "s");
        await(() -> c.call("HEXISTS", "h", "n").equals(":0\r\n"));
        assertEquals(":2\r\n", c.call("HINCRBY", "h", "n", "2"));
        assertEquals(":1\r\n", c.call("HSETNX", "h", "s", "y"));
        assertEquals(ints(-1, -1), c.call("HTTL", "h", "FIELDS", "2", "n", "s"));
        assertEquals("$1\r\ny\r\n", c.call("HGET", "h", "s"));
    }

    @Test
    void fieldExpiryCommandsTouchWatchedKeys() {
        c.call("HSET", "h", "a", "1");
        try (RespClient other = server.client()) {
            assertEquals("+OK\r\n", c.call("WATCH", "h"));
            other.call("HEXPIRE", "h", "100", "FIELDS", "1", "a");
            c.call("MULTI");
            c.call("HGET", "h", "a");
            assertEquals("*-1\r\n", c.call("EXEC"));
            assertEquals("+OK\r\n", c.call("WATCH", "h"));
            other.call("HTTL", "h", "FIELDS", "1", "a");
            other.call("HPERSIST", "h", "FIELDS", "1", "nope");
            c.call("MULTI");
            c.call("HGET", "h", "a");
            assertEquals("*1\r\n$1\r\n1\r\n", c.call("EXEC"));
        }
    }

    @Test
    void fieldTtlsSurviveCopyAndRename() {
        c.call("HSET", "h", "a", "1", "b", "2");
        c.call("HPEXPIRE", "h", "30", "FIELDS", "1", "a");
        c.call("HEXPIRE", "h", "100", "FIELDS", "1", "b");
        assertEquals(":1\r\n", c.call("COPY", "h", "copy"));
        assertEquals("+OK\r\n", c.call("RENAME", "h", "moved"));
        assertEquals(ints(100), c.call("HTTL", "copy", "FIELDS", "1", "b"));
        assertEquals(ints(1), c.call("HPERSIST", "copy", "FIELDS", "1", "b"));
        assertEquals(ints(100), c.call("HTTL", "moved", "FIELDS", "1", "b"));
        await(() -> c.call("HLEN", "moved").equals(":1\r\n") && c.call("HLEN", "copy").equals(":1\r\n"));
        assertEquals("*1\r\n$1\r\nb\r\n", c.call("HKEYS", "copy"));
    }

    /** {@code prefix0 .. prefix(n-1)} after the command words, e.g. for HSET with values or FIELDS lists. */
    private static String[] fields(int n, String prefix, boolean withValues, String... words) {
        String[] a = java.util.Arrays.copyOf(words, words.length + (withValues ? 2 : 1) * n);
        for (int i = 0, at = words.length; i < n; i++) {
            a[at++] = prefix + i;
            if (withValues) {
                a[at++] = "v" + i;
            }
        }
        return a;
    }

    /**
     * A field's TTL stays with it while other fields leave: a listpack closes the gap, a hashtable moves its
     * last field into the hole; and when the listpack becomes a hashtable.
     */
    @Test
    void ttlsStayWithTheirFieldsWhenOthersLeaveOrTheEncodingChanges() {
        c.call(fields(10, "f", true, "HSET", "small"));
        c.call(fields(600, "f", true, "HSET", "big"));
        assertEquals("$9\r\nhashtable\r\n", c.call("OBJECT", "ENCODING", "big"));
        for (String key : new String[] {"small", "big"}) {
            int n = key.equals("small") ? 10 : 600;
            for (int i = 1; i < n; i += 2) {
                assertEquals(ints(1), c.call("HEXPIRE", key, String.valueOf(1000 + i), "FIELDS", "1", "f" + i));
            }
            for (int i = 0; i < n; i += 2) {
                assertEquals(":1\r\n", c.call("HDEL", key, "f" + i));
            }
            for (int i = 1; i < n; i += 2) {
                assertEquals(ints(1000 + i), c.call("HTTL", key, "FIELDS", "1", "f" + i), key + " f" + i);
            }
        }
        c.call(fields(600, "new", true, "HSET", "small"));
        assertEquals("$9\r\nhashtable\r\n", c.call("OBJECT", "ENCODING", "small"));
        assertEquals(ints(1001, 1009, -1), c.call("HTTL", "small", "FIELDS", "3", "f1", "f9", "new5"));
        c.call("HSET", "h", "a", "1", "b", "2");
        c.call("HEXPIRE", "h", "100", "FIELDS", "1", "b");
        c.call("HSET", "h", "long", "x".repeat(100));
        assertEquals("$9\r\nhashtable\r\n", c.call("OBJECT", "ENCODING", "h"));
        assertEquals(ints(-1, 100, -1), c.call("HTTL", "h", "FIELDS", "3", "a", "b", "long"));
    }

    /** In a big hash the due fields go, all at once on the next access, and the others keep their TTLs. */
    @Test
    void dueFieldsOfABigHashExpireAndTheOthersKeepTheirTtls() {
        c.call(fields(1000, "f", true, "HSET", "big"));
        String[] later = new String[5 + 400];
        System.arraycopy(new String[] {"HEXPIRE", "big", "3600", "FIELDS", "400"}, 0, later, 0, 5);
        for (int i = 0; i < 400; i++) {
            later[5 + i] = "f" + (500 + i);
        }
        c.call(later);
        c.call(fields(500, "f", false, "HPEXPIRE", "big", "20", "FIELDS", "500"));
        await(() -> c.call("HLEN", "big").equals(":500\r\n"));
        assertEquals(ints(-2, -2, 3600, 3600, -1), c.call("HTTL", "big", "FIELDS", "5", "f0", "f499", "f500", "f899", "f900"));
        assertEquals(List.of("0 hset big", "0 hexpire big", "0 hexpire big", "0 hexpired big"), EVENTS.all());
    }

    /** DUMP and RESTORE keep every field's deadline, for a listpackex and for a hashtable. */
    @Test
    void dumpAndRestoreKeepFieldDeadlines() {
        c.call(fields(8, "f", true, "HSET", "small"));
        c.call(fields(600, "f", true, "HSET", "big"));
        for (String key : new String[] {"small", "big"}) {
            int n = key.equals("small") ? 8 : 600;
            for (int i = 0; i < n; i += 3) {
                c.call("HPEXPIREAT", key, String.valueOf(4_000_000_000_000L + 7 * i), "FIELDS", "1", "f" + i);
            }
            String dump = c.call("DUMP", key);
            byte[] payload = b(dump.substring(dump.indexOf("\r\n") + 2, dump.length() - 2));
            assertEquals("+OK\r\n", c.callBytes(b("RESTORE"), b(key + "2"), b("0"), payload));
            String[] times = fields(n, "f", false, "HPEXPIRETIME", key, "FIELDS", String.valueOf(n));
            String want = c.call(times);
            times[1] = key + "2";
            assertEquals(want, c.call(times), key);
            assertTrue(want.contains(":4000000000021\r\n") && want.contains(":-1\r\n"), want);
        }
        assertEquals("$10\r\nlistpackex\r\n", c.call("OBJECT", "ENCODING", "small2"));
        assertEquals("$9\r\nhashtable\r\n", c.call("OBJECT", "ENCODING", "big2"));
    }

    @Test
    void objectEncodingIsListpackexWithFieldTtls() {
        c.call("HSET", "h", "a", "1");
        assertEquals("$8\r\nlistpack\r\n", c.call("OBJECT", "ENCODING", "h"));
        c.call("HEXPIRE", "h", "100", "FIELDS", "1", "a");
        assertEquals("$10\r\nlistpackex\r\n", c.call("OBJECT", "ENCODING", "h"));
        c.call("HPERSIST", "h", "FIELDS", "1", "a");
        assertEquals("$10\r\nlistpackex\r\n", c.call("OBJECT", "ENCODING", "h"));
        c.call("HSET", "big", "f", "x".repeat(100));
        c.call("HEXPIRE", "big", "100", "FIELDS", "1", "f");
        assertEquals("$9\r\nhashtable\r\n", c.call("OBJECT", "ENCODING", "big"));
        assertEquals(ints(100), c.call("HTTL", "big", "FIELDS", "1", "f"));
    }

    @Test
    void repliesAreTheSameInResp3() {
        c.call("HELLO", "3");
        c.call("HSET", "h", "a", "1");
        assertEquals(ints(1, -2), c.call("HEXPIRE", "h", "100", "FIELDS", "2", "a", "b"));
        assertEquals(ints(100), c.call("HTTL", "h", "FIELDS", "1", "a"));
    }

    @Test
    void activeSweepDeletesExpiredFieldsNobodyReads() {
        KeyspaceEventLog events = new KeyspaceEventLog();
        try (TestServer swept = TestServer.builder().family(new HashesFamily()).listener(events)
                .lifecycle(new HashFieldExpiryCycle()).start();
             RespClient client = swept.client()) {
            client.call("SELECT", "3");
            client.call("HSET", "h", "a", "1", "b", "2");
            client.call("HSET", "gone", "x", "1");
            client.call("HPEXPIRE", "h", "20", "FIELDS", "1", "a");
            client.call("HPEXPIRE", "gone", "20", "FIELDS", "1", "x");
            client.call("RENAME", "gone", "renamed");
            await(() -> client.call("EXISTS", "renamed").equals(":0\r\n"));
            await(() -> Loop.call(swept, () -> ((HashValue) swept.server().db(3).peek(b("h"))).size()) == 1);
            List<String> all = events.all();
            assertTrue(all.contains("3 hexpired h") && all.contains("3 hexpired renamed")
                    && all.contains("3 del renamed"), all.toString());
            assertEquals("*1\r\n$1\r\nb\r\n", client.call("HKEYS", "h"));
        }
    }
}
