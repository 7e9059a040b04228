package io.cinnabar.kernel.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.kernel.persistence.AllPlugins;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code mapped} storage engine: the same replies as Redis with string values in Chronicle Map files, and the
 * keyspace kept across a clean restart (warm start, no RDB) and across an unclean stop (recovered strings).
 */
class MappedEngineTest {
    @TempDir
    Path dir;

    private TestServer mapped(Path d) {
        return mapped(d, 4096);
    }

    private TestServer mapped(Path d, int maxKeys) {
        return AllPlugins.builder().option("dir", d.toString()).option("save", "").option("storage-engine", "mapped")
                .option("mapped-max-keys", Integer.toString(maxKeys)).start();
    }

    private static String big(int n, char c) {
        return String.valueOf(c).repeat(n);
    }

    @Test
    void stringCommandsReplyAsRedis() {
        try (ReferenceRedis redis = ReferenceRedis.start(); TestServer s = mapped(dir);
                RespClient ref = redis.client(); RespClient cand = s.client()) {
            Differential d = new Differential(ref, cand);
            d.run("SET a 1", "GET a", "OBJECT ENCODING a", "INCR a", "GET a", "TYPE a", "STRLEN a",
                    "SET e \"\"", "GET e", "EXISTS e",
                    "APPEND a xyz", "GET a", "OBJECT ENCODING a", "SETRANGE a 1 QQ", "GET a",
                    "MSET m1 x m2 y m3 z", "MGET m1 m2 m3 nope", "GETDEL m1", "GET m1", "DBSIZE",
                    "SETEX t 100 v", "TTL t", "GETEX t PERSIST", "TTL t", "SET t w KEEPTTL", "GET t",
                    "SET n 5 EX 100", "SET n 6 KEEPTTL", "TTL n", "SET n 7", "TTL n",
                    "RENAME n n2", "GET n2", "COPY n2 n3", "GET n3", "MOVE n3 2", "SELECT 2", "GET n3",
                    "SELECT 0", "SWAPDB 0 2", "GET n3", "GET a", "SWAPDB 0 2", "GET a",
                    "RPUSH l a b", "SET l s", "TYPE l", "GET l", "HSET h f v", "GET h", "SET h x", "GET h",
                    "DEL a e t", "GET a", "DBSIZE");
            d.cmd("SET", "mid", big(3000, 'm'));
            d.cmd("GET", "mid");
            d.cmd("SET", "large", big(100_000, 'L'));
            d.cmd("STRLEN", "large");
            d.cmd("GETRANGE", "large", "99990", "-1");
            d.cmd("SET", "huge", big(600_000, 'H'));
            d.cmd("STRLEN", "huge");
            d.cmd("SET", "mid", "small again");
            d.cmd("GET", "mid");
            d.cmd("SET", "large", big(200, 'x'));
            d.cmd("GET", "large");
            d.run("FLUSHDB", "DBSIZE", "GET mid", "SET after flush", "GET after");
            d.assertSame();
        }
    }

