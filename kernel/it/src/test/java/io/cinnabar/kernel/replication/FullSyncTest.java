package io.cinnabar.kernel.replication;

import static io.cinnabar.kernel.replication.ReplicationTesting.await;
import static io.cinnabar.kernel.replication.ReplicationTesting.info;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.kernel.persistence.AllPlugins;
import io.cinnabar.kernel.persistence.DatasetDump;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full resyncs from a forkless background snapshot: the master keeps serving while the snapshot is produced,
 * the commands executed meanwhile follow the payload; diskless (Redis's {@code $EOF:<mark>} format, to
 * replicas with {@code capa eof}, the stream held until the replica's first ACK) and disk-backed ({@code
 * $<length>} and the RDB file a BGSAVE wrote); replicas arriving together share one snapshot
 * ({@code repl-diskless-sync-delay}, {@code repl-diskless-sync-max-replicas}). Against Cinnabar and
 * redis-server 7.2 replicas.
 */
class FullSyncTest {
    private static boolean contains(byte[] hay, String needle) {
        return new String(hay, StandardCharsets.ISO_8859_1).contains(needle);
    }

    @Test
    void aDisklessFullSyncStreamsTheRdbBetweenEofMarksAndHoldsTheStreamUntilTheFirstAck() throws IOException {
        try (TestServer master = AllPlugins.builder().option("repl-diskless-sync-delay", "0").start();
             RespClient m = master.client(); RawReplica r = new RawReplica(master.port())) {
            for (int i = 0; i < 200; i++) {
                m.call("SET", "k" + i, "v" + i);
            }
            m.call("CONFIG", "SET", "rdb-key-save-delay", "5000"); // 5 ms a key: the snapshot takes a while
            r.send("REPLCONF", "capa", "eof", "capa", "psync2");
            assertEquals("+OK", r.line());
            r.send("PSYNC", "?", "-1");
            String[] full = r.line().split(" ");
            assertEquals("+FULLRESYNC", full[0]);
            assertEquals(info(m, "replication", "master_replid"), full[1]);
            String eof = r.line();
            assertTrue(eof.matches("\\$EOF:[0-9a-f]{40}"), eof);
            // the master serves while its snapshot is produced; what runs now is held for the replica
            assertEquals("1", info(m, "persistence", "rdb_bgsave_in_progress"));
            assertTrue(info(m, "replication", "slave0").contains("state=wait_bgsave"));
            assertEquals("+OK\r\n", m.call("SET", "during", "1"));
            assertEquals("+OK\r\n", m.call("SET", "k1", "changed"));
            byte[] payload = r.untilMark(eof.substring(5).getBytes(StandardCharsets.US_ASCII));
            assertEquals("REDIS0011", new String(payload, 0, 9, StandardCharsets.US_ASCII));
            assertTrue(contains(payload, "k199") && contains(payload, "v1"));
            assertTrue(!contains(payload, "during") && !contains(payload, "changed"), "a write after the start");
            await("the transfer to end", () -> info(m, "replication", "slave0").contains("state=online"));
            m.call("SET", "after", "1");
            assertEquals(0, r.in.available(), "the stream waits for the replica's first ACK");
            r.send("REPLCONF", "ACK", full[2]);
            assertEquals("SELECT 0", r.command());
            assertEquals("SET during 1", r.command());
            assertEquals("SET k1 changed", r.command());
            assertEquals("SET after 1", r.command());
            assertEquals("0", info(m, "persistence", "rdb_bgsave_in_progress"));
        }
    }

    @Test
    void aDiskBackedFullSyncSendsTheRdbFileItWroteAsABulk(@TempDir Path dir) throws IOException {
        try (TestServer master = AllPlugins.builder().option("repl-diskless-sync", "no")
                .option("dir", dir.toString()).start();
             RespClient m = master.client(); RawReplica r = new RawReplica(master.port())) {
            for (int i = 0; i < 200; i++) {
                m.call("RPUSH", "list", "e" + i);
                m.call("SET", "k" + i, "v" + i);
            }
            m.call("CONFIG", "SET", "rdb-key-save-delay", "5000");
            r.send("REPLCONF", "capa", "eof", "capa", "psync2");
            assertEquals("+OK", r.line());
            r.send("PSYNC", "?", "-1");
            assertTrue(r.line().startsWith("+FULLRESYNC "));
            assertEquals("+OK\r\n", m.call("SET", "during", "1"));
            String bulk = r.line();
            assertTrue(bulk.matches("\\$\\d+"), bulk);
            byte[] payload = r.in.readNBytes(Integer.parseInt(bulk.substring(1)));
            assertArrayEquals(Files.readAllBytes(dir.resolve("dump.rdb")), payload, "the BGSAVE's file");
            assertTrue(!contains(payload, "during"));
            // no ACK needed after a length-prefixed payload: the held stream follows it at once
            assertEquals("SELECT 0", r.command());
            assertEquals("SET during 1", r.command());
        }
    }

