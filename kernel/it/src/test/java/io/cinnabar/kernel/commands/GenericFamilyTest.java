package io.cinnabar.kernel.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.datatypes.strings.StringsFamily;
import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.testkit.CommandInfoConformance;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.Loop;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.Resp;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generic keyspace commands against the reference redis-server, byte for byte. Every test starts from
 * FLUSHALL on both servers. Replies whose order Redis leaves to its hash table (KEYS, SCAN) are compared
 * as sets; keyspace events are compared with what redis-server publishes for the same script.
 */
class GenericFamilyTest {
    /** The event classes the reference publishes (notify-keyspace-events) and the ones we compare. */
    private static final String NOTIFY = "Eg$xnm";
    private static final int COMPARED_CLASSES = KeyspaceEvents.GENERIC | KeyspaceEvents.STRING
            | KeyspaceEvents.EXPIRED | KeyspaceEvents.NEW | KeyspaceEvents.KEY_MISS;
    /** A unix time far ahead, for deterministic EXPIRETIME replies. */
    private static final long FAR = 4_000_000_000L;

    private static TestServer server;
    private static ReferenceRedis redis;
    private static final Queue<String> EVENTS = new ConcurrentLinkedQueue<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private RespClient ref;
    private RespClient cand;

    @BeforeAll
    static void start() {
        redis = ReferenceRedis.start("--notify-keyspace-events", NOTIFY);
        server = TestServer.builder().family(new StringsFamily())
                .listener((cls, event, key, db) -> {
                    if ((cls & COMPARED_CLASSES) != 0) {
                        EVENTS.add(db + " " + event + " " + new String(key, StandardCharsets.ISO_8859_1));
                    }
                })
                .start();
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

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    /** A differential session on database {@code db} of both servers, both emptied first. */
    private Differential diff(int db) {
        ref = track(redis.client());
        cand = track(server.client());
        Differential d = new Differential(ref, cand);
        d.run("FLUSHALL", "SELECT " + db);
        d.assertSame();
        EVENTS.clear();
        return d;
    }

    // ---- DEL, UNLINK, EXISTS, TYPE, TOUCH ----

    @Test
    void delAndUnlinkCountOnlyExistingKeys() {
        Differential d = diff(1);
        d.run("SET a 1", "SET b 2", "SET c 3", "DEL a", "DEL a", "DEL b c nosuch b", "DBSIZE",
                "SET a 1", "SET b 2", "UNLINK a nosuch a", "UNLINK b", "UNLINK b", "EXISTS a b",
                "DEL", "UNLINK");
        d.assertSame();
    }

    @Test
    void existsCountsDuplicatesAndTypeNamesTheValue() {
        Differential d = diff(2);
        d.run("SET a 1", "EXISTS a", "EXISTS a a a nosuch", "EXISTS nosuch", "EXISTS",
                "TYPE a", "TYPE nosuch", "APPEND raw x", "TYPE raw", "TYPE", "TYPE a b",
                "TOUCH a raw nosuch a", "TOUCH nosuch", "TOUCH");
        d.assertSame();
    }

    // ---- RENAME, RENAMENX ----

    @Test
    void renameMovesValueAndTtlAndOverwrites() {
        Differential d = diff(3);
        d.run("SET a 1", "EXPIREAT a " + FAR, "SET b 2", "RENAME a b", "GET a", "GET b", "EXPIRETIME b",
                "RENAME nosuch x", "RENAME b b", "GET b", "EXPIRETIME b", "RENAME nosuch nosuch",
                "SET c 3", "RENAME c d", "TTL d", "RENAME b", "RENAME a b c");
        d.assertSame();
    }

    @Test
    void renamenxOnlyWhenTheTargetIsFree() {
        Differential d = diff(4);
        d.run("SET a 1", "SET b 2", "RENAMENX a b", "GET a", "GET b", "RENAMENX a c", "GET c", "EXISTS a",
                "RENAMENX c c", "RENAMENX nosuch nosuch", "RENAMENX nosuch z", "PEXPIREAT c " + FAR * 1000 + 7,
                "RENAMENX c e", "PEXPIRETIME e", "RENAMENX e");
        d.assertSame();
    }

    // ---- MOVE, COPY ----

    @Test
    void moveBetweenDatabasesKeepsTtl() {
        Differential d = diff(0);
        d.run("SET a 1", "EXPIREAT a " + FAR, "MOVE a 5", "EXISTS a", "SELECT 5", "GET a", "EXPIRETIME a",
                "SELECT 0", "SET a other", "SELECT 5", "MOVE a 0", "GET a", "SELECT 0", "GET a",
                "MOVE a 0", "MOVE nosuch 1", "MOVE a 16", "MOVE a -1", "MOVE a x", "MOVE a 99999999999",
                "MOVE a -2147483649", "MOVE a 2147483648",
                "MOVE a", "MOVE a 1 2", "DBSIZE", "SELECT 5", "DBSIZE");
        d.assertSame();
    }

    @Test
    void copyWithDbAndReplace() {
        Differential d = diff(0);
        d.run("SET a hello", "EXPIREAT a " + FAR, "COPY a b", "GET b", "EXPIRETIME b", "COPY a b", "SET c x",
                "COPY a c", "GET c", "COPY a c REPLACE", "GET c", "COPY a a", "COPY a a DB 0", "COPY a a DB 1",
                "SELECT 1", "GET a", "EXPIRETIME a", "SELECT 0", "COPY a a DB 1", "COPY a a DB 1 REPLACE",
                "COPY nosuch z", "COPY a z DB 16", "COPY a z DB -1", "COPY a z DB x", "COPY a z DB 2147483648", "COPY a z DB",
                "COPY a z REPLACE DB", "COPY a z FOO", "COPY a z replace replace db 2 db 3", "SELECT 3", "GET z",
                "SELECT 2", "EXISTS z", "SELECT 0", "COPY a", "COPY");
        d.assertSame();
    }

    @Test
    void copyIsDeepAndKeepsTheEncoding() {
        Differential d = diff(0);
        d.run("APPEND raw abc", "COPY raw raw2", "APPEND raw def", "GET raw", "GET raw2",
                "OBJECT ENCODING raw2", "SET n 12345", "COPY n n2", "OBJECT ENCODING n2",
                "SET s shortstring", "COPY s s2", "OBJECT ENCODING s2");
        d.assertSame();
    }

    // ---- KEYS, SCAN, RANDOMKEY, DBSIZE ----

    private static final List<String> GLOB_KEYS = List.of("hello", "hallo", "hllo", "heeeello", "hillo", "h*llo", "a",
            "b", "]", "a\\", "A", "q", "[abc", "-", "^", "x-y", "\\", "ab", "aB", "user:1", "user:2", "user:10");
    private static final List<String> GLOB_PATTERNS = List.of("*", "h?llo", "h*llo", "h[ae]llo", "h[^e]llo",
            "h[a-b]llo", "h[b-a]llo", "h\\*llo", "[abc", "[]]", "[\\]]", "a\\", "[a-", "[^", "\\", "[-]", "[a-]",
            "x[-]y", "[A-Z]", "a[B]", "*\\", "[\\", "?", "??", "[^a]", "user:*", "user:?", "user:[0-9]*", "**",
            "*a*", "nomatch", "");

    @Test
    void keysMatchesGlobPatternsAsRedis() {
        Differential d = diff(6);
        for (String k : GLOB_KEYS) {
            d.cmd("SET", k, "1");
        }
        d.assertSame();
        for (String p : GLOB_PATTERNS) {
            assertEquals(sorted(ref.call("KEYS", p)), sorted(cand.call("KEYS", p)), "KEYS " + p);
        }
        d.run("KEYS", "KEYS a b");
        d.assertSame();
    }

    @Test
    void keysSkipsLogicallyExpiredKeysAndListsTheEmptyKey() {
        Differential d = diff(6);
        d.cmd("SET", "", "empty");
        d.run("KEYS *", "KEYS **");
        d.assertSame();
        cand.call("SET", "gone", "1", "PX", "1");
        pollUntil(() -> !cand.call("KEYS", "*").contains("gone"), "expired key still listed by KEYS");
    }

    @Test
    void scanFullIterationReturnsEveryKey() {
        Differential d = diff(7);
        Set<String> all = new TreeSet<>();
        for (int i = 0; i < 1000; i++) {
            all.add("key:" + i);
        }
        for (List<String> batch : batches(new ArrayList<>(all), 100)) {
            List<String> mset = new ArrayList<>(List.of("MSET"));
            for (String k : batch) {
                mset.add(k);
                mset.add("v");
            }
            d.cmd(mset.toArray(new String[0]));
        }
        d.run("DBSIZE");
        d.assertSame();
        assertEquals(all, new TreeSet<>(scanAll(ref, "0")), "reference sanity");
        assertEquals(all, new TreeSet<>(scanAll(cand, "0")));
        assertEquals(all, new TreeSet<>(scanAll(cand, "0", "COUNT", "7")));
        assertEquals(all, new TreeSet<>(scanAll(cand, "0", "COUNT", "100000")));
        Set<String> ones = new TreeSet<>();
        for (String k : all) {
            if (k.endsWith("1")) {
                ones.add(k);
            }
        }
        assertEquals(ones, new TreeSet<>(scanAll(cand, "0", "MATCH", "*1")));
        assertEquals(new TreeSet<>(scanAll(ref, "0", "MATCH", "*1", "type", "STRING")),
                new TreeSet<>(scanAll(cand, "0", "MATCH", "*1", "type", "STRING")));
        assertEquals(Set.of(), new TreeSet<>(scanAll(cand, "0", "TYPE", "list")));
        assertEquals(Set.of(), new TreeSet<>(scanAll(cand, "0", "TYPE", "nosuchtype")));
    }

    /** Keys present for the whole scan are returned even while writes make the table grow under the cursor. */
    @Test
    void scanGuaranteeHoldsWhileKeysAreAdded() {
        diff(8);
        Set<String> stable = new TreeSet<>();
        for (int i = 0; i < 200; i++) {
            stable.add("stable:" + i);
            cand.call("SET", "stable:" + i, "v");
        }
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int added = 0;
        do {
            List<Object> r = array(cand.call("SCAN", cursor, "COUNT", "5"));
            cursor = (String) r.get(0);
            for (Object k : (List<?>) r.get(1)) {
                seen.add((String) k);
            }
            for (int j = 0; j < 30; j++) {
                cand.call("SET", "added:" + added++, "v");
            }
        } while (!cursor.equals("0"));
        assertTrue(seen.containsAll(stable), "missing " + diffOf(stable, seen));
        assertTrue(added > 1000);
    }

    @Test
    void scanOptionsAndErrors() {
        Differential d = diff(9);
        d.run("SCAN 0", "SET a 1", "SCAN 0", "SCAN 0 COUNT 0", "SCAN 0 COUNT -1", "SCAN 0 COUNT x",
                "SCAN 0 COUNT", "SCAN 0 MATCH", "SCAN 0 TYPE", "SCAN 0 FOO bar", "SCAN 0 MATCH a COUNT 100 TYPE string",
                "SCAN 0 match nomatch", "SCAN 0 type String", "SCAN 0 TYPE none", "SCAN x", "SCAN 5abc", "SCAN 0x1",
                "SCAN 18446744073709551616", "SCAN -18446744073709551616", "SCAN -", "SCAN +", "SCAN",
                "SCAN 0 COUNT 9223372036854775807", "SCAN 0 COUNT 9223372036854775808");
        d.cmd("SCAN", " 5");
        d.cmd("SCAN", "1 ");
        d.cmd("SCAN", "\t1");
        d.assertSame();
        // every cursor form strtoul accepts ends the (one-key) iteration with cursor 0 on both servers
        for (String c : List.of("", "+0", "-0", "007", "-1", "18446744073709551615", "9223372036854775808", "-5")) {
            assertEquals(array(ref.call("SCAN", c)).get(0) + "",
                    array(cand.call("SCAN", c)).get(0) + "", "SCAN '" + c + "'");
        }
    }

    @Test
    void randomkeyAndDbsize() {
        Differential d = diff(10);
        d.run("RANDOMKEY", "DBSIZE", "SET only 1", "RANDOMKEY", "DBSIZE", "RANDOMKEY x", "DBSIZE x");
        d.assertSame();
        for (int i = 0; i < 20; i++) {
            cand.call("SET", "r" + i, "v");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String k = (String) Resp.parse(cand.call("RANDOMKEY"));
            assertTrue(k.equals("only") || k.startsWith("r"), k);
            seen.add(k);
        }
        assertTrue(seen.size() > 5, "RANDOMKEY is random: " + seen);
    }

    @Test
    void randomkeyDoesNotReturnExpiredKeys() {
        diff(10);
        cand.call("SET", "gone", "1", "PX", "1");
        cand.call("SET", "stays", "1");
        pollUntil(() -> cand.call("DBSIZE").equals(":1\r\n"), "expired key not reclaimed");
        for (int i = 0; i < 20; i++) {
            assertEquals("$5\r\nstays\r\n", cand.call("RANDOMKEY"));
        }
    }

    // ---- FLUSHDB, FLUSHALL, SWAPDB ----

    @Test
    void flushdbAndFlushallWithModes() {
        Differential d = diff(0);
        d.run("SET a 1", "SELECT 1", "SET b 1", "FLUSHDB", "DBSIZE", "SELECT 0", "DBSIZE", "SET c 1",
                "FLUSHDB SYNC", "DBSIZE", "SET c 1", "FLUSHDB async", "DBSIZE", "FLUSHDB foo", "FLUSHDB sync async",
                "SET a 1", "SELECT 3", "SET b 1", "FLUSHALL", "DBSIZE", "SELECT 0", "DBSIZE", "SET a 1",
                "FLUSHALL ASYNC", "DBSIZE", "FLUSHALL sync", "FLUSHALL bar", "FLUSHALL sync sync");
        d.assertSame();
    }

    @Test
    void swapdbExchangesContents() {
        Differential d = diff(0);
        d.run("SET a db0", "SELECT 1", "SET b db1", "SWAPDB 0 1", "GET a", "GET b", "SELECT 0", "GET a", "GET b",
                "SWAPDB 1 1", "SWAPDB 0 16", "SWAPDB 16 0", "SWAPDB -1 0", "SWAPDB x 0", "SWAPDB 0 x",
                "SWAPDB 0 4294967296", "SWAPDB 2147483648 0", "SWAPDB 0", "SWAPDB 0 1 2", "SWAPDB 0 2", "DBSIZE",
                "SELECT 2", "GET b");
        d.assertSame();
    }

    @Test
    void flushallResetsChangesSinceLastSaveWhenSavePointsExist() {
        diff(0);
        cand.call("SET", "a", "1");
        cand.call("SET", "b", "1");
        long before = Loop.call(server, () -> server.server().stats().dirty);
        cand.call("FLUSHDB");
        assertEquals(before + 2, (long) Loop.call(server, () -> server.server().stats().dirty), "FLUSHDB counts removed keys");
        cand.call("SET", "a", "1");
        cand.call("FLUSHALL");
        assertEquals(1L, (long) Loop.call(server, () -> server.server().stats().dirty), "save points configured: reset, then +1");
    }

    // ---- WATCH: every write here touches the watched keys as Redis's signalModifiedKey / touchAllWatchedKeysInDb ----

    /** Runs a WATCH k / (other client: {@code writes}) / MULTI GET k EXEC round on both servers. */
    private void watchRound(Differential watcher, Differential other, String setup, String... writes) {
        watcher.run("FLUSHALL");
        if (!setup.isEmpty()) {
            watcher.run(setup.split(" ; "));
        }
        watcher.run("WATCH k");
        other.run(writes);
        watcher.run("MULTI", "GET k", "EXEC");
    }

    @Test
    void keyspaceWritesAbortTransactionsWatchingTheirKeys() {
        Differential watcher = diff(0);
        Differential other = new Differential(track(redis.client()), track(server.client()));
        other.run("SELECT 0");
        watchRound(watcher, other, "SET k 1", "DEL k");
        watchRound(watcher, other, "SET k 1", "DEL nosuch");
        watchRound(watcher, other, "SET k 1", "UNLINK k");
        watchRound(watcher, other, "SET k 1", "RENAME k j");
        watchRound(watcher, other, "SET j 1", "RENAME j k");
        watchRound(watcher, other, "SET k 1 ; SET j 2", "RENAMENX k j");
        watchRound(watcher, other, "SET k 1", "MOVE k 1");
        watchRound(watcher, other, "SET k 1", "SELECT 1", "SET k 2", "MOVE k 0", "SELECT 0");
        watchRound(watcher, other, "SET j 1", "COPY j k");
        watchRound(watcher, other, "SET j 1 ; SET k 1", "COPY j k");
        watchRound(watcher, other, "SET k 1", "EXPIRE k 100");
        watchRound(watcher, other, "SET k 1", "EXPIRE k 100 XX");
        watchRound(watcher, other, "SET k 1 ; EXPIRE k 100", "PERSIST k");
        watchRound(watcher, other, "SET k 1", "PEXPIRE k -1");
        watchRound(watcher, other, "SET k 1", "TOUCH k", "EXISTS k", "TYPE k", "TTL k", "OBJECT ENCODING k");
        watchRound(watcher, other, "SET k 1", "FLUSHDB");
        watchRound(watcher, other, "SET j 1", "FLUSHDB");
        watchRound(watcher, other, "", "FLUSHDB");
        watchRound(watcher, other, "SET k 1", "SELECT 1", "FLUSHDB", "SELECT 0");
        watchRound(watcher, other, "SET k 1", "FLUSHALL");
        watchRound(watcher, other, "SET k 1", "SWAPDB 0 1");
        watchRound(watcher, other, "SELECT 1 ; SET k 1 ; SELECT 0", "SWAPDB 0 1");
        watchRound(watcher, other, "SELECT 1 ; SET j 1 ; SELECT 0", "SWAPDB 1 0");
        watchRound(watcher, other, "SET k 1", "SWAPDB 0 0");
        watchRound(watcher, other, "SET k 1", "SWAPDB 2 3");
        watchRound(watcher, other, "SET k 1 ; PEXPIRE k 1", "SWAPDB 0 1");
        watcher.assertSame();
        other.assertSame();
    }

    // ---- EXPIRE family, TTL, PERSIST ----

    @Test
    void expireOptionsFollowRedisRules() {
        Differential d = diff(11);
        d.run("SET a 1", "EXPIRE a 1000 XX", "TTL a", "EXPIRE a 1000 GT", "TTL a", "EXPIRE a 1000 LT", "TTL a",
                "EXPIRE a 1000 NX", "TTL a", "EXPIRE a 2000 NX", "TTL a", "EXPIRE a 3000 XX", "TTL a",
                "EXPIRE a 2000 GT", "TTL a", "EXPIRE a 4000 GT", "TTL a", "EXPIRE a 5000 LT", "TTL a",
                "EXPIRE a 1000 LT", "TTL a", "EXPIRE a 500 lt xx", "TTL a", "EXPIRE a 2000 gt xx", "TTL a",
                "EXPIRE a 3000 gt nx",
                "EXPIRE a 10 NX XX", "EXPIRE a 10 NX GT", "EXPIRE a 10 NX LT", "EXPIRE a 10 GT LT",
                "EXPIRE a 10 XX GT LT", "EXPIRE a 10 FOO", "EXPIRE a 10 NX FOO", "EXPIRE a x", "EXPIRE a x FOO",
                "EXPIRE a 10 NX NX", "EXPIRE nosuch 10", "EXPIRE nosuch 10 NX", "EXPIRE a", "EXPIRE",
                "PERSIST a", "EXPIRE a -1 LT", "EXISTS a", "SET b 1", "EXPIRE b 100 LT", "TTL b");
        d.assertSame();
    }

    @Test
    void expireVariantsSetAbsoluteDeadlines() {
        Differential d = diff(12);
        d.run("SET a 1", "EXPIREAT a " + FAR, "EXPIRETIME a", "PEXPIRETIME a", "PEXPIREAT a " + (FAR * 1000 + 499),
                "EXPIRETIME a", "PEXPIRETIME a", "PEXPIREAT a " + (FAR * 1000 + 500), "EXPIRETIME a", "TTL nosuch",
                "PTTL nosuch", "EXPIRETIME nosuch", "PEXPIRETIME nosuch", "SET p 1", "TTL p", "PTTL p",
                "EXPIRETIME p", "PEXPIRETIME p", "PEXPIRE p 100000000", "TTL p", "EXPIRE p 100000", "TTL p",
                "PERSIST p", "PERSIST p", "TTL p", "PERSIST nosuch", "EXPIREAT a " + FAR + " GT", "EXPIRETIME a",
                "PEXPIREAT a " + FAR * 1000 + " LT", "PEXPIRETIME a", "TTL", "PTTL a b", "PERSIST");
        d.assertSame();
    }

    @Test
    void expireOverflowIsAnInvalidExpireTime() {
        Differential d = diff(13);
        d.run("SET a 1", "EXPIRE a 9223372036854775807", "EXPIRE a 9223372036854775", "EXPIRE a 9223372036854776",
                "EXPIRE a -9223372036854775", "EXPIRE a -9223372036854776", "PEXPIRE a 9223372036854775807",
                "PEXPIRE a 9223372036854775000", "EXPIREAT a 9223372036854775807", "EXPIREAT a 9223372036854775",
                "EXPIRETIME a", "PEXPIREAT a 9223372036854775807", "PEXPIRETIME a", "EXPIRETIME a", "EXPIRE a 9223372036854775808", "PEXPIRE nosuch 9223372036854775807",
                "EXPIRE nosuch 9223372036854775807");
        d.assertSame();
    }

    @Test
    void aDeadlineInThePastDeletesTheKey() {
        Differential d = diff(14);
        d.run("SET a 1", "EXPIRE a 0", "EXISTS a", "SET b 1", "PEXPIRE b -5", "EXISTS b", "SET c 1", "EXPIREAT c 1",
                "EXISTS c", "SET e 1", "PEXPIREAT e 0", "GET e", "SET f 1", "EXPIRE f -100 GT", "EXISTS f",
                "EXPIRE f 100", "EXPIRE f -1 GT", "EXPIRE f -1 LT", "EXISTS f");
        d.assertSame();
    }

    @Test
    void expiredKeyIsGoneOnAccess() {
        diff(15);
        assertEquals("+OK\r\n", cand.call("SET", "k", "v", "PX", "30"));
        pollUntil(() -> cand.call("GET", "k").equals("$-1\r\n"), "key still readable after its TTL");
        assertEquals(":-2\r\n", cand.call("TTL", "k"));
        assertEquals(":0\r\n", cand.call("EXISTS", "k"));
        assertTrue(EVENTS.contains("15 expired k"), EVENTS.toString());
    }

    @Test
    void activeExpiryReclaimsKeysNobodyReads() {
        diff(15);
        for (int i = 0; i < 200; i++) {
            cand.call("SET", "vol:" + i, "v", "PX", "20");
        }
        cand.call("SET", "keep", "v");
        pollUntil(() -> cand.call("DBSIZE").equals(":1\r\n"), "volatile keys not reclaimed by active expiry");
        assertEquals("$1\r\nv\r\n", cand.call("GET", "keep"));
    }

    // ---- OBJECT ----

    @Test
    void objectSubcommands() {
        Differential d = diff(0);
        d.run("SET int 123", "SET emb hello", "APPEND raw x", "OBJECT ENCODING int", "OBJECT ENCODING emb",
                "OBJECT ENCODING raw", "OBJECT ENCODING nosuch", "OBJECT REFCOUNT int", "OBJECT REFCOUNT emb",
                "SET big 123456", "OBJECT REFCOUNT big", "OBJECT REFCOUNT nosuch", "OBJECT IDLETIME nosuch", "OBJECT FREQ emb", "OBJECT FREQ nosuch", "OBJECT HELP", "OBJECT help",
                "OBJECT", "OBJECT FOO", "OBJECT FOO bar", "OBJECT ENCODING", "OBJECT ENCODING a b", "OBJECT HELP x",
                "OBJECT REFCOUNT", "OBJECT IDLETIME", "OBJECT FREQ");
        d.cmd("SET", "long", "x".repeat(45));
        d.cmd("SET", "at44", "x".repeat(44));
        d.run("OBJECT ENCODING long", "OBJECT ENCODING at44");
        d.assertSame();
    }

    @Test
    void lfuPolicyTracksAccessFrequency() {
        try (ReferenceRedis lfuRedis = ReferenceRedis.start("--maxmemory-policy", "allkeys-lfu");
             TestServer lfu = TestServer.builder().family(new StringsFamily())
                     .option("maxmemory-policy", "allkeys-lfu").start();
             RespClient r = lfuRedis.client();
             RespClient c = lfu.client()) {
            Differential d = new Differential(r, c);
            // new keys start at 5; the first access increments with certainty (later ones only probably). Values
            // are not small integers: Redis shares those objects, and with them one counter for all their keys
            d.run("SET a hello", "OBJECT FREQ a", "GET a", "OBJECT FREQ a", "OBJECT FREQ nosuch", "OBJECT IDLETIME a",
                    "SET b v", "OBJECT FREQ b", "RENAME b c", "OBJECT FREQ c", "EXISTS c", "TYPE c", "TTL c",
                    "OBJECT ENCODING c", "OBJECT FREQ c", "COPY c d", "OBJECT FREQ d", "SET t v", "TOUCH t",
                    "OBJECT FREQ t", "SET m v", "MOVE m 2", "SELECT 2", "OBJECT FREQ m", "SET big 100000",
                    "OBJECT FREQ big", "SELECT 0", "SET nt v", "CLIENT NO-TOUCH on", "GET nt", "EXISTS nt",
                    "OBJECT FREQ nt", "SET nt w", "OBJECT FREQ nt", "TOUCH nt", "OBJECT FREQ nt", "CLIENT NO-TOUCH off");
            d.assertSame();
            for (int i = 0; i < 300; i++) {
                c.call("GET", "a");
            }
            long freq = (Long) Resp.parse(c.call("OBJECT", "FREQ", "a"));
            assertTrue(freq > 6 && freq < 40, "logarithmic counter after 300 hits: " + freq);
        }
    }

    @Test
    void idletimeGrowsWithoutAccessAndResetsOnRead() {
        diff(0);
        cand.call("SET", "k", "v");
        assertTrue((Long) Resp.parse(cand.call("OBJECT", "IDLETIME", "k")) <= 1);
        // age the key by rewriting its stamp two minutes back instead of waiting
        Loop.run(server, () -> {
            CinnabarServer s = server.server();
            s.db(0).setAccessMeta("k".getBytes(StandardCharsets.UTF_8),
                    io.cinnabar.kernel.server.LruClock.clock(s.now() - 120_000));
        });
        long idle = (Long) Resp.parse(cand.call("OBJECT", "IDLETIME", "k"));
        assertTrue(idle >= 119 && idle <= 122, "idle " + idle);
        cand.call("TYPE", "k");
        cand.call("EXISTS", "k");
        cand.call("TTL", "k");
        assertTrue((Long) Resp.parse(cand.call("OBJECT", "IDLETIME", "k")) >= 119, "inspection does not touch");
        cand.call("GET", "k");
        assertTrue((Long) Resp.parse(cand.call("OBJECT", "IDLETIME", "k")) <= 1, "a read is an access");
    }

    /** RESP3 nulls and arrays, after HELLO 3 on both servers (HELLO's own reply names the server, so not compared). */
    @Test
    void resp3Replies() {
        Differential d = diff(0);
        ref.call("HELLO", "3");
        cand.call("HELLO", "3");
        d.run("RANDOMKEY", "OBJECT ENCODING nosuch", "OBJECT FREQ nosuch", "SCAN 0", "KEYS *", "SET a hello",
                "RANDOMKEY", "KEYS *", "SCAN 0", "TYPE a", "TYPE nosuch", "TTL a", "EXISTS a", "OBJECT ENCODING a",
                "OBJECT HELP", "RENAME a b", "RENAMENX b c", "COPY c d", "DEL d", "FLUSHDB");
        d.assertSame();
    }

    /** A CLIENT NO-TOUCH client reads without updating access stamps, except through TOUCH. */
    @Test
    void noTouchClientLeavesIdleTimeAlone() {
        diff(0);
        cand.call("SET", "k", "v");
        Loop.run(server, () -> {
            CinnabarServer s = server.server();
            s.db(0).setAccessMeta("k".getBytes(StandardCharsets.UTF_8),
                    io.cinnabar.kernel.server.LruClock.clock(s.now() - 300_000));
        });
        assertEquals("+OK\r\n", cand.call("CLIENT", "NO-TOUCH", "on"));
        cand.call("GET", "k");
        cand.call("RENAME", "k", "k");
        assertTrue((Long) Resp.parse(cand.call("OBJECT", "IDLETIME", "k")) >= 299, "GET by a no-touch client");
        cand.call("TOUCH", "k");
        assertTrue((Long) Resp.parse(cand.call("OBJECT", "IDLETIME", "k")) <= 1, "TOUCH always touches");
    }

    // ---- keyspace events and stats ----

    /** The same script on both servers publishes the same keyspace events, in the same order. */
    @Test
    void keyspaceEventsMatchRedis() {
        Differential d = diff(0);
        RespClient sub = track(redis.client());
        sub.call("PSUBSCRIBE", "__keyevent@*__:*");
        sub.call("SUBSCRIBE", "end-of-script");
        d.run("SET a 1", "DEL a nosuch", "SET a 1", "UNLINK a", "SET a 1", "RENAME a b", "RENAMENX b c",
                "RENAME c c", "SET x 1", "RENAME c x", "MOVE x 3", "SELECT 3", "MOVE x 0", "SELECT 0",
                "COPY x y", "COPY x y REPLACE", "COPY x y DB 4", "EXPIRE y 100", "PEXPIRE y 100000", "EXPIREAT y " + FAR,
                "PERSIST y", "PERSIST y", "EXPIRE y 100 NX", "EXPIRE y -1", "SET z 1", "PEXPIREAT z 1",
                "EXISTS nosuch", "TYPE nosuch", "TTL nosuch", "TOUCH nosuch", "OBJECT ENCODING nosuch", "GET nosuch",
                "EXPIRE nosuch 10", "PERSIST nosuch", "SCAN 0 TYPE string", "SET s 1", "SWAPDB 0 5", "FLUSHDB");
        d.assertSame();
        try (RespClient pub = redis.client()) {
            pub.call("PUBLISH", "end-of-script", "x");
        }
        List<String> want = new ArrayList<>();
        while (true) {
            List<Object> m = array(sub.readReply());
            if (m.get(0).equals("message")) {
                break;
            }
            String channel = (String) m.get(2);
            int at = channel.indexOf('@');
            int colon = channel.indexOf("__:");
            want.add(channel.substring(at + 1, colon) + " " + channel.substring(colon + 3) + " " + m.get(3));
        }
        assertEquals(String.join("\n", want), String.join("\n", new ArrayList<>(EVENTS)));
    }

    /** keyspace_hits / keyspace_misses move as Redis's: read lookups count, write lookups and OBJECT's do not emit. */
    @Test
    void keyspaceHitsAndMissesCountReadLookups() {
        Differential d = diff(0);
        String[] script = {"SET a 1", "GET a", "GET nosuch", "EXISTS a nosuch a", "TYPE a", "TYPE nosuch", "TTL a",
            "PTTL nosuch", "EXPIRETIME a", "TOUCH a nosuch", "OBJECT ENCODING a", "OBJECT ENCODING nosuch",
            "EXPIRE a 100", "PERSIST a", "RENAME a b", "COPY b c", "COPY nosuch c", "MOVE b 1", "DEL c",
            "SCAN 0 TYPE string", "KEYS *", "RANDOMKEY", "DBSIZE"};
        long[] refBefore = redisStats(ref);
        long[] candBefore = Loop.call(server, () -> new long[] {server.server().stats().keyspaceHits,
            server.server().stats().keyspaceMisses});
        d.run(script);
        d.assertSame();
        long[] refAfter = redisStats(ref);
        long[] candAfter = Loop.call(server, () -> new long[] {server.server().stats().keyspaceHits,
            server.server().stats().keyspaceMisses});
        assertEquals(refAfter[0] - refBefore[0], candAfter[0] - candBefore[0], "keyspace_hits");
        assertEquals(refAfter[1] - refBefore[1], candAfter[1] - candBefore[1], "keyspace_misses");
    }

    /** SWAPDB and MOVE refuse to run in cluster mode, with Redis's words (no reference: one db there). */
    @Test
    void clusterModeRefusesCrossDatabaseCommands() {
        try (TestServer cluster = TestServer.builder().family(new StringsFamily()).option("cluster-enabled", "yes")
                .option("cluster-port", Integer.toString(TestServer.freePort()))
                .option("dir", tempDir().toString()).start();
             RespClient c = cluster.client()) {
            assertEquals("-ERR SWAPDB is not allowed in cluster mode\r\n", c.call("SWAPDB", "0", "1"));
            // keys route to slots first: this node serves them all once the cluster state is ok
            assertEquals("-CLUSTERDOWN Hash slot not served\r\n", c.call("MOVE", "k", "1"));
            assertEquals("+OK\r\n", c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
            long deadline = System.currentTimeMillis() + 10_000;
            while (!c.call("CLUSTER", "INFO").contains("cluster_state:ok") && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals("-ERR MOVE is not allowed in cluster mode\r\n", c.call("MOVE", "k", "1"));
            c.call("SET", "{k}", "v");
            assertEquals("-CROSSSLOT Keys in request don't hash to the same slot\r\n", c.call("COPY", "k", "k2"));
            assertEquals("-ERR Copying to another database is not allowed in cluster mode\r\n",
                    c.call("COPY", "{k}", "{k}2", "DB", "1"));
            assertEquals(":1\r\n", c.call("COPY", "{k}", "{k}2", "DB", "0"));
        }
    }

    private static java.nio.file.Path tempDir() {
        try {
            return java.nio.file.Files.createTempDirectory("cluster");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- specs ----

    /** COMMAND INFO of every generic command and subcommand as redis-server's; the docs fields as COMMAND DOCS. */
    @Test
    void specsMatchReferenceCommandInfoAndDocs() {
        diff(0);
        List<String> names = CommandInfoConformance.namesOf(new GenericFamily(server.server()));
        assertEquals(31, names.size());
        CommandInfoConformance.Report report = CommandInfoConformance.compare(ref, cand, names);
        assertEquals(List.of(), report.differences());
        assertEquals(List.of(), report.notInRedis());
        for (String name : names) {
            CommandSpec spec = server.server().commands().lookupFullName(name).spec();
            Map<Object, Object> docs = Resp.pairs(Resp.pairs(Resp.parse(ref.call("COMMAND", "DOCS", name))).get(name));
            assertEquals(List.of(spec.summary(), spec.since(), spec.group(), spec.complexity()),
                    List.of(docs.get("summary"), docs.get("since"), docs.get("group"), docs.get("complexity")), name);
        }
    }

    // ---- helpers ----

    private static long[] redisStats(RespClient c) {
        String info = (String) Resp.parse(c.call("INFO", "stats"));
        long hits = -1;
        long misses = -1;
        for (String line : info.split("\r\n")) {
            if (line.startsWith("keyspace_hits:")) {
                hits = Long.parseLong(line.substring(14));
            } else if (line.startsWith("keyspace_misses:")) {
                misses = Long.parseLong(line.substring(16));
            }
        }
        return new long[] {hits, misses};
    }

    @SuppressWarnings("unchecked")
    private static List<Object> array(String raw) {
        Object o = Resp.parse(raw);
        if (!(o instanceof List)) {
            throw new AssertionError("not an array: " + raw);
        }
        return (List<Object>) o;
    }

    private static void pollUntil(Supplier<Boolean> condition, String message) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                fail(message);
            }
            Thread.onSpinWait();
        }
    }

    /** Every key of a full SCAN iteration (duplicates allowed, as Redis may return a key twice). */
    private static List<String> scanAll(RespClient c, String cursor, String... options) {
        List<String> keys = new ArrayList<>();
        do {
            List<String> args = new ArrayList<>(List.of("SCAN", cursor));
            args.addAll(List.of(options));
            List<Object> r = array(c.call(args.toArray(new String[0])));
            cursor = (String) r.get(0);
            for (Object k : (List<?>) r.get(1)) {
                keys.add((String) k);
            }
        } while (!cursor.equals("0"));
        return keys;
    }

    private static List<String> sorted(String rawArray) {
        List<String> out = new ArrayList<>();
        for (Object o : array(rawArray)) {
            out.add((String) o);
        }
        Collections.sort(out);
        return out;
    }

    private static Set<String> diffOf(Set<String> want, Set<String> got) {
        Set<String> missing = new TreeSet<>(want);
        missing.removeAll(got);
        return missing;
    }

    private static <T> List<List<T>> batches(List<T> all, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return out;
    }
}
