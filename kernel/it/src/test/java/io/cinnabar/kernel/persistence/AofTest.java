package io.cinnabar.kernel.persistence;

import static io.cinnabar.kernel.persistence.RdbTesting.info;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The multi-part append-only file: manifest and file names as Redis 7.2 writes them, the INCR file byte for
 * byte against redis-server's, BGREWRITEAOF replies and file rotation, loading at startup (also of an AOF
 * directory redis-server wrote, and redis-server loading ours), torn tails, the Redis 6 single-file upgrade,
 * CONFIG SET appendonly and INFO persistence.
 */
class AofTest {
    private static final String MANIFEST_1 = "file appendonly.aof.1.base.rdb seq 1 type b\n"
            + "file appendonly.aof.1.incr.aof seq 1 type i\n";

    private static TestServer cinnabar(Path dir, String... options) {
        TestServer.Builder b = AllPlugins.builder().option("dir", dir.toString()).option("save", "")
                .option("appendonly", "yes");
        for (int i = 0; i + 1 < options.length; i += 2) {
            b.option(options[i], options[i + 1]);
        }
        return b.start();
    }

    private static String manifest(Path dir) throws IOException {
        return Files.readString(dir.resolve("appendonlydir/appendonly.aof.manifest"));
    }

    private static List<String> files(Path aofDir) throws IOException {
        try (Stream<Path> s = Files.list(aofDir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    static void await(BooleanSupplier cond, String what) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for " + what);
            }
            RdbTesting.pause();
        }
    }

    /** redis-server listens while it loads (-LOADING): wait until the dataset is in. */
    static void awaitLoaded(RespClient c) {
        await(() -> "0".equals(info(c, "persistence", "loading")), "the load");
    }

    /** Polls until neither a rewrite runs nor one is scheduled, both read from one INFO reply. */
    static void awaitNoRewrite(RespClient c) {
        await(() -> {
            String raw = c.call("INFO", "persistence");
            return raw.contains("\r\naof_rewrite_in_progress:0\r\n") && raw.contains("\r\naof_rewrite_scheduled:0\r\n");
        }, "the AOF rewrite to end");
    }

    private static final String[] WRITES = {"SET a 1", "SELECT 3", "SET b 2", "INCR n", "RPUSH l x y z",
        "SADD s m1 m2", "HSET h f v", "ZADD z 1 one 2 two", "SELECT 0", "DEL a", "MULTI", "SET x 1", "INCR y", "EXEC",
        "APPEND x 23", "INCRBYFLOAT f 1.5", "LPOP l"};