    @Test
    void replicasArrivingTogetherShareOneSnapshot() throws IOException {
        try (TestServer master = AllPlugins.builder().option("repl-diskless-sync-delay", "60")
                .option("repl-diskless-sync-max-replicas", "2").start();
             RespClient m = master.client(); RawReplica a = new RawReplica(master.port());
             RawReplica b = new RawReplica(master.port())) {
            m.call("SET", "k", "v");
            a.send("REPLCONF", "capa", "eof");
            assertEquals("+OK", a.line());
            b.send("REPLCONF", "capa", "eof");
            assertEquals("+OK", b.line());
            a.send("PSYNC", "?", "-1");
            await("the first replica to wait", () -> info(m, "replication", "slave0") != null);
            assertTrue(info(m, "replication", "slave0").contains("state=wait_bgsave"));
            m.call("SET", "between", "1"); // moves the offset: a snapshot started now would say so
            b.send("PSYNC", "?", "-1");
            // the second replica makes two: the snapshot starts for both, at one offset
            String fa = a.line();
            String fb = b.line();
            assertTrue(fa.startsWith("+FULLRESYNC "), fa);
            assertEquals(fa, fb);
            assertEquals(info(m, "replication", "master_repl_offset"), fa.split(" ")[2]);
            String ea = a.line();
            assertEquals(ea, b.line());
            byte[] mark = ea.substring(5).getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(a.untilMark(mark), b.untilMark(mark));
            assertEquals("2", info(m, "stats", "sync_full"));
        }
    }

    /** Writes to every type, answered while the snapshot for the replica runs. */
    private static void writeDuringSync(RespClient m) {
        await("the snapshot to start", () -> "1".equals(info(m, "persistence", "rdb_bgsave_in_progress")));
        for (int i = 0; i < 300; i++) {
            assertEquals("+OK\r\n", m.call("SET", "key:" + i, "new" + i));
            m.call("DEL", "key:" + (i + 5000));
            m.call("RPUSH", "list", "n" + i);
            m.call("HSET", "hash", "f" + i, "v" + i);
            m.call("SADD", "set", "m" + i);
            m.call("ZADD", "zset", Integer.toString(i), "z" + i);
            m.call("SET", "fresh:" + i, "x");
        }
        m.call("SELECT", "4");
        m.call("SET", "in4", "four");
        m.call("SELECT", "0");
        assertEquals("1", info(m, "persistence", "rdb_bgsave_in_progress"), "the writes ran during the snapshot");
    }

    private static TestServer slowSnapshotMaster(boolean diskless, Path dir) {
        TestServer master = AllPlugins.builder().option("repl-diskless-sync", diskless ? "yes" : "no")
                .option("repl-diskless-sync-delay", "0").option("dir", dir.toString())
                .option("enable-debug-command", "yes").start();
        try (RespClient m = master.client()) {
            assertEquals("+OK\r\n", m.call("DEBUG", "POPULATE", "20000", "key"));
            m.call("RPUSH", "list", "a", "b");
            m.call("SELECT", "4");
            m.call("SET", "in4", "x");
            m.call("SELECT", "0");
            m.call("CONFIG", "SET", "rdb-key-save-delay", "100"); // about two seconds for the snapshot
        }
        return master;
    }

    /** {@code r}: a replica (Cinnabar or redis-server) that follows a master whose snapshot takes seconds. */
    private void replicaGetsWritesMadeDuringItsSnapshot(boolean diskless, Path dir, RespClient r) {
        try (TestServer master = slowSnapshotMaster(diskless, dir); RespClient m = master.client()) {
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            writeDuringSync(m);
            await("link up", () -> "up".equals(info(r, "replication", "master_link_status")));
            await("the same data", () -> DatasetDump.of(m, 16).equals(DatasetDump.of(r, 16)));
            await("the offsets to meet", () -> info(m, "replication", "master_repl_offset")
                    .equals(info(r, "replication", "master_repl_offset")));
        }
    }

    private static TestServer quickSync() {
        return AllPlugins.builder().option("repl-diskless-sync-delay", "0").start();
    }

