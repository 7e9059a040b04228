package io.cinnabar.kernel.replication;

import static io.cinnabar.kernel.replication.ReplicationTesting.await;
import static io.cinnabar.kernel.replication.ReplicationTesting.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.kernel.persistence.AllPlugins;
import io.cinnabar.kernel.persistence.DatasetDump;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.Resp;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Master/replica with real servers over real sockets: Cinnabar replicating Cinnabar, redis-server 7.2 as a
 * replica of Cinnabar and Cinnabar as a replica of redis-server (the migration path), partial resync after a
 * lost link, promotion keeping the old history for PSYNC, WAIT, and what INFO/ROLE report.
 */
class ReplicationTest {
    private static final String[] WRITES = {
        "SET s1 hello", "SET n 42", "SET big " + "x".repeat(300), "SET ttl v PX 500000",
        "RPUSH l a b c 1 2 3", "SADD ints 1 2 3", "SADD words x y z", "HSET h f1 v1 f2 v2",
        "ZADD z 1 a 2.5 b -3 c", "INCRBYFLOAT f 1.1", "SELECT 3", "SET in3 x", "SELECT 0"};

    /** A diskless full sync starts at once here (Redis waits repl-diskless-sync-delay, 5 s, for more replicas). */
    private static TestServer cinnabar() {
        return AllPlugins.builder().option("repl-diskless-sync-delay", "0").start();
    }

    private static void run(RespClient c, String... lines) {
        for (String line : lines) {
            c.call(line.split(" "));
        }
    }

    /** Waits until the replica holds what the master holds. */
    private static void awaitSameData(RespClient master, RespClient replica) {
        await("the replica to catch up", () -> DatasetDump.of(master, 16).equals(DatasetDump.of(replica, 16)));
    }

    @Test
    void aCinnabarReplicaGetsTheSnapshotThenTheStream() {
        try (TestServer master = cinnabar(); TestServer replica = cinnabar();
             RespClient m = master.client(); RespClient r = replica.client()) {
            run(m, WRITES);
            assertEquals("+OK\r\n", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
            await("link up", () -> "up".equals(info(r, "master_link_status")));
            awaitSameData(m, r);
            run(m, "LPUSH l zero", "SREM words y", "DEL s1", "HINCRBYFLOAT h x 0.5", "EXPIRE n 1000",
                    "SELECT 5", "SET five 5", "SELECT 0");
            awaitSameData(m, r);
            assertEquals("-READONLY You can't write against a read only replica.\r\n", r.call("SET", "k", "v"));
            assertEquals("+OK Already connected to specified master\r\n",
                    r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
            assertEquals("1", info(m, "connected_slaves"));
            assertEquals(info(m, "master_replid"), info(r, "master_replid"));
            await("offsets to meet", () -> info(m, "master_repl_offset").equals(info(r, "master_repl_offset")));
            List<?> role = (List<?>) Resp.parse(r.call("ROLE"));
            assertEquals(List.of("slave", "127.0.0.1", (long) master.port(), "connected"), role.subList(0, 4));
            assertEquals(":1\r\n", m.call("WAIT", "1", "5000"));
        }
    }

    @Test
    void handshakeCommandsAnswerAsRedis() {
        try (TestServer ours = cinnabar(); ReferenceRedis redis = ReferenceRedis.start();
             RespClient c = ours.client(); RespClient r = redis.client()) {
            io.cinnabar.testkit.Differential d = new io.cinnabar.testkit.Differential(r, c);
            d.run("REPLCONF listening-port 6380", "REPLCONF capa eof capa psync2", "REPLCONF ip-address 10.0.0.1",
                    "REPLCONF foo bar", "REPLCONF listening-port", "REPLCONF listening-port x", "REPLCONF",
                    "PSYNC a", "PSYNC a b", "WAIT 0 0", "WAIT a 0", "WAIT 0 -1", "WAIT 0 x",
                    "REPLICAOF localhost abc", "REPLICAOF localhost 70000", "REPLICAOF no one", "ROLE",
                    "MULTI", "SYNC", "PSYNC ? -1", "EXEC");
            d.assertSame();
            // a full resync: +FULLRESYNC with a 40-character id and the offset, then the snapshot; this client
            // announced capa eof, so it comes diskless, between EOF marks
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "repl-diskless-sync-delay", "0"));
            c.writeRaw("PSYNC ? -1\r\n");
            String head = c.readLine();
            assertTrue(head.matches("\\+FULLRESYNC [0-9a-f]{40} \\d+"), head);
            String bulk = c.readLine();
            assertTrue(bulk.matches("\\$EOF:[0-9a-f]{40}"), bulk);
        }
        try (TestServer replica = cinnabar(); RespClient c = replica.client()) {
            c.call("REPLICAOF", "127.0.0.1", Integer.toString(TestServer.freePort()));
            assertEquals("-NOMASTERLINK Can't SYNC while not connected with my master\r\n", c.call("SYNC"));
            assertEquals("-ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 "
                    + "if a replica is configured to be writable (which is not the default) writes to replicas are "
                    + "just local and are not propagated.\r\n", c.call("WAIT", "0", "0"));
        }
    }

