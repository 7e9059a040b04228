package io.cinnabar.kernel.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.datatypes.strings.StringsFamily;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MULTI/EXEC/DISCARD/WATCH/UNWATCH against the reference redis-server, byte for byte. Each test works in
 * its own database so tests do not see each other's keys. A "session" is a pair of connections (one to
 * each server) driven with the same commands; several sessions interleave to play other clients.
 */
class TransactionFamilyTest {
    private static TestServer server;
    private static ReferenceRedis redis;
    private static TestServer securedServer;
    private static ReferenceRedis securedRedis;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = ReferenceRedis.start();
        server = TestServer.start(new StringsFamily());
        securedRedis = ReferenceRedis.start("--requirepass", "pw");
        securedServer = TestServer.builder().option("requirepass", "pw").family(new StringsFamily()).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (securedServer != null) {
            securedServer.close();
        }
        if (securedRedis != null) {
            securedRedis.close();
        }
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** A differential session on database {@code db} of both servers. */
    private Differential session(int db) {
        return session(db, 2);
    }

    /** A session speaking RESP {@code protocol} (HELLO's reply differs in the client id, so it is not compared). */
    private Differential session(int db, int protocol) {
        RespClient ref = redis.client();
        RespClient cand = server.client();
        open.add(ref);
        open.add(cand);
        if (protocol == 3) {
            ref.call("HELLO", "3");
            cand.call("HELLO", "3");
        }
        Differential d = new Differential(ref, cand);
        d.run("SELECT " + db);
        return d;
    }

    /** Waits (polling the clock) until {@code millis} have passed since {@code since}. */
    private static void waitPast(long since, long millis) {
        while (System.currentTimeMillis() <= since + millis) {
            Thread.onSpinWait();
        }
    }

    @Test
    void queuedCommandsRunAtExecWithEachReplyInTheArray() {
        Differential d = session(1);
        d.run("MULTI", "SET k 1", "INCR k", "INCRBY k 10", "GET k", "GET missing", "EXEC", "GET k", "MULTI",
                "EXEC");
        d.assertSame();
    }

    @Test
    void nestingAndMisplacedCommandsGetRedisErrors() {
        Differential d = session(2);
        d.run("EXEC", "DISCARD", "MULTI", "MULTI", "WATCH k", "SET k v", "EXEC", "GET k", "EXEC x", "MULTI",
                "EXEC x", "EXEC", "DISCARD x", "MULTI x", "UNWATCH x", "WATCH", "MULTI", "DISCARD", "DISCARD");
        d.assertSame();
    }

    @Test
    void queueTimeErrorsAbortTheTransaction() {
        Differential d = session(3);
        d.run("MULTI", "SET a 1", "NOSUCHCMD x", "SET b 2", "EXEC", "GET a", "GET b");
        d.run("MULTI", "SET a 1", "GET", "EXEC", "GET a");
        d.run("MULTI", "SET a 1", "SET a", "DISCARD", "GET a");
        d.run("MULTI", "INCR a x", "EXEC");
        d.assertSame();
    }

    @Test
    void runtimeErrorsAreJustThatElementsReply() {
        Differential d = session(4);
        d.run("SET s notanumber", "MULTI", "INCR s", "SET t ok", "INCRBY t 1", "GET t", "EXEC");
        d.assertSame();
    }

    @Test
    void watchedKeyChangedByAnotherClientFailsExec() {
        Differential a = session(5);
        Differential b = session(5);
        a.run("SET k 1", "WATCH k");
        b.run("SET k 2");
        a.run("MULTI", "SET k 3");
        assertEquals("*-1\r\n", a.cmd("EXEC"));
        a.run("GET k");
        // after the failed EXEC nothing is watched any more
        a.run("MULTI", "SET k 4", "EXEC", "GET k");
        a.assertSame();
        b.assertSame();
    }

    @Test
    void changesAfterQueueingStillCount() {
        Differential a = session(6);
        Differential b = session(6);
        a.run("WATCH k", "MULTI", "SET k mine");
        b.run("SET k theirs");
        a.run("EXEC", "GET k");
        a.assertSame();
        b.assertSame();
    }

    @Test
    void ownChangesBeforeMultiCountButTheTransactionsOwnDoNot() {
        Differential d = session(7);
        d.run("WATCH k", "SET k before", "MULTI", "SET k x", "EXEC", "GET k");
        d.run("WATCH k", "MULTI", "SET k inside", "INCR n", "EXEC", "GET k");
        d.run("WATCH k", "SET k before", "WATCH other", "MULTI", "EXEC");
        d.assertSame();
    }

    @Test
    void watchingAMissingKeyFailsWhenItIsCreated() {
        Differential a = session(8);
        Differential b = session(8);
        a.run("WATCH fresh", "WATCH fresh");
        b.run("SET fresh 1");
        a.run("MULTI", "GET fresh", "EXEC");
        a.run("WATCH fresh2", "MULTI", "GET fresh2", "EXEC");
        a.assertSame();
        b.assertSame();
    }

    @Test
    void unwatchAndDiscardForgetWatchedKeys() {
        Differential a = session(9);
        Differential b = session(9);
        a.run("WATCH k");
        b.run("SET k 1");
        a.run("UNWATCH", "MULTI", "GET k", "EXEC");
        a.run("WATCH k", "MULTI", "DISCARD");
        b.run("SET k 2");
        a.run("MULTI", "GET k", "EXEC");
        a.run("WATCH k", "MULTI", "UNWATCH", "GET k", "EXEC");
        a.assertSame();
        b.assertSame();
    }