    private static void subReplicaContinuesInTheSelectedDatabase(RespClient leaf) {
        try (TestServer master = quickSync(); TestServer middle = quickSync();
             RespClient m = master.client(); RespClient w = master.client(); RespClient mid = middle.client()) {
            w.call("SELECT", "5"); // this writer stays in 5 (the dumps below SELECT on their own connection)
            w.call("SET", "a", "1");
            mid.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            await("middle link up", () -> "up".equals(info(mid, "replication", "master_link_status")));
            w.call("SET", "a2", "x"); // the master's stream now has 5 selected (its SELECT went to the middle)
            await("the middle to catch up", () -> DatasetDump.of(m, 16).equals(DatasetDump.of(mid, 16)));
            leaf.call("REPLICAOF", "127.0.0.1", Integer.toString(middle.port()));
            await("leaf link up", () -> "up".equals(info(leaf, "replication", "master_link_status")));
            // the master's stream selected 5 before the leaf's snapshot: no SELECT comes before this write
            w.call("SET", "b", "2");
            await("the leaf to hold b in db 5", () -> DatasetDump.of(m, 16).equals(DatasetDump.of(leaf, 16)));
        }
    }

    /**
     * A redis-server master sends a diskless payload ({@code yes}) or its RDB file ({@code no}); the replica
     * loads it by {@code repl-diskless-load} {@code load}.
     */
    private static void followRedis(String disklessSync, String load) {
        try (ReferenceRedis redis = ReferenceRedis.start("--repl-diskless-sync", disklessSync,
                "--repl-diskless-sync-delay", "0");
             TestServer replica = AllPlugins.builder().option("repl-diskless-load", load).start();
             RespClient m = redis.client(); RespClient r = replica.client()) {
            r.call("SET", "stale", "1");
            for (int i = 0; i < 1000; i++) {
                m.call("SET", "k" + i, "v" + i);
            }
            m.call("RPUSH", "list", "a", "b");
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port()));
            await("link up", () -> "up".equals(info(r, "replication", "master_link_status")));
            m.call("SET", "after", "1");
            await("the same data", () -> DatasetDump.of(m, 16).equals(DatasetDump.of(r, 16)));
        }
    }

    @Test
    void aCinnabarReplicaReadsBothPayloadFormsOfARedisMaster() {
        followRedis("yes", "disabled");
        followRedis("no", "disabled");
        followRedis("yes", "swapdb");
        followRedis("no", "swapdb");
    }

    @Test
    void aSubReplicaAppliesTheStreamInTheDatabaseItsMastersStreamSelected() {
        try (TestServer leaf = quickSync(); RespClient l = leaf.client()) {
            subReplicaContinuesInTheSelectedDatabase(l);
        }
        try (ReferenceRedis leaf = ReferenceRedis.start(); RespClient l = leaf.client()) {
            subReplicaContinuesInTheSelectedDatabase(l);
        }
    }

    @Test
    void aCinnabarReplicaGetsTheWritesMadeDuringADisklessSync(@TempDir Path dir) {
        try (TestServer replica = AllPlugins.builder().start(); RespClient r = replica.client()) {
            replicaGetsWritesMadeDuringItsSnapshot(true, dir, r);
        }
    }

    @Test
    void aCinnabarReplicaGetsTheWritesMadeDuringADiskBackedSync(@TempDir Path dir) {
        try (TestServer replica = AllPlugins.builder().start(); RespClient r = replica.client()) {
            replicaGetsWritesMadeDuringItsSnapshot(false, dir, r);
        }
    }

    @Test
    void aSwapdbCinnabarReplicaGetsTheWritesMadeDuringADisklessSync(@TempDir Path dir) {
        try (TestServer replica = AllPlugins.builder().option("repl-diskless-load", "swapdb").start();
             RespClient r = replica.client()) {
            r.call("SET", "stale", "1");
            replicaGetsWritesMadeDuringItsSnapshot(true, dir, r);
        }
    }

    @Test
    void aRedisReplicaGetsTheWritesMadeDuringADisklessSync(@TempDir Path dir) {
        try (ReferenceRedis redis = ReferenceRedis.start(); RespClient r = redis.client()) {
            replicaGetsWritesMadeDuringItsSnapshot(true, dir, r);
        }
    }

    @Test
    void aRedisReplicaGetsTheWritesMadeDuringADiskBackedSync(@TempDir Path dir) {
        try (ReferenceRedis redis = ReferenceRedis.start(); RespClient r = redis.client()) {
            replicaGetsWritesMadeDuringItsSnapshot(false, dir, r);
        }
    }
}
