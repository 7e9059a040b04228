package io.cinnabar.kernel.persistence;

import static io.cinnabar.kernel.persistence.RdbTesting.awaitInfo;
import static io.cinnabar.kernel.persistence.RdbTesting.awaitNoBgsave;
import static io.cinnabar.kernel.persistence.RdbTesting.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SAVE, BGSAVE, LASTSAVE, save points, -MISCONF, DEBUG RELOAD, FLUSHALL's save, SHUTDOWN's save and INFO
 * persistence, against the reference redis-server byte for byte where the replies are deterministic.
 */
class PersistenceFamilyTest {
    private static ReferenceRedis redis;
    private static TestServer server;
    private static Path redisDir;
    private static Path ourDir;
    private RespClient ref;
    private RespClient cand;
    private Differential d;

    @BeforeAll
    static void start() throws Exception {
        redis = ReferenceRedis.start("--enable-protected-configs", "yes");
        redisDir = redis.dir();
        ourDir = Files.createTempDirectory("cinnabar-persist");
        server = AllPlugins.builder().option("dir", ourDir.toString()).option("save", "")
                .option("enable-debug-command", "yes").option("enable-protected-configs", "yes").start();
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

    @BeforeEach
    void connect() {
        ref = redis.client();
        cand = server.client();
        d = new Differential(ref, cand);
        for (RespClient c : List.of(ref, cand)) {
            awaitNoBgsave(c);
            c.call("CONFIG", "SET", "save", "");
            c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
            c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes");
            c.call("FLUSHALL");
        }
        ref.call("CONFIG", "SET", "dir", redisDir.toString());
        cand.call("CONFIG", "SET", "dir", ourDir.toString());
    }

    @AfterEach
    void close() {
        ref.close();
        cand.close();
    }

    @Test
    void saveAndBgsaveReplyAsRedis() {
        d.run("SET a 1", "RPUSH l x y z", "SAVE", "SAVE x", "BGSAVE x", "BGSAVE SCHEDULE x", "LASTSAVE x");
        d.assertSame();
        d.run("BGSAVE");
        awaitNoBgsave(ref);
        awaitNoBgsave(cand);
        d.run("BGSAVE SCHEDULE", "bgsave schedule");
        awaitNoBgsave(ref);
        awaitNoBgsave(cand);
        d.assertSame();
        assertEquals("ok", info(cand, "persistence", "rdb_last_bgsave_status"));
        assertEquals("0", info(cand, "persistence", "rdb_changes_since_last_save"));
        long now = System.currentTimeMillis() / 1000;
        long lastsave = Long.parseLong(cand.call("LASTSAVE").trim().substring(1));
        assertTrue(Math.abs(lastsave - now) <= 2, "LASTSAVE is the time of the last save: " + lastsave);
    }

    @Test
    void changesSinceLastSaveCountAsRedis() {
        d.run("SAVE", "SET a 1", "SET b 2", "DEL a", "INCR n");
        assertEquals(info(ref, "persistence", "rdb_changes_since_last_save"),
                info(cand, "persistence", "rdb_changes_since_last_save"));
        d.run("SAVE");
        assertEquals("0", info(cand, "persistence", "rdb_changes_since_last_save"));
        d.assertSame();
    }

    @Test
    void bgsaveInProgressRefusesAnotherSave() {
        for (RespClient c : List.of(ref, cand)) {
            c.call("CONFIG", "SET", "rdb-key-save-delay", "100000"); // 100 ms a key: the save stays running
            for (int i = 0; i < 50; i++) {
                c.call("SET", "k" + i, "v" + i);
            }
        }
        d.run("BGSAVE");
        assertEquals("1", info(cand, "persistence", "rdb_bgsave_in_progress"));
        d.run("BGSAVE", "BGSAVE SCHEDULE", "SAVE", "MULTI", "BGSAVE", "EXEC", "DEBUG RELOAD x");
        d.assertSame();
        // FLUSHALL kills the save; a killed save is not an error
        d.run("FLUSHALL");
        awaitNoBgsave(ref);
        awaitNoBgsave(cand);
        assertEquals(info(ref, "persistence", "rdb_last_bgsave_status"),
                info(cand, "persistence", "rdb_last_bgsave_status"));
        d.assertSame();
    }

    @Test
    void bgsaveInsideMultiIsScheduled() {
        String before = info(cand, "persistence", "rdb_saves");
        d.run("SET a 1", "MULTI", "BGSAVE", "EXEC");
        d.assertSame();
        long deadline = System.currentTimeMillis() + 30_000;
        while (info(cand, "persistence", "rdb_saves").equals(before) && System.currentTimeMillis() < deadline) {
            RdbTesting.pause();
        }
        assertFalse(info(cand, "persistence", "rdb_saves").equals(before), "the scheduled BGSAVE ran");
        awaitNoBgsave(ref);
        awaitNoBgsave(cand);
    }

    @Test
    void failedBgsaveStopsWritesWithMisconf() throws Exception {
        Path refGone = Files.createTempDirectory("gone");
        Path ourGone = Files.createTempDirectory("gone");
        assertEquals("+OK\r\n", ref.call("CONFIG", "SET", "dir", refGone.toString()));
        assertEquals("+OK\r\n", cand.call("CONFIG", "SET", "dir", ourGone.toString()));
        Files.delete(refGone);
        Files.delete(ourGone);
        d.cmd("CONFIG", "SET", "save", "3600 1");
        d.run("SET k v", "BGSAVE");
        awaitNoBgsave(ref);
        awaitNoBgsave(cand);
        assertEquals("err", info(ref, "persistence", "rdb_last_bgsave_status"));
        assertEquals("err", info(cand, "persistence", "rdb_last_bgsave_status"));
        d.run("SAVE"); // a failed SAVE: plain -ERR, the reason only in the log
        d.run("SET k v2", "PING", "GET k", "DEL k", "MULTI", "SET k v", "EXEC", "MULTI", "GET k", "EXEC",
                "CONFIG SET stop-writes-on-bgsave-error no", "SET k v3", "PING",
                "CONFIG SET stop-writes-on-bgsave-error yes", "SET k v4");
        d.cmd("CONFIG", "SET", "save", "");
        d.run("SET k v5");
        d.cmd("CONFIG", "SET", "save", "3600 1");
        d.run("SET k v6");
        d.assertSame();
        // a successful save clears the condition
        ref.call("CONFIG", "SET", "dir", redisDir.toString());
        cand.call("CONFIG", "SET", "dir", ourDir.toString());
        d.run("BGSAVE");
        awaitInfo(ref, "rdb_last_bgsave_status", "ok");
        awaitInfo(cand, "rdb_last_bgsave_status", "ok");
        awaitNoBgsave(ref);
        awaitNoBgsave(cand);
        d.run("SET k v7", "GET k");
        d.cmd("CONFIG", "SET", "save", "");
        d.assertSame();
    }

    @Test
    void infoPersistenceHasTheFieldsOfRedis() {
        assertEquals(fieldNames(ref.call("INFO", "persistence")), fieldNames(cand.call("INFO", "persistence")));
    }

    private static List<String> fieldNames(String info) {
        List<String> names = new ArrayList<>();
        for (String line : info.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("$")) {
                names.add(line.substring(0, colon));
            }
        }
        return names;
    }

