package io.cinnabar.kernel.replication;

import static io.cinnabar.kernel.replication.ReplicationTesting.await;
import static io.cinnabar.kernel.replication.ReplicationTesting.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.kernel.persistence.AllPlugins;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What bounds a master's replication memory, each scenario run against redis-server 7.2 and Cinnabar alike:
 * {@code repl-backlog-ttl} (a master left without replicas frees its backlog and starts a new history) and
 * {@code client-output-buffer-limit replica} (a replica that stops reading, or whose held stream grows during
 * its full sync, is disconnected at the hard limit, or after the soft seconds over the soft limit).
 */
class ReplicationLimitsTest {
    private static final String BIG = "x".repeat(100_000);

    /** A master under test: Cinnabar or the reference, both with an immediate diskless sync. */
    private interface Master extends AutoCloseable {
        int port();

        @Override
        void close();
    }

    private static Master cinnabar(String... options) {
        TestServer.Builder b = AllPlugins.builder().option("repl-diskless-sync-delay", "0");
        for (int i = 0; i + 1 < options.length; i += 2) {
            b.option(options[i], options[i + 1]);
        }
        TestServer s = b.start();
        return new Master() {
            public int port() {
                return s.port();
            }

            public void close() {
                s.close();
            }
        };
    }

    private static Master redis(String... options) {
        String[] all = new String[options.length + 2];
        all[0] = "--repl-diskless-sync-delay";
        all[1] = "0";
        for (int i = 0; i < options.length; i++) {
            all[i + 2] = (i % 2 == 0 ? "--" : "") + options[i];
        }
        ReferenceRedis r = ReferenceRedis.start(all);
        return new Master() {
            public int port() {
                return r.port();
            }

            public void close() {
                r.close();
            }
        };
    }

    /** A raw replica through its full sync and first ACK: the stream flows to it from here. */
    private static RawReplica online(int port, int receiveBuffer) throws IOException {
        RawReplica r = new RawReplica(port, receiveBuffer);
        String full = r.fullSync();
        assertTrue(full.startsWith("+FULLRESYNC "), full);
        String eof = r.line();
        r.untilMark(eof.substring(5).getBytes(StandardCharsets.US_ASCII));
        r.send("REPLCONF", "ACK", full.split(" ")[2]);
        return r;
    }

    private void backlogFreedAfterTtl(Master master) throws IOException {
        try (master; RespClient m = new RespClient("127.0.0.1", master.port())) {
            assertEquals("+OK\r\n", m.call("CONFIG", "SET", "repl-backlog-ttl", "1"));
            assertEquals("0", info(m, "replication", "repl_backlog_active"));
            try (RawReplica r = online(master.port(), 0)) {
                await("the replica online", () -> info(m, "replication", "slave0") != null
                        && info(m, "replication", "slave0").contains("state=online"));
                assertEquals("1", info(m, "replication", "repl_backlog_active"));
                m.call("SET", "k", "v");
            }
            String history = info(m, "replication", "master_replid");
            await("the backlog to be freed", () -> "0".equals(info(m, "replication", "repl_backlog_active")));
            assertNotEquals(history, info(m, "replication", "master_replid"), "a new history");
            assertEquals("0000000000000000000000000000000000000000", info(m, "replication", "master_replid2"));
            // without a backlog the offset stays where it was
            String offset = info(m, "replication", "master_repl_offset");
            m.call("SET", "k", "w");
            assertEquals(offset, info(m, "replication", "master_repl_offset"));
            // the next replica gets a full resync, from a history created for it (a new id again, as Redis)
            try (RawReplica r = new RawReplica(master.port())) {
                String[] full = r.fullSync().split(" ");
                assertEquals("+FULLRESYNC", full[0]);
                assertEquals(info(m, "replication", "master_replid"), full[1]);
                assertNotEquals(history, full[1]);
                assertEquals(offset, full[2]);
            }
        }
    }

    @Test
    void aMasterWithoutReplicasFreesItsBacklogAfterTheTtl() throws IOException {
        backlogFreedAfterTtl(redis());
        backlogFreedAfterTtl(cinnabar());
    }

    private void disconnectedWhenItStopsReading(Master master, String limit) throws IOException {
        try (master; RespClient m = new RespClient("127.0.0.1", master.port());
             RawReplica r = online(master.port(), 4096)) {
            assertEquals("+OK\r\n", m.call("CONFIG", "SET", "client-output-buffer-limit", limit));
            await("the replica online", () -> info(m, "replication", "slave0") != null
                    && info(m, "replication", "slave0").contains("state=online"));
            // the replica reads nothing more: its output grows until the limit cuts it off
            int i = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!"0".equals(info(m, "replication", "connected_slaves"))) {
                assertTrue(System.nanoTime() < deadline, "the replica was never disconnected");
                assertEquals("+OK\r\n", m.call("SET", "big" + (i++ % 50), BIG));
            }
            assertTrue(r.closedByMaster());
            assertEquals("+PONG\r\n", m.call("PING"));
        }
    }

    @Test
    void aReplicaThatStopsReadingIsDisconnectedAtTheHardLimit() throws IOException {
        disconnectedWhenItStopsReading(redis(), "replica 1048576 0 0");
        disconnectedWhenItStopsReading(cinnabar(), "replica 1048576 0 0");
    }

    @Test
    void aReplicaOverTheSoftLimitForLongerThanItsSecondsIsDisconnected() throws IOException {
        disconnectedWhenItStopsReading(redis(), "replica 0 524288 1");
        disconnectedWhenItStopsReading(cinnabar(), "replica 0 524288 1");
    }

    private void heldStreamPastTheLimit(Master master) throws IOException {
        try (master; RespClient m = new RespClient("127.0.0.1", master.port())) {
            for (int i = 0; i < 100; i++) {
                m.call("SET", "k" + i, "v");
            }
            m.call("CONFIG", "SET", "rdb-key-save-delay", "100000"); // 0.1 s a key: the snapshot lasts
            m.call("CONFIG", "SET", "client-output-buffer-limit", "replica 1048576 0 0");
            try (RawReplica r = new RawReplica(master.port())) {
                assertTrue(r.fullSync().startsWith("+FULLRESYNC "));
                await("the snapshot to run", () -> info(m, "replication", "slave0") != null);
                int i = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!"0".equals(info(m, "replication", "connected_slaves"))) {
                    assertTrue(System.nanoTime() < deadline, "the replica was never disconnected");
                    m.call("SET", "big" + (i++ % 50), BIG);
                }
                assertTrue(r.closedByMaster());
            }
        }
    }

    @Test
    void aReplicaWhoseHeldStreamPassesTheLimitDuringItsFullSyncIsDisconnected() throws IOException {
        heldStreamPastTheLimit(redis());
        heldStreamPastTheLimit(cinnabar());
    }
}
