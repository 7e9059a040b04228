package io.cinnabar.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.datatypes.strings.StringsFamily;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RATELIMIT.HIT/PEEK/RESET over a real socket, with every extension of the plugin registered. */
class RateLimitFamilyTest {
    private static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    private static RateLimitStats stats;
    private static TestServer server;
    private RespClient c;

    @BeforeAll
    static void start() {
        stats = new RateLimitStats();
        server = TestServer.builder().pluginId("example")
                .family(new RateLimitFamily(stats)).info(new RateLimitInfo(stats)).configs(new RateLimitConfigs())
                .dataType(new RateLimitDataType()).family(new StringsFamily()).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void connect() {
        c = server.client();
    }

    static String triple(long allowed, long remaining, long retry) {
        return "*3\r\n:" + allowed + "\r\n:" + remaining + "\r\n:" + retry + "\r\n";
    }

    /** The third integer of a HIT/PEEK reply. */
    static long retryAfter(String reply) {
        String[] parts = reply.split("\r\n");
        return Long.parseLong(parts[3].substring(1));
    }

    @Test
    void hitAllowsUpToTheLimitThenDeniesWithRetryAfter() {
        assertEquals(triple(1, 2, 0), c.call("RATELIMIT.HIT", "login:ann", "3", "60000"));
        assertEquals(triple(1, 1, 0), c.call("RATELIMIT.HIT", "login:ann", "3", "60000"));
        assertEquals(triple(1, 0, 0), c.call("ratelimit.hit", "login:ann", "3", "60000"));
        String denied = c.call("RATELIMIT.HIT", "login:ann", "3", "60000");
        assertTrue(denied.startsWith("*3\r\n:0\r\n:0\r\n:"), denied);
        long retry = retryAfter(denied);
        assertTrue(retry > 0 && retry <= 60000, denied);
    }

    @Test
    void costConsumesSeveralUnitsAndACostAboveTheLimitNeverFits() {
        assertEquals(triple(1, 6, 0), c.call("RATELIMIT.HIT", "upload", "10", "60000", "COST", "4"));
        assertEquals(triple(1, 0, 0), c.call("RATELIMIT.HIT", "upload", "10", "60000", "cost", "6"));
        assertTrue(c.call("RATELIMIT.HIT", "upload", "10", "60000", "COST", "2").startsWith("*3\r\n:0\r\n:0\r\n"));
        assertEquals(triple(0, 0, -1), c.call("RATELIMIT.HIT", "upload", "10", "60000", "COST", "11"));
        assertEquals(triple(0, 5, -1), c.call("RATELIMIT.HIT", "fresh", "5", "60000", "COST", "6"));
        assertEquals(":0\r\n", c.call("RATELIMIT.RESET", "fresh"), "a denied first hit creates no key");
    }

    @Test
    void aDeniedHitsRetryAfterFallsWithinTheWindow() {
        c.call("RATELIMIT.HIT", "steps", "3", "100000", "COST", "2");
        c.call("RATELIMIT.HIT", "steps", "3", "100000");
        // full: a cost of 2 waits for the first hit to leave, a cost of 3 for both (exact arithmetic: RateLimiterTest)
        for (String cost : new String[] {"1", "2", "3"}) {
            String denied = c.call("RATELIMIT.HIT", "steps", "3", "100000", "COST", cost);
            assertTrue(denied.startsWith("*3\r\n:0\r\n:0\r\n:"), denied);
            long retry = retryAfter(denied);
            assertTrue(retry > 0 && retry <= 100000, denied);
        }
    }

    @Test
    void hitsSlideOutOfTheWindow() {
        // a window long enough that the second hit surely falls inside it, short enough to wait out
        assertEquals(triple(1, 0, 0), c.call("RATELIMIT.HIT", "slide", "1", "1000"));
        assertTrue(c.call("RATELIMIT.HIT", "slide", "1", "1000").startsWith("*3\r\n:0\r\n"));
        String peek = pollUntil("RATELIMIT.PEEK slide 1 1000", triple(1, 1, 0));
        assertEquals(triple(1, 1, 0), peek);
        assertEquals(triple(1, 0, 0), c.call("RATELIMIT.HIT", "slide", "1", "1000"));
    }

    @Test
    void anIdleLimiterExpiresWithItsWindow() {
        c.call("RATELIMIT.HIT", "idle", "1", "1000");
        // PEEK with a long window still counts the hit while the key lives; only the key's expiry clears it
        assertTrue(c.call("RATELIMIT.PEEK", "idle", "1", "3600000").startsWith("*3\r\n:0\r\n"));
        assertEquals(triple(1, 1, 0), pollUntil("RATELIMIT.PEEK idle 1 3600000", triple(1, 1, 0)));
        assertEquals(":0\r\n", c.call("RATELIMIT.RESET", "idle"));
    }

    @Test
    void peekCountsNothing() {
        assertEquals(triple(1, 2, 0), c.call("RATELIMIT.PEEK", "peeked", "2", "60000"));
        c.call("RATELIMIT.HIT", "peeked", "2", "60000");
        assertEquals(triple(1, 1, 0), c.call("RATELIMIT.PEEK", "peeked", "2", "60000"));
        assertEquals(triple(1, 1, 0), c.call("RATELIMIT.PEEK", "peeked", "2", "60000"));
        c.call("RATELIMIT.HIT", "peeked", "2", "60000");
        String full = c.call("RATELIMIT.PEEK", "peeked", "2", "60000");
        assertTrue(full.startsWith("*3\r\n:0\r\n:0\r\n:") && retryAfter(full) > 0, full);
    }

    @Test
    void resetForgetsEveryHit() {
        c.call("RATELIMIT.HIT", "r", "1", "60000");
        assertTrue(c.call("RATELIMIT.HIT", "r", "1", "60000").startsWith("*3\r\n:0\r\n"));
        assertEquals(":1\r\n", c.call("RATELIMIT.RESET", "r"));
        assertEquals(":0\r\n", c.call("RATELIMIT.RESET", "r"));
        assertEquals(triple(1, 0, 0), c.call("RATELIMIT.HIT", "r", "1", "60000"));
    }

    @Test
    void otherTypesAreWrongtypeBothWays() {
        assertEquals("+OK\r\n", c.call("SET", "plain", "v"));
        assertEquals(WRONGTYPE, c.call("RATELIMIT.HIT", "plain", "1", "1000"));
        assertEquals(WRONGTYPE, c.call("RATELIMIT.PEEK", "plain", "1", "1000"));
        assertEquals(WRONGTYPE, c.call("RATELIMIT.RESET", "plain"));
        assertEquals("$1\r\nv\r\n", c.call("GET", "plain"));
        c.call("RATELIMIT.HIT", "limiter", "1", "60000");
        assertEquals(WRONGTYPE, c.call("GET", "limiter"));
    }

    @Test
    void typeEncodingAndTtlDescribeTheLimiter() {
        c.call("RATELIMIT.HIT", "described", "5", "60000");
        assertEquals("+ratelimit\r\n", c.call("TYPE", "described"));
        assertEquals("$10\r\nslidinglog\r\n", c.call("OBJECT", "ENCODING", "described"));
        String pttl = c.call("PTTL", "described");
        long ttl = Long.parseLong(pttl.substring(1, pttl.length() - 2));
        assertTrue(ttl > 0 && ttl <= 60000, pttl);
    }

    @Test
    void badArgumentsGetTheirErrors() {
        assertEquals("-ERR limit is out of range, must be positive\r\n", c.call("RATELIMIT.HIT", "k", "0", "1000"));
        assertEquals("-ERR limit is out of range, must be positive\r\n", c.call("RATELIMIT.PEEK", "k", "-3", "1000"));
        assertEquals("-ERR value is not an integer or out of range\r\n", c.call("RATELIMIT.HIT", "k", "ten", "1000"));
        assertEquals("-ERR value is not an integer or out of range\r\n", c.call("RATELIMIT.HIT", "k", "1", "1.5"));
        assertEquals("-ERR window-ms is out of range, must be between 1 and 1099511627776\r\n",
                c.call("RATELIMIT.HIT", "k", "1", "0"));
        assertEquals("-ERR window-ms is out of range, must be between 1 and 1099511627776\r\n",
                c.call("RATELIMIT.PEEK", "k", "1", "1099511627777"));
        assertEquals("-ERR COST is out of range, must be positive\r\n",
                c.call("RATELIMIT.HIT", "k", "1", "1000", "COST", "0"));
        assertEquals("-ERR value is not an integer or out of range\r\n",
                c.call("RATELIMIT.HIT", "k", "1", "1000", "COST", "x"));
        assertEquals("-ERR COST exceeds ratelimit-max-cost (1000)\r\n",
                c.call("RATELIMIT.HIT", "k", "5000", "1000", "COST", "1001"));
        assertEquals("-ERR syntax error\r\n", c.call("RATELIMIT.HIT", "k", "1", "1000", "WEIGHT", "2"));
        assertEquals("-ERR syntax error\r\n", c.call("RATELIMIT.HIT", "k", "1", "1000", "COST"));
        assertEquals("-ERR syntax error\r\n", c.call("RATELIMIT.HIT", "k", "1", "1000", "COST", "1", "COST", "1"));
        assertEquals("-ERR wrong number of arguments for 'ratelimit.hit' command\r\n",
                c.call("RATELIMIT.HIT", "k", "1"));
        assertEquals("-ERR wrong number of arguments for 'ratelimit.peek' command\r\n",
                c.call("RATELIMIT.PEEK", "k", "1", "1000", "COST", "1"));
        assertEquals("-ERR wrong number of arguments for 'ratelimit.reset' command\r\n", c.call("RATELIMIT.RESET"));
        assertEquals(":0\r\n", c.call("RATELIMIT.RESET", "k"), "no error created a key");
    }

    @Test
    void maxCostIsAConfigParameter() {
        assertEquals("*2\r\n$18\r\nratelimit-max-cost\r\n$4\r\n1000\r\n",
                c.call("CONFIG", "GET", "ratelimit-max-cost"));
        try {
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "ratelimit-max-cost", "2"));
            assertEquals("-ERR COST exceeds ratelimit-max-cost (2)\r\n",
                    c.call("RATELIMIT.HIT", "mc", "10", "1000", "COST", "3"));
            assertEquals(triple(1, 8, 0), c.call("RATELIMIT.HIT", "mc", "10", "1000", "COST", "2"));
            assertTrue(c.call("CONFIG", "SET", "ratelimit-max-cost", "0").startsWith("-ERR CONFIG SET failed"));
        } finally {
            c.call("CONFIG", "SET", "ratelimit-max-cost", "1000");
        }
    }

    @Test
    void infoSectionCountsAllowedAndDeniedHits() {
        long allowed = stats.allowed();
        long denied = stats.denied();
        c.call("RATELIMIT.HIT", "counted", "1", "60000");
        c.call("RATELIMIT.HIT", "counted", "1", "60000");
        c.call("RATELIMIT.PEEK", "counted", "1", "60000");
        String info = c.call("INFO", "ratelimit");
        assertTrue(info.contains("ratelimit_hits_allowed:" + (allowed + 1) + "\r\n"), info);
        assertTrue(info.contains("ratelimit_hits_denied:" + (denied + 1) + "\r\n"), info);
    }

    private String pollUntil(String command, String expected) {
        long deadline = System.currentTimeMillis() + 10_000;
        String last;
        do {
            last = c.call(command.split(" "));
            if (last.equals(expected)) {
                return last;
            }
            Thread.onSpinWait();
        } while (System.currentTimeMillis() < deadline);
        return last;
    }
}