    @Test
    void watchIsPerDatabase() {
        Differential a = session(10);
        Differential b = session(11);
        a.run("WATCH k");
        b.run("SET k other-db");
        a.run("MULTI", "GET k", "EXEC");
        a.run("WATCH k", "SELECT 11", "MULTI", "GET k", "SELECT 10", "EXEC");
        a.assertSame();
        b.assertSame();
    }

    @Test
    void execRepliesNullInResp3WhenAWatchedKeyChanged() {
        Differential a = session(12, 3);
        Differential b = session(12);
        a.run("WATCH k");
        b.run("SET k 1");
        a.run("MULTI", "GET k");
        assertEquals("_\r\n", a.cmd("EXEC"));
        a.run("MULTI", "GET k", "EXEC");
        a.assertSame();
        b.assertSame();
    }

    @Test
    void watchedKeyThatExpiresBeforeExecCountsAsChanged() {
        Differential d = session(13);
        long set = System.currentTimeMillis();
        d.run("SET k v PX 20", "WATCH k");
        waitPast(set, 40);
        d.run("MULTI", "GET other");
        assertEquals("*-1\r\n", d.cmd("EXEC"));
        d.assertSame();
    }

    @Test
    void watchedKeyThatExpiresAndIsDeletedCountsAsChanged() {
        Differential a = session(14);
        Differential b = session(14);
        long set = System.currentTimeMillis();
        a.run("SET k v PX 20", "WATCH k");
        waitPast(set, 40);
        b.run("GET k"); // lazy expiry deletes it
        a.run("MULTI", "GET k", "EXEC");
        a.assertSame();
        b.assertSame();
    }

    @Test
    void keyAlreadyExpiredAtWatchTimeIsNotAChangeWhenDeleted() {
        Differential a = session(15);
        Differential b = session(15);
        long set = System.currentTimeMillis();
        a.run("SET k v PX 10");
        waitPast(set, 30);
        a.run("WATCH k");
        b.run("GET k");
        a.run("MULTI", "GET k");
        assertEquals("*1\r\n$-1\r\n", a.cmd("EXEC"));
        // but writing it is a change
        a.run("SET j v PX 10");
        long setJ = System.currentTimeMillis();
        waitPast(setJ, 30);
        a.run("WATCH j");
        b.run("SET j new");
        a.run("MULTI", "GET j", "EXEC");
        a.assertSame();
        b.assertSame();
    }

    @Test
    void theClockIsFrozenDuringExec() {
        Differential d = session(0);
        d.run("MULTI", "SET frozen v PX 1", "GET frozen", "GET frozen", "GET frozen");
        assertEquals("*4\r\n+OK\r\n$1\r\nv\r\n$1\r\nv\r\n$1\r\nv\r\n", d.cmd("EXEC"));
        d.assertSame();
    }

    @Test
    void flushdbBreaksWatchesOnExistingKeysOnly() {
        try (RespClient c = server.client()) {
            Assumptions.assumeTrue(c.call("COMMAND", "INFO", "FLUSHDB").startsWith("*1\r\n*"),
                    "FLUSHDB is not registered in this build");
        }
        Differential a = session(0);
        Differential b = session(0);
        a.run("SET present 1", "WATCH present");
        b.run("FLUSHDB");
        a.run("MULTI", "GET present", "EXEC");
        a.run("WATCH absent");
        b.run("FLUSHDB");
        a.run("MULTI", "GET absent", "EXEC");
        a.assertSame();
        b.assertSame();
    }

    /**
     * The hook FLUSHDB/FLUSHALL/SWAPDB call (Redis's touchAllWatchedKeysInDb), driven in-process: only
     * watchers of keys that exist in the flushed database fail.
     */
    @Test
    void flushingAWatchedDatabaseFailsOnlyWatchersOfExistingKeys() throws Exception {
        try (RespClient present = server.client(); RespClient absent = server.client()) {
            present.call("SELECT", "6");
            absent.call("SELECT", "6");
            present.call("SET", "flush:present", "1");
            assertEquals("+OK\r\n", present.call("WATCH", "flush:present"));
            assertEquals("+OK\r\n", absent.call("WATCH", "flush:absent"));
            CompletableFuture<Void> done = new CompletableFuture<>();
            server.server().execute(() -> {
                Database db = server.server().db(6);
                server.server().watches().touchDb(db, null, server.server().now());
                db.clear();
                done.complete(null);
            });
            done.get(10, TimeUnit.SECONDS);
            present.call("MULTI");
            present.call("GET", "flush:present");
            assertEquals("*-1\r\n", present.call("EXEC"));
            absent.call("MULTI");
            absent.call("GET", "flush:absent");
            assertEquals("*1\r\n$-1\r\n", absent.call("EXEC"));
        }
    }

    @Test
    void execAbortReasonWhenExecItselfIsRejected() {
        Differential d = session(1);
        d.run("EXEC x", "MULTI", "SET a 1", "EXEC x", "EXEC");
        d.assertSame();
        try (RespClient want = securedRedis.client(); RespClient got = securedServer.client()) {
            Differential s = new Differential(want, got);
            s.run("EXEC", "MULTI", "AUTH pw", "MULTI", "SET a 1", "RESET", "EXEC");
            s.assertSame();
        }
    }

    @Test
    void execWithNothingQueuedAndMultiCountsInClientList() {
        Differential d = session(2);
        d.run("MULTI", "EXEC", "MULTI", "DISCARD");
        d.assertSame();
        try (RespClient c = server.client()) {
            c.call("MULTI");
            c.call("SET", "k", "v");
            c.call("SET", "kkkk", "vvvvvv");
            try (RespClient observer = server.client()) {
                String list = observer.call("CLIENT", "LIST", "TYPE", "normal");
                assertTrue(list.contains(" flags=x ") && list.contains(" multi=2 ")
                        && list.contains(" multi-mem=66 "), list);
            }
        }
    }
}
