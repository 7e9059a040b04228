package io.cinnabar.distribution;

import static io.cinnabar.distribution.ProcessTesting.await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.Resp;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replication with real processes of the built tarball, killed with SIGKILL: no write acknowledged with
 * WAIT 1 is lost when the master dies and its replica is promoted; a replica killed and restarted from its
 * RDB continues with a partial resync; one that fell out of the backlog resyncs fully; a master restarted
 * from its RDB lets its replicas continue; a replica fully syncs a big dataset, diskless or through the RDB
 * file, while the master keeps answering writes, which reach it after the snapshot. Data is compared with
 * DEBUG DIGEST.
 */
class ReplicationProcessIT {
    private static Path home;
    private static Path work;

    @BeforeAll
    static void unpack() throws Exception {
        home = ProcessTesting.unpack("-replication");
        work = home.getParent();
    }

    /** A fresh directory per run, so no RDB left by an earlier run is loaded. */
    private static final String RUN = Long.toString(System.currentTimeMillis());

    private static ServerProcess node(String name, int port, String... extra) throws Exception {
        Path dir = work.resolve(RUN).resolve(name);
        Files.createDirectories(dir);
        // full syncs start at once (Redis's default waits 5 s for more replicas to share the snapshot)
        List<String> args = new ArrayList<>(List.of("--dir", dir.toString(), "--save", "",
                "--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0"));
        args.addAll(List.of(extra));
        return ServerProcess.startOn(port, home, dir, work.resolve("logs/" + name + "-" + System.nanoTime() + ".log"),
                args.toArray(new String[0]));
    }