    @Test
    void aLostLinkContinuesWithPartialResync() {
        try (TestServer master = cinnabar(); TestServer replica = cinnabar();
             RespClient m = master.client(); RespClient r = replica.client()) {
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            await("link up", () -> "up".equals(info(r, "master_link_status")));
            run(m, WRITES);
            awaitSameData(m, r);
            String statsBefore = (String) Resp.parse(m.call("INFO", "stats"));
            assertTrue(statsBefore.contains("sync_partial_ok:0"), statsBefore);
            r.call("CLIENT", "KILL", "TYPE", "master");
            run(m, "SET after-kill 1", "RPUSH l more");
            await("a partial resync", () -> ((String) Resp.parse(m.call("INFO", "stats")))
                    .contains("sync_partial_ok:1"));
            awaitSameData(m, r);
            assertTrue(((String) Resp.parse(m.call("INFO", "stats"))).contains("sync_full:1"));
        }
    }

    @Test
    void aPartialResyncContinuesInTheDatabaseTheStreamHadSelected() {
        try (TestServer master = cinnabar(); TestServer replica = cinnabar();
             RespClient m = master.client(); RespClient w = master.client(); RespClient r = replica.client()) {
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            await("link up", () -> "up".equals(info(r, "master_link_status")));
            run(w, "SELECT 6", "SET a 1");
            awaitSameData(m, r);
            r.call("CLIENT", "KILL", "TYPE", "master");
            run(w, "SET b 2"); // still in 6: the backlog holds no SELECT before it
            await("a partial resync", () -> ((String) Resp.parse(m.call("INFO", "stats")))
                    .contains("sync_partial_ok:1"));
            awaitSameData(m, r);
        }
    }

    @Test
    void aPromotedReplicaKeepsItsHistoryForTheOthers() {
        try (TestServer master = cinnabar(); TestServer replica = cinnabar(); TestServer other = cinnabar();
             RespClient m = master.client(); RespClient r = replica.client(); RespClient o = other.client()) {
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            o.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            await("links up", () -> "up".equals(info(r, "master_link_status"))
                    && "up".equals(info(o, "master_link_status")));
            run(m, WRITES);
            awaitSameData(m, r);
            awaitSameData(m, o);
            String oldId = info(r, "master_replid");
            assertEquals("+OK\r\n", r.call("REPLICAOF", "NO", "ONE"));
            assertEquals(oldId, info(r, "master_replid2"));
            assertEquals("master", info(r, "role"));
            // the other replica follows the promoted one and continues without a full resync
            o.call("REPLICAOF", "127.0.0.1", Integer.toString(replica.port()));
            await("link up", () -> "up".equals(info(o, "master_link_status")));
            run(r, "SET promoted yes");
            awaitSameData(r, o);
            String stats = (String) Resp.parse(r.call("INFO", "stats"));
            assertTrue(stats.contains("sync_partial_ok:1") && stats.contains("sync_full:0"), stats);
        }
    }