    @Test
    void scanReturnsEveryKeyAndExpiredKeysVanish() {
        try (TestServer s = mapped(dir); RespClient c = s.client()) {
            for (int i = 0; i < 2000; i++) {
                c.call("SET", "k" + i, "v" + i);
            }
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            do {
                String r = c.call("SCAN", cursor, "COUNT", "100");
                String[] lines = r.split("\r\n");
                cursor = lines[2];
                for (int i = 5; i < lines.length; i += 2) {
                    seen.add(lines[i]);
                }
            } while (!cursor.equals("0"));
            assertEquals(2000, seen.size());
            c.call("SET", "gone", "x", "PX", "1");
            long deadline = System.currentTimeMillis() + 5000;
            while (!c.call("GET", "gone").equals("$-1\r\n") && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals("$-1\r\n", c.call("GET", "gone"));
            assertEquals(":2000\r\n", c.call("DBSIZE"));
        }
    }

    @Test
    void aFullSizeClassKeepsFurtherValuesOnTheHeap() {
        try (TestServer s = mapped(dir); RespClient c = s.client()) {
            // 4096 declared keys with a bloat factor of 4: far more than that cannot fit in the small class
            for (int i = 0; i < 60_000; i++) {
                c.send("SET", "key:" + i, "value:" + i);
            }
            for (int i = 0; i < 60_000; i++) {
                assertEquals("+OK\r\n", c.readReply());
            }
            assertEquals(":60000\r\n", c.call("DBSIZE"));
            assertEquals("$11\r\nvalue:59999\r\n", c.call("GET", "key:59999"));
            assertEquals("$7\r\nvalue:0\r\n", c.call("GET", "key:0"));
        }
        try (TestServer s = mapped(dir); RespClient c = s.client()) {
            assertEquals(":60000\r\n", c.call("DBSIZE"));
            assertEquals("$11\r\nvalue:59999\r\n", c.call("GET", "key:59999"));
        }
    }

    @Test
    void aSizeClassGrowsIntoLargerMapsInTheBackground() throws IOException {
        int n = 30_000; // the first map of the small class holds about 4096 with mapped-max-keys 1024
        Path live = Files.createDirectories(dir.resolve("live"));
        Path crashed = dir.resolve("crashed");
        try (TestServer s = mapped(live, 1024); RespClient c = s.client()) {
            for (int i = 0; i < n; i++) {
                assertEquals("+OK\r\n", c.call("SET", "k" + i, "v" + i));
            }
            c.call("SET", "k0", "rewritten"); // moves from the first generation to the newest
            assertEquals(":" + n + "\r\n", c.call("DBSIZE"));
            assertTrue(Files.exists(live.resolve("mapped/db0/s0.g1.cmap")));
            assertTrue(Files.exists(live.resolve("mapped/db0/s0.g2.cmap")));
            copyTree(live.resolve("mapped"), crashed.resolve("mapped"));
        }
        try (TestServer s = mapped(live, 1024); RespClient c = s.client()) {
            assertEquals(":" + n + "\r\n", c.call("DBSIZE"));
            assertEquals("$9\r\nrewritten\r\n", c.call("GET", "k0"));
            assertEquals("$6\r\nv29999\r\n", c.call("GET", "k29999"));
        }
        // every value was in a map when the process died: all of them come back
        try (TestServer s = mapped(crashed, 1024); RespClient c = s.client()) {
            assertEquals(":" + n + "\r\n", c.call("DBSIZE"));
            assertEquals("$9\r\nrewritten\r\n", c.call("GET", "k0"));
            assertEquals("$5\r\nv1234\r\n", c.call("GET", "k1234"));
        }
    }

    @Test
    void cleanRestartRestoresEveryKeyWithoutAnRdb() {
        try (TestServer s = mapped(dir); RespClient c = s.client()) {
            c.call("SET", "small", "v");
            c.call("SET", "mid", big(2000, 'm'));
            c.call("SET", "large", big(50_000, 'l'));
            c.call("SET", "huge", big(700_000, 'h'));
            c.call("SET", "ttl", "t", "EX", "1000");
            c.call("SET", "appended", "ab");
            c.call("APPEND", "appended", "cd");
            c.call("RPUSH", "list", "a", "b", "c");
            c.call("HSET", "hash", "f", "v");
            c.call("EXPIRE", "hash", "2000");
            c.call("SELECT", "3");
            c.call("SET", "in3", "three");
            c.call("SWAPDB", "3", "4");
            c.call("SET", "deleted", "x");
            c.call("DEL", "deleted");
        }
        assertTrue(Files.exists(dir.resolve("mapped").resolve("clean")));
        assertFalse(Files.exists(dir.resolve("dump.rdb")));
        try (TestServer s = mapped(dir); RespClient c = s.client()) {
            assertFalse(Files.exists(dir.resolve("mapped").resolve("clean")), "the marker goes once running");
            assertEquals(":8\r\n", c.call("DBSIZE"));
            assertEquals("$1\r\nv\r\n", c.call("GET", "small"));
            assertEquals(":2000\r\n", c.call("STRLEN", "mid"));
            assertEquals(":50000\r\n", c.call("STRLEN", "large"));
            assertEquals(":700000\r\n", c.call("STRLEN", "huge"));
            assertEquals("$4\r\nabcd\r\n", c.call("GET", "appended"));
            assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", c.call("LRANGE", "list", "0", "-1"));
            assertEquals("$1\r\nv\r\n", c.call("HGET", "hash", "f"));
            assertTrue(ttl(c, "ttl") > 990 && ttl(c, "ttl") <= 1000);
            assertTrue(ttl(c, "hash") > 1990 && ttl(c, "hash") <= 2000);
            assertEquals(":-1\r\n", c.call("TTL", "small"));
            c.call("SELECT", "4");
            assertEquals("$5\r\nthree\r\n", c.call("GET", "in3"));
            c.call("SELECT", "3");
            assertEquals(":0\r\n", c.call("DBSIZE"));
            c.call("SELECT", "0");
            c.call("SET", "small", "changed");
        }
        try (TestServer s = mapped(dir); RespClient c = s.client()) {
            assertEquals("$7\r\nchanged\r\n", c.call("GET", "small"));
            assertEquals(":8\r\n", c.call("DBSIZE"));
        }
    }

    @Test
    void uncleanStopRecoversStringsAndTheirTtls() throws IOException {
        Path crashed = dir.resolve("crashed");
        Path live = Files.createDirectories(dir.resolve("live"));
        try (TestServer s = mapped(live); RespClient c = s.client()) {
            c.call("SET", "s1", "one");
            c.call("SET", "s2", big(10_000, 'z'), "EX", "500");
            c.call("SET", "gone", "x");
            c.call("DEL", "gone");
            c.call("RPUSH", "list", "a");
            c.call("PING");
            // the files as a kill -9 leaves them: what the running process wrote sits in the page cache
            copyTree(live.resolve("mapped"), crashed.resolve("mapped"));
        }
        assertFalse(Files.exists(crashed.resolve("mapped").resolve("clean")));
        try (TestServer s = mapped(crashed); RespClient c = s.client()) {
            assertEquals("$3\r\none\r\n", c.call("GET", "s1"));
            assertEquals(":10000\r\n", c.call("STRLEN", "s2"));
            assertTrue(ttl(c, "s2") > 490);
            assertEquals(":0\r\n", c.call("EXISTS", "gone"));
            assertEquals(":0\r\n", c.call("EXISTS", "list"), "heap-only values are lost in a crash");
            assertEquals(":2\r\n", c.call("DBSIZE"));
            c.call("SET", "s3", "after");
        }
        try (TestServer s = mapped(crashed); RespClient c = s.client()) {
            assertEquals(":3\r\n", c.call("DBSIZE"));
        }
    }

    @Test
    void aFullTtlMapKeepsFurtherValuesWithATtlOnTheHeap() throws IOException {
        int n = 12_000; // the TTL map of mapped-max-keys 1024 holds fewer
        Path live = Files.createDirectories(dir.resolve("live"));
        Path crashed = dir.resolve("crashed");
        try (TestServer s = mapped(live, 1024); RespClient c = s.client()) {
            for (int i = 0; i < n; i++) {
                c.send("SET", "k" + i, "v" + i, "EX", Integer.toString(1000 + i % 100));
            }
            for (int i = 0; i < n; i++) {
                assertEquals("+OK\r\n", c.readReply(), "SET number " + i);
            }
            c.call("PERSIST", "k0");
            assertEquals(":" + n + "\r\n", c.call("DBSIZE"));
            copyTree(live.resolve("mapped"), crashed.resolve("mapped"));
        }
        try (TestServer s = mapped(live, 1024); RespClient c = s.client()) {
            assertEquals(":" + n + "\r\n", c.call("DBSIZE"));
            assertEquals(":-1\r\n", c.call("TTL", "k0"));
            for (int i = 1; i < n; i++) {
                long ttl = ttl(c, "k" + i);
                assertTrue(ttl > 900 && ttl <= 1000 + i % 100, "k" + i + " ttl " + ttl);
            }
            assertEquals("$6\r\nv11999\r\n", c.call("GET", "k11999"));
        }
        // after a crash the keys whose TTL did not fit are lost with the heap, none comes back without its TTL
        try (TestServer s = mapped(crashed, 1024); RespClient c = s.client()) {
            String size = c.call("DBSIZE");
            int kept = Integer.parseInt(size.substring(1, size.length() - 2));
            assertTrue(kept > 1000 && kept < n, "kept " + kept);
            for (int i = 1; i < n; i++) {
                String r = c.call("TTL", "k" + i);
                assertTrue(!r.equals(":-1\r\n"), "k" + i + " came back without its TTL");
            }
        }
    }

    @Test
    void aSnapshotRunningAcrossFlushdbKeepsTheValuesItStartedWith() {
        try (TestServer s = mapped(dir); RespClient c = s.client()) {
            for (int i = 0; i < 200; i++) {
                c.call("SET", "k" + i, "v" + i);
            }
            c.call("RPUSH", "list", "x");
            c.call("CONFIG", "SET", "rdb-key-save-delay", "2000"); // 2 ms per key: FLUSHDB lands mid-walk
            assertEquals("+Background saving started\r\n", c.call("BGSAVE"));
            assertEquals("+OK\r\n", c.call("FLUSHDB"));
            c.call("SET", "after", "flush");
            long deadline = System.currentTimeMillis() + 60_000;
            while (!c.call("INFO", "persistence").contains("rdb_bgsave_in_progress:0")
                    && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(c.call("INFO", "persistence").contains("rdb_last_bgsave_status:ok"));
            assertEquals(":1\r\n", c.call("DBSIZE"));
        }
        // the snapshot, loaded by the heap engine: the content at BGSAVE time
        try (TestServer s = AllPlugins.builder().option("dir", dir.toString()).option("save", "").start();
                RespClient c = s.client()) {
            assertEquals(":201\r\n", c.call("DBSIZE"));
            assertEquals("$4\r\nv199\r\n", c.call("GET", "k199"));
            assertEquals(":0\r\n", c.call("EXISTS", "after"));
        }
    }

    @Test
    void heapEngineKeepsNoFiles() {
        try (TestServer s = AllPlugins.builder().option("dir", dir.toString()).option("save", "").start();
                RespClient c = s.client()) {
            c.call("SET", "a", "b");
            assertEquals("*2\r\n$14\r\nstorage-engine\r\n$4\r\nheap\r\n", c.call("CONFIG", "GET", "storage-engine"));
        }
        assertFalse(Files.exists(dir.resolve("mapped")));
    }

    private static long ttl(RespClient c, String key) {
        String r = c.call("TTL", key);
        return Long.parseLong(r.substring(1, r.length() - 2));
    }

    /** Copies a live server's files, as a kill -9 would leave them. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