    private static String info(RespClient c, String section, String field) {
        String text = (String) Resp.parse(c.call("INFO", section));
        for (String line : text.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return null;
    }

    private static void awaitLinkUp(RespClient replica) {
        await("the link to the master", () -> "up".equals(info(replica, "replication", "master_link_status")));
    }

    private static void awaitSameDigest(RespClient a, RespClient b) {
        await("the same dataset", () -> a.call("DEBUG", "DIGEST").equals(b.call("DEBUG", "DIGEST")));
    }

    private static void write(RespClient c, String prefix, int n, int valueSize) {
        String value = "v".repeat(valueSize);
        for (int i = 0; i < n; i++) {
            c.call("SET", prefix + i, value + i);
            if (i % 10 == 0) {
                c.call("RPUSH", prefix + "list", Integer.toString(i));
            }
        }
    }

    @Test
    void noWriteAcknowledgedByWaitIsLostWhenTheMasterDiesAndItsReplicaIsPromoted() throws Exception {
        int mport = TestServer.freePort();
        int rport = TestServer.freePort();
        try (ServerProcess master = node("wait-master", mport); ServerProcess replica = node("wait-replica", rport,
                "--replicaof", "127.0.0.1", Integer.toString(mport));
             RespClient r = replica.client()) {
            awaitLinkUp(r);
            List<Integer> acknowledged = new ArrayList<>();
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(700);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                master.kill();
            });
            try (RespClient m = master.client()) {
                m.setTimeoutMillis(5000);
                killer.start();
                for (int i = 0; ; i++) {
                    m.call("SET", "k" + i, "v" + i);
                    if (m.call("WAIT", "1", "2000").equals(":1\r\n")) {
                        acknowledged.add(i);
                    }
                }
            } catch (RuntimeException e) {
                // the master is gone (connection reset or closed)
            }
            killer.join();
            assertTrue(acknowledged.size() > 10, "writes acknowledged before the kill: " + acknowledged.size());
            assertEquals("+OK\r\n", r.call("REPLICAOF", "NO", "ONE"));
            for (int i : acknowledged) {
                assertEquals("$" + ("v" + i).length() + "\r\nv" + i + "\r\n", r.call("GET", "k" + i), "k" + i);
            }
        }
    }

    @Test
    void aKilledReplicaRestartedFromItsRdbContinuesWithAPartialResync() throws Exception {
        int mport = TestServer.freePort();
        int rport = TestServer.freePort();
        String[] follow = {"--replicaof", "127.0.0.1", Integer.toString(mport)};
        try (ServerProcess master = node("psync-master", mport); RespClient m = master.client()) {
            try (ServerProcess replica = node("psync-replica", rport, follow); RespClient r = replica.client()) {
                awaitLinkUp(r);
                write(m, "a", 2000, 20);
                awaitSameDigest(m, r);
                assertEquals("+OK\r\n", r.call("SAVE"));
                replica.kill();
            }
            write(m, "b", 500, 20);
            try (ServerProcess replica = node("psync-replica", rport, follow); RespClient r = replica.client()) {
                awaitLinkUp(r);
                awaitSameDigest(m, r);
            }
            assertEquals("1", info(m, "stats", "sync_full"));
            assertEquals("1", info(m, "stats", "sync_partial_ok"));
        }
    }

    @Test
    void aReplicaThatFellOutOfTheBacklogResyncsFully() throws Exception {
        int mport = TestServer.freePort();
        int rport = TestServer.freePort();
        String[] follow = {"--replicaof", "127.0.0.1", Integer.toString(mport)};
        try (ServerProcess master = node("full-master", mport, "--repl-backlog-size", "16384");
             RespClient m = master.client()) {
            try (ServerProcess replica = node("full-replica", rport, follow); RespClient r = replica.client()) {
                awaitLinkUp(r);
                write(m, "a", 500, 20);
                awaitSameDigest(m, r);
                r.call("SAVE");
                replica.kill();
            }
            write(m, "b", 2000, 100); // far more than the 16 KB backlog holds
            try (ServerProcess replica = node("full-replica", rport, follow); RespClient r = replica.client()) {
                awaitLinkUp(r);
                awaitSameDigest(m, r);
            }
            assertEquals("2", info(m, "stats", "sync_full"));
            assertEquals("1", info(m, "stats", "sync_partial_err"));
        }
    }

    private void bigFullSyncWhileServing(String diskless) throws Exception {
        int mport = TestServer.freePort();
        int rport = TestServer.freePort();
        try (ServerProcess master = node("big-master-" + diskless, mport, "--repl-diskless-sync", diskless);
             RespClient m = master.client()) {
            m.setTimeoutMillis(30_000);
            assertEquals("+OK\r\n", m.call("DEBUG", "POPULATE", "300000", "key", "64"));
            try (ServerProcess replica = node("big-replica-" + diskless, rport); RespClient r = replica.client()) {
                assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(mport)));
                await("the snapshot to start", () -> "1".equals(info(m, "persistence", "rdb_bgsave_in_progress")));
                // the master answers while its snapshot runs; these writes reach the replica after it
                int i = 0;
                while ("1".equals(info(m, "persistence", "rdb_bgsave_in_progress")) && i < 20_000) {
                    assertEquals("+OK\r\n", m.call("SET", "key:" + i, "during-" + i));
                    m.call("RPUSH", "during-list", Integer.toString(i));
                    i++;
                }
                awaitLinkUp(r);
                awaitSameDigest(m, r);
                assertEquals("1", info(m, "stats", "sync_full"));
            }
        }
    }

    @Test
    void aReplicaFullySyncsABigDatasetDisklessWhileTheMasterServesWrites() throws Exception {
        bigFullSyncWhileServing("yes");
    }

    @Test
    void aReplicaFullySyncsABigDatasetThroughTheRdbFileWhileTheMasterServesWrites() throws Exception {
        bigFullSyncWhileServing("no");
    }

    @Test
    void aMasterRestartedFromItsRdbLetsItsReplicaContinue() throws Exception {
        int mport = TestServer.freePort();
        int rport = TestServer.freePort();
        try (ServerProcess replica = node("restart-replica", rport, "--replicaof", "127.0.0.1",
                Integer.toString(mport)); RespClient r = replica.client()) {
            try (ServerProcess master = node("restart-master", mport); RespClient m = master.client()) {
                awaitLinkUp(r);
                write(m, "a", 1000, 20);
                awaitSameDigest(m, r);
                await("the replica's offset", () -> info(m, "replication", "master_repl_offset")
                        .equals(info(r, "replication", "master_repl_offset")));
                m.writeRaw("SHUTDOWN SAVE\r\n");
                assertTrue(m.isClosedByServer());
            }
            try (ServerProcess master = node("restart-master", mport); RespClient m = master.client()) {
                awaitLinkUp(r);
                write(m, "b", 100, 20);
                awaitSameDigest(m, r);
                assertEquals("0", info(m, "stats", "sync_full"));
                assertEquals("1", info(m, "stats", "sync_partial_ok"));
            }
        }
    }
}