    @Test
    void aReplicaOfAReplicaGetsTheSameStream() {
        try (TestServer master = cinnabar(); TestServer middle = cinnabar(); TestServer leaf = cinnabar();
             RespClient m = master.client(); RespClient mid = middle.client(); RespClient l = leaf.client()) {
            run(m, WRITES);
            mid.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            await("middle link up", () -> "up".equals(info(mid, "master_link_status")));
            l.call("REPLICAOF", "127.0.0.1", Integer.toString(middle.port()));
            await("leaf link up", () -> "up".equals(info(l, "master_link_status")));
            run(m, "RPUSH l chained", "SET c 1", "INCR c", "SELECT 9", "SADD nine 9");
            awaitSameData(m, l);
            await("offsets to meet", () -> info(m, "master_repl_offset").equals(info(l, "master_repl_offset")));
            assertEquals(info(m, "master_replid"), info(l, "master_replid"));
        }
    }

    @Test
    void aRestartedReplicaContinuesFromTheHistoryInItsRdb(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        try (TestServer master = cinnabar(); RespClient m = master.client()) {
            String of = "127.0.0.1 " + master.port();
            try (TestServer replica = AllPlugins.builder().option("dir", dir.toString()).option("replicaof", of)
                    .start(); RespClient r = replica.client()) {
                await("link up", () -> "up".equals(info(r, "master_link_status")));
                run(m, WRITES);
                awaitSameData(m, r);
                assertEquals("+OK\r\n", r.call("SAVE"));
            }
            run(m, "SET while-down 1", "LPUSH l more");
            try (TestServer replica = AllPlugins.builder().option("dir", dir.toString()).option("replicaof", of)
                    .start(); RespClient r = replica.client()) {
                await("link up again", () -> "up".equals(info(r, "master_link_status")));
                awaitSameData(m, r);
                String stats = (String) Resp.parse(m.call("INFO", "stats"));
                assertTrue(stats.contains("sync_full:1") && stats.contains("sync_partial_ok:1"), stats);
            }
        }
    }

    @Test
    void failoverHandsTheMasterRoleToACaughtUpReplica() {
        try (TestServer master = cinnabar(); TestServer replica = cinnabar();
             RespClient m = master.client(); RespClient r = replica.client()) {
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            await("link up", () -> "up".equals(info(r, "master_link_status")));
            run(m, WRITES);
            awaitSameData(m, r);
            String history = info(m, "master_replid");
            assertEquals("-ERR FAILOVER target HOST and PORT is not a replica.\r\n",
                    m.call("FAILOVER", "TO", "127.0.0.1", "1"));
            assertEquals("-ERR FAILOVER with force option requires both a timeout and target HOST and IP.\r\n",
                    m.call("FAILOVER", "FORCE"));
            assertEquals("+OK\r\n", m.call("FAILOVER", "TO", "127.0.0.1", Integer.toString(replica.port()),
                    "TIMEOUT", "10000"));
            await("the roles to swap", () -> "slave".equals(info(m, "role")) && "master".equals(info(r, "role"))
                    && "up".equals(info(m, "master_link_status")));
            assertEquals("no-failover", info(m, "master_failover_state"));
            assertEquals(history, info(r, "master_replid2"));
            String stats = (String) Resp.parse(r.call("INFO", "stats"));
            assertTrue(stats.contains("sync_partial_ok:1") && stats.contains("sync_full:0"), stats);
            run(r, "SET after-failover 1");
            awaitSameData(r, m);
            assertEquals("-READONLY You can't write against a read only replica.\r\n", m.call("SET", "x", "1"));
        }
    }

    /**
     * While writes are held, a WAIT that blocks does not send the replicas its GETACK: that would move the
     * replication offset, which a manual failover's replica must reach exactly. The request goes out when the
     * hold ends. Cinnabar and redis-server 7.2 alike.
     */
    @Test
    void waitAsksTheReplicasForTheirOffsetOnlyOnceAWritePauseEnds() {
        try (TestServer master = cinnabar(); TestServer replica = cinnabar(); RespClient r = replica.client()) {
            waitDuringAWritePause(master.port(), r);
        }
        try (ReferenceRedis master = ReferenceRedis.start(); ReferenceRedis replica = ReferenceRedis.start();
             RespClient r = replica.client()) {
            waitDuringAWritePause(master.port(), r);
        }
    }

