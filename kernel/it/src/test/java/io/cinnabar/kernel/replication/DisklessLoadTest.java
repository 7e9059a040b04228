package io.cinnabar.kernel.replication;

import static io.cinnabar.kernel.replication.ReplicationTesting.await;
import static io.cinnabar.kernel.replication.ReplicationTesting.info;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.kernel.persistence.AllPlugins;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica's side of a full sync, by {@code repl-diskless-load}: the payload goes to a temp file that becomes
 * dbfilename ({@code disabled}; {@code on-empty-db} with keys present), or is decoded as it arrives into
 * databases of its own ({@code swapdb}; {@code on-empty-db} on an empty dataset), which replace the dataset once
 * complete. A master played by the test sends the snapshot in halves, so the replica is observed mid-transfer;
 * the disk-backed path and a broken swapdb transfer are also run against redis-server 7.2.
 */
class DisklessLoadTest {
    private static final String MARK = "0123456789abcdef0123456789abcdef01234567";
    private static final String OTHER_HISTORY = "f".repeat(40);
    private static byte[] snapshot;

    /** A Cinnabar master's snapshot of new:0..999 and a list, as it streams it. */
    @BeforeAll
    static void takeSnapshot() throws IOException {
        try (TestServer master = AllPlugins.builder().option("repl-diskless-sync-delay", "0").start();
             RespClient m = master.client(); RawReplica r = new RawReplica(master.port())) {
            for (int i = 0; i < 1000; i++) {
                m.call("SET", "new:" + i, "v" + i);
            }
            m.call("RPUSH", "list", "a", "b");
            r.fullSync();
            String eof = r.line();
            snapshot = r.untilMark(eof.substring(5).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static TestServer replica(String mode, Path dir) {
        return AllPlugins.builder().option("repl-diskless-load", mode).option("dir", dir.toString()).start();
    }

    /** The replica follows {@code master}, which answers with a full resync and the first half of the snapshot. */
    private static void firstHalf(RespClient r, ScriptedMaster master, String id, boolean eofMarked)
            throws IOException {
        r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
        master.acceptFullResync(id, 5000);
        master.reply(eofMarked ? "$EOF:" + MARK + "\r\n" : "$" + snapshot.length + "\r\n");
        master.send(snapshot, 0, snapshot.length / 2);
    }

    private static void secondHalf(ScriptedMaster master, boolean eofMarked) throws IOException {
        int half = snapshot.length / 2;
        master.send(snapshot, half, snapshot.length - half);
        if (eofMarked) {
            master.reply(MARK);
        }
    }

    private static List<Path> tempFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("temp-\\d+\\.\\d+\\.rdb")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasTempFile(Path dir) {
        return !tempFiles(dir).isEmpty();
    }

    private static void theSnapshotsData(RespClient r) {
        assertEquals(":1001\r\n", r.call("DBSIZE"));
        assertEquals(":0\r\n", r.call("EXISTS", "old"));
        assertEquals("$4\r\nv999\r\n", r.call("GET", "new:999"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", r.call("LRANGE", "list", "0", "-1"));
    }

    @Test
    void swapdbKeepsServingTheOldDataWhileASnapshotOfTheSameHistoryLoads(@TempDir Path dir) throws IOException {
        try (TestServer replica = replica("swapdb", dir); RespClient r = replica.client();
             ScriptedMaster master = new ScriptedMaster()) {
            r.call("SET", "old", "1");
            String ownHistory = info(r, "master_replid");
            firstHalf(r, master, ownHistory, true);
            await("async loading", () -> "1".equals(info(r, "persistence", "async_loading")));
            assertEquals("0", info(r, "persistence", "loading"));
            assertEquals("$1\r\n1\r\n", r.call("GET", "old"));
            assertEquals("1", info(r, "master_sync_in_progress"));
            assertEquals("-1", info(r, "master_sync_total_bytes"));
            assertFalse(hasTempFile(dir), "a diskless load writes no file");
            secondHalf(master, true);
            await("link up", () -> "up".equals(info(r, "master_link_status")));
            theSnapshotsData(r);
            assertEquals("0", info(r, "persistence", "async_loading"));
            assertEquals(ownHistory, info(r, "master_replid"));
            master.command("SET", "streamed", "x");
            await("the stream applied", () -> "$1\r\nx\r\n".equals(r.call("GET", "streamed")));
            assertFalse(Files.exists(dir.resolve("dump.rdb")));
        }
    }

    @Test
    void swapdbAnswersLoadingForAnotherHistoryAndKeepsTheOldDataWhenTheTransferBreaks(@TempDir Path dir)
            throws IOException {
        try (TestServer replica = replica("swapdb", dir); RespClient r = replica.client();
             ScriptedMaster master = new ScriptedMaster()) {
            r.call("SET", "old", "1");
            firstHalf(r, master, OTHER_HISTORY, true);
            await("loading", () -> "1".equals(info(r, "persistence", "loading")));
            assertEquals("-LOADING Redis is loading the dataset in memory\r\n", r.call("GET", "old"));
            master.drop();
            theOldDataIsBack(r);
        }
        try (ReferenceRedis redis = ReferenceRedis.start("--repl-diskless-load", "swapdb", "--dir", dir.toString());
             RespClient r = redis.client(); ScriptedMaster master = new ScriptedMaster()) {
            r.call("SET", "old", "1");
            firstHalf(r, master, OTHER_HISTORY, true);
            master.drop(); // redis-server reads a diskless payload blocking: it is observed after the break only
            theOldDataIsBack(r);
        }
    }

    private static void theOldDataIsBack(RespClient r) {
        await("the old data back", () -> "$1\r\n1\r\n".equals(r.call("GET", "old")));
        assertEquals(":1\r\n", r.call("DBSIZE"));
        assertEquals("0", info(r, "persistence", "loading"));
        assertEquals("0", info(r, "persistence", "async_loading"));
    }

    /** {@code disabled}: the replica serves its old data while the payload goes to disk, then loads the file. */
    private static void diskBackedLoad(RespClient r, ScriptedMaster master, Path dir) throws IOException {
        r.call("SET", "old", "1");
        firstHalf(r, master, OTHER_HISTORY, false);
        int half = snapshot.length / 2;
        await("half the payload", () -> Integer.toString(half).equals(info(r, "master_sync_read_bytes")));
        assertEquals(Integer.toString(snapshot.length), info(r, "master_sync_total_bytes"));
        assertEquals(Integer.toString(snapshot.length - half), info(r, "master_sync_left_bytes"));
        assertEquals(String.format("%.2f", 100.0 * half / snapshot.length), info(r, "master_sync_perc"));
        assertEquals("$1\r\n1\r\n", r.call("GET", "old"));
        assertTrue(hasTempFile(dir), "the payload goes to a temp file");
        secondHalf(master, false);
        await("link up", () -> "up".equals(info(r, "master_link_status")));
        theSnapshotsData(r);
        assertFalse(hasTempFile(dir));
        assertArrayEquals(snapshot, Files.readAllBytes(dir.resolve("dump.rdb")), "the payload became dbfilename");
        assertEquals(OTHER_HISTORY, info(r, "master_replid"));
    }

    /** {@link #diskBackedLoad} by a Cinnabar replica with {@code repl-diskless-load mode}. */
    private static void diskBackedLoad(String mode, Path dir) throws IOException {
        try (TestServer replica = replica(mode, dir); RespClient r = replica.client();
             ScriptedMaster master = new ScriptedMaster()) {
            diskBackedLoad(r, master, dir);
        }
    }

    /** What a replica does with its data and files in {@code dir}, against a master the scenario plays. */
    private interface Scenario {
        void run(RespClient replica, Path dir) throws IOException;
    }

    /** The scenario by a Cinnabar replica (repl-diskless-load disabled) in {@code a}, redis-server in {@code b}. */
    private static void onBoth(Path a, Path b, Scenario s) throws IOException {
        try (TestServer replica = replica("disabled", a); RespClient r = replica.client()) {
            s.run(r, a);
        }
        try (ReferenceRedis redis = ReferenceRedis.start("--dir", b.toString()); RespClient r = redis.client()) {
            s.run(r, b);
        }
    }

    @Test
    void disabledWritesThePayloadToATempFileThatBecomesDbfilename(@TempDir Path a, @TempDir Path b)
            throws IOException {
        onBoth(a, b, (r, dir) -> {
            try (ScriptedMaster master = new ScriptedMaster()) {
                diskBackedLoad(r, master, dir);
            }
        });
    }

    @Test
    void onEmptyDbLoadsFromTheSocketOnlyWhenTheDatasetIsEmpty(@TempDir Path a, @TempDir Path b)
            throws IOException {
        diskBackedLoad("on-empty-db", a); // it holds a key: the payload goes to disk
        try (TestServer replica = replica("on-empty-db", b); RespClient r = replica.client();
             ScriptedMaster master = new ScriptedMaster()) {
            firstHalf(r, master, OTHER_HISTORY, false);
            await("loading", () -> "1".equals(info(r, "persistence", "loading")));
            assertTrue(r.call("DBSIZE").startsWith("-LOADING"));
            assertFalse(hasTempFile(b));
            secondHalf(master, false);
            await("link up", () -> "up".equals(info(r, "master_link_status")));
            theSnapshotsData(r);
            assertFalse(Files.exists(b.resolve("dump.rdb")));
        }
    }

    /** The master stalls mid-payload past repl-timeout: the replica drops the transfer and its file, then retries. */
    private static void stalledTransfer(RespClient r, Path dir) throws IOException {
        try (ScriptedMaster master = new ScriptedMaster()) {
            r.call("CONFIG", "SET", "repl-timeout", "1");
            r.call("SET", "old", "1");
            firstHalf(r, master, OTHER_HISTORY, false);
            await("the temp file", () -> hasTempFile(dir));
            List<Path> stalled = tempFiles(dir);
            master.acceptFullResync(OTHER_HISTORY, 0); // the replica gave the stalled transfer up and came back
            // (redis-server already opened the next transfer's file, named by another second)
            assertTrue(stalled.stream().noneMatch(Files::exists), "the stalled transfer's file is gone");
            assertEquals("$1\r\n1\r\n", r.call("GET", "old"));
        }
    }

    @Test
    void aTransferStalledPastReplTimeoutIsDroppedWithItsTempFile(@TempDir Path a, @TempDir Path b)
            throws IOException {
        onBoth(a, b, DisklessLoadTest::stalledTransfer);
    }

    /** rdb-del-sync-files with no persistence: the file the payload became is gone once loaded. */
    private static void syncFileDeleted(RespClient r, Path dir) throws IOException {
        try (ScriptedMaster master = new ScriptedMaster()) {
            r.call("CONFIG", "SET", "save", "");
            r.call("CONFIG", "SET", "rdb-del-sync-files", "yes");
            firstHalf(r, master, OTHER_HISTORY, false);
            secondHalf(master, false);
            await("link up", () -> "up".equals(info(r, "master_link_status")));
            theSnapshotsData(r);
            await("the file deleted", () -> !Files.exists(dir.resolve("dump.rdb")));
            assertFalse(hasTempFile(dir));
        }
    }

    @Test
    void rdbDelSyncFilesRemovesTheLoadedFileWhenNothingPersists(@TempDir Path a, @TempDir Path b)
            throws IOException {
        onBoth(a, b, DisklessLoadTest::syncFileDeleted);
    }

    @Test
    void swapdbOnTheMappedEngineLoadsThroughDisk(@TempDir Path dir) throws IOException {
        try (TestServer replica = AllPlugins.builder().option("repl-diskless-load", "swapdb")
                .option("storage-engine", "mapped").option("dir", dir.toString()).start();
             RespClient r = replica.client(); ScriptedMaster master = new ScriptedMaster()) {
            r.call("SET", "old", "1");
            firstHalf(r, master, OTHER_HISTORY, false);
            await("the temp file", () -> hasTempFile(dir)); // one store per database: no second dataset beside it
            assertEquals("$1\r\n1\r\n", r.call("GET", "old"));
            secondHalf(master, false);
            await("link up", () -> "up".equals(info(r, "master_link_status")));
            theSnapshotsData(r);
        }
    }

    @Test
    void aSnapshotThatIsNotAnRdbFailsTheSyncAndLosesNothing(@TempDir Path dir) throws IOException {
        try (TestServer replica = replica("swapdb", dir); RespClient r = replica.client();
             ScriptedMaster master = new ScriptedMaster()) {
            r.call("SET", "old", "1");
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            master.acceptFullResync(OTHER_HISTORY, 0);
            master.reply("$EOF:" + MARK + "\r\n");
            byte[] junk = "NOT-AN-RDB-FILE-AT-ALL".getBytes(StandardCharsets.US_ASCII);
            master.send(junk, 0, junk.length);
            master.reply(MARK);
            theOldDataIsBack(r);
            assertEquals("down", info(r, "master_link_status"));
        }
    }
}