    @Test
    void appendonlyStartsWithBaseIncrAndManifestAsRedis() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        try (ReferenceRedis redis = ReferenceRedis.start("--appendonly", "yes");
             TestServer s = cinnabar(dir)) {
            assertEquals(MANIFEST_1, manifest(redis.dir()));
            assertEquals(MANIFEST_1, manifest(dir));
            assertEquals(files(redis.dir().resolve("appendonlydir")), files(dir.resolve("appendonlydir")));
            RespClient c = s.client();
            assertEquals("1", info(c, "persistence", "aof_enabled"));
            assertEquals("0", info(c, "persistence", "aof_rewrite_in_progress"));
            assertEquals("ok", info(c, "persistence", "aof_last_write_status"));
            assertEquals("0", info(c, "persistence", "aof_buffer_length"));
        }
    }

    @Test
    void appendNamesAreCheckedAndQuotedAsRedis() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        Exception e = assertThrows(Exception.class, () -> cinnabar(dir, "appendfilename", "a/b"));
        assertTrue(e.getMessage().contains("appendfilename can't be a path, just a filename"), e.getMessage());
        e = assertThrows(Exception.class, () -> cinnabar(dir, "appenddirname", ""));
        assertTrue(e.getMessage().contains("appenddirname can't be empty"), e.getMessage());
        try (ReferenceRedis redis = ReferenceRedis.start("--appendonly", "yes", "--appendfilename", "a b",
                "--appenddirname", "my dir");
             TestServer s = cinnabar(dir, "appendfilename", "a b", "appenddirname", "my dir")) {
            String theirs = Files.readString(redis.dir().resolve("my dir/a b.manifest"));
            assertEquals("file \"a b.1.base.rdb\" seq 1 type b\nfile \"a b.1.incr.aof\" seq 1 type i\n", theirs);
            assertEquals(theirs, Files.readString(dir.resolve("my dir/a b.manifest")));
            new Differential(redis.client(), s.client()).run("CONFIG GET appendfilename", "CONFIG GET appenddirname", "CONFIG SET appendfilename x",
                    "CONFIG SET appenddirname x")
                    .assertSame();
        }
    }

    @Test
    void incrFileHoldsTheCommandsRedisWrites() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        try (ReferenceRedis redis = ReferenceRedis.start("--appendonly", "yes");
             TestServer s = cinnabar(dir)) {
            RespClient ref = redis.client();
            RespClient cand = s.client();
            Differential d = new Differential(ref, cand);
            d.run(WRITES);
            d.assertSame();
            Path refIncr = redis.dir().resolve("appendonlydir/appendonly.aof.1.incr.aof");
            Path ourIncr = dir.resolve("appendonlydir/appendonly.aof.1.incr.aof");
            // redis-server may postpone an everysec write while a background fsync runs: wait for its file
            await(() -> {
                try {
                    return Files.readString(refIncr).equals(Files.readString(ourIncr));
                } catch (IOException e) {
                    return false;
                }
            }, "redis-server's incr file to hold what Cinnabar's holds:\n" + Files.readString(ourIncr));
            for (String f : List.of("aof_enabled", "aof_rewrite_in_progress", "aof_rewrite_scheduled",
                    "aof_last_rewrite_time_sec", "aof_current_rewrite_time_sec", "aof_last_bgrewrite_status",
                    "aof_rewrites", "aof_rewrites_consecutive_failures", "aof_last_write_status", "aof_current_size",
                    "aof_base_size", "aof_pending_rewrite", "aof_buffer_length", "aof_pending_bio_fsync",
                    "aof_delayed_fsync", "rdb_changes_since_last_save")) {
                assertEquals(info(ref, "persistence", f), info(cand, "persistence", f), f);
            }
            assertEquals(fieldNames(ref), fieldNames(cand));
        }
    }

    @Test
    void bgrewriteaofRotatesFilesAsRedis() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        try (ReferenceRedis redis = ReferenceRedis.start("--appendonly", "yes");
             TestServer s = cinnabar(dir)) {
            RespClient ref = redis.client();
            RespClient cand = s.client();
            Differential d = new Differential(ref, cand);
            d.run(WRITES);
            d.run("BGREWRITEAOF x", "BGREWRITEAOF");
            awaitNoRewrite(ref);
            awaitNoRewrite(cand);
            d.run("SET after rewrite", "MULTI", "BGREWRITEAOF", "EXEC");
            awaitNoRewrite(ref);
            awaitNoRewrite(cand);
            d.assertSame();
            assertEquals(manifest(redis.dir()), manifest(dir));
            assertEquals("file appendonly.aof.3.base.rdb seq 3 type b\nfile appendonly.aof.3.incr.aof seq 3 type i\n",
                    manifest(dir));
            assertEquals(files(redis.dir().resolve("appendonlydir")), files(dir.resolve("appendonlydir")));
            assertEquals("2", info(cand, "persistence", "aof_rewrites"));
            assertEquals("ok", info(cand, "persistence", "aof_last_bgrewrite_status"));
            assertEquals(Files.size(dir.resolve("appendonlydir/appendonly.aof.3.base.rdb")),
                    Long.parseLong(info(cand, "persistence", "aof_base_size")));
            String ours = DatasetDump.of(cand, 16);
            cand.close();
            s.close();
            try (TestServer again = cinnabar(dir)) {
                assertEquals(ours, DatasetDump.of(again.client(), 16));
                assertEquals(DatasetDump.of(ref, 16), ours);
            }
        }
    }

    @Test
    void bgrewriteaofWhileBgsaveIsScheduledAndBgsaveWhileRewriteIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        try (ReferenceRedis redis = ReferenceRedis.start("--appendonly", "yes");
             TestServer s = cinnabar(dir)) {
            RespClient ref = redis.client();
            RespClient cand = s.client();
            Differential d = new Differential(ref, cand);
            for (RespClient c : List.of(ref, cand)) {
                for (int i = 0; i < 40; i++) {
                    c.call("SET", "k" + i, "v" + i);
                }
                c.call("CONFIG", "SET", "rdb-key-save-delay", "100000");
            }
            d.run("BGREWRITEAOF", "BGREWRITEAOF", "BGSAVE");
            d.assertSame();
            for (RespClient c : List.of(ref, cand)) {
                c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
            }
            awaitNoRewrite(ref);
            awaitNoRewrite(cand);
            for (RespClient c : List.of(ref, cand)) {
                c.call("CONFIG", "SET", "rdb-key-save-delay", "100000");
            }
            d.run("BGSAVE", "BGREWRITEAOF");
            d.assertSame();
            assertEquals("1", info(cand, "persistence", "aof_rewrite_scheduled"));
            for (RespClient c : List.of(ref, cand)) {
                c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
            }
            RdbTesting.awaitNoBgsave(cand);
            awaitNoRewrite(cand);
            assertEquals("ok", info(cand, "persistence", "aof_last_bgrewrite_status"));
            RdbTesting.awaitNoBgsave(ref);
            awaitNoRewrite(ref);
        }
    }

    @Test
    void aofWrittenByRedisLoadsInCinnabarAndTheReverse() throws Exception {
        Path ours = Files.createTempDirectory("aof");
        String redisDump;
        Path redisDir;
        try (ReferenceRedis redis = ReferenceRedis.start("--appendonly", "yes")) {
            RespClient ref = redis.client();
            ref.call("SET", "before", "rewrite");
            ref.call("RPUSH", "list", "a", "b", "c");
            ref.call("BGREWRITEAOF");
            awaitNoRewrite(ref);
            for (String w : WRITES) {
                ref.call(w.split(" "));
            }
            ref.call("SET", "ttl", "v", "PX", "500000");
            redisDump = DatasetDump.of(ref, 16);
            redisDir = redis.dir();
        }
        copyTree(redisDir.resolve("appendonlydir"), ours.resolve("appendonlydir"));
        try (TestServer s = cinnabar(ours)) {
            RespClient c = s.client();
            assertEquals(redisDump, DatasetDump.of(c, 16));
            c.call("SET", "written", "by cinnabar");
            c.call("HSET", "h2", "a", "1", "b", "2");
            c.call("BGREWRITEAOF");
            awaitNoRewrite(c);
            c.call("SADD", "after", "x");
            c.call("SELECT", "5");
            c.call("SET", "db5", "v");
            redisDump = DatasetDump.of(c, 16);
        }
        checkAof(ours.resolve("appendonlydir/appendonly.aof.manifest"));
        Path back = Files.createTempDirectory("aofback");
        copyTree(ours.resolve("appendonlydir"), back.resolve("appendonlydir"));
        try (ReferenceRedis redis = ReferenceRedis.start("--appendonly", "yes", "--dir", back.toString())) {
            awaitLoaded(redis.client());
            assertEquals(redisDump, DatasetDump.of(redis.client(), 16));
        }
    }

    @Test
    void commandBaseWhenRdbPreambleIsOffLoadsHereAndInRedis() throws Exception {
        Path ours = Files.createTempDirectory("aof");
        String redisDump;
        Path redisDir;
        // Redis writes a command base; Cinnabar loads it
        try (ReferenceRedis redis = ReferenceRedis.start("--appendonly", "yes", "--aof-use-rdb-preamble", "no")) {
            RespClient ref = redis.client();
            for (String w : WRITES) {
                ref.call(w.split(" "));
            }
            bigCollections(ref);
            ref.call("BGREWRITEAOF");
            awaitNoRewrite(ref);
            ref.call("SET", "tail", "1");
            redisDump = DatasetDump.of(ref, 16);
            redisDir = redis.dir();
        }
        assertTrue(manifest(redisDir).startsWith("file appendonly.aof.2.base.aof seq 2 type b\n"));
        copyTree(redisDir.resolve("appendonlydir"), ours.resolve("appendonlydir"));
        try (TestServer s = cinnabar(ours, "aof-use-rdb-preamble", "no")) {
            RespClient c = s.client();
            assertEquals(redisDump, DatasetDump.of(c, 16));
            // and writes one of its own
            c.call("SET", "ttl", "v", "PX", "500000");
            c.call("BGREWRITEAOF");
            awaitNoRewrite(c);
            redisDump = DatasetDump.of(c, 16);
        }
        assertEquals("file appendonly.aof.3.base.aof seq 3 type b\nfile appendonly.aof.3.incr.aof seq 3 type i\n",
                manifest(ours));
        String base = Files.readString(ours.resolve("appendonlydir/appendonly.aof.3.base.aof"));
        assertTrue(base.startsWith("*2\r\n$6\r\nSELECT\r\n"), base);
        assertTrue(base.contains("$5\r\nRPUSH\r\n") && base.contains("$5\r\nHMSET\r\n")
                && base.contains("$4\r\nZADD\r\n") && base.contains("$4\r\nSADD\r\n")
                && base.contains("$9\r\nPEXPIREAT\r\n"), base);
        checkAof(ours.resolve("appendonlydir/appendonly.aof.manifest"));
        try (TestServer s = cinnabar(ours)) {
            assertEquals(redisDump, DatasetDump.of(s.client(), 16));
        }
        Path back = Files.createTempDirectory("aofback");
        copyTree(ours.resolve("appendonlydir"), back.resolve("appendonlydir"));
        try (ReferenceRedis redis = ReferenceRedis.start("--appendonly", "yes", "--dir", back.toString())) {
            awaitLoaded(redis.client());
            assertEquals(redisDump, DatasetDump.of(redis.client(), 16));
        }
    }

    /** Collections past the listpack limits and past 64 items a command (several RPUSH/SADD/ZADD/HMSET each). */
    private static void bigCollections(RespClient c) {
        for (int i = 0; i < 200; i++) {
            c.call("RPUSH", "biglist", "item" + i);
            c.call("SADD", "bigset", "m" + i);
            c.call("SADD", "intset", Integer.toString(i * 3));
            c.call("ZADD", "bigzset", Double.toString(i / 3.0), "z" + i);
            c.call("HSET", "bighash", "f" + i, "v" + i);
        }
        c.call("RPUSH", "hugeitem", "x".repeat(20000));
    }

    @Test
    void clientsGetLoadingWhileALargeAofReplays() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        Path aofDir = Files.createDirectories(dir.resolve("appendonlydir"));
        Files.writeString(aofDir.resolve("appendonly.aof.manifest"), "file appendonly.aof.1.incr.aof seq 1 type i\n");
        int keys = 300_000;
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(
                Files.newOutputStream(aofDir.resolve("appendonly.aof.1.incr.aof")))) {
            for (int i = 0; i < keys; i++) {
                String k = "key:" + i;
                out.write(("*3\r\n$3\r\nSET\r\n$" + k.length() + "\r\n" + k + "\r\n$1\r\nv\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
        }
        int port = TestServer.freePort();
        java.util.concurrent.CompletableFuture<TestServer> started = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> cinnabar(dir, "port", Integer.toString(port)));
        List<String> seen = new java.util.ArrayList<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!started.isDone() && System.currentTimeMillis() < deadline) {
            try (RespClient c = new RespClient("127.0.0.1", port)) {
                String reply = c.call("DBSIZE");
                seen.add(reply);
                if (reply.startsWith("-LOADING")) {
                    String persistence = c.call("INFO", "persistence");
                    if (persistence.contains("\r\nloading:1\r\n")) {
                        long total = Files.size(aofDir.resolve("appendonly.aof.1.incr.aof"));
                        assertTrue(persistence.contains("\r\nloading_total_bytes:" + total + "\r\n"), persistence);
                        seen.add("INFO loading:1");
                    }
                }
                assertTrue(reply.equals("-LOADING Redis is loading the dataset in memory\r\n")
                        || reply.equals(":" + keys + "\r\n"), reply);
            } catch (RuntimeException notListeningYet) {
                RdbTesting.pause();
            }
        }
        try (TestServer s = started.get()) {
            assertTrue(seen.contains("-LOADING Redis is loading the dataset in memory\r\n"), "replies: " + seen.size());
            assertTrue(seen.contains("INFO loading:1"), "INFO persistence says loading:1 during the load");
            assertEquals("0", info(s.client(), "persistence", "loading"));
            assertEquals(":" + keys + "\r\n", s.client().call("DBSIZE"));
        }
    }

    @Test
    void truncatedTailIsCutToTheLastCompleteCommand() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        try (TestServer s = cinnabar(dir)) {
            RespClient c = s.client();
            c.call("SET", "a", "1");
            c.call("SET", "b", "2");
        }
        Path incr = dir.resolve("appendonlydir/appendonly.aof.1.incr.aof");
        long complete = Files.size(incr);
        Files.write(incr, "*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1".getBytes(StandardCharsets.US_ASCII),
                java.nio.file.StandardOpenOption.APPEND);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> cinnabar(dir, "aof-load-truncated", "no"));
        assertTrue(e.getMessage().contains("AOF"), e.getMessage());
        try (TestServer s = cinnabar(dir)) {
            RespClient c = s.client();
            assertEquals("$1\r\n2\r\n", c.call("GET", "b"));
            assertEquals("$-1\r\n", c.call("GET", "c"));
            c.call("SET", "d", "4");
        }
        try (TestServer s = cinnabar(dir)) {
            assertEquals("$1\r\n4\r\n", s.client().call("GET", "d"));
        }
        assertTrue(Files.size(incr) > complete);
        checkAof(dir.resolve("appendonlydir/appendonly.aof.manifest"));
    }

    @Test
    void unfinishedMultiIsDroppedAndCorruptMiddleIsFatal() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        try (TestServer s = cinnabar(dir)) {
            s.client().call("SET", "a", "1");
        }
        Path incr = dir.resolve("appendonlydir/appendonly.aof.1.incr.aof");
        byte[] good = Files.readAllBytes(incr);
        Files.write(incr, "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nq\r\n$1\r\n1\r\n"
                .getBytes(StandardCharsets.US_ASCII), java.nio.file.StandardOpenOption.APPEND);
        try (TestServer s = cinnabar(dir)) {
            assertEquals("$-1\r\n", s.client().call("GET", "q"));
            assertEquals("$1\r\n1\r\n", s.client().call("GET", "a"));
        }
        assertArrayEquals(good, Files.readAllBytes(incr));
        Files.write(incr, "garbage\r\n*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII),
                java.nio.file.StandardOpenOption.APPEND);
        assertThrows(IllegalStateException.class, () -> cinnabar(dir));
        Files.write(incr, good);
        Files.write(incr, "*2\r\n$7\r\nNOSUCHX\r\n$1\r\na\r\n".getBytes(StandardCharsets.US_ASCII),
                java.nio.file.StandardOpenOption.APPEND);
        assertThrows(IllegalStateException.class, () -> cinnabar(dir));
    }

    @Test
    void badManifestIsFatal() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        Files.createDirectories(dir.resolve("appendonlydir"));
        Files.writeString(dir.resolve("appendonlydir/appendonly.aof.manifest"), "file x seq 1\n");
        assertThrows(IllegalStateException.class, () -> cinnabar(dir));
        Files.writeString(dir.resolve("appendonlydir/appendonly.aof.manifest"),
                "file appendonly.aof.1.base.rdb seq 1 type b\nfile missing.aof seq 1 type i\n");
        assertThrows(IllegalStateException.class, () -> cinnabar(dir));
    }

    @Test
    void redis6SingleFileAofIsMigratedIntoTheDirectory() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        Files.writeString(dir.resolve("appendonly.aof"),
                "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$3\r\nold\r\n$5\r\nstyle\r\n");
        try (TestServer s = cinnabar(dir)) {
            assertEquals("$5\r\nstyle\r\n", s.client().call("GET", "old"));
            s.client().call("SET", "new", "1");
        }
        assertFalse(Files.exists(dir.resolve("appendonly.aof")));
        assertEquals("file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
                manifest(dir));
        try (TestServer s = cinnabar(dir)) {
            assertEquals("$5\r\nstyle\r\n", s.client().call("GET", "old"));
            assertEquals("$1\r\n1\r\n", s.client().call("GET", "new"));
        }
    }

    @Test
    void redis6AofWithRdbPreambleLoadsAsInRedis() throws Exception {
        Path rdb;
        try (ReferenceRedis redis = ReferenceRedis.start()) {
            RespClient ref = redis.client();
            for (String w : WRITES) {
                ref.call(w.split(" "));
            }
            ref.call("SAVE");
            rdb = redis.dir().resolve("dump.rdb");
        }
        // Redis 6's single file: an RDB preamble, then the commands written after the rewrite
        byte[] tail = ("*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n*3\r\n$3\r\nSET\r\n$4\r\ntail\r\n$3\r\nyes\r\n"
                + "*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n").getBytes(StandardCharsets.US_ASCII);
        Path ours = Files.createTempDirectory("aof");
        Path theirs = Files.createTempDirectory("aof");
        for (Path d : List.of(ours, theirs)) {
            Files.write(d.resolve("appendonly.aof"), Files.readAllBytes(rdb));
            Files.write(d.resolve("appendonly.aof"), tail, java.nio.file.StandardOpenOption.APPEND);
        }
        try (ReferenceRedis redis = ReferenceRedis.start("--appendonly", "yes", "--dir", theirs.toString());
             TestServer s = cinnabar(ours)) {
            awaitLoaded(redis.client());
            String expected = DatasetDump.of(redis.client(), 16);
            assertTrue(expected.contains("2 tail string"), expected);
            assertEquals(expected, DatasetDump.of(s.client(), 16));
            assertEquals(manifest(theirs), manifest(ours));
            assertEquals(files(theirs.resolve("appendonlydir")), files(ours.resolve("appendonlydir")));
        }
    }

    @Test
    void configSetAppendonlyRewritesFirstThenAppends() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        try (TestServer s = AllPlugins.builder().option("dir", dir.toString()).option("save", "").start()) {
            RespClient c = s.client();
            assertEquals("0", info(c, "persistence", "aof_enabled"));
            assertNull(info(c, "persistence", "aof_current_size"), "aof_current_size only with appendonly yes");
            c.call("SET", "before", "1");
            c.call("RPUSH", "l", "a", "b");
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "appendonly", "yes"));
            c.call("SET", "during", "2");
            awaitNoRewrite(c);
            assertEquals("1", info(c, "persistence", "aof_enabled"));
            c.call("SET", "after", "3");
            assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
                    manifest(dir));
            String dump = DatasetDump.of(c, 16);
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "appendonly", "no"));
            assertEquals("0", info(c, "persistence", "aof_enabled"));
            c.call("SET", "off", "4");
            s.close();
            try (TestServer again = cinnabar(dir)) {
                assertEquals(dump, DatasetDump.of(again.client(), 16));
            }
        }
    }

    @Test
    void autoRewriteStartsOnGrowthAsRedis() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        try (ReferenceRedis redis = ReferenceRedis.start("--appendonly", "yes");
             TestServer s = cinnabar(dir)) {
            for (RespClient c : List.of(redis.client(), s.client())) {
                c.call("CONFIG", "SET", "auto-aof-rewrite-min-size", "4096");
                c.call("CONFIG", "SET", "auto-aof-rewrite-percentage", "100");
                for (int i = 0; i < 200; i++) {
                    c.call("SET", "key" + i, "value" + i);
                }
                // past the minimum size with no base counted yet: the cron starts a rewrite
                await(() -> "1".equals(info(c, "persistence", "aof_rewrites")), "the automatic rewrite");
                awaitNoRewrite(c);
                long base = Long.parseLong(info(c, "persistence", "aof_base_size"));
                assertTrue(base > 0, "the new base is counted: " + base);
                c.call("CONFIG", "SET", "auto-aof-rewrite-percentage", "0");
                for (int i = 0; i < 200; i++) {
                    c.call("SET", "key" + i, "value" + i);
                }
                assertEquals("1", info(c, "persistence", "aof_rewrites"), "percentage 0 turns it off");
            }
            assertEquals(manifest(redis.dir()), manifest(dir));
        }
    }

    @Test
    void timestampAnnotationsAreWrittenAndSkipped() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        try (TestServer s = cinnabar(dir, "aof-timestamp-enabled", "yes")) {
            s.client().call("SET", "a", "1");
        }
        String incr = Files.readString(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof"));
        assertTrue(incr.matches("(?s)#TS:\\d+\r\n\\*2\r\n\\$6\r\nSELECT.*"), incr);
        try (TestServer s = cinnabar(dir)) {
            assertEquals("$1\r\n1\r\n", s.client().call("GET", "a"));
        }
        checkAof(dir.resolve("appendonlydir/appendonly.aof.manifest"));
    }

    @Test
    void fsyncPoliciesAllAcknowledgeDurableWrites() throws Exception {
        for (String policy : List.of("always", "everysec", "no")) {
            Path dir = Files.createTempDirectory("aof");
            try (TestServer s = cinnabar(dir, "appendfsync", policy)) {
                RespClient c = s.client();
                for (int i = 0; i < 50; i++) {
                    c.call("INCR", "n");
                }
                // each acknowledged INCR is in the file when its reply arrives
                String incr = Files.readString(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof"));
                assertEquals(50, incr.split("INCR", -1).length - 1, policy);
                assertEquals("+OK\r\n", c.call("CONFIG", "SET", "appendfsync", "always"));
            }
        }
    }

    @Test
    void replicaStartsItsAofOverAfterAFullSync() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        String masterDump;
        try (ReferenceRedis master = ReferenceRedis.start()) {
            RespClient m = master.client();
            for (String w : WRITES) {
                m.call(w.split(" "));
            }
            try (TestServer s = cinnabar(dir)) {
                RespClient r = s.client();
                r.call("SET", "stale", "local data the sync replaces");
                assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
                await(() -> "up".equals(info(r, "replication", "master_link_status")), "the link");
                awaitNoRewrite(r);
                m.call("SET", "streamed", "after the sync");
                m.call("SELECT", "7");
                m.call("RPUSH", "streamed-list", "a", "b");
                m.call("SELECT", "0");
                await(() -> "$14\r\nafter the sync\r\n".equals(r.call("GET", "streamed")), "the stream");
                r.call("SELECT", "7");
                await(() -> ":2\r\n".equals(r.call("LLEN", "streamed-list")), "the stream in db 7");
                r.call("SELECT", "0");
                masterDump = DatasetDump.of(m, 16);
                assertEquals("1", info(r, "persistence", "aof_rewrites"), "the sync restarted the AOF");
            }
        }
        try (TestServer s = cinnabar(dir)) {
            assertEquals(masterDump, DatasetDump.of(s.client(), 16));
        }
        assertTrue(manifest(dir).startsWith("file appendonly.aof.2.base.rdb seq 2 type b\n"), manifest(dir));
    }

    @Test
    void turningAofOnWaitsForItsRewriteAsRedis() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        try (ReferenceRedis redis = ReferenceRedis.start();
             TestServer s = AllPlugins.builder().option("dir", dir.toString()).option("save", "").start()) {
            RespClient ref = redis.client();
            RespClient cand = s.client();
            Differential d = new Differential(ref, cand);
            for (RespClient c : List.of(ref, cand)) {
                for (int i = 0; i < 30; i++) {
                    c.call("SET", "k" + i, "v" + i);
                }
                c.call("CONFIG", "SET", "rdb-key-save-delay", "100000");
            }
            // a BGSAVE runs: turning AOF on schedules its rewrite
            d.run("BGSAVE", "CONFIG SET appendonly yes", "BGREWRITEAOF");
            d.assertSame();
            assertEquals("1", info(cand, "persistence", "aof_enabled"));
            assertEquals("1", info(cand, "persistence", "aof_rewrite_scheduled"));
            for (RespClient c : List.of(ref, cand)) {
                c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
            }
            RdbTesting.awaitNoBgsave(ref);
            RdbTesting.awaitNoBgsave(cand);
            for (RespClient c : List.of(ref, cand)) {
                // the scheduled rewrite starts from the cron once the save is over; wait for it to finish
                await(() -> "1".equals(info(c, "persistence", "aof_rewrites"))
                        && "0".equals(info(c, "persistence", "aof_rewrite_in_progress")), "the scheduled rewrite");
            }
            d.run("CONFIG SET appendonly no", "SET x 1");
            for (RespClient c : List.of(ref, cand)) {
                c.call("CONFIG", "SET", "rdb-key-save-delay", "100000");
            }
            // while the first rewrite of a just-enabled AOF runs, SHUTDOWN refuses to lose the dataset
            d.run("CONFIG SET appendonly yes", "BGREWRITEAOF", "BGSAVE", "SHUTDOWN");
            d.assertSame();
            assertEquals("1", info(cand, "persistence", "aof_rewrite_in_progress"));
            for (RespClient c : List.of(ref, cand)) {
                c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
            }
            awaitNoRewrite(ref);
            awaitNoRewrite(cand);
            assertEquals(manifest(redis.dir()), manifest(dir));
            assertEquals(files(redis.dir().resolve("appendonlydir")), files(dir.resolve("appendonlydir")));
        }
    }

    @Test
    void waitaofRepliesAsRedis() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        try (ReferenceRedis redis = ReferenceRedis.start();
             TestServer s = AllPlugins.builder().option("dir", dir.toString()).option("save", "").start()) {
            RespClient ref = redis.client();
            RespClient cand = s.client();
            Differential d = new Differential(ref, cand);
            d.run("WAITAOF 1 0 0", "WAITAOF 0 0 0", "WAITAOF 2 0 0", "WAITAOF -1 0 0", "WAITAOF x 0 0",
                    "WAITAOF 0 -1 0", "WAITAOF 0 x 0", "WAITAOF 0 0 -1", "WAITAOF 0 0 x", "WAITAOF 0 1 10",
                    "WAITAOF 0 0", "SET k v", "WAITAOF 0 1 10");
            d.assertSame();
            for (String policy : List.of("always", "everysec", "no")) {
                d.run("CONFIG SET appendfsync " + policy, "CONFIG SET appendonly yes");
                awaitNoRewrite(ref);
                awaitNoRewrite(cand);
                // everysec: the write is fsynced within about a second, WAITAOF waits for it
                d.run("SET k v", "WAITAOF 1 0 1500", "INCR n", "WAITAOF 1 0 1500", "WAITAOF 1 1 50", "MULTI",
                        "SET m 1", "WAITAOF 1 1 0", "EXEC", "CONFIG SET appendonly no");
                d.assertSame();
            }
        }
    }

    @Test
    void waitaofCountsReplicasThatFsyncedTheirAof() throws Exception {
        Path masterDir = Files.createTempDirectory("aofm");
        Path replicaDir = Files.createTempDirectory("aofr");
        try (TestServer master = cinnabar(masterDir, "appendfsync", "always");
             TestServer replica = cinnabar(replicaDir, "appendfsync", "always");
             ReferenceRedis redisMaster = ReferenceRedis.start("--appendonly", "yes")) {
            RespClient m = master.client();
            RespClient r = replica.client();
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            await(() -> "up".equals(info(r, "replication", "master_link_status")), "the link");
            awaitNoRewrite(r);
            m.call("SET", "k", "v");
            assertEquals("*2\r\n:1\r\n:1\r\n", m.call("WAITAOF", "1", "1", "5000"));
            assertEquals("-ERR WAITAOF cannot be used with replica instances. Please also note that writes to replicas "
                    + "are just local and are not propagated.\r\n", r.call("WAITAOF", "0", "0", "0"));
            // a real Redis 7.2 master counts a Cinnabar replica's FACK
            RespClient rm = redisMaster.client();
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(redisMaster.port()));
            await(() -> "up".equals(info(r, "replication", "master_link_status")), "the link to redis-server");
            awaitNoRewrite(r);
            rm.call("SET", "x", "1");
            assertEquals("*2\r\n:1\r\n:1\r\n", rm.call("WAITAOF", "1", "1", "5000"));
            await(() -> "$1\r\n1\r\n".equals(r.call("GET", "x")), "the write on the replica");
        }
    }

    /** The field names of INFO persistence, in order (values differ: times, memory). */
    private static List<String> fieldNames(RespClient c) {
        return Stream.of(c.call("INFO", "persistence").split("\r\n")).filter(l -> l.contains(":"))
                .map(l -> l.substring(0, l.indexOf(':'))).collect(Collectors.toList());
    }

    @Test
    void restartCountsReplayedFilesAsRedis() throws Exception {
        Path dir = Files.createTempDirectory("aof");
        try (ReferenceRedis redis = ReferenceRedis.start("--appendonly", "yes")) {
            RespClient ref = redis.client();
            try (TestServer s = cinnabar(dir)) {
                Differential d = new Differential(ref, s.client());
                d.run(WRITES);
                d.assertSame();
            }
            ref.call("DEBUG", "LOADAOF");
            // every command logged as slow: a replayed one would show, whatever this machine's speed
            try (TestServer s = cinnabar(dir, "slowlog-log-slower-than", "0", "slowlog-max-len", "100000")) {
                RespClient cand = s.client();
                assertEquals(info(ref, "persistence", "aof_current_size"), info(cand, "persistence", "aof_current_size"));
                assertEquals(Long.toString(Files.size(dir.resolve("appendonlydir/appendonly.aof.1.base.rdb"))),
                        info(cand, "persistence", "aof_base_size"));
                assertEquals(DatasetDump.of(ref, 16), DatasetDump.of(cand, 16));
                // the replay is in no statistic
                assertEquals("1", info(cand, "stats", "total_connections_received"));
                assertEquals("", Stream.of(cand.call("INFO", "commandstats").split("\r\n"))
                        .filter(l -> l.startsWith("cmdstat_set") || l.startsWith("cmdstat_rpush"))
                        .collect(Collectors.joining()));
                String slow = cand.call("SLOWLOG", "GET", "-1");
                for (String replayed : new String[] {"SET", "INCR", "RPUSH", "SADD", "HSET", "ZADD", "DEL",
                    "MULTI", "EXEC", "APPEND", "INCRBYFLOAT", "LPOP"}) {
                    assertFalse(slow.toUpperCase(java.util.Locale.ROOT).contains("\r\n" + replayed + "\r\n"),
                            replayed + " in the slow log: " + slow);
                }
                assertTrue(slow.contains("INFO"), slow); // the log works: the client's own commands are in it
            }
        }
    }

    static void checkAof(Path manifest) throws IOException, InterruptedException {
        Path check = Path.of(ReferenceRedis.binary()).resolveSibling("redis-check-aof");
        Process p = new ProcessBuilder(check.toString(), manifest.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || !out.contains("is valid")) {
            fail("redis-check-aof rejects " + manifest + ":\n" + out);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.collect(Collectors.toList())) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }
}