    private static void waitDuringAWritePause(int masterPort, RespClient r) {
        try (RespClient writer = new RespClient("127.0.0.1", masterPort);
             RespClient admin = new RespClient("127.0.0.1", masterPort)) {
            // no PING of the master's cron in the stream meanwhile
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "repl-ping-replica-period", "3600"));
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(masterPort));
            await("link up", () -> "up".equals(info(r, "master_link_status")));
            assertEquals("+OK\r\n", writer.call("SET", "k", "1"));
            assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "10000", "WRITE"));
            String held = info(admin, "master_repl_offset");
            writer.call("WAIT", "1", "200");
            assertEquals(held, info(admin, "master_repl_offset"), "the replication offset while writes are held");
            assertEquals("+OK\r\n", admin.call("CLIENT", "UNPAUSE"));
            await("the GETACK held back to be sent",
                    () -> Long.parseLong(info(admin, "master_repl_offset")) > Long.parseLong(held));
            assertEquals(":1\r\n", writer.call("WAIT", "1", "5000"));
        }
    }

    @Test
    void failoverArgumentsAreCheckedAsRedisDoes() {
        try (TestServer ours = cinnabar(); ReferenceRedis redis = ReferenceRedis.start();
             RespClient c = ours.client(); RespClient r = redis.client()) {
            io.cinnabar.testkit.Differential d = new io.cinnabar.testkit.Differential(r, c);
            d.run("FAILOVER", "FAILOVER ABORT", "FAILOVER TIMEOUT -1", "FAILOVER TIMEOUT 0", "FAILOVER TIMEOUT x",
                    "FAILOVER bla", "FAILOVER TO", "FAILOVER TO 127.0.0.1 abc", "FAILOVER ABORT TIMEOUT 10",
                    "FAILOVER ABORT ABORT", "FAILOVER TIMEOUT 5 TIMEOUT 6", "FAILOVER TO h 1 TO h 2",
                    "FAILOVER FORCE", "FAILOVER TO 127.0.0.1 1 FORCE TIMEOUT 5");
            d.assertSame();
        }
    }

    @Test
    void redisServerReplicatesFromCinnabar() {
        try (TestServer master = cinnabar(); ReferenceRedis redis = ReferenceRedis.start();
             RespClient m = master.client(); RespClient r = redis.client()) {
            run(m, WRITES);
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            await("link up", () -> "up".equals(info(r, "master_link_status")));
            awaitSameData(m, r);
            run(m, "LPUSH l zero", "SPOP ints", "ZINCRBY z 2 a", "SET ex v EX 100", "SELECT 2", "SET two 2");
            awaitSameData(m, r);
            assertEquals(":1\r\n", m.call("WAIT", "1", "5000"));
        }
    }

    @Test
    void cinnabarReplicatesFromRedisServer() {
        try (ReferenceRedis redis = ReferenceRedis.start(); TestServer replica = cinnabar();
             RespClient m = redis.client(); RespClient r = replica.client()) {
            run(m, WRITES);
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port()));
            await("link up", () -> "up".equals(info(r, "master_link_status")));
            awaitSameData(m, r);
            run(m, "LPUSH l zero", "SPOP ints", "ZINCRBY z 2 a", "SET ex v EX 100", "SELECT 2", "SET two 2",
                    "SET short v PX 50");
            // compared once it is gone (db 2 is still selected): within its 50 ms a dump could see it half
            await("the short-lived key to expire on the master", () -> ":0\r\n".equals(m.call("EXISTS", "short")));
            awaitSameData(m, r);
            await("redis to see the ack", () -> ":1\r\n".equals(m.call("WAIT", "1", "100")));
        }
    }
}