    @Test
    void debugReloadKeepsTheDataset() throws Exception {
        d.run("SET s hello", "SET n 12345", "RPUSH l a b c 1 2 3", "SELECT 3", "SET other db3",
                "EXPIREAT other 4102444800", "SELECT 0");
        String digest = cand.call("DEBUG", "DIGEST");
        String dump = DatasetDump.of(cand, 16);
        d.run("DEBUG RELOAD", "GET s", "LRANGE l 0 -1", "SELECT 3", "GET other", "TTL other", "SELECT 0");
        assertEquals(digest, cand.call("DEBUG", "DIGEST"));
        assertEquals(dump, DatasetDump.of(cand, 16));
        assertEquals(DatasetDump.of(ref, 16), DatasetDump.of(cand, 16));
        // a file with a wrong checksum: refused, unless checking is switched off
        d.run("SAVE");
        corruptChecksum(redisDir.resolve("dump.rdb"));
        corruptChecksum(ourDir.resolve("dump.rdb"));
        d.run("DEBUG RELOAD NOSAVE", "DEBUG SET-SKIP-CHECKSUM-VALIDATION 1", "DEBUG RELOAD NOSAVE", "GET s",
                "DEBUG SET-SKIP-CHECKSUM-VALIDATION 0", "DEBUG RELOAD");
        // NOSAVE loads the file as it is: keys set since are gone
        d.run("SET later 1", "DEBUG RELOAD NOSAVE", "EXISTS later", "DEBUG RELOAD BOGUS",
                "SET later 1", "DEBUG RELOAD NOSAVE NOFLUSH MERGE", "EXISTS later", "GET s");
        d.assertSame();
    }

    private static void corruptChecksum(Path file) throws java.io.IOException {
        byte[] b = Files.readAllBytes(file);
        b[b.length - 1] ^= 0x01;
        Files.write(file, b);
    }

    @Test
    void flushallSavesTheEmptyDatasetWhenSavePointsExist() throws Exception {
        d.cmd("CONFIG", "SET", "save", "3600 1");
        d.run("SET a 1", "SET b 2", "FLUSHALL");
        assertEquals(info(ref, "persistence", "rdb_changes_since_last_save"),
                info(cand, "persistence", "rdb_changes_since_last_save"));
        assertEquals(info(ref, "persistence", "rdb_saves"), info(cand, "persistence", "rdb_saves"));
        Path file = ourDir.resolve("dump.rdb");
        assertTrue(Files.exists(file));
        RdbTesting.checkRdb(file);
        d.cmd("CONFIG", "SET", "save", "");
        d.run("SET a 1", "FLUSHALL");
        assertEquals(info(ref, "persistence", "rdb_changes_since_last_save"),
                info(cand, "persistence", "rdb_changes_since_last_save"));
        d.assertSame();
    }

    @Test
    void shutdownSavesAsAskedAndTheNextStartLoads() throws Exception {
        Path dir = Files.createTempDirectory("cinnabar-shutdown");
        TestServer s1 = AllPlugins.builder().option("dir", dir.toString()).option("save", "").start();
        try (RespClient c = s1.client()) {
            c.call("SET", "kept", "1");
            c.send("SHUTDOWN", "NOSAVE");
            assertTrue(c.isClosedByServer(), "SHUTDOWN closes the connection");
        }
        s1.close();
        assertFalse(Files.exists(dir.resolve("dump.rdb")), "NOSAVE (and no save points): no file");
        TestServer s2 = AllPlugins.builder().option("dir", dir.toString()).option("save", "").start();
        try (RespClient c = s2.client()) {
            c.call("SET", "kept", "1");
            c.send("SHUTDOWN", "SAVE");
            assertTrue(c.isClosedByServer(), "SHUTDOWN closes the connection");
        }
        s2.close();
        assertTrue(Files.exists(dir.resolve("dump.rdb")));
        TestServer s3 = AllPlugins.builder().option("dir", dir.toString()).start(); // default save points
        try (RespClient c = s3.client()) {
            assertEquals("$1\r\n1\r\n", c.call("GET", "kept"));
            assertEquals("1", info(c, "persistence", "rdb_last_load_keys_loaded"));
            c.call("SET", "also", "2");
            c.send("SHUTDOWN"); // save points exist: saves
            assertTrue(c.isClosedByServer(), "SHUTDOWN closes the connection");
        }
        s3.close();
        try (TestServer s4 = AllPlugins.builder().option("dir", dir.toString()).start();
             RespClient c = s4.client()) {
            assertEquals("$1\r\n2\r\n", c.call("GET", "also"));
        }
    }

    @Test
    void startupLoadAnswersLoadingUntilTheDatasetIsIn() throws Exception {
        Path dir = Files.createTempDirectory("cinnabar-loading");
        try (TestServer s = AllPlugins.builder().option("dir", dir.toString()).option("save", "")
                .option("enable-debug-command", "yes").start(); RespClient c = s.client()) {
            c.call("DEBUG", "POPULATE", "1000000");
            assertEquals("+OK\r\n", c.call("SAVE"));
        }
        int port = TestServer.freePort();
        java.util.concurrent.CompletableFuture<TestServer> started = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> AllPlugins.builder().option("dir", dir.toString()).option("save", "")
                        .option("port", Integer.toString(port)).start());
        int loadingReplies = 0;
        int loadingInfos = 0;
        int served = 0;
        try {
            while (!started.isDone() || served == 0) {
                try (RespClient c = new RespClient("127.0.0.1", port)) {
                    String get = c.call("GET", "key:1");
                    String info = c.call("INFO", "persistence");
                    if (get.equals("-LOADING Redis is loading the dataset in memory\r\n")) {
                        loadingReplies++;
                    } else {
                        assertEquals("$7\r\nvalue:1\r\n", get);
                        served++;
                    }
                    if (info.contains("loading:1")) {
                        loadingInfos++;
                        assertTrue(info.contains("loading_total_bytes:") && info.contains("loading_eta_seconds:"), info);
                    }
                } catch (java.io.UncheckedIOException | IllegalStateException notListeningYet) {
                    RdbTesting.pause();
                }
            }
        } finally {
            try (TestServer s = started.get(); RespClient c = s.client()) {
                assertEquals(":1000000\r\n", c.call("DBSIZE"));
                assertEquals("0", info(c, "persistence", "loading"));
                assertEquals("1000000", info(c, "persistence", "rdb_last_load_keys_loaded"));
            }
        }
        System.out.println("during the load: " + loadingReplies + " -LOADING replies, " + loadingInfos
                + " INFO replies with loading:1");
    }
}
